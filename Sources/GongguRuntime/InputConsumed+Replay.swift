import GongguCore
import GongguEvents
import GongguTransport

extension InputConsumed {
    /// Re-reads exactly the upstream range this marker names, (after, through], from `source` and
    /// hands each event to `apply`, in seq order. Reads are bounded by the range so that a log of
    /// many small markers replays in time proportional to what it consumed.
    /// - Throws: `ServiceError.logUnavailable` when the upstream lacks part of the range.
    public func replay(from source: EventSource, _ apply: (Event) throws -> Void) throws {
        var cursor = after
        while cursor < through {
            let limit = Int(min(Int64(ReplayRequest.maxLimit), through - cursor))
            let batch = try source.read(ReplayRequest(after: cursor, limit: limit))
            guard let last = batch.events.last else {
                throw ServiceError.logUnavailable("upstream \(stream) lacks seq \(cursor + 1)…\(through)")
            }
            for e in batch.events where e.seq <= through { try apply(e) }
            cursor = last.seq
        }
    }
}

import GongguCore
import GongguEvents
import GongguRuntime

/// Rebuilds a service's fold from its log as the service itself does at start-up (`ServiceHost`'s
/// rebuild), stopping at an instant: own-log inputs (ticks, rule and directory activations,
/// deliveries, acknowledgements) are applied, each `InputConsumed` marker applies the upstream range
/// it records — so the upstream events go in with exactly the interleaving the service had — and the
/// fold's outputs already in the log are skipped. "Known at an instant" means recorded at or before
/// it: a marker is in the log only once its batch was committed, so the upstream events it covers
/// were known then too.
public struct FoldReplayer {
    /// Where the rebuild stopped.
    public struct Result: Sendable, Equatable {
        /// Last own-log seq taken (recorded at or before the instant).
        public var lastSeq: Int64
        /// Own-log events read, and upstream events applied.
        public var ownEvents: Int
        public var upstreamEvents: Int
    }

    let logs: LogSet

    public init(logs: LogSet) { self.logs = logs }

    /// Replays `service`'s log into `fold` up to `instant` (recordedAt ≤ instant); `isOwnInput`
    /// names the own-log event types the service re-applies (as its behaviour's `isOwnInput`).
    public func replay<F: ServiceFold>(
        _ fold: inout F, service: LogSource, until instant: Timestamp, isOwnInput: (String) -> Bool
    ) throws -> Result {
        guard let log = service.local else { throw InvestigationError.needsLocalLogs("as-of rebuilding") }
        var result = Result(lastSeq: 0, ownEvents: 0, upstreamEvents: 0)
        var after: Int64 = 0
        var done = false
        while !done {
            let batch = try log.read(after: after, limit: 4096)
            guard let last = batch.last else { break }
            after = last.seq
            for event in batch {
                // A log's recordedAt follows its seq (one writer, appending in order): stop at the first
                // event recorded after the instant.
                guard event.recordedAt <= instant else {
                    done = true
                    break
                }
                result.lastSeq = event.seq
                result.ownEvents += 1
                if event.type == InputConsumed.eventType {
                    let marker = try event.decode(InputConsumed.self)
                    result.upstreamEvents += try applyUpstream(marker, service: service.stream, into: &fold)
                } else if isOwnInput(event.type) {
                    _ = fold.apply(event)
                }
            }
        }
        return result
    }

    private func applyUpstream<F: ServiceFold>(_ marker: InputConsumed, service: String, into fold: inout F) throws
        -> Int
    {
        guard let upstream = logs.source(stream: marker.stream), let log = upstream.local else {
            throw InvestigationError.upstreamMissing(service: service, upstream: marker.stream)
        }
        var after = marker.after
        var applied = 0
        while after < marker.through {
            let batch = try log.read(after: after, limit: Int(min(4096, marker.through - after)))
            guard let last = batch.last else {
                throw InvestigationError.upstreamShort(stream: marker.stream, seq: after + 1)
            }
            for e in batch where e.seq <= marker.through {
                _ = fold.apply(e)
                applied += 1
            }
            after = last.seq
        }
        return applied
    }
}

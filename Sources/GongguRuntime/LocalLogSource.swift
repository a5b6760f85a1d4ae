import GongguCore
import GongguStore
import GongguTransport

/// Replays a log from its file, opened read-only (a consumer on the same host as the owner).
///
/// The file is opened on first use, so a consumer may start before its upstream has created the log;
/// until then reads fail and the follower retries.
///
/// Unfiltered reads (the start-up replay of consumed ranges, the follower's catch-up) are checked
/// against the upstream's hash chain as they are read: a consumer never folds an event of a broken
/// chain, and is told which file and seq are bad (`LogDamage`, thrown with the upstream's path).
public final class LocalLogSource: EventSource {
    public let stream: String
    private let path: String
    private var log: EventLog?
    /// The last seq handed on by a verified read, and its stored hash (the next read's anchor).
    private var verified: (seq: Int64, hash: [UInt8])?
    /// The chain the verified reads checked, for `takeVerifiedChain`.
    private var window = VerifiedChainWindow()

    public init(stream: String, path: String) {
        self.stream = stream
        self.path = path
    }

    public func read(_ request: ReplayRequest) throws -> EventBatch {
        do {
            if log == nil { log = try EventLog(path: path, stream: stream, readOnly: true) }
            let log = log!
            guard request.typePrefix.isEmpty, request.regionPrefix.isEmpty else { return try log.batch(request) }
            let latest = try log.lastSeq
            let anchor = verified?.seq == request.after ? verified?.hash : nil
            let limit = min(request.limit, ReplayRequest.maxLimit)
            let (events, head, chain) = try log.readVerifiedChain(after: request.after, limit: limit, anchor: anchor)
            if let last = events.last {
                verified = (last.seq, head)
                window.add(after: request.after, chain: chain)
            }
            return EventBatch(events: events, scannedTo: events.last?.seq ?? request.after, latest: latest)
        } catch {
            // A log not created yet is not damage: the follower retries until its owner creates it.
            if SQLiteResultCode.cantOpen ~= error { throw error }
            throw LogDamage.classify(error, path: path)
        }
    }

    public func takeVerifiedChain(start: Int64, end: Int64) -> (start: [UInt8], end: [UInt8])? {
        window.take(start: start, end: end)
    }
}

extension EventLog {
    /// Answers a replay request from this log (shared by the replay server and local readers).
    public func batch(_ request: ReplayRequest) throws -> EventBatch {
        let latest = try lastSeq
        let limit = min(request.limit, ReplayRequest.maxLimit)
        if request.typePrefix.isEmpty && request.regionPrefix.isEmpty {
            let events = try read(after: request.after, limit: limit)
            return EventBatch(events: events, scannedTo: events.last?.seq ?? request.after, latest: latest)
        }
        let events = try read(
            after: request.after, limit: limit, typePrefix: request.typePrefix.isEmpty ? nil : request.typePrefix,
            regionPrefix: request.regionPrefix.isEmpty ? nil : request.regionPrefix)
        // Fewer than asked: the scan reached the end of what was committed when `latest` was read.
        let scanned = events.count == limit ? events.last!.seq : max(latest, events.last?.seq ?? request.after)
        return EventBatch(events: events, scannedTo: scanned, latest: latest)
    }
}

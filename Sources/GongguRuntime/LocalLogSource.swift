import GongguCore
import GongguStore
import GongguTransport

/// Replays a log from its file, opened read-only (a consumer on the same host as the owner).
///
/// The file is opened on first use, so a consumer may start before its upstream has created the log;
/// until then reads fail and the follower retries.
public final class LocalLogSource: EventSource {
    public let stream: String
    private let path: String
    private var log: EventLog?

    public init(stream: String, path: String) {
        self.stream = stream
        self.path = path
    }

    public func read(_ request: ReplayRequest) throws -> EventBatch {
        if log == nil { log = try EventLog(path: path, stream: stream, readOnly: true) }
        return try log!.batch(request)
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

import GongguCore

/// Frames Gonggu sends over ZeroMQ (specified in docs/PROTOCOL.md).
///
/// - Published event: `[topic, canonical event bytes]`, topic `<EventType>/<region>`.
/// - Heartbeat: `[ "_HB/<stream>", 8-byte big-endian latest seq ]`, so a subscriber notices a lost tail.
/// - Command request (DEALER/REQ → ROUTER): `[command, JSON body]`; reply `[status, JSON body, extra…]`.
public enum WireFormat {
    /// Topic prefix of heartbeats.
    public static let heartbeatPrefix = "_HB/"

    public static func heartbeatTopic(stream: String) -> [UInt8] { Array((heartbeatPrefix + stream).utf8) }

    public static func encodeSeq(_ seq: Int64) -> [UInt8] {
        withUnsafeBytes(of: UInt64(bitPattern: seq).bigEndian) { Array($0) }
    }

    public static func decodeSeq(_ bytes: [UInt8]) throws -> Int64 {
        guard bytes.count == 8 else { throw WireFormatError("heartbeat frame must be 8 bytes") }
        return bytes.withUnsafeBytes { Int64(bitPattern: UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self))) }
    }

    /// Whether a topic frame is a heartbeat.
    public static func isHeartbeat(_ topic: [UInt8]) -> Bool {
        topic.count >= 4 && topic[0] == UInt8(ascii: "_") && topic[1] == UInt8(ascii: "H")
            && topic[2] == UInt8(ascii: "B") && topic[3] == UInt8(ascii: "/")
    }
}

/// A request for a range of a log: events with seq > `after`, at most `limit`, optionally only those
/// whose type starts with `typePrefix` and whose region starts with `regionPrefix`.
public struct ReplayRequest: Equatable, Sendable {
    public var after: Int64
    public var limit: Int
    public var typePrefix: String
    public var regionPrefix: String

    /// Most events one reply carries.
    public static let maxLimit = 5000

    public init(after: Int64, limit: Int, typePrefix: String = "", regionPrefix: String = "") {
        self.after = after
        self.limit = limit
        self.typePrefix = typePrefix
        self.regionPrefix = regionPrefix
    }

    public var json: [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("after", Int(after))
        w.field("limit", limit)
        if !typePrefix.isEmpty { w.field("type", typePrefix) }
        if !regionPrefix.isEmpty { w.field("region", regionPrefix) }
        w.endObject()
        return w.bytes
    }

    public init(json: [UInt8]) throws {
        var r = ReplayRequest(after: -1, limit: 0)
        try JSONReader.read(json) { reader in
            try reader.readObject { reader, k in
                switch k {
                case "after": r.after = Int64(try reader.readInt())
                case "limit": r.limit = try reader.readInt()
                case "type": r.typePrefix = try reader.readString()
                case "region": r.regionPrefix = try reader.readString()
                default: try reader.skipValue()
                }
            }
        }
        guard r.after >= 0 else { throw WireFormatError("replay request needs 'after' ≥ 0") }
        guard r.limit > 0 else { throw WireFormatError("replay request needs 'limit' > 0") }
        r.limit = min(r.limit, Self.maxLimit)
        self = r
    }
}

/// A slice of a log: the events, how far the scan went (with filters, possibly past the last event
/// returned) and the log's latest seq at the time.
public struct EventBatch: Sendable {
    public var events: [Event]
    /// The highest seq examined; the reader's cursor may advance to it.
    public var scannedTo: Int64
    /// The log's last seq when read.
    public var latest: Int64

    public init(events: [Event], scannedTo: Int64, latest: Int64) {
        self.events = events
        self.scannedTo = scannedTo
        self.latest = latest
    }
}

/// Where a consumer replays a log from: the file itself (same host, read-only) or the owner's
/// replay endpoint. The follower above it is one code path for both.
public protocol EventSource: AnyObject {
    /// The log's stream name (e.g. `intake`).
    var stream: String { get }
    /// Reads events after `request.after` (filtered, bounded).
    func read(_ request: ReplayRequest) throws -> EventBatch
    /// The stored chain hashes at `start` and at `end` (`start < end`) when this source checked every
    /// event between them against the log's hash chain in one unbroken walk, so the hash at `end` is the
    /// chain through those events from the hash at `start`; nil when it did not (the caller hashes them
    /// itself). Forgets what it kept for seqs before `end`: ask in increasing order.
    func takeVerifiedChain(start: Int64, end: Int64) -> (start: [UInt8], end: [UInt8])?
}

extension EventSource {
    /// A source that checks no chain (a remote endpoint, a test double) keeps nothing.
    public func takeVerifiedChain(start: Int64, end: Int64) -> (start: [UInt8], end: [UInt8])? { nil }
}

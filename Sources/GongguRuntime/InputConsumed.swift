import GongguCore

/// The consumer's cursor, as an event in its own log: "upstream events (from, to] of `stream` were
/// applied here". Appended in the same transaction as the outputs they caused, so a crash at any
/// instant neither loses nor duplicates an output (exactly-once effect), and replay of the own log
/// reproduces the exact interleaving of several upstreams. Subject: the upstream stream name.
public struct InputConsumed: EventPayload, Equatable {
    public static let eventType = "InputConsumed"
    public var stream: String
    /// Last seq consumed before this batch.
    public var after: Int64
    /// Last seq consumed by this batch.
    public var through: Int64

    public init(stream: String, after: Int64, through: Int64) {
        self.stream = stream
        self.after = after
        self.through = through
    }

    public init(json r: inout JSONReader) throws {
        var s = InputConsumed(stream: "", after: 0, through: 0)
        try r.readObject { r, k in
            switch k {
            case "stream": s.stream = try r.readString()
            case "after": s.after = Int64(try r.readInt())
            case "through": s.through = Int64(try r.readInt())
            default: try r.skipValue()
            }
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("stream", stream)
        w.field("after", Int(after))
        w.field("through", Int(through))
        w.endObject()
    }
}

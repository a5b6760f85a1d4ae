import GongguCore

/// The consumer's cursor, as an event in its own log: "upstream events (from, to] of `stream` were
/// applied here". Appended in the same transaction as the outputs they caused, so a crash at any
/// instant neither loses nor duplicates an output (exactly-once effect), and replay of the own log
/// reproduces the exact interleaving of several upstreams. Subject: the upstream stream name.
///
/// Since schema version 2 the marker also anchors the upstream's head: `throughHash` is the upstream's
/// chain hash at `through`, so a tail the upstream loses later, or a history rewritten wholesale, is
/// found by comparing the upstream log with the anchors its consumers hold (`AnchorCheck`).
public struct InputConsumed: TabledPayload, Equatable {
    public static let eventType = EventType.inputConsumed.rawValue
    /// 2: `throughHash` added. Version 1 markers are upcast on read with no hash.
    public static let schemaVersion = 2
    public var stream: String
    /// Last seq consumed before this batch.
    public var after: Int64
    /// Last seq consumed by this batch.
    public var through: Int64
    /// The upstream's chain hash at `through` (SHA-256, 32 bytes); nil for version 1 markers and when
    /// the consumer did not know the hash before this batch.
    public var throughHash: [UInt8]?

    public init(stream: String, after: Int64, through: Int64, throughHash: [UInt8]? = nil) {
        self.stream = stream
        self.after = after
        self.through = through
        self.throughHash = throughHash
    }

    /// The wire form, declared once: absent `stream`, `after`, `through` read as "" and 0; `throughHash`
    /// is 64 hex digits, written only when known.
    public static let fields = EventFields<Self>(
        eventType, blank: Self(stream: "", after: 0, through: 0),
        [
            .defaulted("stream", \.stream, ""),
            .defaulted("after", \.after, 0),
            .defaulted("through", \.through, 0),
            .optionalHash("throughHash", \.throughHash),
        ])

    /// Version 1 (no `throughHash`) has the same fields otherwise: the upcast is reading it as version 2.
    public static func decode(_ payload: [UInt8], version: Int) throws -> InputConsumed {
        guard version == 1 || version == schemaVersion else {
            throw EventDecodingError.unsupportedVersion(type: eventType, version: version)
        }
        return try JSONReader.read(payload) { try InputConsumed(json: &$0) }
    }
}

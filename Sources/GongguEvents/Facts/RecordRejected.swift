import GongguCore

/// A record intake refused, kept whole with the reason (in Chinese) so staff can fix and resubmit.
/// Subject: the file or endpoint name.
public struct RecordRejected: TabledPayload, Equatable {
    public static let eventType = EventType.recordRejected.rawValue
    /// Record kind the submitter declared.
    public var kind: String
    public var file: String
    public var line: Int
    /// The field at fault (header name as in the file), or empty for whole-record problems.
    public var field: String
    /// Reason in Chinese, saying what happened and how to fix it.
    public var reason: String
    /// Stable machine code of the reason, e.g. `id.checksum`.
    public var code: String
    /// The raw record as read (decoded text). May hold personal data: never logged.
    public var raw: String

    public init(kind: String, file: String, line: Int, field: String, reason: String, code: String, raw: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.code = code
        self.raw = raw
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            kind: "", file: "", line: 0, field: "", reason: "", code: "", raw: ""),
        [
            .defaulted("kind", \.kind, ""),
            .defaulted("file", \.file, ""),
            .defaulted("line", \.line, 0),
            .defaulted("field", \.field, ""),
            .defaulted("reason", \.reason, ""),
            .defaulted("code", \.code, ""),
            .defaulted("raw", \.raw, ""),
        ])
}

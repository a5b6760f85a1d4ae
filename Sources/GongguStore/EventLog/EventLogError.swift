/// Errors of the event log beyond SQLite's own (`SQLiteError`). Descriptions never carry payloads,
/// subjects or other personal data.
public enum EventLogError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `append` was called on a log opened read-only.
    case readOnly
    /// The file holds the log of another stream than the one asked for.
    case streamMismatch(expected: String, found: String)
    /// The file is not a Gonggu event log (no `meta` row), or no stream name was given to create one.
    case notAnEventLog(path: String)
    /// The file's schema version is not one this code reads.
    case unsupportedSchema(version: Int)
    /// An event offered to `append` cannot be recorded (field too long, version out of range…);
    /// `index` is its position in the batch.
    case invalidEvent(index: Int, reason: String)
    /// A stored row cannot be decoded into an event (e.g. an id that is not 16 bytes).
    case malformedRow(seq: Int64, reason: String)

    public var description: String {
        switch self {
        case .readOnly: return "the event log is open read-only"
        case let .streamMismatch(e, f): return "event log belongs to stream '\(f)', expected '\(e)'"
        case let .notAnEventLog(p): return "\(p) is not a Gonggu event log"
        case let .unsupportedSchema(v): return "event log schema version \(v) is not supported"
        case let .invalidEvent(i, r): return "event \(i) of the batch cannot be recorded: \(r)"
        case let .malformedRow(s, r): return "event log row seq \(s) is malformed: \(r)"
        }
    }
}

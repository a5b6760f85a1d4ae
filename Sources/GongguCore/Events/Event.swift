/// Milliseconds since 1970-01-01T00:00:00Z. Business dates are carried at midnight UTC+8
/// (China Standard Time), see `BusinessDate`.
public typealias Timestamp = Int64

/// An event as recorded in a log: the envelope every log, wire message and fold shares.
///
/// The payload is JSON bytes, decoded on demand into a typed value (`Fact`, decision, …) so the log
/// layer never needs to know every event type. Old payload versions are upcast at one read point,
/// `EventPayload.decode`.
public struct Event: Sendable, Equatable {
    /// Position in its log: 1, 2, 3 … with no gaps. 0 for an event not yet appended.
    public var seq: Int64
    /// Globally unique id.
    public var id: EventID
    /// Event type name, e.g. `PersonRegistered`.
    public var type: String
    /// Payload schema version.
    public var version: Int
    /// The household or person key the event is about.
    public var subject: String
    /// 12-digit region code (统计用区划代码), or a shorter prefix for events about a whole region.
    public var region: String
    /// When it happened in the world (business time).
    public var occurredAt: Timestamp
    /// When the log recorded it (wall clock of the writer; never read by folds).
    public var recordedAt: Timestamp
    /// The event that caused this one, if any.
    public var causation: EventID?
    /// The conversation this event belongs to (e.g. one import), if any.
    public var correlation: EventID?
    /// JSON payload bytes.
    public var payload: [UInt8]

    public init(
        seq: Int64 = 0, id: EventID, type: String, version: Int = 1, subject: String, region: String,
        occurredAt: Timestamp, recordedAt: Timestamp = 0, causation: EventID? = nil, correlation: EventID? = nil,
        payload: [UInt8]
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.version = version
        self.subject = subject
        self.region = region
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.causation = causation
        self.correlation = correlation
        self.payload = payload
    }

    /// The payload as text (for tools).
    public var payloadText: String { String(decoding: payload, as: UTF8.self) }

    /// Topic under which the event is published: `<type>/<region>`, so a prefix subscription can
    /// select one type for all regions or one type for one region prefix.
    public var topic: String { "\(type)/\(region)" }
}

extension Event {
    /// Builds an event from a typed payload. Inlinable, as `decode`: the payload types live in another
    /// module (GongguEvents), and an unspecialized generic call there costs replay about a quarter of
    /// its speed (gonggu-bench backbone, replay + decode).
    @inlinable
    public init<P: EventPayload>(
        _ payload: P, id: EventID, subject: String, region: String, occurredAt: Timestamp,
        causation: EventID? = nil, correlation: EventID? = nil
    ) {
        var w = JSONWriter(capacity: payload.encodedSizeHint)
        payload.write(to: &w)
        self.init(
            id: id, type: P.eventType, version: P.schemaVersion, subject: subject, region: region,
            occurredAt: occurredAt, causation: causation, correlation: correlation, payload: w.bytes)
    }

    /// Decodes the payload as `P` (checking the type name), upcasting old versions.
    @inlinable
    public func decode<P: EventPayload>(_: P.Type = P.self) throws -> P {
        guard type == P.eventType else { throw EventDecodingError.wrongType(expected: P.eventType, found: type) }
        return try P.decode(payload, version: version)
    }
}

/// A typed event payload with a stable type name and a schema version.
public protocol EventPayload: Sendable {
    /// The event type name stored in the log.
    static var eventType: String { get }
    /// The version this code writes.
    static var schemaVersion: Int { get }
    /// Decodes the current version from a reader positioned at the payload object.
    init(json: inout JSONReader) throws
    /// Writes the payload as one JSON object.
    func write(to writer: inout JSONWriter)
    /// Bytes to reserve for the encoding (a guess; only speed depends on it). Default 256; payloads that
    /// carry long texts say so, which spares the writer growing its buffer again and again.
    var encodedSizeHint: Int { get }
    /// Decodes any stored version; the default accepts only the current one. Types whose schema
    /// changed override this to upcast old versions (the one read point for upcasting).
    static func decode(_ payload: [UInt8], version: Int) throws -> Self
}

extension EventPayload {
    public static var schemaVersion: Int { 1 }

    public var encodedSizeHint: Int { 256 }

    @inlinable
    public static func decode(_ payload: [UInt8], version: Int) throws -> Self {
        guard version == schemaVersion else {
            throw EventDecodingError.unsupportedVersion(type: eventType, version: version)
        }
        return try JSONReader.read(payload) { try Self(json: &$0) }
    }

    /// The payload's JSON bytes.
    @inlinable
    public var jsonBytes: [UInt8] {
        var w = JSONWriter(capacity: encodedSizeHint)
        write(to: &w)
        return w.bytes
    }
}

/// Why a payload could not be decoded.
public enum EventDecodingError: Error, Equatable, CustomStringConvertible {
    /// The event is of another type than asked for.
    case wrongType(expected: String, found: String)
    /// The stored schema version is newer than this code or has no upcaster.
    case unsupportedVersion(type: String, version: Int)
    /// A required field is missing.
    case missingField(type: String, field: String)
    /// A field has a value outside its enumeration.
    case invalidValue(type: String, field: String)

    public var description: String {
        switch self {
        case let .wrongType(e, f): return "expected event type \(e), found \(f)"
        case let .unsupportedVersion(t, v): return "\(t) schema version \(v) is not supported"
        case let .missingField(t, f): return "\(t) payload lacks field \(f)"
        case let .invalidValue(t, f): return "\(t) payload has an invalid value in \(f)"
        }
    }
}

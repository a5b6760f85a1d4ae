import GongguCore
import GongguEvents

/// A bureau's decision as it arrives on the wire (`{"type":"decision",…}`).
public struct WireDecision: Equatable, Sendable {
    /// Notification id (or source event id) answered.
    public var inReplyTo: String?
    public var household: String
    public var decision: BureauDecisionKind
    /// `YYYY-MM-DD`.
    public var date: String
    public var measure: String?
    public var householdType: PovertyStatus?
    public var note: String?

    public init(
        inReplyTo: String?, household: String, decision: BureauDecisionKind, date: String, measure: String? = nil,
        householdType: PovertyStatus? = nil, note: String? = nil
    ) {
        self.inReplyTo = inReplyTo
        self.household = household
        self.decision = decision
        self.date = date
        self.measure = measure
        self.householdType = householdType
        self.note = note
    }

    /// The own input to log, with `recipient` the id the edge authenticated by CURVE key.
    public func submission(recipient: String) -> BureauDecisionSubmitted {
        BureauDecisionSubmitted(
            recipient: recipient, inReplyTo: inReplyTo, decision: decision, date: date, householdID: household,
            householdType: householdType, measure: measure, note: note)
    }
}

/// Messages between the notifier and a recipient (one JSON object per ZeroMQ message), see
/// docs/PROTOCOL.md. The notifier sends `notification` and `error`; a recipient sends `hello`, `ack`
/// and `decision`.
public enum RecipientMessage: Equatable, Sendable {
    /// `{"type":"hello"}`: a recipient (re)connects; it has no other field.
    case hello
    /// `{"type":"ping"}`: a recipient's heartbeat while it has nothing else to send (it counts as
    /// connected while it was heard from within `recipients.alive_seconds`); answered with `pong`.
    case ping
    /// `{"type":"pong"}`: the notifier's answer to `ping`.
    case pong
    /// `{"type":"notification","id","recipient","kind","eventType","sourceEvent","region","household","title",
    /// "summary","created","escalationOf"?,"findingID"?,"source":{…}}`
    case notification(NotificationCreated)
    /// `{"type":"ack","id"}`
    case ack(id: String)
    /// `{"type":"ack","ids":[…]}`: several acknowledgements in one message (1…`maxAckIDs` ids), each
    /// taken as if sent alone, in order. Saves a recipient with many notifications a message (and its
    /// encryption) per acknowledgement.
    case acks([String])
    /// `{"type":"decision","inReplyTo"?,"household","decision","date","measure"?,"householdType"?,"note"?}`
    case decision(WireDecision)
    /// `{"type":"error","code","message"}` with a Chinese message.
    case error(code: String, message: String)

    /// Largest message a recipient may send (ack, decision, error).
    public static let maxInboundBytes = 16 * 1024
    /// Most ids one `{"type":"ack","ids":[…]}` may carry (400 notification ids fit in `maxInboundBytes`).
    public static let maxAckIDs = 400
    /// Largest notification (the source payload is bounded by the event payload limit).
    public static let maxNotificationBytes = CanonicalEncoding.maxPayload + 64 * 1024

    /// An error reply for a refused decision.
    public static func error(_ refusal: DecisionRefusal) -> RecipientMessage {
        .error(code: refusal.code.rawValue, message: refusal.message)
    }

    /// An error reply for a message that could not be decoded.
    public static func error(_ wire: WireError) -> RecipientMessage { .error(code: wire.code, message: wire.chinese) }

    // MARK: Encoding

    /// The message as compact JSON bytes.
    public func encoded() -> [UInt8] {
        if case let .notification(n) = self { return Self.encoded(n) }
        var w = JSONWriter()
        w.beginObject()
        switch self {
        case .notification:
            break
        case .hello:
            w.field("type", "hello")
        case .ping:
            w.field("type", "ping")
        case .pong:
            w.field("type", "pong")
        case let .ack(id):
            w.field("type", "ack")
            w.field("id", id)
        case let .acks(ids):
            w.field("type", "ack")
            w.field("ids", ids)
        case let .decision(d):
            w.field("type", "decision")
            w.field("inReplyTo", d.inReplyTo)
            w.field("household", d.household)
            w.field("decision", d.decision.rawValue)
            w.field("date", d.date)
            w.field("measure", d.measure)
            w.field("householdType", d.householdType?.rawValue)
            w.field("note", d.note)
        case let .error(code, message):
            w.field("type", "error")
            w.field("code", code)
            w.field("message", message)
        }
        w.endObject()
        return w.bytes
    }

    /// `RecipientMessage.notification(n).encoded()`, without building the message (the notifier's
    /// edge sends one per delivery, straight from the notification it keeps).
    public static func encoded(_ n: NotificationCreated) -> [UInt8] {
        var w = JSONWriter(capacity: n.encodedSizeHint)
        w.beginObject()
        w.field("type", "notification")
        w.field("id", n.notificationID)
        w.field("recipient", n.recipient)
        w.field("kind", n.kind)
        w.field("eventType", n.sourceType)
        w.field("sourceEvent", n.sourceEventID)
        w.field("region", n.region)
        w.field("household", n.householdID)
        w.field("title", n.title)
        w.field("summary", n.summary)
        w.field("created", n.created)
        w.field("escalationOf", n.escalationOf)
        w.field("findingID", n.findingID)
        w.key("source")
        // The source payload is JSON written by a Gonggu service (checked when routed); embed as is.
        w.raw(n.sourcePayload)
        w.endObject()
        return w.bytes
    }

    /// The message as JSON text.
    public var jsonText: String { String(decoding: encoded(), as: UTF8.self) }

    // MARK: Decoding

    /// Decodes one message strictly: UTF-8 JSON object within `maxBytes`, a known `type`, only the
    /// fields of that type, each once, with the right kinds and lengths. Throws `WireError`.
    public static func decode(_ bytes: [UInt8], maxBytes: Int = maxInboundBytes) throws -> RecipientMessage {
        guard bytes.count <= maxBytes else { throw WireError(.tooLarge, detail: "\(bytes.count) > \(maxBytes) bytes") }
        guard Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes else { throw WireError(.notUTF8) }
        var fields = WireFields()
        do {
            try JSONReader.read(bytes) { r in
                try r.readObject { r, key in
                    let name = key.string
                    guard fields.values[name] == nil, fields.source == nil || name != "source" else {
                        throw WireError(.duplicateField, field: name)
                    }
                    if name == "source" {
                        let start = r.offset
                        try r.skipValue()
                        let raw = bytes[start..<r.offset].drop { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
                        if raw.first != UInt8(ascii: "{") { throw WireError(.invalidField, field: "source") }
                        fields.source = String(decoding: raw, as: UTF8.self)
                    } else {
                        fields.values[name] = try r.readValue()
                    }
                    fields.order.append(name)
                }
            }
        } catch let e as WireError {
            throw e
        } catch let e as JSONError {
            if let first = bytes.first(where: { $0 > 0x20 }), first != UInt8(ascii: "{") { throw WireError(.notObject) }
            throw WireError(.malformedJSON, detail: "byte \(e.offset): \(e.reason)")
        }
        return try fields.message()
    }

    /// Decodes a message from text.
    public static func decode(_ text: String, maxBytes: Int = maxInboundBytes) throws -> RecipientMessage {
        try decode(Array(text.utf8), maxBytes: maxBytes)
    }

    /// The id of an acknowledgement in the exact compact form `{"type":"ack","id":"…"}` (what
    /// `encoded()` writes, and what most clients send), or nil for anything else — callers then use
    /// `decode`. Acknowledgements are most of what recipients send; this skips building a JSON value
    /// for each. Whatever it accepts, `decode` accepts as the same `.ack`: the id is 1…64 printable
    /// ASCII characters without quote or backslash (so no escapes), nothing follows the object.
    public static func compactAckID(_ bytes: [UInt8]) -> String? {
        let prefix = ackPrefix
        let idStart = prefix.count
        guard bytes.count > idStart + 2, bytes.count <= idStart + 64 + 2 else { return nil }
        return bytes.withUnsafeBufferPointer { p -> String? in
            for i in 0..<idStart where p[i] != prefix[i] { return nil }
            let idEnd = p.count - 2
            guard p[idEnd] == UInt8(ascii: "\""), p[idEnd + 1] == UInt8(ascii: "}"), idEnd > idStart else { return nil }
            for i in idStart..<idEnd {
                let c = p[i]
                guard c > 0x20, c < 0x7f, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") else { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: p[idStart..<idEnd]), as: UTF8.self)
        }
    }

    private static let ackPrefix = Array(#"{"type":"ack","id":""#.utf8)
}

/// The fields of one message, collected before checking them against its type.
private struct WireFields {
    var values: [String: JSONValue] = [:]
    var source: String?
    var order: [String] = []

    static let allowed: [String: Set<String>] = [
        "notification": [
            "type", "id", "recipient", "kind", "eventType", "sourceEvent", "region", "household", "title", "summary",
            "created", "escalationOf", "findingID", "source",
        ],
        "hello": ["type"],
        "ping": ["type"],
        "pong": ["type"],
        "ack": ["type", "id", "ids"],
        "decision": ["type", "inReplyTo", "household", "decision", "date", "measure", "householdType", "note"],
        "error": ["type", "code", "message"],
    ]

    func message() throws -> RecipientMessage {
        guard let typeValue = values["type"] else { throw WireError(.missingField, field: "type") }
        guard let type = typeValue.stringValue else { throw WireError(.invalidField, field: "type") }
        guard let allowed = Self.allowed[type] else { throw WireError(.unknownType, detail: String(type.prefix(32))) }
        if let extra = order.first(where: { !allowed.contains($0) }) {
            throw WireError(.unknownField, field: String(extra.prefix(64)))
        }
        switch type {
        case "notification":
            guard let source else { throw WireError(.missingField, field: "source") }
            let kind = try string("kind", max: 32)
            guard kind == NotificationCreated.routed || kind == NotificationCreated.escalation else {
                throw WireError(.invalidField, field: "kind")
            }
            let created = try string("created", max: 10)
            guard BusinessCalendar.dayNumber(created) != nil else { throw WireError(.invalidField, field: "created") }
            return .notification(
                NotificationCreated(
                    notificationID: try identifier("id"), recipient: try identifier("recipient"), kind: kind,
                    sourceEventID: try identifier("sourceEvent"), sourceType: try string("eventType", max: 64),
                    region: try digits("region"), householdID: try string("household", max: 64),
                    title: try string("title", max: 1000), summary: try string("summary", max: 20_000),
                    created: created, escalationOf: try optionalIdentifier("escalationOf"),
                    findingID: try optionalString("findingID", max: 200), sourcePayload: source))
        case "hello":
            return .hello
        case "ping":
            return .ping
        case "pong":
            return .pong
        case "ack":
            guard let list = values["ids"] else { return .ack(id: try identifier("id")) }
            // One form or the other: `id`, or `ids` with 1…maxAckIDs identifiers.
            guard values["id"] == nil, let items = list.arrayValue, !items.isEmpty,
                items.count <= RecipientMessage.maxAckIDs
            else { throw WireError(.invalidField, field: "ids") }
            return .acks(try items.map { item in
                guard let id = item.stringValue, Self.isIdentifier(id) else { throw WireError(.invalidField, field: "ids") }
                return id
            })
        case "decision":
            let decisionText = try string("decision", max: 32)
            guard let decision = BureauDecisionKind(rawValue: decisionText) else {
                throw WireError(.invalidField, field: "decision")
            }
            let date = try decisionDate()
            var householdType: PovertyStatus?
            if let t = try optionalString("householdType", max: 32) {
                guard let s = PovertyStatus(rawValue: t) else { throw WireError(.invalidField, field: "householdType") }
                householdType = s
            }
            return .decision(
                WireDecision(
                    inReplyTo: try optionalIdentifier("inReplyTo"), household: try string("household", max: 64),
                    decision: decision, date: date, measure: try optionalString("measure", max: 200),
                    householdType: householdType, note: try optionalString("note", max: 2000)))
        default:
            return .error(code: try string("code", max: 64), message: try string("message", max: 4000))
        }
    }

    /// A decision's `date`: absent or null is `missing_field`, no string `invalid_field`, and a string
    /// that is no real `YYYY-MM-DD` date (empty included) `invalid_date`.
    private func decisionDate() throws -> String {
        guard let v = values["date"], v != .null else { throw WireError(.missingField, field: "date") }
        guard let s = v.stringValue else { throw WireError(.invalidField, field: "date") }
        guard s.utf8.count == 10, BusinessCalendar.dayNumber(s) != nil else {
            throw WireError(.invalidDate, field: "date")
        }
        return s
    }

    private func optionalString(_ name: String, max: Int) throws -> String? {
        guard let v = values[name], v != .null else { return nil }
        guard let s = v.stringValue, !s.isEmpty, s.count <= max else { throw WireError(.invalidField, field: name) }
        return s
    }

    private func string(_ name: String, max: Int) throws -> String {
        guard let s = try optionalString(name, max: max) else { throw WireError(.missingField, field: name) }
        return s
    }

    /// Ids are printable ASCII without spaces (notification ids are 32 hex digits).
    private func optionalIdentifier(_ name: String) throws -> String? {
        guard let s = try optionalString(name, max: 64) else { return nil }
        guard Self.isIdentifier(s) else { throw WireError(.invalidField, field: name) }
        return s
    }

    /// 1…64 printable ASCII characters without spaces.
    private static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    private func identifier(_ name: String) throws -> String {
        guard let s = try optionalIdentifier(name) else { throw WireError(.missingField, field: name) }
        return s
    }

    private func digits(_ name: String) throws -> String {
        let s = try string(name, max: 12)
        guard s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw WireError(.invalidField, field: name) }
        return s
    }
}

/// Why a wire message was refused: a stable code, the field concerned, and a Chinese message for the
/// error reply. Never carries the message content.
public struct WireError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Stable error codes of `{"type":"error"}` replies.
    public enum Code: String, Sendable {
        /// The message exceeds the size limit.
        case tooLarge = "too_large"
        /// The bytes are not valid UTF-8.
        case notUTF8 = "not_utf8"
        /// The bytes are not well-formed JSON.
        case malformedJSON = "malformed_json"
        /// The JSON value is not an object.
        case notObject = "not_object"
        /// `type` names no known message.
        case unknownType = "unknown_type"
        /// A field appears twice.
        case duplicateField = "duplicate_field"
        /// A field this message type does not have.
        case unknownField = "unknown_field"
        /// A required field is absent, empty or null.
        case missingField = "missing_field"
        /// A field has the wrong kind of value, is too long, or is out of range.
        case invalidField = "invalid_field"
        /// A decision's `date` is not a real `YYYY-MM-DD` date (the same code as `DecisionRefusal`).
        case invalidDate = "invalid_date"
    }

    public let kind: Code
    /// The field concerned, if any.
    public let field: String?
    /// Extra detail for logs (sizes, offsets; never content).
    public let detail: String?

    public init(_ kind: Code, field: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.field = field
        self.detail = detail
    }

    /// The stable code.
    public var code: String { kind.rawValue }

    public var description: String {
        var s = "wire message refused: \(kind.rawValue)"
        if let field { s += " (field \(field))" }
        if let detail { s += ": \(detail)" }
        return s
    }

    /// Chinese message for the error reply.
    public var chinese: String {
        let f = field ?? ""
        switch kind {
        case .tooLarge: return "消息过大，超过允许的长度上限"
        case .notUTF8: return "消息不是有效的UTF-8编码"
        case .malformedJSON: return "消息不是有效的JSON"
        case .notObject: return "消息必须是一个JSON对象"
        case .unknownType: return "未知的消息类型"
        case .duplicateField: return "字段“\(f)”重复出现"
        case .unknownField: return "该类型消息不应包含字段“\(f)”"
        case .missingField: return "缺少必填字段“\(f)”"
        case .invalidField: return "字段“\(f)”的值无效"
        case .invalidDate: return "字段“\(f)”不是有效的日期，应为YYYY-MM-DD格式的实际日期"
        }
    }
}

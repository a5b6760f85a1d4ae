import GongguCore

/// A notification for one recipient: an upstream decision or finding routed by jurisdiction, or an
/// escalation of a notification left unacknowledged. Subject: household id; region: the household's
/// region code.
///
/// What a recipient gets is self-contained: the Chinese texts and the full source payload. The event in
/// the notifier's log carries the texts and names the source (`sourceEventID`, in the upstream log)
/// instead of repeating it (`logged`): the fold rebuilds the payload from the upstream event on replay,
/// and the row is less than half the size — the log's commit and hash chain are on the path of every
/// notification. Events of older logs that do carry it read as before.
public struct NotificationCreated: EventPayload, Equatable {
    public static let eventType = "NotificationCreated"
    /// Stable id (32 hex digits), derived from the source event and the recipient.
    public var notificationID: String
    public var recipient: String
    /// `notification` (routed from upstream) or `escalation`.
    public var kind: String
    /// Hex id of the event it is about (upstream decision, or the `NotificationEscalated` event).
    public var sourceEventID: String
    /// Type of that event (`RiskFeedback`, `EntitlementGap`, … or `NotificationEscalated`).
    public var sourceType: String
    /// Region code of the household (12 digits as routed).
    public var region: String
    public var householdID: String
    /// One line, Chinese.
    public var title: String
    /// Self-contained paragraph, Chinese.
    public var summary: String
    /// Business date `YYYY-MM-DD` of creation (from the source's occurredAt or the tick).
    public var created: String
    /// For an escalation: the notification that was not acknowledged.
    public var escalationOf: String?
    /// The verifier's stable finding id, when the source is a finding (links a `FindingResolved` to
    /// the finding it closes).
    public var findingID: String?
    /// The source payload, JSON text (for an escalation: the escalated notification's payload). Empty in
    /// the logged form (`logged`); "{}" when an event without it is decoded.
    public var sourcePayload: String

    /// The form the notifier logs: the same, without the source payload (see the type's comment).
    public var logged: NotificationCreated {
        var n = self
        n.sourcePayload = ""
        return n
    }

    /// `kind` of a routed notification.
    public static let routed = "notification"
    /// `kind` of an escalation.
    public static let escalation = "escalation"

    public init(
        notificationID: String, recipient: String, kind: String = NotificationCreated.routed, sourceEventID: String,
        sourceType: String, region: String, householdID: String, title: String, summary: String, created: String,
        escalationOf: String? = nil, findingID: String? = nil, sourcePayload: String
    ) {
        self.notificationID = notificationID
        self.recipient = recipient
        self.kind = kind
        self.sourceEventID = sourceEventID
        self.sourceType = sourceType
        self.region = region
        self.householdID = householdID
        self.title = title
        self.summary = summary
        self.created = created
        self.escalationOf = escalationOf
        self.findingID = findingID
        self.sourcePayload = sourcePayload
    }

    public init(json r: inout JSONReader) throws {
        var s = NotificationCreated(
            notificationID: "", recipient: "", sourceEventID: "", sourceType: "", region: "", householdID: "",
            title: "", summary: "", created: "", sourcePayload: "{}")
        try r.readObject { r, k in
            switch k {
            case "notificationID": s.notificationID = try r.readString()
            case "recipient": s.recipient = try r.readString()
            case "kind": s.kind = try r.readString()
            case "sourceEventID": s.sourceEventID = try r.readString()
            case "sourceType": s.sourceType = try r.readString()
            case "region": s.region = try r.readString()
            case "householdID": s.householdID = try r.readString()
            case "title": s.title = try r.readString()
            case "summary": s.summary = try r.readString()
            case "created": s.created = try r.readString()
            case "escalationOf": s.escalationOf = try r.readString()
            case "findingID": s.findingID = try r.readString()
            case "sourcePayload": s.sourcePayload = try r.readString()
            default: try r.skipValue()
            }
        }
        try need(s.notificationID, Self.eventType, "notificationID")
        try need(s.recipient, Self.eventType, "recipient")
        self = s
    }

    /// The texts and the source payload (escaped: its quotes double) are most of the bytes.
    public var encodedSizeHint: Int {
        384 + title.utf8.count + summary.utf8.count + householdID.utf8.count + sourcePayload.utf8.count * 5 / 4
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notificationID", notificationID)
        w.field("recipient", recipient)
        w.field("kind", kind)
        w.field("sourceEventID", sourceEventID)
        w.field("sourceType", sourceType)
        w.field("region", region)
        w.field("householdID", householdID)
        w.field("title", title)
        w.field("summary", summary)
        w.field("created", created)
        w.field("escalationOf", escalationOf)
        w.field("findingID", findingID)
        if !sourcePayload.isEmpty { w.field("sourcePayload", sourcePayload) }
        w.endObject()
    }
}

/// Own input written by the edge when it has sent a notification on a channel. Subject: recipient id.
public struct NotificationDelivered: EventPayload, Equatable {
    public static let eventType = "NotificationDelivered"
    public var notificationID: String
    public var recipient: String
    /// `zmq`, `outbox` or `webhook`.
    public var channel: String
    /// Which delivery this is (see `NotificationReceipts.Entry.attempt`): for the webhook channel, which
    /// writes this event, the HTTP try that succeeded.
    public var attempt: Int

    public init(notificationID: String, recipient: String, channel: String, attempt: Int) {
        self.notificationID = notificationID
        self.recipient = recipient
        self.channel = channel
        self.attempt = attempt
    }

    public init(json r: inout JSONReader) throws {
        var s = NotificationDelivered(notificationID: "", recipient: "", channel: "", attempt: 0)
        try r.readObject { r, k in
            switch k {
            case "notificationID": s.notificationID = try r.readString()
            case "recipient": s.recipient = try r.readString()
            case "channel": s.channel = try r.readString()
            case "attempt": s.attempt = try r.readInt()
            default: try r.skipValue()
            }
        }
        try need(s.notificationID, Self.eventType, "notificationID")
        try need(s.recipient, Self.eventType, "recipient")
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notificationID", notificationID)
        w.field("recipient", recipient)
        w.field("channel", channel)
        w.field("attempt", attempt)
        w.endObject()
    }
}

/// Own input: a recipient confirmed it received a notification. `recipient` is the id the edge
/// authenticated (by CURVE key), not what the message claims. Subject: recipient id. Its occurredAt
/// is when the edge received it (used for response times).
public struct NotificationAcknowledged: EventPayload, Equatable {
    public static let eventType = "NotificationAcknowledged"
    public var notificationID: String
    public var recipient: String

    public init(notificationID: String, recipient: String) {
        self.notificationID = notificationID
        self.recipient = recipient
    }

    public init(json r: inout JSONReader) throws {
        var s = NotificationAcknowledged(notificationID: "", recipient: "")
        try r.readObject { r, k in
            switch k {
            case "notificationID": s.notificationID = try r.readString()
            case "recipient": s.recipient = try r.readString()
            default: try r.skipValue()
            }
        }
        try need(s.notificationID, Self.eventType, "notificationID")
        try need(s.recipient, Self.eventType, "recipient")
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notificationID", notificationID)
        w.field("recipient", recipient)
        w.endObject()
    }
}

/// A notification left unacknowledged past `escalation.afterDays`, escalated one level up (once).
/// Subject: household id; region: the notification's region.
public struct NotificationEscalated: EventPayload, Equatable {
    public static let eventType = "NotificationEscalated"
    public var notificationID: String
    /// Recipient that did not acknowledge.
    public var from: String
    /// Recipient one level up that now receives it.
    public var to: String
    /// The escalation notification created for `to`.
    public var escalationID: String
    /// `YYYY-MM-DD` from which the acknowledgement was awaited.
    public var since: String
    /// `YYYY-MM-DD` of the tick that escalated.
    public var date: String
    /// Days past the allowed `afterDays`.
    public var daysOverdue: Int
    public var afterDays: Int

    public init(
        notificationID: String, from: String, to: String, escalationID: String, since: String, date: String,
        daysOverdue: Int, afterDays: Int
    ) {
        self.notificationID = notificationID
        self.from = from
        self.to = to
        self.escalationID = escalationID
        self.since = since
        self.date = date
        self.daysOverdue = daysOverdue
        self.afterDays = afterDays
    }

    public init(json r: inout JSONReader) throws {
        var s = NotificationEscalated(
            notificationID: "", from: "", to: "", escalationID: "", since: "", date: "", daysOverdue: 0, afterDays: 0)
        try r.readObject { r, k in
            switch k {
            case "notificationID": s.notificationID = try r.readString()
            case "from": s.from = try r.readString()
            case "to": s.to = try r.readString()
            case "escalationID": s.escalationID = try r.readString()
            case "since": s.since = try r.readString()
            case "date": s.date = try r.readString()
            case "daysOverdue": s.daysOverdue = try r.readInt()
            case "afterDays": s.afterDays = try r.readInt()
            default: try r.skipValue()
            }
        }
        try need(s.notificationID, Self.eventType, "notificationID")
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notificationID", notificationID)
        w.field("from", from)
        w.field("to", to)
        w.field("escalationID", escalationID)
        w.field("since", since)
        w.field("date", date)
        w.field("daysOverdue", daysOverdue)
        w.field("afterDays", afterDays)
        w.endObject()
    }
}

/// Own input: a recipient directory document taking effect from this point of the log on (revoked
/// recipients and keys at once). Subject: `notify`. An invalid document changes nothing.
public struct DirectoryActivated: EventPayload, Equatable {
    public static let eventType = "DirectoryActivated"
    public var version: String
    /// SHA-256 (hex) of `document`.
    public var sha256: String
    /// The directory document (JSON text).
    public var document: String

    public init(document: String, version: String) {
        self.document = document
        self.version = version
        sha256 = SHA256.hash(document).hexString
    }

    /// Builds the activation of a checked directory.
    public init(_ directory: RecipientDirectory) { self.init(document: directory.text, version: directory.version) }

    public init(json r: inout JSONReader) throws {
        var f = (version: "", sha: "", doc: "")
        try r.readObject { r, k in
            switch k {
            case "version": f.version = try r.readString()
            case "sha256": f.sha = try r.readString()
            case "document": f.doc = try r.readString()
            default: try r.skipValue()
            }
        }
        (version, sha256, document) = (f.version, f.sha, f.doc)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("version", version)
        w.field("sha256", sha256)
        w.field("document", document)
        w.endObject()
    }
}

@inline(__always)
func need(_ value: String, _ type: String, _ field: String) throws {
    if value.isEmpty { throw EventDecodingError.missingField(type: type, field: field) }
}

extension NotificationCreated {
    /// The `notificationID` of a `NotificationCreated` payload without decoding the rest of it (the
    /// texts and the embedded source payload are most of its bytes). `write(to:)` puts the id first
    /// and ids are printable ASCII without quotes or backslashes, so the id is the run of bytes after
    /// `{"notificationID":"` up to the next quote. Nil when the payload does not start that way
    /// (written by other code); callers then decode it in full.
    public static func notificationID(inPayload payload: [UInt8]) -> String? {
        let prefix = idPrefix
        guard payload.count > prefix.count + 1 else { return nil }
        return payload.withUnsafeBufferPointer { p -> String? in
            for i in 0..<prefix.count where p[i] != prefix[i] { return nil }
            var end = prefix.count
            while end < p.count, p[end] != UInt8(ascii: "\"") {
                let c = p[end]
                guard c > 0x20, c < 0x7f, c != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            guard end < p.count, end > prefix.count else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: p[prefix.count..<end]), as: UTF8.self)
        }
    }

    private static let idPrefix = Array(#"{"notificationID":""#.utf8)

    /// The notification id and recipient at the head of a payload this type wrote
    /// (`{"notificationID":"…","recipient":"…",…`), without decoding the rest; nil for any other shape.
    public static func idAndRecipient(inPayload payload: [UInt8]) -> (id: String, recipient: String)? {
        guard let id = notificationID(inPayload: payload) else { return nil }
        let start = idPrefix.count + id.utf8.count + recipientPrefix.count
        guard payload.count > start + 1 else { return nil }
        return payload.withUnsafeBufferPointer { p -> (String, String)? in
            let at = idPrefix.count + id.utf8.count
            for i in 0..<recipientPrefix.count where p[at + i] != recipientPrefix[i] { return nil }
            var end = start
            while end < p.count, p[end] != UInt8(ascii: "\"") {
                let c = p[end]
                guard c > 0x20, c < 0x7f, c != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            guard end < p.count, end > start else { return nil }
            return (id, String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self))
        }
    }

    private static let recipientPrefix = Array(#"","recipient":""#.utf8)
}

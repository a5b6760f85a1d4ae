import GongguCore

/// Own input written by the edge: the deliveries and acknowledgements of one recipient that one group
/// commit takes, in the order the edge applied them. Subject: recipient id; region: empty.
///
/// One event per recipient per commit instead of one `NotificationDelivered` per send and one
/// `NotificationAcknowledged` per acknowledgement: those two rows per notification were most of the
/// notifier's log (docs/BENCHMARKS.md, "Notifier"). Each entry means exactly what the single event
/// meant, with the entry's own time as its occurredAt; logs written before keep the single events,
/// which every reader still takes.
public struct NotificationReceipts: EventPayload, Equatable {
    public static let eventType = "NotificationReceipts"

    /// One delivery or acknowledgement.
    public struct Entry: Equatable, Sendable {
        public enum Kind: String, Sendable {
            case delivered, acknowledged
        }

        public var kind: Kind
        public var notificationID: String
        /// Delivered only: `zmq`, `outbox` or `webhook`.
        public var channel: String?
        /// Delivered only: which delivery this is. ZeroMQ: the notification's deliveries so far on any
        /// channel, plus one (2 is the first re-delivery for a ZeroMQ-only recipient); outbox: 1 (written
        /// once); webhook: the HTTP try that succeeded.
        public var attempt: Int?
        /// When the edge sent it or received the acknowledgement (ms since the epoch).
        public var at: Timestamp

        public static func delivered(_ id: String, channel: String, attempt: Int, at: Timestamp) -> Entry {
            Entry(kind: .delivered, notificationID: id, channel: channel, attempt: attempt, at: at)
        }

        public static func acknowledged(_ id: String, at: Timestamp) -> Entry {
            Entry(kind: .acknowledged, notificationID: id, channel: nil, attempt: nil, at: at)
        }
    }

    public var recipient: String
    public var entries: [Entry]

    public init(recipient: String, entries: [Entry]) {
        self.recipient = recipient
        self.entries = entries
    }

    public init(json r: inout JSONReader) throws {
        var s = NotificationReceipts(recipient: "", entries: [])
        try r.readObject { r, k in
            switch k {
            case "recipient": s.recipient = try r.readString()
            case "entries":
                try r.readArray { r in s.entries.append(try Entry(json: &r)) }
            default: try r.skipValue()
            }
        }
        try need(s.recipient, Self.eventType, "recipient")
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("recipient", recipient)
        w.key("entries")
        w.beginArray()
        for e in entries {
            w.beginObject()
            w.field("kind", e.kind.rawValue)
            w.field("notificationID", e.notificationID)
            w.field("channel", e.channel)
            w.field("attempt", e.attempt)
            w.field("at", Int(e.at))
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}

extension NotificationReceipts.Entry {
    init(json r: inout JSONReader) throws {
        var kind = "", id = "", channel: String?, attempt: Int?, at: Int?
        try r.readObject { r, k in
            switch k {
            case "kind": kind = try r.readString()
            case "notificationID": id = try r.readString()
            case "channel": channel = try r.readString()
            case "attempt": attempt = try r.readInt()
            case "at": at = try r.readInt()
            default: try r.skipValue()
            }
        }
        let type = NotificationReceipts.eventType
        guard let k = Kind(rawValue: kind) else {
            throw EventDecodingError.missingField(type: type, field: "entries[].kind")
        }
        try need(id, type, "entries[].notificationID")
        guard let at else { throw EventDecodingError.missingField(type: type, field: "entries[].at") }
        if k == .delivered { try need(channel ?? "", type, "entries[].channel") }
        self.init(kind: k, notificationID: id, channel: k == .delivered ? channel : nil,
                  attempt: k == .delivered ? (attempt ?? 1) : nil, at: Timestamp(at))
    }
}

/// One delivery or acknowledgement as a notifier log records it, in either form: an entry of a
/// `NotificationReceipts` event, or an older log's single `NotificationDelivered` /
/// `NotificationAcknowledged` event. For readers that count or show receipts (demo, investigation).
public struct LoggedReceipt: Equatable, Sendable {
    public var kind: NotificationReceipts.Entry.Kind
    public var notificationID: String
    public var recipient: String
    /// Delivered only.
    public var channel: String?
    /// When the edge sent it or received the acknowledgement.
    public var at: Timestamp

    /// The receipts `event` records, in order; empty for other types or a payload that does not decode.
    public static func all(in event: Event) -> [LoggedReceipt] {
        switch event.type {
        case NotificationReceipts.eventType:
            guard let p = try? event.decode(NotificationReceipts.self) else { return [] }
            return p.entries.map {
                LoggedReceipt(
                    kind: $0.kind, notificationID: $0.notificationID, recipient: p.recipient, channel: $0.channel,
                    at: $0.at)
            }
        case NotificationDelivered.eventType:
            guard let p = try? event.decode(NotificationDelivered.self) else { return [] }
            return [
                LoggedReceipt(
                    kind: .delivered, notificationID: p.notificationID, recipient: p.recipient, channel: p.channel,
                    at: event.occurredAt)
            ]
        case NotificationAcknowledged.eventType:
            guard let p = try? event.decode(NotificationAcknowledged.self) else { return [] }
            return [
                LoggedReceipt(
                    kind: .acknowledged, notificationID: p.notificationID, recipient: p.recipient, channel: nil,
                    at: event.occurredAt)
            ]
        default:
            return []
        }
    }

    /// Whether events of `type` record receipts.
    public static func isReceipt(_ type: String) -> Bool {
        type == NotificationReceipts.eventType || type == NotificationDelivered.eventType
            || type == NotificationAcknowledged.eventType
    }
}

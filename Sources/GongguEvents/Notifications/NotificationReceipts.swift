import GongguCore

/// Own input written by the edge: the deliveries and acknowledgements of one recipient that one group
/// commit takes, in the order the edge applied them. Subject: recipient id; region: empty.
///
/// One event per recipient per commit instead of one `NotificationDelivered` per send and one
/// `NotificationAcknowledged` per acknowledgement: those two rows per notification were most of the
/// notifier's log (docs/BENCHMARKS.md, "Notifier"). Each entry means exactly what the single event
/// meant, with the entry's own time as its occurredAt; logs written before keep the single events,
/// which every reader still takes.
public struct NotificationReceipts: TabledPayload, Equatable {
    public static let eventType = EventType.notificationReceipts.rawValue

    /// One delivery or acknowledgement.
    public struct Entry: Equatable, Sendable {
        public enum Kind: String, Sendable, EventEnum {
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

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(recipient: "", entries: []),
        [
            .nonEmpty("recipient", \.recipient),
            .defaulted("entries", \.entries, []),
        ])
}

extension NotificationReceipts.Entry: EventValue {
    /// An entry's keys. Errors name the field as `entries[].<key>`.
    static let fields = EventFields<Self>(
        NotificationReceipts.eventType,
        blank: .acknowledged("", at: 0),
        [
            .required("kind", \.kind),
            .nonEmpty("notificationID", \.notificationID),
            .optional("channel", \.channel),
            .optional("attempt", \.attempt),
            .required("at", \.at),
        ])

    /// Reads an entry by its table, then by its kind: a delivery needs a channel and counts as the first
    /// attempt when it names none; an acknowledgement has neither (any written are ignored).
    public static func read(_ r: inout JSONReader) throws -> Self {
        var e: Self
        do {
            e = try fields.read(&r)
        } catch let error as EventDecodingError {
            throw error.inEntries
        }
        switch e.kind {
        case .delivered:
            if (e.channel ?? "").isEmpty {
                throw EventDecodingError.missingField(type: NotificationReceipts.eventType, field: "entries[].channel")
            }
            if e.attempt == nil { e.attempt = 1 }
        case .acknowledged:
            e.channel = nil
            e.attempt = nil
        }
        return e
    }

    public func write(to w: inout JSONWriter) { Self.fields.write(self, to: &w) }
}

extension EventDecodingError {
    /// The same error naming its field as one of `entries[]`.
    fileprivate var inEntries: EventDecodingError {
        switch self {
        case let .missingField(type, field): return .missingField(type: type, field: "entries[].\(field)")
        case let .invalidValue(type, field): return .invalidValue(type: type, field: "entries[].\(field)")
        case .wrongType, .unsupportedVersion: return self
        }
    }
}

import GongguCore

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

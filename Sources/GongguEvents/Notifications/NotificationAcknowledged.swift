import GongguCore

/// Own input: a recipient confirmed it received a notification. `recipient` is the id the edge
/// authenticated (by CURVE key), not what the message claims. Subject: recipient id. Its occurredAt
/// is when the edge received it (used for response times).
public struct NotificationAcknowledged: TabledPayload, Equatable {
    public static let eventType = EventType.notificationAcknowledged.rawValue
    public var notificationID: String
    public var recipient: String

    public init(notificationID: String, recipient: String) {
        self.notificationID = notificationID
        self.recipient = recipient
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(notificationID: "", recipient: ""),
        [
            .nonEmpty("notificationID", \.notificationID),
            .nonEmpty("recipient", \.recipient),
        ])
}

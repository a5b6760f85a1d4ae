import GongguCore

/// Own input written by the edge when it has sent a notification on a channel. Subject: recipient id.
public struct NotificationDelivered: TabledPayload, Equatable {
    public static let eventType = EventType.notificationDelivered.rawValue
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

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(notificationID: "", recipient: "", channel: "", attempt: 0),
        [
            .nonEmpty("notificationID", \.notificationID),
            .nonEmpty("recipient", \.recipient),
            .defaulted("channel", \.channel, ""),
            .defaulted("attempt", \.attempt, 0),
        ])
}

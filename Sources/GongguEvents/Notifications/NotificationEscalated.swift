import GongguCore

/// A notification left unacknowledged past `escalation.afterDays`, escalated one level up (once).
/// Subject: household id; region: the notification's region.
public struct NotificationEscalated: TabledPayload, Equatable {
    public static let eventType = EventType.notificationEscalated.rawValue
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

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(notificationID: "", from: "", to: "", escalationID: "", since: "", date: "", daysOverdue: 0, afterDays: 0),
        [
            .nonEmpty("notificationID", \.notificationID),
            .defaulted("from", \.from, ""),
            .defaulted("to", \.to, ""),
            .defaulted("escalationID", \.escalationID, ""),
            .defaulted("since", \.since, ""),
            .defaulted("date", \.date, ""),
            .defaulted("daysOverdue", \.daysOverdue, 0),
            .defaulted("afterDays", \.afterDays, 0),
        ])
}

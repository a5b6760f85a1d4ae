import GongguCore

/// Pure queries on the notifier's state, for the edge (what to send) and for status and reports.
extension NotifyFold {
    /// Unacknowledged notifications of `recipient` in creation order: what to (re)send when it
    /// connects. Empty for a revoked or unknown recipient.
    public func pending(for recipient: String) -> [NotificationCreated] {
        guard let r = directory?.recipient(recipient), !r.revoked else { return [] }
        return open
            .compactMap { key, n in n.recipient == recipient ? (records[key]?.ordinal ?? 0, n) : nil }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }

    /// Unacknowledged notifications of `recipient` past `escalation.afterDays` on business day
    /// `day` (default: the last clock tick), oldest first.
    public func overdue(for recipient: String, asOf day: Int? = nil) -> [OverdueNotification] {
        let afterDays = directory?.escalationAfterDays ?? 7
        let asOf = Int32(day ?? Int(clockDay))
        return open.compactMap { key, n -> (Int, OverdueNotification)? in
            guard n.recipient == recipient, let r = records[key] else { return nil }
            let daysOpen = Int(asOf - r.sinceDay)
            guard daysOpen > afterDays else { return nil }
            return (r.ordinal, OverdueNotification(
                notification: n, since: BusinessCalendar.dateText(ofDay: Int(r.sinceDay)), daysOpen: daysOpen,
                daysOverdue: daysOpen - afterDays, escalated: r.escalated))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// How many unacknowledged notifications (all recipients) are past `escalation.afterDays` on
    /// the last clock tick: the overdue figure of `gonggu status`, one pass over the open ones.
    public var overdueCount: Int {
        let afterDays = directory?.escalationAfterDays ?? 7
        guard clockDay >= 0 else { return 0 }
        return open.keys.reduce(0) { n, id in
            guard let r = records[id] else { return n }
            return Int(clockDay - r.sinceDay) > afterDays ? n + 1 : n
        }
    }

    /// Counts and response times of one recipient.
    public func counts(recipient: String) -> NotifyCounts { byRecipient[recipient] ?? NotifyCounts() }

    /// Counts and response times over every notification whose region starts with `prefix` ("" for all).
    public func counts(regionPrefix prefix: String) -> NotifyCounts {
        byRegion.reduce(NotifyCounts()) { $1.key.hasPrefix(prefix) ? $0 + $1.value : $0 }
    }

    /// Counts of every recipient that received anything, by recipient id.
    public var countsByRecipient: [(recipient: String, counts: NotifyCounts)] {
        byRecipient.keys.sorted().map { ($0, byRecipient[$0]!) }
    }

    /// Where one notification stands, or nil if unknown.
    public func status(of notificationID: String) -> NotificationStatus? {
        guard let r = record(notificationID) else { return nil }
        return NotificationStatus(
            notificationID: notificationID, recipient: r.recipient, householdID: r.householdID, region: r.region,
            sourceType: r.sourceType, isEscalation: r.isEscalation,
            created: BusinessCalendar.dateText(ofDay: Int(r.createdDay)), deliveries: r.deliveries,
            acknowledged: r.acknowledgedDay.map { BusinessCalendar.dateText(ofDay: Int($0)) }, escalated: r.escalated)
    }

    /// The full payload of an unacknowledged notification (for re-delivery by id).
    public func openNotification(_ id: String) -> NotificationCreated? { NotificationKey(id).flatMap { open[$0] } }

    /// An unacknowledged notification about to be sent, and how many deliveries (on any channel) it had
    /// so far: the next delivery's `attempt` is one more. Counted by the fold, so it survives restarts.
    public func openNotificationForDelivery(_ id: String) -> (notification: NotificationCreated, deliveries: Int)? {
        guard let key = NotificationKey(id), let n = open[key] else { return nil }
        return (n, records[key]?.deliveries ?? 0)
    }

    /// Number of notifications ever created, and of those still unacknowledged.
    public var notificationCount: (total: Int, open: Int) { (records.count, open.count) }

    /// Business date of the last clock tick, nil before any.
    public var clockDate: String? { clockDay < 0 ? nil : BusinessCalendar.dateText(ofDay: Int(clockDay)) }
}

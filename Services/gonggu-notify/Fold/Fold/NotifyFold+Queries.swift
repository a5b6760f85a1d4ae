import GongguCore
import GongguEvents

/// Pure queries on the notifier's state, for the edge (what to send) and for status and reports.
extension NotifyFold {
    /// Unacknowledged notifications of `recipient` in creation order: what to (re)send when it
    /// connects. Empty for a revoked or unknown recipient.
    public func pending(for recipient: String) -> [NotificationCreated] {
        pendingRows(for: recipient).compactMap { table[$0].open?.notification }
    }

    /// Ids of the unacknowledged notifications of `recipient` in creation order (what `pending(for:)`
    /// lists), with the creation order that follows the last of them: a notification created later
    /// has an ordinal at least this.
    public func pendingIDs(for recipient: String) -> (ids: [NotificationKey], nextOrdinal: Int) {
        (pendingRows(for: recipient).map { table[$0].key }, nextOrdinal)
    }

    private func pendingRows(for recipient: String) -> [Int32] {
        guard let r = directory?.recipient(recipient), !r.revoked else { return [] }
        return table.openRows.filter { table[$0].recipient == recipient }.sorted()
    }

    /// Unacknowledged notifications of `recipient` past `escalation.afterDays` on business day
    /// `day` (default: the last clock tick), oldest first.
    public func overdue(for recipient: String, asOf day: Int? = nil) -> [OverdueNotification] {
        let afterDays = directory?.escalationAfterDays ?? 7
        let asOf = Int32(day ?? Int(clockDay))
        return table.openRows.sorted().compactMap { row -> OverdueNotification? in
            let r = table[row]
            guard r.recipient == recipient, let n = r.open?.notification else { return nil }
            let daysOpen = Int(asOf - r.createdDay)
            guard daysOpen > afterDays else { return nil }
            return OverdueNotification(
                notification: n, since: BusinessCalendar.dateText(ofDay: Int(r.createdDay)), daysOpen: daysOpen,
                daysOverdue: daysOpen - afterDays, escalated: r.escalated)
        }
    }

    /// How many unacknowledged notifications (all recipients) are past `escalation.afterDays` on
    /// the last clock tick: the overdue figure of `gonggu status`, one pass over the open ones.
    public var overdueCount: Int {
        let afterDays = directory?.escalationAfterDays ?? 7
        guard clockDay >= 0 else { return 0 }
        return table.openRows.reduce(0) { n, row in Int(clockDay - table[row].createdDay) > afterDays ? n + 1 : n }
    }

    /// Counts and response times of one recipient.
    public func counts(recipient: String) -> NotifyCounts { byRecipient[recipient] ?? NotifyCounts() }

    /// Counts and response times over every notification whose region starts with `prefix` ("" for all).
    public func counts(regionPrefix prefix: String) -> NotifyCounts {
        zip(byRegion.names, byRegion.counts).reduce(NotifyCounts()) { $1.0.hasPrefix(prefix) ? $0 + $1.1 : $0 }
    }

    /// Where one notification stands, or nil if unknown.
    public func status(of notificationID: String) -> NotificationStatus? {
        guard let r = record(notificationID) else { return nil }
        return NotificationStatus(
            notificationID: notificationID, recipient: r.recipient, householdID: r.householdID, region: r.region,
            sourceType: r.sourceType, isEscalation: r.isEscalation,
            created: BusinessCalendar.dateText(ofDay: Int(r.createdDay)), deliveries: r.deliveries,
            acknowledged: r.acknowledgedDay.map { BusinessCalendar.dateText(ofDay: Int($0)) }, escalated: r.escalated,
            withdrawn: r.withdrawnDay.map { BusinessCalendar.dateText(ofDay: Int($0)) }, result: r.result)
    }

    /// The notification a receipt names, for intake's check at import (`RECEIPT_CHECK`); nil if unknown.
    public func receiptTarget(_ notificationID: String) -> ReceiptTarget? {
        guard let r = record(notificationID) else { return nil }
        return ReceiptTarget(
            recipient: r.recipient, created: BusinessCalendar.dateText(ofDay: Int(r.createdDay)),
            outbox: directory?.channels(of: r.recipient).contains(.outbox) ?? false, closed: r.isClosed)
    }

    /// The full payload of an unacknowledged notification (for re-delivery by id).
    public func openNotification(_ id: String) -> NotificationCreated? {
        NotificationKey(id).flatMap { table.record($0)?.open?.notification }
    }

    /// An unacknowledged notification about to be sent, and how many deliveries (on any channel) it had
    /// so far: the next delivery's `attempt` is one more. Counted by the fold, so it survives restarts.
    public func openNotificationForDelivery(_ key: NotificationKey) -> (notification: OpenNotification, deliveries: Int)? {
        guard let row = table.row(of: key), let n = table[row].open else { return nil }
        return (n, table[row].deliveries)
    }

    /// Creation order of the notification `key` (0 for the first ever), nil if unknown.
    public func ordinal(of key: NotificationKey) -> Int? { table.row(of: key).map(Int.init) }

    /// Number of notifications ever created, and of those still unacknowledged.
    public var notificationCount: (total: Int, open: Int) { (table.count, table.openRows.count) }

    /// Business date of the last clock tick, nil before any.
    public var clockDate: String? { clockDay < 0 ? nil : BusinessCalendar.dateText(ofDay: Int(clockDay)) }
}

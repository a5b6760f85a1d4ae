import GongguCore

/// Open notifications by the administrative level of their recipient, for monitoring (the
/// notifier's `gonggu_notify_notifications_*` metrics, docs/MONITORING.md).
public struct LevelCounts: Equatable, Sendable {
    /// Unacknowledged notifications.
    public var pending = 0
    /// Of those, past `escalation.afterDays` on the last clock tick.
    public var overdue = 0
    /// Of those, already escalated to the next level up (and still unacknowledged).
    public var escalated = 0

    public init(pending: Int = 0, overdue: Int = 0, escalated: Int = 0) {
        self.pending = pending
        self.overdue = overdue
        self.escalated = escalated
    }
}

extension NotifyFold {
    /// Pending, overdue and escalated open notifications per recipient level (every level present,
    /// zero when none). A recipient the directory no longer lists is counted under no level.
    public var countsByLevel: [RecipientLevel: LevelCounts] { openCounts.byLevel }

    /// `countsByLevel` and the overdue count over every open notification (`overdueCount`), in one pass
    /// over the open notifications (the notifier's status refresh, once a second).
    public var openCounts: (byLevel: [RecipientLevel: LevelCounts], overdue: Int) {
        var out: [RecipientLevel: LevelCounts] = [:]
        for level in RecipientLevel.allCases { out[level] = LevelCounts() }
        var overdue = 0
        let afterDays = directory?.escalationAfterDays ?? 7
        for row in table.openRows {
            let r = table[row]
            let isOverdue = clockDay >= 0 && Int(clockDay - r.createdDay) > afterDays
            if isOverdue { overdue += 1 }
            guard let level = directory?.recipient(r.recipient)?.level else { continue }
            out[level]!.pending += 1
            if isOverdue { out[level]!.overdue += 1 }
            if r.escalated { out[level]!.escalated += 1 }
        }
        return (out, overdue)
    }
}

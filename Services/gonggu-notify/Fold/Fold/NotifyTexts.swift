import GongguCore
import GongguEvents

/// Chinese texts the notifier writes itself (the upstream services write the texts of their
/// decisions and findings).
enum NotifyTexts {
    /// Title when an upstream payload carries none.
    static func fallbackTitle(type: String, household: String) -> String {
        "\(NotifyEventTypes.label(type))：户编号\(household)"
    }

    /// Title of an escalation for the recipient one level up.
    static func escalationTitle(fromName: String, original: NotificationCreated) -> String {
        "【督办】\(fromName)逾期未确认：\(original.title)"
    }

    /// Summary of an escalation: who did not confirm what since when, then the original text.
    static func escalationSummary(
        from: Recipient?, fromID: String, original: NotificationCreated, since: String, afterDays: Int,
        daysOverdue: Int
    ) -> String {
        let who = from.map { "\($0.name)（\($0.id)）" } ?? fromID
        return "\(who)自\(since)起未确认\(NotifyEventTypes.label(original.sourceType))通知“\(original.title)”"
            + "（通知编号\(original.notificationID)，户编号\(original.householdID)，区划代码\(original.region)），"
            + "已超过\(afterDays)天确认期限\(daysOverdue)天，请督促其尽快确认并办理。原通知内容：\(original.summary)"
    }
}

import GongguCore
import GongguEvents
import GongguNotify
import GongguRisk

/// What the report needs from the notifier's log: risk feedback routed to the bureaus in the year,
/// their first acknowledgement and the first decision answering them (whenever recorded before the
/// cut-off: a response is part of the year it answers).
struct FeedbackTally: Sendable {
    static let types = [
        NotificationCreated.eventType, NotificationReceipts.eventType, NotificationAcknowledged.eventType,
        DecisionForwarded.eventType,
    ]

    struct Sent: Sendable {
        var householdID: String
        var region: String
        var day: Int
        var event: EventID
    }

    struct Response: Sendable {
        var day: Int
        var stamp: Stamp
        var event: EventID
    }

    var sent: [String: Sent] = [:]
    var acknowledged: [String: Response] = [:]
    var answered: [String: Response] = [:]

    mutating func apply(_ e: Event, _ period: ReportPeriod) -> Bool {
        switch e.type {
        case NotificationCreated.eventType:
            guard let p = try? e.decode(NotificationCreated.self), p.kind == NotificationCreated.routed,
                p.sourceType == RiskFeedback.eventType, let day = BusinessCalendar.dayNumber(p.created),
                day >= period.firstDay, day <= period.lastDay, sent[p.notificationID] == nil
            else { return false }
            sent[p.notificationID] = Sent(householdID: p.householdID, region: p.region, day: day, event: e.id)
        case NotificationReceipts.eventType, NotificationAcknowledged.eventType:
            let receipts = LoggedReceipt.all(in: e)
            guard !receipts.isEmpty else { return false }
            for r in receipts where r.kind == .acknowledged {
                // Each receipt at its own time; the event's seq orders those of the same time.
                let response = Response(
                    day: BusinessCalendar.day(of: r.at), stamp: Stamp(time: r.at, seq: e.seq), event: e.id)
                Self.keep(&acknowledged, r.notificationID, response)
            }
        case DecisionForwarded.eventType:
            guard let p = try? e.decode(DecisionForwarded.self), let id = p.notificationID,
                let day = BusinessCalendar.dayNumber(p.recorded.date)
            else { return false }
            // A decision also acknowledges the notification it answers (as the notifier counts it).
            let r = Response(day: day, stamp: Stamp(e), event: e.id)
            Self.keep(&answered, id, r)
            let received = BusinessCalendar.day(of: e.occurredAt)
            Self.keep(&acknowledged, id, Response(day: received, stamp: Stamp(e), event: e.id))
        default:
            return false
        }
        return true
    }

    /// Keeps the earliest response by (day, business time, seq).
    static func keep(_ map: inout [String: Response], _ key: String, _ r: Response) {
        if let old = map[key], (old.day, old.stamp) <= (r.day, r.stamp) { return }
        map[key] = r
    }
}

import GongguCore
import GongguEvents

extension NotifyFold {
    /// Moves the clock to `day` and escalates, once each, the notifications left unacknowledged more
    /// than `escalation.afterDays` days after their `created` day (created on D with 3 days: escalated
    /// on the first tick from D + 4): an `NotificationEscalated` and a new notification for the
    /// recipient one level up (county → city → province). The escalation is itself a notification
    /// (created on the sweep's day), so if the city leaves it unacknowledged too, it escalates to the
    /// province in turn. Acknowledging any notification of the chain closes the escalations after it.
    mutating func onTick(_ tickDay: Int32, _ out: inout NotifyEmitter) {
        // A tick older than the clock changes nothing: the clock never goes back.
        clockDay = max(clockDay, tickDay)
        let day = clockDay
        out.occurredAt = BusinessCalendar.timestamp(ofDay: Int(day))
        // One sweep per business day suffices (ticks may come more often): acknowledgements only remove,
        // and what is created later the same day is rarely due yet — a notification created already
        // overdue allows another sweep (`onUpstream`). A new directory may change the deadline or the
        // chain, so it allows another sweep too.
        guard let directory, day > sweptDay else { return }
        sweptDay = day
        let afterDays = directory.escalationAfterDays
        // In creation order (rows).
        let due = table.openRows.filter { row in
            !table[row].escalated && Int(day - table[row].createdDay) > afterDays
        }.sorted()
        let date = BusinessCalendar.dateText(ofDay: Int(day))
        for row in due {
            let record = table[row]
            let id = record.key.description
            guard let target = directory.escalationTarget(of: record.recipient), let original = record.open?.notification
            else {
                anomalies.unescalatable += 1
                // Mark it so the same dead end is not counted again on every tick.
                table[row].escalated = true
                continue
            }
            let daysOverdue = Int(day - record.createdDay) - afterDays
            let since = BusinessCalendar.dateText(ofDay: Int(record.createdDay))
            let escalationKey = NotificationKey(EventID.derived("escalation|\(id)|\(target.id)"))
            let escalationID = escalationKey.description
            let escalated = NotificationEscalated(
                notificationID: id, from: record.recipient, to: target.id, escalationID: escalationID, since: since,
                date: date, daysOverdue: daysOverdue, afterDays: afterDays)
            let escalatedEventID = EventID.derived(from: out.cause.id, "NotificationEscalated|\(id)")
            out.emit(
                escalated, label: "NotificationEscalated|\(id)", subject: record.householdID, region: record.region)
            table[row].escalated = true
            table[row].escalation = escalationKey
            count(row: row) { $0.escalated += 1 }

            let payload = NotificationCreated(
                notificationID: escalationID, recipient: target.id, kind: NotificationCreated.escalation,
                sourceEventID: escalatedEventID.description, sourceType: NotificationEscalated.eventType,
                region: record.region, householdID: record.householdID,
                title: NotifyTexts.escalationTitle(
                    fromName: directory.recipient(record.recipient)?.name ?? record.recipient, original: original),
                summary: NotifyTexts.escalationSummary(
                    from: directory.recipient(record.recipient), fromID: record.recipient, original: original,
                    since: since, afterDays: afterDays, daysOverdue: daysOverdue),
                created: date, escalationOf: id, findingID: original.findingID, sourcePayload: original.jsonText)
            guard table.row(of: escalationKey) == nil else { continue }
            let escalation = NotificationRecord(
                key: escalationKey, recipient: target.id, isEscalation: true,
                sourceEventID: escalatedEventID.description, sourceType: NotificationEscalated.eventType,
                region: record.region, householdID: record.householdID, createdDay: day,
                replyTarget: record.replyTarget, open: OpenNotification(payload))
            add(escalation)
            out.emit(payload.logged, label: "NotificationCreated|\(escalationID)", subject: record.householdID,
                     region: record.region)
        }
    }
}

extension EventPayload {
    /// The payload as compact JSON text.
    var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}

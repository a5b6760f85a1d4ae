import GongguCore

extension NotifyFold {
    /// Moves the clock to `day` and escalates, once each, the notifications left unacknowledged more
    /// than `escalation.afterDays` days: an `NotificationEscalated` and a new notification for the
    /// recipient one level up (county → city → province). The escalation is itself a notification, so
    /// if the city leaves it unacknowledged too, it escalates to the province in turn.
    mutating func onTick(_ tickDay: Int32, _ out: inout NotifyEmitter) {
        // A tick older than the clock changes nothing: the clock never goes back.
        clockDay = max(clockDay, tickDay)
        let day = clockDay
        out.occurredAt = BusinessCalendar.timestamp(ofDay: Int(day))
        // One sweep per business day suffices (ticks may come more often): what is created later the
        // same day is awaited from that day on, and acknowledgements only remove. A new directory may
        // change the deadline or the chain, so it allows another sweep.
        guard let directory, day > sweptDay else { return }
        sweptDay = day
        let afterDays = directory.escalationAfterDays
        let due = open.keys.compactMap { key -> (NotificationKey, NotificationRecord)? in
            guard let r = records[key], !r.escalated, Int(day - r.sinceDay) > afterDays else { return nil }
            return (key, r)
        }.sorted { $0.1.ordinal < $1.1.ordinal }
        let date = BusinessCalendar.dateText(ofDay: Int(day))
        for (key, record) in due {
            let id = key.description
            guard let target = directory.escalationTarget(of: record.recipient), let original = open[key] else {
                anomalies.unescalatable += 1
                // Mark it so the same dead end is not counted again on every tick.
                records[key]?.escalated = true
                continue
            }
            let daysOverdue = Int(day - record.sinceDay) - afterDays
            let since = BusinessCalendar.dateText(ofDay: Int(record.sinceDay))
            let escalationKey = NotificationKey(EventID.derived("escalation|\(id)|\(target.id)"))
            let escalationID = escalationKey.description
            let escalated = NotificationEscalated(
                notificationID: id, from: record.recipient, to: target.id, escalationID: escalationID, since: since,
                date: date, daysOverdue: daysOverdue, afterDays: afterDays)
            let escalatedEventID = EventID.derived(from: out.cause.id, "NotificationEscalated|\(id)")
            out.emit(
                escalated, label: "NotificationEscalated|\(id)", subject: record.householdID, region: record.region)
            records[key]?.escalated = true
            count(record) { $0.escalated += 1 }

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
            guard records[escalationKey] == nil else { continue }
            let escalation = NotificationRecord(
                recipient: target.id, isEscalation: true, sourceEventID: escalatedEventID.description,
                sourceType: NotificationEscalated.eventType,
                region: record.region, householdID: record.householdID, createdDay: day, sinceDay: day,
                ordinal: nextOrdinal, replyTarget: record.replyTarget)
            add(payload, escalation, key: escalationKey)
            out.emit(payload.logged, label: "NotificationCreated|\(escalationID)", subject: record.householdID,
                     region: record.region)
        }
    }
}

extension EventPayload {
    /// The payload as compact JSON text.
    var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}

import GongguCore

extension NotificationRecord {
    /// How `writeSharedFields` writes a value the record does not have.
    enum AbsentForm {
        /// -1 for a number, "" for the escalation (the state digest).
        case placeholder
        /// null (the snapshot).
        case null
    }

    /// The fields the state digest and the snapshot both write for a record, in their order: id,
    /// recipient, escalation flag, source, region, household, created day, deliveries, first delivery,
    /// acknowledgement day, escalated flag, escalation, withdrawal day, reply target. Each writer adds
    /// its own after them.
    func writeSharedFields(to w: inout JSONWriter, absent: AbsentForm) {
        func number(_ v: Int?) {
            if let v { w.int(v) } else if absent == .null { w.null() } else { w.int(-1) }
        }
        w.string(key.description)
        w.string(recipient)
        w.bool(isEscalation)
        w.string(sourceEventID)
        w.string(sourceType)
        w.string(region)
        w.string(householdID)
        w.int(Int(createdDay))
        w.int(deliveries)
        number(firstDeliveredAt.map { Int($0) })
        number(acknowledgedDay.map { Int($0) })
        w.bool(escalated)
        if let e = escalation { w.string(e.description) } else if absent == .null { w.null() } else { w.string("") }
        number(withdrawnDay.map { Int($0) })
        w.string(replyTarget)
    }
}

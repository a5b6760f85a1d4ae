import GongguCore
import GongguEvents

/// A bureau decision that passed validation: what it answers and where the household lies.
public struct DecisionCheck: Equatable, Sendable {
    /// The notification answered, if `inReplyTo` resolved to one.
    public var notificationID: String?
    /// Region code of the household.
    public var region: String
    /// What `BureauDecisionRecorded.inReplyTo` carries: the recommendation or source event answered.
    public var inReplyTo: String?
}

extension NotifyFold {
    /// Checks a bureau decision against the state: the sender is a non-revoked bureau, the date is
    /// real, the household is known and lies in the bureau's jurisdiction, `inReplyTo` (if given)
    /// names a notification or source event about the same household, and the same decision was not
    /// forwarded before. Pure: the edge may call it to answer the bureau before logging.
    public func validate(decision p: BureauDecisionSubmitted) throws -> DecisionCheck {
        guard let bureau = directory?.recipient(p.recipient), !bureau.revoked, bureau.kind == .bureau else {
            throw DecisionRefusal(.notBureau, "发送方不是已登记的乡村振兴局，决定未受理")
        }
        guard BusinessCalendar.dayNumber(p.date) != nil else {
            throw DecisionRefusal(.invalidDate, "决定日期“\(p.date)”无效，应为YYYY-MM-DD格式的实际日期")
        }
        // Household ids are not resident IDs, but mask any long digit run in case a source used one.
        let masked = PersonalDataMask.maskText(p.householdID)
        var notificationID: String?
        var replyTarget: String?
        if let reply = p.inReplyTo {
            guard let id = resolve(reply: reply, for: p.recipient), let record = record(id) else {
                throw DecisionRefusal(.unknownReply, "未找到所答复的通知或事件（\(reply)）")
            }
            guard record.householdID == p.householdID else {
                throw DecisionRefusal(.replyMismatch, "所答复的通知涉及其他户，与户编号\(masked)不符")
            }
            notificationID = id
            replyTarget = record.replyTarget
        }
        guard let region = householdRegions[p.householdID] else {
            throw DecisionRefusal(.unknownHousehold, "户编号\(masked)未收到过本系统的通知，无法确认其所属区划")
        }
        guard region.hasPrefix(bureau.region) else {
            throw DecisionRefusal(.outsideJurisdiction, "户编号\(masked)不属于\(bureau.name)的辖区，决定未受理")
        }
        guard !decisionKeys.contains(Self.decisionKey(p)) else {
            throw DecisionRefusal(.duplicate, "该决定已于此前受理，无需重复提交")
        }
        return DecisionCheck(notificationID: notificationID, region: region, inReplyTo: replyTarget)
    }

    /// What makes two submissions the same decision (docs/PROTOCOL.md §1.4): the same bureau, household,
    /// decision type, measure and date. What it answers (`inReplyTo`, or none), the note and the
    /// household type do not count: a decision re-sent in another form is still the one decision.
    static func decisionKey(_ p: BureauDecisionSubmitted) -> String {
        // A measure is never empty on the wire, so "" stands for "no measure" without ambiguity.
        [p.recipient, p.householdID, p.decision.rawValue, p.measure ?? "", p.date].joined(separator: "\u{1f}")
    }

    /// The notification `reply` names: a notification id; or a source event id or recommendation id,
    /// preferring the sender's own notification about that source.
    func resolve(reply: String, for recipient: String) -> String? {
        if record(reply) != nil { return reply }
        guard let first = replyIndex[reply], let firstRecord = table.record(first) else { return nil }
        if let source = EventID(firstRecord.sourceEventID) {
            let own = NotificationKey(EventID.derived(from: source, "notification|\(recipient)"))
            if table.row(of: own) != nil { return own.description }
        }
        return first.description
    }

    /// Forwards a valid decision as a ready `BureauDecisionRecorded` for intake (answering a
    /// notification also acknowledges it), or records the refusal.
    mutating func onDecision(_ p: BureauDecisionSubmitted, _ e: Event, _ out: inout NotifyEmitter) {
        let check: DecisionCheck
        do {
            check = try validate(decision: p)
        } catch {
            let refusal = error as? DecisionRefusal ?? DecisionRefusal(.notBureau, "决定未受理")
            anomalies.refusedDecisions += 1
            let region = householdRegions[p.householdID] ?? directory?.recipient(p.recipient)?.region ?? ""
            out.emit(
                DecisionRefused(
                    submissionID: e.id.description, recipient: p.recipient, householdID: p.householdID,
                    code: refusal.code.rawValue, message: refusal.message),
                label: EventType.decisionRefused.rawValue, subject: p.householdID, region: region)
            return
        }
        decisionKeys.insert(Self.decisionKey(p))
        if let id = check.notificationID { onAcknowledged(id, by: p.recipient, at: e.occurredAt, explicit: false) }
        let recorded = BureauDecisionRecorded(
            householdID: p.householdID, decision: p.decision, date: p.date, bureau: p.recipient,
            householdType: p.householdType, measure: p.measure, inReplyTo: check.inReplyTo ?? p.inReplyTo,
            source: SourceRef(file: "gonggu-notify/\(p.recipient)/\(e.id)", line: 0))
        out.emit(
            DecisionForwarded(
                submissionID: e.id.description, notificationID: check.notificationID, region: check.region,
                recorded: recorded),
            label: EventType.decisionForwarded.rawValue, subject: p.householdID, region: check.region)
    }
}

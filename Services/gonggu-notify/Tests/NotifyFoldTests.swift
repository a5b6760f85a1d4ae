import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

final class NotifyFoldTests: XCTestCase {
    /// Two counties' bureaus each get only their own household; the city office gets both counties'
    /// findings; a revoked recipient gets nothing from the activation on.
    func testRoutingPerJurisdiction() {
        var s = Script()
        var recipients = standardRecipients.filter { $0.level != "province" }.map { r -> TestRecipient in
            var r = r
            if r.level == "city" { r.escalateTo = nil }
            return r
        }
        s.directory(directoryDocument(recipients))
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        s.upstream("RiskFeedback", household: "H-B", region: "220182100200", day: day0)
        s.upstream("EntitlementGap", household: "H-A", region: "220102001001", day: day0)
        s.upstream("AssistanceDiscontinued", household: "H-B", region: "220182100200", day: day0)
        // Revoke the 220182 bureau: its next feedback goes to the city bureau only.
        recipients[recipients.firstIndex { $0.id == "220182-bureau" }!].revoked = true
        s.directory(directoryDocument(recipients), day: day0 + 1)
        s.upstream("RiskFeedback", household: "H-C", region: "220182100201", day: day0 + 1)
        let (fold, outputs) = runFold(s.events)

        let byRecipient = Dictionary(grouping: created(outputs), by: \.recipient).mapValues { $0.map(\.householdID) }
        let expected: [String: [String]] = [
            "220102-bureau": ["H-A"], "220182-bureau": ["H-B"], "2201-bureau": ["H-A", "H-B", "H-C"],
            "220102-office": ["H-A"], "220182-office": ["H-B"], "2201-office": ["H-A", "H-B"],
        ]
        XCTAssertEqual(byRecipient, expected)
        XCTAssertTrue(created(outputs).allSatisfy { n in
            n.region.hasPrefix(String(n.recipient.prefix { $0 != "-" }))
        })
        XCTAssertEqual(fold.pending(for: "220182-bureau"), [], "revoked: nothing pending to send")
        XCTAssertEqual(fold.pending(for: "220102-bureau").map(\.householdID), ["H-A"])
        XCTAssertEqual(fold.anomalies.unrouted, 0)
    }

    /// What a recipient gets carries the source payload; the logged event names the source instead
    /// (the fold rebuilds the rest from the upstream event).
    func testNotificationIsSelfContainedAndEnvelopeFollowsTheSource() throws {
        var s = Script()
        s.directory()
        let source = s.upstream(
            "RiskFeedback", household: "H-A", region: "220102001001", day: day0, title: "风险反馈：张某户",
            summary: "户主张某，身份证220102********123X，收入低于监测线。")
        let (fold, outputs) = runFold(s.events)
        let out = try XCTUnwrap(
            outputs.first { $0.type == NotificationCreated.eventType && $0.payloadText.contains("220102-bureau") })
        let logged = try out.decode(NotificationCreated.self)
        XCTAssertFalse(out.payloadText.contains("sourcePayload"), "the log names the source, it does not repeat it")
        XCTAssertEqual(logged.sourcePayload, "{}")
        let n = try XCTUnwrap(fold.openNotification(logged.notificationID))
        var readBack = logged
        readBack.sourcePayload = ""
        XCTAssertEqual(readBack, n.logged, "the logged form is the open notification without the source")
        let wire = try JSONValue.parse(RecipientMessage.notification(n).encoded())
        XCTAssertEqual(wire["source"], try JSONValue.parse(source.payload))
        XCTAssertEqual(n.notificationID, EventID.derived(from: source.id, "notification|220102-bureau").description)
        XCTAssertEqual(n.sourceEventID, source.id.description)
        XCTAssertEqual(n.sourceType, "RiskFeedback")
        XCTAssertEqual(n.title, "风险反馈：张某户")
        XCTAssertEqual(n.created, "2025-03-01")
        XCTAssertEqual(n.sourcePayload, source.payloadText)
        XCTAssertNil(n.findingID, "a risk feedback names no finding (read with its own type)")
        XCTAssertEqual(n.kind, NotificationCreated.routed)
        XCTAssertEqual(out.subject, "H-A")
        XCTAssertEqual(out.region, "220102001001")
        XCTAssertEqual(out.causation, source.id)
        XCTAssertEqual(out.occurredAt, source.occurredAt)
    }

    func testANotificationOfAFindingCarriesTheFindingID() throws {
        var s = Script()
        s.directory()
        s.upstream("EntitlementGap", household: "H-A", region: "220102001001", day: day0)
        let (fold, outputs) = runFold(s.events)
        let out = try XCTUnwrap(outputs.first { $0.type == NotificationCreated.eventType })
        let n = try XCTUnwrap(fold.openNotification(try out.decode(NotificationCreated.self).notificationID))
        XCTAssertEqual(n.findingID, "gap|H-A|nursing")
    }

    func testNothingRoutesBeforeADirectoryOrWithAnInvalidOne() {
        var s = Script()
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        s.directory("{\"version\":\"broken\"}")
        s.upstream("RiskFeedback", household: "H-B", region: "220102001001", day: day0)
        let (fold, outputs) = runFold(s.events)
        XCTAssertTrue(outputs.isEmpty)
        XCTAssertEqual(fold.anomalies.unrouted, 2)
        XCTAssertEqual(fold.anomalies.invalidDirectories, 1)
    }

    func testTheSameSourceTwiceNotifiesOnce() {
        var s = Script()
        s.directory()
        let e = s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        var fold = NotifyFold()
        var outputs: [Event] = []
        for e in s.events { outputs += fold.apply(e) }
        XCTAssertEqual(fold.apply(e), [])
        XCTAssertEqual(created(outputs).count, 3)
        XCTAssertEqual(fold.anomalies.duplicateNotifications, 3)
    }

    /// Table: after deliveries and acknowledgements, which notifications are pending.
    func testPendingAfterDeliveriesAndAcknowledgements() {
        struct Case {
            let name: String
            let delivered: [Int]
            let acknowledged: [Int]
            let pending: [Int]
        }
        let cases = [
            Case(name: "fresh", delivered: [], acknowledged: [], pending: [0, 1, 2]),
            Case(name: "delivered, unacked", delivered: [0, 1, 2], acknowledged: [], pending: [0, 1, 2]),
            Case(name: "middle acked", delivered: [0, 1, 2], acknowledged: [1], pending: [0, 2]),
            Case(name: "acked without delivery record", delivered: [], acknowledged: [0], pending: [1, 2]),
            Case(name: "all acked", delivered: [0, 1], acknowledged: [2, 0, 1], pending: []),
        ]
        for c in cases {
            var s = Script()
            s.directory()
            for (i, h) in ["H-1", "H-2", "H-3"].enumerated() {
                s.upstream("RiskFeedback", household: h, region: "220102001001", day: day0 + i)
            }
            let ids = created(runFold(s.events).outputs)
                .filter { $0.recipient == "220102-bureau" }.map(\.notificationID)
            for i in c.delivered { s.delivered(ids[i], to: "220102-bureau", day: day0 + 3) }
            for i in c.acknowledged { s.acknowledged(ids[i], by: "220102-bureau", day: day0 + 4) }
            let fold = runFold(s.events).fold
            XCTAssertEqual(fold.pending(for: "220102-bureau").map(\.notificationID), c.pending.map { ids[$0] }, c.name)
            let counts = fold.counts(recipient: "220102-bureau")
            XCTAssertEqual(counts.created, 3, c.name)
            XCTAssertEqual(counts.delivered, c.delivered.count, c.name)
            XCTAssertEqual(counts.acknowledged, c.acknowledged.count, c.name)
        }
    }

    /// Acknowledgements that must change nothing, each counted under its reason.
    func testWrongDuplicateAndUnknownAcknowledgementsAreIgnored() {
        var s = Script()
        s.directory()
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let id = created(runFold(s.events).outputs).first { $0.recipient == "220102-bureau" }!.notificationID
        s.acknowledged(id, by: "220182-bureau", day: day0 + 1)
        s.acknowledged("0123456789abcdef0123456789abcdef", by: "220102-bureau", day: day0 + 1)
        s.delivered(id, to: "220182-bureau", day: day0 + 1)
        var fold = runFold(s.events).fold
        XCTAssertEqual(fold.pending(for: "220102-bureau").map(\.notificationID), [id])
        XCTAssertEqual(fold.anomalies.foreignAcknowledgements, 1)
        XCTAssertEqual(fold.anomalies.unknownAcknowledgements, 1)
        XCTAssertEqual(fold.anomalies.strayDeliveries, 1)

        var s2 = Script()
        let ack = s2.acknowledged(id, by: "220102-bureau", day: day0 + 2)
        _ = fold.apply(ack)
        let digest = fold.stateDigest()
        let again = s2.acknowledged(id, by: "220102-bureau", day: day0 + 3)
        XCTAssertEqual(fold.apply(again), [])
        XCTAssertEqual(fold.anomalies.duplicateAcknowledgements, 1)
        var withoutCounter = fold
        withoutCounter.anomalies.duplicateAcknowledgements = 0
        XCTAssertEqual(withoutCounter.stateDigest(), digest, "a duplicate acknowledgement changes nothing else")
        XCTAssertEqual(fold.counts(recipient: "220102-bureau").acknowledged, 1)
        XCTAssertEqual(fold.counts(recipient: "220102-bureau").ackDaysTotal, 2)
    }

    /// Escalation after exactly `afterDays`, once per level: county → city → province, then nothing.
    func testEscalationOncePerLevel() throws {
        var s = Script()
        s.directory(directoryDocument(afterDays: 3))
        s.tick(day0)
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let ids = created(runFold(s.events).outputs)
        let county = ids.first { $0.recipient == "220102-bureau" }!.notificationID
        // City and province bureaus acknowledge their direct copies; only the county's stays open.
        for n in ids where n.recipient != "220102-bureau" {
            s.acknowledged(n.notificationID, by: n.recipient, day: day0)
        }
        var escalationsByDay: [Int: [String]] = [:]
        var fold = runFold(s.events).fold
        for d in 1...12 {
            var t = Script()
            let outputs = fold.apply(t.tick(day0 + d))
            let e = escalations(outputs)
            if !e.isEmpty { escalationsByDay[d] = e.map { "\($0.from)→\($0.to)" } }
            for n in created(outputs) {
                XCTAssertEqual(n.kind, NotificationCreated.escalation)
                XCTAssertTrue(n.summary.contains("测试单位"), "names who did not confirm")
                XCTAssertTrue(n.summary.contains("2025-03-0"), "says since when")
            }
        }
        XCTAssertEqual(escalationsByDay, [4: ["220102-bureau→2201-bureau"], 8: ["2201-bureau→22-bureau"]])
        let overdue = fold.overdue(for: "220102-bureau")
        XCTAssertEqual(overdue.map(\.notification.notificationID), [county])
        XCTAssertEqual(overdue.first?.daysOverdue, 9)
        XCTAssertEqual(overdue.first?.escalated, true)
        XCTAssertEqual(fold.counts(recipient: "220102-bureau").escalated, 1)
        XCTAssertEqual(fold.counts(recipient: "2201-bureau").escalated, 1)
        XCTAssertEqual(fold.pending(for: "22-bureau").map(\.kind), [NotificationCreated.escalation])
    }

    /// Ticks more often than daily, or late, change nothing; a new directory with a shorter deadline
    /// takes effect the same day.
    func testRepeatedAndLateTicksAndADeadlineChange() {
        var s = Script()
        s.directory(directoryDocument(afterDays: 5))
        s.upstream("EntitlementGap", household: "H-A", region: "220182100200", day: day0)
        s.tick(day0 + 3)
        s.tick(day0 + 3)
        s.tick(day0 + 1)
        var fold = runFold(s.events).fold
        var t = Script()
        XCTAssertEqual(fold.apply(t.tick(day0 + 3)), [])
        XCTAssertEqual(fold.clockDate, "2025-03-04")
        let shorter = fold.apply(t.directory(directoryDocument(afterDays: 2), day: day0 + 3))
        XCTAssertEqual(shorter, [])
        let outputs = fold.apply(t.tick(day0 + 3))
        // The county office escalates to the city office; the city office has no escalation recipient.
        XCTAssertEqual(escalations(outputs).map(\.from), ["220182-office"])
        XCTAssertEqual(escalations(outputs).first?.daysOverdue, 1)
        XCTAssertEqual(fold.anomalies.unescalatable, 1)
        XCTAssertEqual(fold.apply(t.tick(day0 + 3)), [])
        XCTAssertTrue(escalations(fold.apply(t.tick(day0 + 4))).isEmpty)
    }

    func testAcknowledgedInTimeNeverEscalates() {
        var s = Script()
        s.directory(directoryDocument(afterDays: 3))
        s.upstream("EntitlementGap", household: "H-A", region: "220182100200", day: day0)
        for n in created(runFold(s.events).outputs) { s.acknowledged(n.notificationID, by: n.recipient, day: day0 + 3) }
        for d in 1...10 { s.tick(day0 + d) }
        let (fold, outputs) = runFold(s.events)
        XCTAssertTrue(escalations(outputs).isEmpty)
        XCTAssertEqual(fold.counts(regionPrefix: "2201").acknowledged, 2)
        XCTAssertEqual(fold.counts(regionPrefix: "2201").meanAckDays, 3)
    }

    func testResponseTimesFromEventTimes() {
        var s = Script()
        s.directory()
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let id = created(runFold(s.events).outputs).first { $0.recipient == "220102-bureau" }!.notificationID
        s.delivered(id, to: "220102-bureau", day: day0)           // 10:00
        s.delivered(id, to: "220102-bureau", day: day0 + 1, attempt: 2)
        s.acknowledged(id, by: "220102-bureau", day: day0 + 1, hour: 12)
        let c = runFold(s.events).fold.counts(recipient: "220102-bureau")
        XCTAssertEqual(c.delivered, 1)
        XCTAssertEqual(c.ackDaysTotal, 1)
        XCTAssertEqual(c.ackMillisTotal, 26 * 3_600_000)
        XCTAssertEqual(c.meanAckMillis, 26 * 3_600_000)
        XCTAssertEqual(runFold(s.events).fold.status(of: id)?.deliveries, 2)
    }

    /// Table: bureau decisions, forwarded or refused with a stable code.
    func testDecisionValidation() throws {
        var s = Script()
        s.directory()
        let feedback = s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let feedbackB = s.upstream("RiskFeedback", household: "H-B", region: "220182100200", day: day0)
        let notes = created(runFold(s.events).outputs)
        let idA = notes.first { $0.recipient == "220102-bureau" }!.notificationID
        let idB = notes.first { $0.recipient == "220182-bureau" }!.notificationID
        func d(
            _ by: String, _ household: String, reply: String? = nil, date: String = "2025-03-05"
        ) -> BureauDecisionSubmitted {
            BureauDecisionSubmitted(
                recipient: by, inReplyTo: reply, decision: .inclusionConfirmed, date: date, householdID: household,
                householdType: .monitoredUnstable, measure: "低保")
        }
        let cases: [(String, BureauDecisionSubmitted, String?)] = [
            ("own county, by notification", d("220102-bureau", "H-A", reply: idA), nil),
            ("resent", d("220102-bureau", "H-A", reply: idA), "duplicate"),
            ("source event of another household", d("220182-bureau", "H-B", reply: feedback.id.description),
             "reply_mismatch"),
            ("own county, by source event", d("220102-bureau", "H-A", reply: feedback.id.description), "duplicate"),
            ("other county's household", d("220102-bureau", "H-B"), "outside_jurisdiction"),
            ("other county's notification", d("220102-bureau", "H-B", reply: idB), "outside_jurisdiction"),
            ("city bureau over its county", d("2201-bureau", "H-B", reply: idB), nil),
            ("own county, by its source event", d("220182-bureau", "H-B", reply: feedbackB.id.description), nil),
            ("office is no bureau", d("220102-office", "H-A"), "not_bureau"),
            ("unknown sender", d("nobody", "H-A"), "not_bureau"),
            ("unknown household", d("220102-bureau", "H-Z"), "unknown_household"),
            ("unknown reply", d("220102-bureau", "H-A", reply: "feedback-x"), "unknown_reply"),
            ("bad date", d("220102-bureau", "H-A", date: "2025-02-30"), "invalid_date"),
        ]
        var fold = runFold(s.events).fold
        for (name, p, code) in cases {
            var t = Script()
            let input = t.decision(p, day: day0 + 4)
            let outputs = fold.apply(input)
            XCTAssertEqual(outputs.count, 1, name)
            if let code {
                let refused = try outputs[0].decode(DecisionRefused.self)
                XCTAssertEqual(refused.code, code, name)
                XCTAssertFalse(refused.message.isEmpty, name)
            } else {
                let forwarded = try outputs[0].decode(DecisionForwarded.self)
                XCTAssertEqual(forwarded.recorded.householdID, p.householdID, name)
                XCTAssertEqual(forwarded.recorded.bureau, p.recipient, name)
                XCTAssertEqual(forwarded.recorded.measure, "低保", name)
                XCTAssertEqual(forwarded.recorded.householdType, .monitoredUnstable, name)
                XCTAssertEqual(outputs[0].region, forwarded.region, name)
                XCTAssertEqual(outputs[0].causation, input.id, name)
            }
        }
        XCTAssertEqual(fold.anomalies.refusedDecisions, 10)
        // Answering the notification acknowledged it (by notification id, or by source event id: the
        // sender's own notification about that source).
        XCTAssertEqual(fold.pending(for: "220102-bureau"), [])
        XCTAssertEqual(fold.pending(for: "220182-bureau"), [])
        XCTAssertEqual(fold.status(of: idA)?.acknowledged, "2025-03-05")
    }

    func testForwardedDecisionRefersToTheSourceEventAndDecodesAsAFact() throws {
        var s = Script()
        s.directory()
        let feedback = s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let id = created(runFold(s.events).outputs).first { $0.recipient == "220102-bureau" }!.notificationID
        s.decision(
            BureauDecisionSubmitted(
                recipient: "220102-bureau", inReplyTo: id, decision: .measureTaken, date: "2025-03-06",
                householdID: "H-A", measure: "产业帮扶", note: "已入户"), day: day0 + 5)
        let out = try XCTUnwrap(runFold(s.events).outputs.last)
        let forwarded = try out.decode(DecisionForwarded.self)
        XCTAssertEqual(forwarded.notificationID, id)
        XCTAssertEqual(forwarded.recorded.inReplyTo, feedback.id.description)
        // The payload for intake round-trips as the GongguCore fact.
        let fact = try BureauDecisionRecorded.decode(forwarded.recorded.jsonBytes, version: 1)
        XCTAssertEqual(fact, forwarded.recorded)
    }
}

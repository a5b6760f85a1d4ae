import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// "The same decision" (docs/PROTOCOL.md §1.4) is the same recipient, household,
/// decision type, measure and date; it is refused as `duplicate` however it is re-sent, and the
/// notifier remembers it across restarts (the fold rebuilt from its log).
final class DecisionDuplicateTests: XCTestCase {
    /// H-A (南关区) with two feedbacks, so two notifications of the county bureau about it.
    private func routed() -> (script: Script, first: String, second: String, sourceOfFirst: String) {
        var s = Script()
        s.directory()
        let feedback = s.upstream(
            "RiskFeedback", household: "H-A", region: "220102001001", day: day0, recommendation: "rec-1")
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0 + 1, recommendation: "rec-2")
        let county = created(runFold(s.events).outputs).filter { $0.recipient == "220102-bureau" }
        return (s, county[0].notificationID, county[1].notificationID, feedback.id.description)
    }

    private func decision(
        by recipient: String = "220102-bureau", reply: String? = nil, kind: BureauDecisionKind = .inclusionConfirmed,
        date: String = "2025-03-05", measure: String? = "低保", type: PovertyStatus? = .monitoredUnstable,
        note: String? = nil
    ) -> BureauDecisionSubmitted {
        BureauDecisionSubmitted(
            recipient: recipient, inReplyTo: reply, decision: kind, date: date, householdID: "H-A",
            householdType: type, measure: measure, note: note)
    }

    /// "forwarded" or the refusal code of one decision applied to `fold`.
    private func outcome(_ fold: inout NotifyFold, _ p: BureauDecisionSubmitted, day: Int = day0 + 4) throws -> String {
        var t = Script()
        let outputs = fold.apply(t.decision(p, day: day))
        XCTAssertEqual(outputs.count, 1)
        if outputs.first?.type == DecisionForwarded.eventType { return "forwarded" }
        return try XCTUnwrap(outputs.first).decode(DecisionRefused.self).code
    }

    /// Table, in order, after one decision was forwarded: what is the same decision and what is not.
    func testTheSameDecisionIsRefusedAsDuplicateHoweverItIsResent() throws {
        let r = routed()
        var fold = runFold(r.script.events).fold
        XCTAssertEqual(try outcome(&fold, decision(reply: r.first)), "forwarded")
        let cases: [(String, BureauDecisionSubmitted, String)] = [
            ("identical re-send", decision(reply: r.first), "duplicate"),
            ("without inReplyTo", decision(), "duplicate"),
            ("with a note", decision(reply: r.first, note: "补充说明"), "duplicate"),
            ("with a note, without inReplyTo", decision(note: "再次提交"), "duplicate"),
            ("replying by source event id", decision(reply: r.sourceOfFirst), "duplicate"),
            ("replying to the other notification", decision(reply: r.second), "duplicate"),
            ("another household type", decision(type: .monitoredMarginal), "duplicate"),
            ("another date", decision(date: "2025-03-06"), "forwarded"),
            ("another date, re-sent", decision(reply: r.first, date: "2025-03-06", note: "x"), "duplicate"),
            ("another measure", decision(measure: "产业帮扶"), "forwarded"),
            ("no measure", decision(measure: nil), "forwarded"),
            ("no measure, re-sent", decision(measure: nil, note: "x"), "duplicate"),
            ("another decision type", decision(kind: .measureTaken), "forwarded"),
            ("another bureau (the city)", decision(by: "2201-bureau"), "forwarded"),
            ("the city again", decision(by: "2201-bureau", note: "x"), "duplicate"),
        ]
        for (name, p, expected) in cases {
            XCTAssertEqual(try outcome(&fold, p), expected, name)
        }
        XCTAssertEqual(fold.anomalies.refusedDecisions, cases.filter { $0.2 == "duplicate" }.count)
    }

    /// A refused duplicate does not acknowledge the notification it names (nothing changes but the count).
    func testARefusedDuplicateChangesNothingElse() throws {
        let r = routed()
        var fold = runFold(r.script.events).fold
        XCTAssertEqual(try outcome(&fold, decision()), "forwarded")
        var refusedCount = fold
        refusedCount.anomalies.refusedDecisions += 1
        let expected = refusedCount.stateDigest()
        XCTAssertEqual(try outcome(&fold, decision(reply: r.first)), "duplicate")
        XCTAssertEqual(fold.stateDigest(), expected)
    }

    /// Restart: the fold rebuilt from the log (every input again, outputs discarded) refuses the same
    /// decision re-sent in another form, and has the same state as the fold that ran live.
    func testDuplicateIsRefusedAfterTheFoldIsRebuiltFromTheLog() throws {
        var r = routed()
        r.script.decision(decision(reply: r.first), day: day0 + 4)
        r.script.decision(decision(measure: "产业帮扶"), day: day0 + 4)
        let live = runFold(r.script.events)
        XCTAssertEqual(live.outputs.filter { $0.type == DecisionForwarded.eventType }.count, 2)

        var rebuilt = NotifyFold()
        for e in r.script.events { _ = rebuilt.apply(e) }
        XCTAssertEqual(rebuilt.stateDigest(), live.fold.stateDigest())
        let cases: [(String, BureauDecisionSubmitted, String)] = [
            ("identical", decision(reply: r.first), "duplicate"),
            ("without inReplyTo", decision(), "duplicate"),
            ("with a note", decision(note: "重启后再次提交"), "duplicate"),
            ("second decision, replying", decision(reply: r.second, measure: "产业帮扶"), "duplicate"),
            ("another date", decision(date: "2025-03-07"), "forwarded"),
        ]
        for (name, p, expected) in cases {
            XCTAssertEqual(try outcome(&rebuilt, p, day: day0 + 9), expected, name)
        }
    }
}

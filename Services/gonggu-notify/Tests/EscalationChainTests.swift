import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// Escalation (docs/PROTOCOL.md §1.2) counts from the notification's own `created` date, whatever the
/// clock said when it was made; a late acknowledgement closes the notification and every escalation
/// it started (docs/PROTOCOL.md §1.2).
final class EscalationChainTests: XCTestCase {
    /// Days after `day0` on which 220102-bureau's notification (created on `day0`, 3-day deadline)
    /// escalates, for clock ticks before it was routed and after.
    private func escalationDays(ticksBefore: [Int], ticksAfter: [Int]) throws -> [Int] {
        var s = Script()
        s.directory(directoryDocument(afterDays: 3))
        for d in ticksBefore { s.tick(day0 + d) }
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        var fold = runFold(s.events).fold
        let county = try XCTUnwrap(fold.pending(for: "220102-bureau").first)
        XCTAssertEqual(county.created, BusinessCalendar.dateText(ofDay: day0))
        var days: [Int] = []
        for d in ticksAfter {
            var t = Script()
            let e = escalations(fold.apply(t.tick(day0 + d))).filter { $0.notificationID == county.notificationID }
            if let first = e.first {
                days.append(d)
                XCTAssertEqual(first.since, county.created, "counted from created")
                XCTAssertEqual(first.daysOverdue, d - 3)
            }
        }
        return days
    }

    /// Table: created on D with a 3-day deadline, escalated on the first tick after D + 3 (on D + 4: not
    /// acknowledged within the 3 days D+1…D+3), however the clock stood when it was created.
    func testEscalationCountsFromTheCreatedDate() throws {
        let cases: [(String, [Int], [Int], [Int])] = [
            ("no tick before", [], Array(1...10), [4]),
            ("clock on the created day", [0], Array(1...10), [4]),
            ("clock before the created day", [-5], Array(1...10), [4]),
            ("clock one day ahead", [1], Array(2...10), [4]),
            ("clock two days ahead", [2], Array(3...10), [4]),
            ("clock three days ahead", [3], Array(3...10), [4]),
            ("first tick only on D + 6", [], Array(6...10), [6]),
            ("clock already past the deadline, ticked again that day", [10], [10, 11], [10]),
        ]
        for (name, before, after, expected) in cases {
            XCTAssertEqual(try escalationDays(ticksBefore: before, ticksAfter: after), expected, name)
        }
    }

    /// The overdue list counts from `created` too.
    func testOverdueCountsFromTheCreatedDate() throws {
        var s = Script()
        s.directory(directoryDocument(afterDays: 3))
        s.tick(day0 + 2)
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let fold = runFold(s.events).fold
        let overdue = fold.overdue(for: "220102-bureau", asOf: day0 + 5)
        XCTAssertEqual(overdue.map(\.since), [BusinessCalendar.dateText(ofDay: day0)])
        XCTAssertEqual(overdue.map(\.daysOpen), [5])
        XCTAssertEqual(overdue.map(\.daysOverdue), [2])
    }

    /// 220102-bureau's notification on `day0` under a 2-day deadline; the city and province bureaus
    /// acknowledge their direct copies at once, so only the county's stays open.
    private func countyOnly() throws -> (script: Script, county: String) {
        var s = Script()
        s.directory(directoryDocument(afterDays: 2))
        s.tick(day0)
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let notes = created(runFold(s.events).outputs)
        for n in notes where n.recipient != "220102-bureau" {
            s.acknowledged(n.notificationID, by: n.recipient, day: day0)
        }
        return (s, try XCTUnwrap(notes.first { $0.recipient == "220102-bureau" }).notificationID)
    }

    /// Open notifications (kind, recipient) of the three bureau levels.
    private func open(_ fold: NotifyFold) -> [String] {
        ["220102-bureau", "2201-bureau", "22-bureau"].flatMap { r in fold.pending(for: r).map { "\($0.kind)@\(r)" } }
    }

    /// Table: who acknowledges what, late, after the chain county → city (D + 3) → province (D + 6)
    /// has grown to some length; what stays open, and what still escalates until D + 12.
    func testALateAcknowledgementClosesTheChainItStarted() throws {
        struct Case {
            var name: String
            var ackDay: Int
            /// "county" (the original) or "city" (the city's escalation).
            var acknowledger: String
            var open: [String]
            var escalatedAfter: [String]
        }
        let cases = [
            Case(name: "county acks after the first escalation", ackDay: 4, acknowledger: "county", open: [],
                 escalatedAfter: []),
            Case(name: "county acks after the second escalation", ackDay: 7, acknowledger: "county", open: [],
                 escalatedAfter: []),
            Case(name: "city acks its escalation after it escalated", ackDay: 7, acknowledger: "city",
                 open: ["notification@220102-bureau"], escalatedAfter: []),
            Case(name: "city acks its escalation before it escalated", ackDay: 4, acknowledger: "city",
                 open: ["notification@220102-bureau"], escalatedAfter: []),
        ]
        for c in cases {
            let (script, county) = try countyOnly()
            var fold = runFold(script.events).fold
            var t = Script()
            var escalationIDs: [String] = []
            for d in 1..<c.ackDay { escalationIDs += escalations(fold.apply(t.tick(day0 + d))).map(\.escalationID) }
            XCTAssertEqual(escalationIDs.count, c.ackDay > 6 ? 2 : 1, c.name)
            let (id, by) = c.acknowledger == "county" ? (county, "220102-bureau") : (escalationIDs[0], "2201-bureau")
            _ = fold.apply(t.acknowledged(id, by: by, day: day0 + c.ackDay))
            XCTAssertEqual(open(fold), c.open, c.name)
            var later: [String] = []
            for d in c.ackDay...12 { later += escalations(fold.apply(t.tick(day0 + d))).map { "\($0.from)→\($0.to)" } }
            XCTAssertEqual(later, c.escalatedAfter, c.name)
            XCTAssertEqual(fold.status(of: id)?.acknowledged, BusinessCalendar.dateText(ofDay: day0 + c.ackDay), c.name)
            for e in escalationIDs where e != id {
                XCTAssertNil(fold.openNotification(e), "\(c.name): \(e) closed")
                XCTAssertNil(fold.status(of: e)?.acknowledged, "\(c.name): closed, not acknowledged by its recipient")
            }
            XCTAssertEqual(fold.overdue(for: "2201-bureau"), [], c.name)
            XCTAssertEqual(fold.overdue(for: "22-bureau"), [], c.name)
            XCTAssertEqual(fold.counts(regionPrefix: "").pending, c.open.count, c.name)
        }
    }

    /// A decision answering the original stands for its acknowledgement: it closes the chain as well.
    /// The escalation's recipient acknowledging what was closed meanwhile is no anomaly.
    func testADecisionAnsweringTheOriginalClosesTheChain() throws {
        var (script, county) = try countyOnly()
        for d in 1...6 { script.tick(day0 + d) }
        script.decision(
            BureauDecisionSubmitted(
                recipient: "220102-bureau", inReplyTo: county, decision: .inclusionDeclined, date: "2025-03-07",
                householdID: "H-A"),
            day: day0 + 6)
        let (fold, outputs) = runFold(script.events)
        XCTAssertEqual(escalations(outputs).count, 2)
        XCTAssertEqual(open(fold), [])
        var again = fold
        var t = Script()
        for e in escalations(outputs) { _ = again.apply(t.acknowledged(e.escalationID, by: e.to, day: day0 + 7)) }
        XCTAssertEqual(again.anomalies, fold.anomalies)
        XCTAssertEqual(escalations(again.apply(t.tick(day0 + 20))), [])
    }

    /// The closed chain is fold state: rebuilt from the same inputs, the same digest.
    func testTheClosedChainIsInTheDigestAndReplays() throws {
        var (script, county) = try countyOnly()
        for d in 1...6 { script.tick(day0 + d) }
        let before = runFold(script.events).fold.stateDigest()
        script.acknowledged(county, by: "220102-bureau", day: day0 + 7)
        let a = runFold(script.events).fold
        let b = runFold(script.events).fold
        XCTAssertEqual(a.stateDigest(), b.stateDigest())
        XCTAssertNotEqual(a.stateDigest(), before)
        XCTAssertEqual(open(b), [])
    }
}

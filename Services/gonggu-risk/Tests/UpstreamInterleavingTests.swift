import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// The risk monitor follows two upstreams, intake (facts) and the benefit verifier (findings), whose
/// events reach it interleaved as timing decides (docs/RELIABILITY.md, "Crash test"). Each test folds
/// the same events in two merges that keep each upstream's own order.
final class UpstreamInterleavingTests: XCTestCase {
    /// Intake: a lifted household with a disabled member, and later a home visit without hardship
    /// (no decision). Verifier: an entitlement gap in between (benefit lost → monitoring recommended).
    private func streams() -> (intake: [Event], verify: [Event], visit: Event) {
        var s = Script()
        s.status(.lifted, "2024-01-01")
        s.disability(Script.personA, name: "张三", grade: 1, labour: .none, year: 2023, date: "2024-01-01")
        s.disability(Script.personB, name: "李四", grade: 3, labour: .full, year: 2023, date: "2024-01-01")
        s.finding("EntitlementGap", id: "gap|\(Script.personA)|nursing", measure: "nursing", "2024-03-01")
        s.visit([], "2024-09-01")
        let finding = s.events[3]
        return (Array(s.events[0..<3]), [finding], s.events[4])
    }

    private func outputSet(_ outputs: [Event]) -> [EventID: [UInt8]] {
        Dictionary(outputs.map { ($0.id, $0.payload) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether the finding comes before or after the later-dated visit changes nothing the risk monitor
    /// decides: the recommendation is dated by the finding (not by the latest fact seen when it came),
    /// so the state digest and the overdue reminder on a later tick are the same in both merges.
    func testAFindingsRecommendationDoesNotDependOnWhichLaterFactsArrivedFirst() {
        let (intake, verify, visit) = streams()
        let findingFirst = intake + verify + [visit]
        let visitFirst = intake + [visit] + verify
        let a = Run(findingFirst)
        let b = Run(visitFirst)
        XCTAssertEqual(a.of(MonitoringRecommended.eventType).count, 1, "the lost benefit is recommended once")
        XCTAssertEqual(outputSet(a.outputs), outputSet(b.outputs), "same decisions")
        XCTAssertEqual(a.fold.stateDigest(), b.fold.stateDigest(), "same state")
        XCTAssertEqual(a.fold.view(household: "H1")?.recentDecisions, b.fold.view(household: "H1")?.recentDecisions)

        // Unanswered, the recommendation becomes overdue: by the same days in both merges.
        var tick = Script()
        tick.tick("2024-10-15")
        let overdueA = Run(findingFirst + tick.events)
        let overdueB = Run(visitFirst + tick.events)
        let reminders = overdueA.payloads(RecommendationOverdue.self)
        XCTAssertEqual(reminders.count, 1)
        XCTAssertEqual(reminders.first?.recommendedOn, "2024-03-01")
        XCTAssertEqual(outputSet(overdueA.outputs), outputSet(overdueB.outputs))
        XCTAssertEqual(overdueA.fold.stateDigest(), overdueB.fold.stateDigest())
    }

    /// A household moved (intake's later fact carries the new region) while a finding about it, raised
    /// before the move, carries the old one: the household ends in intake's region in both merges.
    func testTheRegionComesFromIntakeWhateverTheFindingsArrivalOrder() {
        var s = Script()
        s.status(.lifted, "2024-01-01")
        s.disability(Script.personA, name: "张三", grade: 1, labour: .none, year: 2023, date: "2024-01-01")
        s.finding("EntitlementGap", id: "gap|\(Script.personA)|nursing", measure: "nursing", "2024-03-01")
        let moved = "220182100200"
        s.add(
            MemberRecorded(
                householdID: "H1", personID: Script.personB, name: "李四", birthDate: "1985-02-02", labour: .full,
                since: "2024-06-01", source: Script.src), "2024-06-01", region: moved)
        let (facts, finding, move) = (Array(s.events[0..<2]), s.events[2], s.events[3])
        for (name, events) in [("finding before the move", facts + [finding, move]),
                               ("finding after the move", facts + [move, finding])] {
            XCTAssertEqual(Run(events).fold.view(household: "H1")?.region, moved, name)
        }
    }

    /// Active signals are kept in signal order, not in the order they were raised (which, for a
    /// finding and a fact, the merge decides).
    func testSignalsAreKeptInSignalOrder() {
        let orders: [[RiskSignal]] = [
            [.benefitLoss, .incomeBelowLine, .inpatient], [.inpatient, .benefitLoss, .incomeBelowLine],
        ]
        var dumps: [[UInt8]] = []
        for order in orders {
            var hh = HouseholdState(region: Script.region)
            for signal in order {
                hh.setSignal(ActiveSignal(signal: signal, day: 19_800, amount: 1, threshold: 0, evidence: []))
            }
            XCTAssertEqual(hh.signals.map(\.signal), [.incomeBelowLine, .inpatient, .benefitLoss])
            var w = JSONWriter()
            hh.dump("H1", to: &w)
            dumps.append(w.bytes)
        }
        XCTAssertEqual(dumps[0], dumps[1])
    }
}

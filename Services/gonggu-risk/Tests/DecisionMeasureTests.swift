import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// From the rule's wording (docs/RULES-risk.md §5): "A measure given in any decision counts from that
/// decision's date." A bureau that says what it did (in an inclusion, a decline, an elimination or a
/// measure decision) has assisted the household from that day; `MonitoringWithoutAssistance` (no measure
/// within `withoutAssistanceDays` of monitoring) must not be raised for it.
final class DecisionMeasureTests: XCTestCase {
    struct Case {
        let name: String
        /// Decisions after the household left poverty: kind, date, measure.
        let decisions: [(BureauDecisionKind, String, String?)]
        let raised: Bool
    }

    static let cases: [Case] = [
        Case(name: "inclusion naming a measure", decisions: [(.inclusionConfirmed, "2023-01-10", "低保")],
             raised: false),
        Case(name: "inclusion without a measure", decisions: [(.inclusionConfirmed, "2023-01-10", nil)],
             raised: true),
        Case(name: "inclusion with a blank measure", decisions: [(.inclusionConfirmed, "2023-01-10", "  ")],
             raised: true),
        Case(name: "a later inclusion (type change) naming a measure within the period",
             decisions: [(.inclusionConfirmed, "2023-01-10", nil), (.inclusionConfirmed, "2023-03-01", "临时救助")],
             raised: false),
        Case(name: "a measure named before monitoring started does not count for the period",
             decisions: [(.inclusionDeclined, "2022-12-01", "临时救助"), (.inclusionConfirmed, "2023-01-10", nil)],
             raised: true),
        Case(name: "a measure decision within the period",
             decisions: [(.inclusionConfirmed, "2023-01-10", nil), (.measureTaken, "2023-02-01", "产业帮扶")],
             raised: false),
        Case(name: "a measure named after the deadline comes too late for that reminder",
             decisions: [(.inclusionConfirmed, "2023-01-10", nil), (.inclusionConfirmed, "2023-04-20", "低保")],
             raised: true),
    ]

    func testMeasureInAnyDecisionCountsFromItsDate() {
        for c in Self.cases {
            var s = Script()
            s.status(.lifted, "2021-01-01")
            s.disability(Script.personA, labour: .full)
            // Decisions and ticks in date order (90 days after 2023-01-10 is 2023-04-10).
            var ticks = ["2023-04-10", "2023-05-10"]
            for (kind, date, measure) in c.decisions {
                while let t = ticks.first, t < date { s.tick(ticks.removeFirst()) }
                s.bureau(kind, date, type: kind == .inclusionConfirmed ? .monitoredUnstable : nil, measure: measure)
            }
            for t in ticks { s.tick(t) }
            let run = Run(s.events)
            XCTAssertEqual(run.payloads(MonitoringWithoutAssistance.self).count, c.raised ? 1 : 0, c.name)
        }
    }

    /// The measure named in the inclusion also counts as the assistance risk elimination needs.
    func testInclusionMeasureCountsForElimination() throws {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.bureau(.inclusionConfirmed, "2023-01-10", type: .monitoredUnstable, measure: "低保")
        let state = Run(s.events).fold.household("H1")
        XCTAssertTrue(try XCTUnwrap(state).hasAssistanceWhileMonitored)
    }
}

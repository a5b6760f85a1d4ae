import GongguCore
import GongguEvents
import GongguReport
import GongguRisk
import XCTest

/// The monitoring indicators count households with disabled members only (docs/REPORT.md: "monitored households
/// with disabled members, newly included, eliminated"), like `monitored`: a recommendation or a bureau
/// decision about a household without a surveyed disabled member is outside the report.
final class MonitoringIndicatorTests: XCTestCase {
    func testFlowsCountOnlyHouseholdsWithDisabledMembers() {
        var s = Scenario.build()
        let b = Scenario.countyB
        // H8: a status and the whole monitoring flow in 2025, but no one with a disability card.
        s.status("H8", b, .monitoredUnstable, effective: "2025-03-01")
        let explanation = RiskExplanation(title: "t", summary: "s", ruleID: "r", ruleVersion: "1", evidence: [],
                                          thresholds: [])
        s.add(.risk, MonitoringRecommended(
            recommendationID: "rec-H8", householdID: "H8", level: .high, riskTypes: ["01"], causes: ["收入下降"],
            suggestedType: .monitoredUnstable, explanation: explanation), household: "H8", region: b, on: "2025-02-15")
        s.add(.risk, RiskEliminationRecommended(
            recommendationID: "elim-H8", householdID: "H8", monitoredSince: "2025-03-01",
            householdType: .monitoredUnstable, conditions: [], explanation: explanation),
              household: "H8", region: b, on: "2025-10-01")
        let decisions: [(BureauDecisionKind, String)] = [(.inclusionConfirmed, "2025-03-01"), (.riskEliminated, "2025-11-01")]
        for (decision, date) in decisions {
            s.add(.intake, BureauDecisionRecorded(householdID: "H8", decision: decision, date: date,
                                                  bureau: "220201-bureau", source: s.src),
                  household: "H8", region: b, on: date)
        }
        let d = s.data()
        // (indicator, expected households, why)
        let table: [(Indicator, [String], String)] = [
            (.monitored, ["H4"], "H8 is monitored but has no disabled member"),
            (.recommended, ["H4"], "H8's recommendation is outside the report"),
            (.included, ["H4"], "H8's inclusion is outside the report"),
            (.eliminationRecommended, ["H4"], "H8's elimination recommendation is outside the report"),
            (.eliminated, [], "H4's elimination is dated 2026; H8 is outside the report"),
        ]
        for (indicator, households, why) in table {
            XCTAssertEqual(d.book.cases(indicator).map(\.householdID).sorted(), households, "\(indicator.id): \(why)")
        }
    }
}

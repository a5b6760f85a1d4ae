import GongguCore
import GongguEvents
import XCTest

/// Risk decisions: the explanation's keys spliced into the decision's object, levels by key, the
/// fields that were written only when set, and the defaults absent keys took before.
final class DecisionCodecTests: XCTestCase {
    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }

    let explanation = RiskExplanation(
        title: "纳入监测建议", summary: "s", ruleID: "risk.signal.inpatient", ruleVersion: "v2", evidence: ["aa"],
        thresholds: [RiskThreshold("inpatientThresholdFen", 500_000), RiskThreshold("monitoringLineFen", 700_000)])

    func testAFeedbackWritesItsExplanationInline() throws {
        var f = RiskFeedback(
            feedbackID: "f1", recommendationID: "r1", kind: "monitoring", householdID: "H", recipientRegion: "220102",
            level: .high, riskTypes: ["03"], recommendedAction: "纳入", explanation: explanation)
        f.ruleIDs = ["risk.signal.inpatient"]
        XCTAssertEqual(
            text(f),
            #"{"feedbackID":"f1","recommendationID":"r1","kind":"monitoring","householdID":"H","recipientRegion":"220102","#
                + #""recipientKind":"bureau","level":"high","riskTypes":["03"],"recommendedAction":"纳入","#
                + #""ruleIDs":["risk.signal.inpatient"],"title":"纳入监测建议","summary":"s","ruleID":"risk.signal.inpatient","#
                + #""ruleVersion":"v2","evidence":["aa"],"thresholds":{"inpatientThresholdFen":500000,"monitoringLineFen":700000}}"#)
        XCTAssertEqual(try JSONReader.read(text(f)) { try RiskFeedback(json: &$0) }, f)
        // recipientKind was "bureau" when absent, and still is; a basis the host appends is skipped.
        let old = try JSONReader.read(#"{"householdID":"H","level":"low","basis":{"intake":3}}"#) { try RiskFeedback(json: &$0) }
        XCTAssertEqual(old.recipientKind, "bureau")
        XCTAssertEqual(old.level, .low)
        XCTAssertEqual(old.explanation, .empty)
    }

    func testTypeRuleIDIsWrittenOnlyWhenKnown() throws {
        var m = MonitoringRecommended(
            recommendationID: "r", householdID: "H", level: .medium, riskTypes: [], causes: ["inpatient"],
            suggestedType: .monitoredSudden, explanation: .empty)
        XCTAssertEqual(
            text(m),
            #"{"recommendationID":"r","householdID":"H","level":"medium","riskTypes":[],"causes":["inpatient"],"#
                + #""ruleIDs":[],"suggestedType":"monitoredSudden","title":"","summary":"","ruleID":"","ruleVersion":"","#
                + #""evidence":[],"thresholds":{}}"#)
        m.typeRuleID = "risk.type.sudden"
        XCTAssertTrue(text(m).contains(#""suggestedType":"monitoredSudden","typeRuleID":"risk.type.sudden","title""#))
        XCTAssertEqual(try JSONReader.read(text(m)) { try MonitoringRecommended(json: &$0) }, m)
    }

    func testADecisionWithoutItsHouseholdIsRefused() {
        XCTAssertThrowsError(try JSONReader.read(#"{"level":"high"}"#) { try RiskAssessed(json: &$0) }) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "RiskAssessed", field: "householdID"))
        }
        XCTAssertThrowsError(try JSONReader.read(#"{"householdID":"H","level":"severe"}"#) { try RiskAssessed(json: &$0) }) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "RiskAssessed", field: "level"))
        }
    }

    func testOverdueAndWithoutAssistanceRoundTrip() throws {
        let o = RecommendationOverdue(
            householdID: "H", recommendationID: "r", kind: "monitoring", recommendedOn: "2025-01-01", period: 2, daysOpen: 40,
            recipientRegion: "220102", explanation: explanation)
        XCTAssertEqual(try JSONReader.read(text(o)) { try RecommendationOverdue(json: &$0) }, o)
        XCTAssertTrue(text(o).hasPrefix(#"{"householdID":"H","recommendationID":"r","kind":"monitoring","recommendedOn":"2025-01-01","period":2,"daysOpen":40,"recipientRegion":"220102","recipientKind":"bureau","title""#))
        let w = MonitoringWithoutAssistance(
            householdID: "H", monitoredSince: "2025-01-01", daysMonitored: 90, householdType: nil, recipientRegion: "220102",
            explanation: .empty)
        XCTAssertFalse(text(w).contains("householdType"))
        XCTAssertEqual(try JSONReader.read(text(w)) { try MonitoringWithoutAssistance(json: &$0) }, w)
        let e = RiskEliminationRecommended(
            recommendationID: "r", householdID: "H", monitoredSince: "2024-01-01", householdType: .monitoredMarginal,
            conditions: ["income"], explanation: .empty)
        XCTAssertTrue(text(e).hasPrefix(#"{"recommendationID":"r","householdID":"H","monitoredSince":"2024-01-01","householdType":"monitoredMarginal","conditions":["income"],"title""#))
        XCTAssertEqual(try JSONReader.read(text(e)) { try RiskEliminationRecommended(json: &$0) }, e)
    }
}

import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// Rule documents: the default, refusals, region overrides and effective dates.
final class RulesTests: XCTestCase {
    func testDefaultDocument() throws {
        XCTAssertNoThrow(try VerifyRules.validate(document: VerifyRules.defaultDocument))
        let doc = try RuleDocument(text: VerifyRules.defaultDocument)
        XCTAssertEqual(doc.version, "2025.1")
        XCTAssertEqual(doc.effectiveFrom, "2021-01-01")
        let r = try VerifyRules.decode(doc.defaults)
        XCTAssertEqual(r.gapMonths, 3)
        XCTAssertEqual(r.pensionMinimumFen, 10000)
        XCTAssertEqual([r.pensionMinAge, r.pensionMaxAge], [16, 59])
        XCTAssertEqual([r.rehabMinAge, r.rehabMaxAge], [0, 6])
        XCTAssertEqual(r.rehabCategories, [.visual, .hearing, .speech, .physical, .intellectual])
        XCTAssertFalse(r.nursingExtendedGrade3to4IntellectualMental)
        XCTAssertFalse(r.livingIncludesDibaoMarginal)
        XCTAssertTrue(r.isSevere(category: .physical, grade: 2))
        XCTAssertFalse(r.isSevere(category: .intellectual, grade: 3))
    }

    func testRefusals() {
        let d = VerifyRules.defaultDocument
        let cases: [(String, String, RuleError)] = [
            ("unknown top-level key", d.replacingOccurrences(of: "\"gapMonths\": 3,", with: "\"gapMonths\": 3, \"gapMonth\": 3,"),
             .invalid("defaults.gapMonth", "unknown key")),
            ("unknown nested key", d.replacingOccurrences(of: "\"enabled\": true", with: "\"enabled\": true, \"x\": 1"),
             .invalid("defaults.accessibility.x", "unknown key")),
            ("missing key", d.replacingOccurrences(of: "\"adultAge\": 18,", with: ""), .missing("defaults.adultAge")),
            ("zero gap months", d.replacingOccurrences(of: "\"gapMonths\": 3", with: "\"gapMonths\": 0"),
             .invalid("defaults.gapMonths", "0 (expected 1…120)")),
            ("band upside down", d.replacingOccurrences(
                of: "\"living\": { \"includeDibaoMarginal\": false, \"band\": { \"minFen\": 5000, \"maxFen\": 20000 } }",
                with: "\"living\": { \"includeDibaoMarginal\": false, \"band\": { \"minFen\": 5000, \"maxFen\": 100 } }"),
             .invalid("defaults.living.band.maxFen", "100 (expected 5000…100000000)")),
            ("bad category", d.replacingOccurrences(of: "[1, 2, 3, 4, 5]", with: "[1, 9]"),
             .invalid("defaults.childRehabilitation.categories", "9")),
            ("bad subsidy name", d.replacingOccurrences(of: "[\"living\", \"nursing\"]", with: "[\"care\"]"),
             .invalid("defaults.exclusions.oldAgeAllowanceExcludes", "care")),
            ("wrong rule set", d.replacingOccurrences(of: "\"ruleSet\": \"verify\"", with: "\"ruleSet\": \"risk\""),
             .wrongRuleSet(expected: "verify", found: "risk")),
            ("bad region override", document(regions: #"{"2201": {"pension": {"dueMonth": 13}}}"#),
             .invalid("regions.2201.pension.dueMonth", "13 (expected 1…12)")),
            ("switch not a boolean", document(regions: #"{"2201": {"evaluateOnDataMonth": "yes"}}"#),
             .invalid("regions.2201.evaluateOnDataMonth", "\"yes\" (expected true/false)")),
        ]
        for (name, text, expected) in cases {
            XCTAssertThrowsError(try VerifyRules.validate(document: text), name) { error in
                XCTAssertEqual(error as? RuleError, expected, name)
            }
        }
    }

    /// An invalid document arriving as an event changes nothing; a valid one takes effect from its date.
    func testActivationInTheFold() throws {
        var f = Feed()
        let p = residentID(birth: "1980-05-01", seq: 41)
        f.add(survey(p, "H", birth: "1980-05-01", grade: 1, care: true), "H", date: "2024-01-05")
        let digest = f.fold.stateDigest()
        let bad = RulesActivated(ruleSet: "verify", version: "x", effectiveFrom: "2024-01-01", document: "{\"ruleSet\":1}")
        XCTAssertEqual(f.add(bad, "verify", region: "", date: "2024-01-06"), [])
        XCTAssertEqual(f.fold.stateDigest(), digest)
        let text = document(version: "2025.2", from: "2024-03-01",
                            regions: #"{"22": {"nursing": {"band": {"minFen": 5000, "maxFen": 8000}}}}"#)
        f.add(rulesEvent(text), "verify", region: "", date: "2024-01-07")
        XCTAssertNotEqual(f.fold.stateDigest(), digest)
        f.pay(p, "H", .nursing, from: "2024-02", to: "2024-03")
        XCTAssertEqual(f.anomalies.map(\.month), ["2024-03"], "the new band applies from 2024-03 only")
        XCTAssertEqual(f.anomalies.first?.ruleVersion, "2025.2")
        XCTAssertEqual(f.anomalies.first?.thresholds.first?.1, 5000)
    }
}

/// The finding payloads as other services read them.
final class FindingPayloadTests: XCTestCase {
    func testRoundTrip() throws {
        let g = EntitlementGap(
            findingID: "gap|x|nursing|2024-01", householdID: "H", personID: "P", measure: .nursing, periodFrom: "2024-01",
            periodTo: "2024-03", title: "标题", summary: "摘要", ruleID: "verify.gap.nursing", ruleVersion: "2025.1",
            evidence: ["00"], thresholds: [("gapMonths", 3), ("months", 3)], months: 3)
        let back = try JSONReader.read(g.jsonBytes) { try EntitlementGap(json: &$0) }
        XCTAssertEqual(back, g)
        XCTAssertEqual(EntitlementGap.eventType, "EntitlementGap")
        XCTAssertEqual(AssistanceDiscontinued.eventType, "AssistanceDiscontinued")
        XCTAssertEqual(PaymentAnomaly.eventType, "PaymentAnomaly")
        let json = try JSONValue.parse(g.jsonBytes)
        XCTAssertEqual(json["period"]?["from"]?.stringValue, "2024-01")
        XCTAssertEqual(json["thresholds"]?["gapMonths"]?.intValue, 3)
        XCTAssertNil(json["anomaly"])

        let a = PaymentAnomaly(
            findingID: "anomaly|x", householdID: "H", personID: nil, measure: .living, periodFrom: "2024-05",
            periodTo: "2024-05", title: "t", summary: "s", ruleID: "r", ruleVersion: "v", evidence: [], thresholds: [],
            anomaly: .afterDeath, month: "2024-05", amountFen: 100)
        XCTAssertEqual(try JSONReader.read(a.jsonBytes) { try PaymentAnomaly(json: &$0) }, a)

        let r = FindingResolved(
            findingID: "gap|x", householdID: "H", personID: nil, measure: .dibao, resolvedBy: "ab", title: "t",
            summary: "s", ruleID: "r", ruleVersion: "v", evidence: ["ab"])
        XCTAssertEqual(try JSONReader.read(r.jsonBytes) { try FindingResolved(json: &$0) }, r)
    }

    func testRequiredFields() {
        let cases = [#"{"householdID":"H","measure":"living"}"#, #"{"findingID":"f","measure":"living"}"#,
                     #"{"findingID":"f","householdID":"H"}"#, #"{"findingID":"f","householdID":"H","measure":"x"}"#]
        for text in cases {
            XCTAssertThrowsError(try JSONReader.read(text) { try EntitlementGap(json: &$0) }, text)
        }
    }
}

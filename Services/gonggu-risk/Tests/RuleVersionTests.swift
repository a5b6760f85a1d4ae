import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Rules as data: validation, effective dates (replay judges events by the rules in force on their
/// date) and region overrides.
final class RuleVersionTests: XCTestCase {
    func testDefaultDocumentIsValid() throws {
        XCTAssertNoThrow(try RiskFold.validate(document: RiskRules.defaultDocument))
        let doc = try RuleDocument(text: RiskRules.defaultDocument)
        XCTAssertEqual(doc.version, "2025.1")
        XCTAssertEqual(doc.effectiveFrom, "2021-01-01")
        let rules = try RiskRules(json: doc.defaults)
        XCTAssertEqual(rules.monitoringLine(year: 2021), 600_000)
        XCTAssertEqual(rules.monitoringLine(year: 2020), 600_000, "before the first year: the first line")
        XCTAssertEqual(rules.monitoringLine(year: 2030), 760_000, "after the last year: the last line")
        XCTAssertEqual(rules.inpatientLiftedFen, 500_000)
        XCTAssertEqual(rules.inpatientOtherFen, 2_000_000)
        XCTAssertEqual(rules.outpatientMonthlyFen, 50_000)
    }

    func testInvalidDocumentsRefusedWithClearMessage() {
        let rows: [(name: String, text: String, message: String)] = [
            ("not JSON", "{", "malformed"),
            (
                "wrong rule set", RiskRules.defaultDocument.replacingOccurrences(of: "\"risk\"", with: "\"verify\""),
                "rule set 'verify', expected 'risk'"
            ),
            (
                "no monitoring line",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    $0.removeAll { $0.0 == "monitoringLineFen" }
                }, "lacks 'defaults.monitoringLineFen'"
            ),
            (
                "negative line",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "monitoringLineFen", .object([("2024", .number(-1))]))
                }, "invalid 'defaults.monitoringLineFen.2024'"
            ),
            (
                "bad year",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "monitoringLineFen", .object([("24", .number(700000))]))
                }, "invalid 'defaults.monitoringLineFen'"
            ),
            (
                "bad level",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "recommendAtLevel", .string("urgent"))
                }, "invalid 'defaults.recommendAtLevel'"
            ),
            (
                "bad risk code",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "otherRiskType", .string("other"))
                }, "invalid 'defaults.otherRiskType'"
            ),
            (
                "levels out of order",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "levels", .object([("low", .number(5)), ("medium", .number(3)), ("high", .number(6))]))
                }, "invalid 'defaults.levels'"
            ),
            (
                "missing weight",
                ruleDocument(version: "x", effectiveFrom: "2024-01-01") {
                    set(&$0, "weights", .object([("incomeBelowLine", .number(5))]))
                }, "lacks 'defaults.weights.incomeSharpFall'"
            ),
            (
                "bad region override",
                RiskRules.defaultDocument.replacingOccurrences(
                    of: "\"defaults\"",
                    with: "\"regions\": {\"2201\": {\"followUp\": {\"overdueDays\": 0}}}, \"defaults\""),
                "invalid 'regions.2201.followUp.overdueDays'"
            ),
        ]
        for row in rows {
            XCTAssertThrowsError(try RiskFold.validate(document: row.text), row.name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(row.message), "\(row.name): \(text)")
                XCTAssertFalse((error as? RuleError)?.chinese.isEmpty ?? true, row.name)
            }
        }
    }

    /// A new version effective 2023-07-01 raises the 2023 line: an income assessed before that date is
    /// judged by the old line, one assessed after by the new line — also when replayed.
    func testVersionChangeMidYear() throws {
        let newLines = ruleDocument(version: "2023.2", effectiveFrom: "2023-07-01") {
            set(&$0, "monitoringLineFen", .object([("2021", .number(600_000)), ("2023", .number(750_000))]))
        }
        var s = Script()
        s.rules(newLines, "2023-06-20")  // logged before it takes effect
        for (i, date) in ["2023-06-30", "2023-07-01"].enumerated() {
            let h = "H\(i + 1)"
            s.status(.lifted, "2021-01-01", household: h)
            s.income(2023, perCapita: 720_000, date: date, household: h)
        }
        let run = Run(s.events)
        XCTAssertEqual(run.fold.view(household: "H1")!.signals, [], "before 2023-07-01: line 7000, 7200 is above")
        XCTAssertEqual(run.fold.view(household: "H2")!.signals, ["incomeBelowLine"], "from 2023-07-01: line 7500")
        let assessed = run.payloads(RiskAssessed.self)
        XCTAssertEqual(assessed.map(\.householdID), ["H2"])
        XCTAssertEqual(assessed.first?.explanation.ruleVersion, "2023.2")
        XCTAssertTrue(
            assessed.first?.explanation.thresholds.contains(RiskThreshold("monitoringLineFen", 750_000)) ?? false)
        // Replay gives the same decisions and state.
        let replay = Run(s.events)
        XCTAssertEqual(replay.outputs, run.outputs)
        XCTAssertEqual(replay.fold.stateDigest(), run.fold.stateDigest())
        XCTAssertEqual(run.fold.book.versions.map(\.document.version), ["2025.1", "2023.2"])
    }

    func testInvalidRulesActivatedChangesNothing() {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        let before = Run(s.events).fold.stateDigest()
        let bad = ruleDocument(version: "bad", effectiveFrom: "2023-01-01") { set(&$0, "signalWindowDays", .number(0)) }
        s.add(
            RulesActivated(ruleSet: "risk", version: "bad", effectiveFrom: "2023-01-01", document: bad), "2023-01-01",
            household: "risk", region: "22")
        s.add(
            RulesActivated(ruleSet: "risk", version: "bad", effectiveFrom: "2023-01-01", document: "{"), "2023-01-01",
            household: "risk", region: "22")
        let run = Run(s.events)
        XCTAssertEqual(run.outputs, [])
        XCTAssertEqual(run.fold.book.versions.count, 1)
        XCTAssertEqual(run.fold.stateDigest(), before)
    }

    func testRegionOverride() {
        // Prefecture 2224 (延边) with a higher 2023 line; county 222401 with its own inpatient threshold.
        let text = RiskRules.defaultDocument.replacingOccurrences(
            of: "\"defaults\"",
            with: """
                "regions": {"2224": {"monitoringLineFen": {"2023": 720000}},
                            "222401": {"expenses": {"inpatientLiftedFen": 300000}}}, "defaults"
                """)
        XCTAssertNoThrow(try RiskFold.validate(document: text))
        var s = Script()
        for (h, region) in [("A", "220102001001"), ("B", "222402001001"), ("C", "222401001001")] {
            s.status(.lifted, "2021-01-01", household: h)
            s.add(
                IncomeAssessed(
                    householdID: h, year: 2023, netIncomeFen: 710_000, members: 1, assessedDate: "2023-03-01",
                    source: Script.src), "2023-03-01", household: h, region: region)
            s.add(
                ExpenseReported(
                    householdID: h, kind: .inpatient, amountFen: 400_000, date: "2023-04-01", department: "医保",
                    source: Script.src), "2023-04-01", household: h, region: region)
        }
        let fold = Run(s.events, rules: text).fold
        XCTAssertEqual(fold.view(household: "A")!.signals, [])
        XCTAssertEqual(fold.view(household: "B")!.signals, ["incomeBelowLine"])
        XCTAssertEqual(fold.view(household: "C")!.signals, ["incomeBelowLine", "inpatient"])
    }
}

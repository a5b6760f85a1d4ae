import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguRisk
import GongguVerify
import XCTest

/// `gonggu rules diff` (docs/RULES-WHATIF.md), on the shared province: the risk or verify fold replayed with and
/// without a proposed document, compared per decision. Expectations come from the rule wording and
/// the intake facts, not from the code under test.
final class RulesWhatIfTests: ProvinceTestCase {
    /// The risk document the fixture activated (in force from the reference date).
    private func inForceRisk() -> String {
        RiskRules.defaultDocument.replacingOccurrences(
            of: "\"version\": \"2025.1\"", with: "\"version\": \"\(ProvinceFixture.ruleVersion)\"")
    }

    /// Raising the 2025 monitoring line by 200 yuan, from 2025-01-01 on: the households whose 2025
    /// per-capita income (docs/RULES-risk.md §3: income below the line is a signal) lies in [old line, new line)
    /// get a new monitoring recommendation, and no household outside the band is affected.
    func testRaisingTheMonitoringLineRecommendsExactlyTheHouseholdsInTheBand() throws {
        let p = try province()
        let (old, new) = (760_000, 780_000)
        let proposed = try RuleDocument(
            text: inForceRisk()
                .replacingOccurrences(
                    of: "\"version\": \"\(ProvinceFixture.ruleVersion)\"", with: "\"version\": \"line+200\"")
                .replacingOccurrences(
                    of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2025-01-01\"")
                .replacingOccurrences(of: "\"2025\": \(old)", with: "\"2025\": \(new)"))

        // Independently, from the intake facts: the latest 2025 assessment of each household.
        var perCapita: [String: Int] = [:]
        for e in try p.events("intake") where e.type == IncomeAssessed.eventType {
            let a = try e.decode(IncomeAssessed.self)
            if a.year == 2025 { perCapita[a.householdID] = a.perCapitaFen }
        }
        let band = Set(perCapita.filter { $0.value >= old && $0.value < new }.keys)
        XCTAssertFalse(band.isEmpty, "the province must have a household in the band for the test to mean anything")

        let report = try RulesWhatIf.compare(proposed: proposed, logs: try p.openLogs())
        let added = report.differences.filter { $0.kind == .added && $0.decision.kind == .monitoring }
        XCTAssertEqual(Set(added.map(\.decision.householdID)), band)
        XCTAssertEqual(added.count, band.count, "one new recommendation per household")
        // A household in the band already recommended for another cause may also see that recommendation
        // change (a higher level, the income risk type added); no household outside the band is touched.
        for d in report.differences {
            XCTAssertTrue(band.contains(d.decision.householdID), "outside the band: \(d)")
            XCTAssertNotEqual(d.kind, .removed, "a higher line cannot cancel a recommendation: \(d)")
        }
        XCTAssertEqual(
            report.ruleChanges.map(\.chinese), ["defaults.monitoringLineFen.2025：\(old) → \(new)"])
        for d in added {
            XCTAssertEqual(d.proposed?.ruleVersion, "line+200")
            XCTAssertTrue(d.ruleKeys.contains { $0.path == "defaults.monitoringLineFen.2025" })
        }
    }

    /// The same content under a new version changes no decision and no key.
    func testAnIdenticalDocumentReportsNoDifference() throws {
        let p = try province()
        let proposed = try RuleDocument(
            text: inForceRisk().replacingOccurrences(
                of: "\"version\": \"\(ProvinceFixture.ruleVersion)\"", with: "\"version\": \"same-again\""))
        let report = try RulesWhatIf.compare(proposed: proposed, logs: try p.openLogs())
        XCTAssertEqual(report.differences, [])
        XCTAssertEqual(report.ruleChanges, [])
        XCTAssertGreaterThan(report.inForceCount, 0, "the replay must have produced decisions")
        XCTAssertEqual(report.inForceCount, report.proposedCount)
    }

    /// The nursing extension (docs/RULES-verify.md: grade 3–4 intellectual or mental) switched on for prefecture
    /// 2202 only: new nursing gaps appear, all in 2202, each naming the rule key.
    func testNursingExtensionForOnePrefectureAddsGapsOnlyThere() throws {
        let p = try province()
        let text = VerifyRules.defaultDocument
            .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"2202-nursing\"")
            .replacingOccurrences(
                of: "\"regions\": {}",
                with: "\"regions\": {\"2202\": {\"nursing\": {\"extendGrade3to4IntellectualMental\": true}}}")
        let proposed = try RuleDocument(text: text)
        XCTAssertEqual(proposed.regions.map(\.prefix), ["2202"])

        let report = try RulesWhatIf.compare(proposed: proposed, logs: try p.openLogs())
        let gaps = report.differences.filter {
            $0.kind == .added && $0.decision.kind == .gap && $0.decision.detail.hasPrefix(Measure.nursing.chinese)
        }
        XCTAssertFalse(gaps.isEmpty, "the extension must add nursing gaps: \(report.differences.count) differences")
        for d in report.differences {
            XCTAssertTrue(d.decision.region.hasPrefix("2202"), "a difference outside 2202: \(d)")
        }
        // Every difference names the one key that changed, as applying to its household.
        for d in report.differences {
            XCTAssertEqual(
                d.ruleKeys.map(\.chinese), ["regions.2202.nursing.extendGrade3to4IntellectualMental：（无） → true"],
                "\(d)")
        }
        // Each new nursing gap is about a person the intake facts show as grade 3–4 intellectual, mental or
        // multiple (docs/RULES-verify.md's extension) — never grade 1–2 — and its explanation says it is the extension.
        var latest: [String: DisabilityRecorded] = [:]
        for e in try p.events("intake") where e.type == DisabilityRecorded.eventType {
            let r = try e.decode(DisabilityRecorded.self)
            latest[r.personID] = r
        }
        for d in gaps {
            let person = try XCTUnwrap(d.decision.personID, "\(d)")
            let r = try XCTUnwrap(latest[person], "no disability record for the gap's person")
            XCTAssertTrue((3...4).contains(r.grade), "grade \(r.grade)")
            XCTAssertTrue([.intellectual, .mental, .multiple].contains(r.category), "\(r.category)")
            XCTAssertTrue(d.decision.summary.contains("护理补贴扩面"), d.decision.summary)
            XCTAssertEqual(d.proposed?.ruleVersion, "2202-nursing")
        }
        // The region filter keeps only what lies under it.
        let elsewhere = try RulesWhatIf.compare(proposed: proposed, logs: try p.openLogs(), regionPrefix: "2201")
        XCTAssertEqual(elsewhere.differences, [])
    }
}

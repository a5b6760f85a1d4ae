import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// The continuity rate (保持延续率, docs/REPORT.md) from the rule's own wording: the denominator is the
/// households that left poverty with at least one main measure active at the start of the year; those
/// with none are counted on their own line, never as "continued". An unexplained stop is a
/// discontinuation (docs/RULES-verify.md); a stop explained by death, move-out or an eligibility change is not.
final class ContinuityRateTests: XCTestCase {
    /// Year 2024, one disabled person per household, every household left poverty in 2020.
    static func feed() -> Feed {
        var f = Feed()
        func person(_ hh: String, _ seq: Int) -> String {
            let id = residentID(birth: "1970-01-01", seq: seq)
            f.add(lifted(hh), hh, date: "2020-12-31")
            f.add(survey(id, hh, birth: "1970-01-01", grade: 1, care: true), hh, date: "2023-01-05")
            return id
        }
        _ = person("V-NONE", 911)
        let kept = person("V-KEPT", 912)
        f.pay(kept, "V-KEPT", .nursing, from: "2023-12", to: "2024-12")
        let stopped = person("V-STOP", 913)
        f.pay(stopped, "V-STOP", .nursing, from: "2023-12", to: "2024-03")
        let late = person("V-LATE", 914)
        f.pay(late, "V-LATE", .nursing, from: "2024-05", to: "2024-12")
        let died = person("V-DIED", 915)
        f.pay(died, "V-DIED", .nursing, from: "2023-12", to: "2024-03")
        f.add(LifeEventRecorded(householdID: "V-DIED", personID: died, kind: .death, date: "2024-03-15", source: src),
              "V-DIED", date: "2024-03-20")
        f.ticks(from: "2024-01", to: "2025-01")
        return f
    }

    func testRateCountsOnlyHouseholdsWithAMeasureAtTheStart() {
        let ledger = Self.feed().fold.continuityLedger
        let rows = ledger.rows(year: 2024, regionPrefix: "22")
        let conclusion = Dictionary(uniqueKeysWithValues: rows.map { ($0.householdID, $0.conclusion) })
        // (household, conclusion, in the denominator, in the numerator, why)
        let table: [(String, ContinuityRow.Conclusion, Bool, Bool, String)] = [
            ("V-NONE", .noMeasure, false, false, "no main measure on 1 January: own line"),
            ("V-KEPT", .continued, true, true, "active at the start, paid through December"),
            ("V-STOP", .discontinued, true, false, "active at the start, stopped in April without reason"),
            ("V-LATE", .noMeasure, false, false, "its subsidy started only in May: not active at the start"),
            ("V-DIED", .stoppedWithReason, true, true, "stopped at death: explained, no discontinuation (§4)"),
        ]
        let summary = ledger.summary(year: 2024, regionPrefix: "22")
        for (hh, expected, denominator, numerator, why) in table {
            XCTAssertEqual(conclusion[hh], expected, "\(hh): \(why)")
        }
        XCTAssertEqual(summary.lifted, table.count, "every household that left poverty")
        XCTAssertEqual(summary.households, table.filter(\.2).count, "denominator: V-KEPT, V-STOP, V-DIED")
        XCTAssertEqual(summary.allContinued, table.filter(\.3).count, "numerator: V-KEPT, V-DIED")
        XCTAssertEqual(summary.noMeasure, table.filter { !$0.2 }.count, "own line: V-NONE, V-LATE")
        XCTAssertEqual(summary.lifted, summary.households + summary.noMeasure)
    }
}

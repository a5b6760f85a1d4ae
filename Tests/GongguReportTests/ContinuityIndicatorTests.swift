import GongguCore
import GongguEvents
import GongguReport
import GongguVerify
import XCTest

/// The continuity indicators (四个不摘, docs/REPORT.md) from the rule's own wording: the rate's denominator is
/// the households that left poverty with at least one main measure (低保, either subsidy, pension premium,
/// rehabilitation) active at the start of the year; households with none are reported on their own line
/// and are never "continued". A stop explained by death, move-out or an eligibility change raises no
/// discontinuation (docs/RULES-verify.md) and so counts as continued, as in the verifier's ledger.
final class ContinuityIndicatorTests: XCTestCase {
    static let region = Scenario.countyA

    /// Year 2025; every household left poverty in 2020 and has one disabled member.
    static func scenario() -> Scenario {
        var s = Scenario()
        let a = region
        var seq = 0
        func household(_ h: String, birth: String = "1970-01-01") -> String {
            seq += 1
            let id = "220101" + birth.replacingOccurrences(of: "-", with: "") + String(format: "%03d", seq) + "1"
            s.status(h, a, .lifted, effective: "2020-12-01", liftedYear: 2020)
            s.person(id, h, a, birth: birth, on: "2024-03-01")
            return id
        }
        func months(_ from: String, _ to: String) -> [String] {
            (BusinessCalendar.monthNumber(from)!...BusinessCalendar.monthNumber(to)!).map(BusinessCalendar.monthText)
        }
        func dibao(_ h: String, start: String, stop: String? = nil) {
            s.add(.intake, AssistanceRecorded(householdID: h, programme: .dibao, startMonth: start, stopMonth: stop,
                                              monthlyFen: 50000, source: s.src),
                  household: h, region: a, on: (stop ?? start) + "-01")
        }
        func stopped(_ h: String, _ person: String?, _ m: Measure, from: String) {
            s.finding(DiscontinuationFinding.self, "disc|\(h)|\(m.rawValue)", h, a, person: person, m, from: from,
                      on: from + "-28")
        }
        _ = household("C-NONE")
        let kept = household("C-KEPT")
        for m in months("2024-12", "2025-12") { s.paid(kept, "C-KEPT", a, .living, month: m) }
        let stop = household("C-STOP")
        for m in months("2024-12", "2025-03") { s.paid(stop, "C-STOP", a, .nursing, month: m) }
        stopped("C-STOP", stop, .nursing, from: "2025-04")
        let late = household("C-LATE")
        for m in months("2025-05", "2025-08") { s.paid(late, "C-LATE", a, .nursing, month: m) }
        stopped("C-LATE", late, .nursing, from: "2025-09")
        let died = household("C-DIED")
        for m in months("2024-12", "2025-02") { s.paid(died, "C-DIED", a, .nursing, month: m) }
        s.add(.intake, LifeEventRecorded(householdID: "C-DIED", personID: died, kind: .death, date: "2025-02-15",
                                         source: s.src), household: "C-DIED", region: a, on: "2025-02-15")
        _ = household("C-DIBAO")
        dibao("C-DIBAO", start: "2022-01")
        _ = household("C-DIBAOSTOP")
        dibao("C-DIBAOSTOP", start: "2022-01")
        dibao("C-DIBAOSTOP", start: "2022-01", stop: "2025-04")
        stopped("C-DIBAOSTOP", nil, .dibao, from: "2025-05")
        let pension = household("C-PENSION")
        s.add(.intake, PensionRecorded(householdID: "C-PENSION", personID: pension, year: 2024, enrolled: true,
                                       governmentPaidFen: 10000, source: s.src),
              household: "C-PENSION", region: a, on: "2024-01-01")
        let child = household("C-REHAB", birth: "2020-05-01")
        s.add(.intake, ProjectRecorded(projectID: "R-C", kind: .rehabilitation, householdID: "C-REHAB", personID: child,
                                       date: "2024-06-01", amountFen: 100000, source: s.src),
              household: "C-REHAB", region: a, on: "2024-06-01")
        let mixed = household("C-MIXED")
        dibao("C-MIXED", start: "2022-01")
        for m in months("2025-03", "2025-05") { s.paid(mixed, "C-MIXED", a, .nursing, month: m) }
        stopped("C-MIXED", mixed, .nursing, from: "2025-06")
        _ = household("C-DEC")
        dibao("C-DEC", start: "2022-01")
        dibao("C-DEC", start: "2022-01", stop: "2024-11")
        stopped("C-DEC", nil, .dibao, from: "2024-12")
        return s
    }

    /// (household, main measure active on 1 January, all measures active then continued, why)
    static let table: [(String, Bool, Bool, String)] = [
        ("C-NONE", false, false, "no main measure at all: own line, neither numerator nor denominator"),
        ("C-KEPT", true, true, "living subsidy paid for December before and all year"),
        ("C-STOP", true, false, "nursing subsidy active at the start, stopped in April without reason"),
        ("C-LATE", false, false, "its subsidy started in May: not active at the start (own line), even though it "
            + "stopped later"),
        ("C-DIED", true, true, "stopped at death: explained (no discontinuation finding), counts as continued"),
        ("C-DIBAO", true, true, "household 低保 since 2022, never stopped"),
        ("C-DIBAOSTOP", true, false, "低保 active at the start, stopped after April without reason"),
        ("C-PENSION", true, true, "premium paid by government for 2024"),
        ("C-REHAB", true, true, "child rehabilitation service in June 2024, within the service window"),
        ("C-MIXED", true, true, "低保 active at the start continued; the nursing subsidy begun in March is no "
            + "measure active at the start"),
        ("C-DEC", false, false, "低保 stopped in November of the year before: nothing active at the start"),
    ]

    func testContinuityNumeratorAndDenominatorFollowTheRule() {
        let d = Self.scenario().data()
        func households(_ i: Indicator) -> [String] { d.book.cases(i).map(\.householdID).sorted() }
        let lifted = Self.table.map(\.0).sorted()
        let denominator = Self.table.filter(\.1).map(\.0).sorted()
        let numerator = Self.table.filter(\.2).map(\.0).sorted()
        let discontinued = Self.table.filter { $0.1 && !$0.2 }.map(\.0).sorted()
        let ownLine = Self.table.filter { !$0.1 }.map(\.0).sorted()
        for (h, active, kept, why) in Self.table {
            XCTAssertEqual(households(.continued).contains(h), kept, "\(h) continued: \(why)")
            XCTAssertEqual(households(.discontinued).contains(h), active && !kept, "\(h) discontinued: \(why)")
            XCTAssertEqual(households(.measureAtStart).contains(h), active, "\(h) at start: \(why)")
            XCTAssertEqual(households(.noMeasureAtStart).contains(h), !active, "\(h) own line: \(why)")
        }
        XCTAssertEqual(households(.lifted), lifted)
        XCTAssertEqual(households(.continued), numerator)
        XCTAssertEqual(households(.discontinued), discontinued)
        XCTAssertEqual(households(.measureAtStart), denominator)
        XCTAssertEqual(households(.noMeasureAtStart), ownLine)
    }
}

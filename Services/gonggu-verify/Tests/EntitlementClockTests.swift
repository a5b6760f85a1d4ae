import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// How long someone went without a measure depends on their own facts, the rules and the clock (ticks and
/// business dates), never on whether unrelated payments happened to arrive (docs/RULES-verify.md, "Time").
final class EntitlementClockTests: XCTestCase {
    struct Case {
        let name: String
        let measure: Measure
        /// The person's facts, all recorded in January 2025: entitled from 2025-01 on.
        let setup: (inout Feed, String, String) -> Void
    }

    static let cases: [Case] = [
        Case(name: "living subsidy, 低保 household", measure: .living) { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2025-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2025-01-06")
        },
        Case(name: "nursing subsidy, grade 1 needing care", measure: .nursing) { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1, care: true), h, date: "2025-01-05")
        },
        Case(name: "单人户施保, severe adult in a 低保边缘 household", measure: .singlePersonDibao) { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2), h, date: "2025-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2024-06"), h, date: "2025-01-06")
        },
        Case(name: "child rehabilitation, 3-year-old", measure: .childRehabilitation) { f, p, h in
            f.add(survey(p, h, birth: "2021-08-01", category: .hearing, grade: 3, rehab: true), h, date: "2025-01-05")
        },
        Case(name: "accessibility modification, severe, needed", measure: .accessibility) { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2, accessNeeded: true), h, date: "2025-01-05")
        },
    ]

    /// Another person's monthly pay roll, in another household.
    static func unrelatedPayroll(_ f: inout Feed, to: String) {
        let q = residentID(birth: "1970-01-01", seq: 999)
        f.add(survey(q, "H-OTHER", birth: "1970-01-01", grade: 1, care: true), "H-OTHER", date: "2025-01-05")
        f.pay(q, "H-OTHER", .nursing, from: "2025-01", to: to)
    }

    /// One tick on 2025-12-31 with no pay-roll rows at all: the gap is there, from the entitlement's start.
    func testOneTickAtYearEndFindsTheWholeYear() {
        for c in Self.cases {
            var f = Feed()
            let p = residentID(birth: "1980-05-01", seq: 700 + c.name.count), h = "H-CLK"
            c.setup(&f, p, h)
            f.add(ClockTicked(date: "2025-12-31"), "verify", region: "", date: "2025-12-31")
            let gaps = f.gaps.filter { $0.measure == c.measure }
            XCTAssertEqual(gaps.count, 1, c.name)
            XCTAssertEqual(gaps.first?.periodFrom, "2025-01", c.name)
            XCTAssertEqual(gaps.first?.periodTo, "2025-11", c.name)
            XCTAssertEqual(gaps.first?.months, 11, c.name)
        }
    }

    /// The same facts under three clocks: one tick, monthly ticks, and unrelated pay roll advancing the
    /// data month. The gap starts in the same month in all three.
    func testGapStartDoesNotDependOnUnrelatedPayments() {
        for c in Self.cases {
            var starts: [String] = []
            for clock in 0..<3 {
                var f = Feed()
                let p = residentID(birth: "1980-05-01", seq: 800 + c.name.count), h = "H-CLK"
                c.setup(&f, p, h)
                switch clock {
                case 0: break
                case 1: f.ticks(from: "2025-02", to: "2025-12")
                default: Self.unrelatedPayroll(&f, to: "2025-11")
                }
                f.add(ClockTicked(date: "2025-12-31"), "verify", region: "", date: "2025-12-31")
                starts.append(f.gaps.first { $0.measure == c.measure && $0.personID == p }?.periodFrom ?? "none")
            }
            XCTAssertEqual(starts, ["2025-01", "2025-01", "2025-01"], c.name)
        }
    }

    /// Facts that arrive after the clock and the pay roll have passed (a county's survey sent late) are judged
    /// at once against the reference month, from the entitlement's own start: no later tick or payment is
    /// needed for the gap to be found.
    func testFactsArrivingAfterTheClockAreJudgedAtOnce() {
        for c in Self.cases {
            var f = Feed()
            Self.unrelatedPayroll(&f, to: "2025-12")
            f.add(ClockTicked(date: "2025-12-31"), "verify", region: "", date: "2025-12-31")
            let p = residentID(birth: "1980-05-01", seq: 950 + c.name.count), h = "H-LATE"
            c.setup(&f, p, h)
            let gaps = f.gaps.filter { $0.measure == c.measure && $0.personID == p }
            XCTAssertEqual(gaps.map(\.periodFrom), ["2025-01"], c.name)
            XCTAssertEqual(gaps.first?.months, 11, c.name)
        }
    }

    /// Pension premium: a year is judged from the person's facts even when the first tick comes a year late.
    func testPensionYearJudgedFromFactsNotFromTheFirstTick() {
        var f = Feed()
        let p = residentID(birth: "1994-05-01", seq: 901), h = "H-PEN"
        f.add(survey(p, h, birth: "1994-05-01", grade: 2, pension: true), h, date: "2024-01-05")
        f.add(ClockTicked(date: "2025-12-31"), "verify", region: "", date: "2025-12-31")
        XCTAssertEqual(f.gaps.filter { $0.measure == .pension }.map(\.periodFrom), ["2024-01"])
    }
}

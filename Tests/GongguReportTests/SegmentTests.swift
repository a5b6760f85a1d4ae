import GongguCore
import GongguReport
import XCTest

/// Intake's log folded in seq ranges on several threads (`ReportFold.segment`, joined in log order with
/// `absorb`) must give the report of one pass, byte for byte, wherever the log is split.
final class SegmentTests: XCTestCase {
    static let p8 = "220101197508081230", p9 = "220201198509092345"

    /// The hand-built scenario plus the one choice of the fold that depends on log order: P8 is
    /// surveyed in H7 (countyA, May), then — recorded later, dated earlier — in H8 (countyA, February).
    /// The later record is not P8's latest survey, so it must not move H8's region: H8 stays in countyB,
    /// where its status and its other member P9 put it.
    static func scenario() -> Scenario {
        var s = Scenario.build()
        s.status("H7", Scenario.countyA, .lifted, effective: "2019-01-01", liftedYear: 2019)
        s.status("H8", Scenario.countyB, .lifted, effective: "2019-01-01", liftedYear: 2019)
        s.person(p9, "H8", Scenario.countyB, birth: "1985-09-09", on: "2025-01-15")
        s.person(p8, "H7", Scenario.countyA, birth: "1975-08-08", on: "2025-05-01")
        s.person(p8, "H8", Scenario.countyA, birth: "1975-08-08", on: "2025-02-01")
        return s
    }

    /// The report with intake folded in ranges split before each index of `cuts` (ascending).
    static func files(_ s: Scenario, splitAt cuts: [Int]) -> [ReportFile] {
        let intake = s.logs[.intake] ?? []
        var fold = ReportFold(year: 2025)
        let bounds = [0] + cuts + [intake.count]
        for k in 0..<(bounds.count - 1) {
            var part = k == 0 ? ReportFold(year: 2025) : ReportFold.segment(year: 2025)
            for e in intake[bounds[k]..<bounds[k + 1]] { part.apply(e, from: .intake) }
            fold.absorb(part, log: .intake)
        }
        for log in ReportLog.allCases where log != .intake {
            var part = ReportFold(year: 2025)
            for e in s.logs[log] ?? [] { part.apply(e, from: log) }
            fold.absorb(part, log: log)
        }
        let cuts = ReportLog.allCases.map {
            LogCut(log: $0, cutoffSeq: Int64(s.logs[$0]?.count ?? 0), chainHash: String(repeating: "ab", count: 32))
        }
        return ReportRenderer.files(fold.finish(cuts: cuts, rule: .bySeq))
    }

    func testTheLaterButOlderSurveyLeavesTheRegion() {
        let d = Self.scenario().data()
        let h8 = d.book.cases(.lifted).first { $0.householdID == "H8" }
        XCTAssertEqual(h8?.region, Scenario.countyB, "P8's survey in H8 is not P8's latest")
        XCTAssertEqual(d.book.cases(.lifted).first { $0.householdID == "H7" }?.region, Scenario.countyA)
    }

    func testEverySplitInTwoEqualsOnePass() {
        let s = Self.scenario()
        let whole = ReportRenderer.files(s.data())
        for cut in 0...(s.logs[.intake]?.count ?? 0) {
            let split = Self.files(s, splitAt: [cut])
            XCTAssertEqual(split.map(\.name), whole.map(\.name))
            for (a, b) in zip(split, whole) { XCTAssertTrue(a.bytes == b.bytes, "split before \(cut): \(a.name)") }
        }
    }

    func testSplitsInThreeEqualOnePass() {
        let s = Self.scenario()
        let whole = ReportRenderer.files(s.data())
        let n = s.logs[.intake]?.count ?? 0
        for first in stride(from: 0, through: n, by: 3) {
            for second in stride(from: first, through: n, by: 4) {
                let split = Self.files(s, splitAt: [first, second])
                for (a, b) in zip(split, whole) {
                    XCTAssertTrue(a.bytes == b.bytes, "splits before \(first), \(second): \(a.name)")
                }
            }
        }
    }

    /// The integer sort keys order cases as the strings do, including ids of different lengths and
    /// non-ASCII text (which falls back to comparing strings).
    func testSealOrdersLikeStrings() {
        let regions = ["220101001001", "220101001002", "22010100100", "220201001001", "2201010010011234567"]
        let households = ["H1", "H10", "H2", "HH220101000000001", "户1", "H", "HH2201010000000011234567890"]
        var book = CaseBook()
        var all: [Case] = []
        for (k, r) in regions.enumerated() {
            for (j, h) in households.enumerated() {
                let c = Case(region: r, householdID: h, personID: j % 2 == 0 ? nil : "P\(k)", events: [.zero],
                             date: "2025-0\(j % 9 + 1)-01")
                all.append(c)
            }
        }
        for c in all.reversed() { book.add(.lifted, c) }
        book.seal()
        let expected = all.sorted {
            ($0.region, $0.householdID, $0.personID ?? "", $0.date)
                < ($1.region, $1.householdID, $1.personID ?? "", $1.date)
        }
        XCTAssertEqual(book.cases(.lifted), expected)
        XCTAssertEqual(book.count(.lifted, in: "2201"), 28)
        XCTAssertEqual(book.count(.lifted, in: "220201"), 7)
    }
}

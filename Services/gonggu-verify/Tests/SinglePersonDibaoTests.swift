import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// docs/RULES-verify.md, 单人户施保, from the rule's wording: "A severely disabled adult in a 低保边缘 household (income
/// between the 低保 line and 1.5× it) may be covered as a single-person household. Flag severely disabled
/// adults in such households who are not covered. The 低保 line is set by each city/county and changes
/// yearly: an effective-dated rule value per region; a civil-affairs 低保边缘 status, where given, decides
/// over the income test." The line is 5,400 yuan per person per year by default (assumed).
final class SinglePersonDibaoTests: XCTestCase {
    enum Basis: Equatable { case none, civilAffairs, income }

    struct Case {
        let name: String
        var region = changchun
        var rules: String?
        /// Per-capita yearly income assessed in January 2025 (nil: no assessment).
        var perCapitaFen: Int?
        /// Civil-affairs 低保边缘 status: start and optional stop month.
        var status: (String, String?)?
        var householdDibao = false
        var birth = "1980-05-01"
        let expected: Basis
    }

    static let line = 540_000, upper = 810_000

    static let cases: [Case] = [
        Case(name: "civil-affairs 低保边缘 status, no income", status: ("2024-06", nil), expected: .civilAffairs),
        Case(name: "income one fen below the line: 低保 itself, not 低保边缘", perCapitaFen: line - 1, expected: .none),
        Case(name: "income at the line", perCapitaFen: line, expected: .income),
        Case(name: "income one fen below 1.5 × the line", perCapitaFen: upper - 1, expected: .income),
        Case(name: "income at 1.5 × the line", perCapitaFen: upper, expected: .none),
        Case(name: "no income and no status", expected: .none),
        Case(name: "status given and ended: it decides over an income in the band", perCapitaFen: 600_000,
             status: ("2023-01", "2024-06"), expected: .none),
        Case(name: "status given: it decides over an income outside the band", perCapitaFen: 1_000_000,
             status: ("2024-06", nil), expected: .civilAffairs),
        Case(name: "household on 低保: covered, nothing to flag", perCapitaFen: 600_000, householdDibao: true,
             expected: .none),
        Case(name: "a minor in the band is not flagged", perCapitaFen: 600_000, birth: "2010-05-01", expected: .none),
        Case(name: "2202 sets its own line: 5,600 is below it", region: jilinCity,
             rules: document(regions: #"{"2202": {"dibao": {"lineFenPerYear": 600000}}}"#), perCapitaFen: 560_000,
             expected: .none),
        Case(name: "the same income in 2201 is in the band", rules: document(regions:
             #"{"2202": {"dibao": {"lineFenPerYear": 600000}}}"#), perCapitaFen: 560_000, expected: .income),
        Case(name: "a new line effective from 2025 takes the household out of the band",
             rules: document(version: "2025.2", from: "2025-01-01", regions: "{}")
                .replacingOccurrences(of: #""lineFenPerYear": 540000"#, with: #""lineFenPerYear": 600000"#),
             perCapitaFen: 560_000, expected: .none),
    ]

    func testSinglePersonDibaoTable() {
        for c in Self.cases {
            var f = Feed()
            if let rules = c.rules { f.add(rulesEvent(rules), "verify", region: "", date: "2021-01-01") }
            let p = residentID(birth: "1980-05-01", seq: 200 + c.name.count), h = "H-SP"
            f.add(survey(p, h, birth: c.birth, grade: 1), h, region: c.region, date: "2025-01-05")
            if let (start, stop) = c.status {
                f.add(assistance(h, .dibaoMarginal, start: start, stop: stop), h, region: c.region, date: "2025-01-06")
            }
            if c.householdDibao {
                f.add(assistance(h, .dibao, start: "2024-01"), h, region: c.region, date: "2025-01-06")
            }
            if let pc = c.perCapitaFen {
                f.add(IncomeAssessed(householdID: h, year: 2024, netIncomeFen: pc * 3, members: 3,
                                     assessedDate: "2025-01-10", source: src), h, region: c.region, date: "2025-01-10")
            }
            f.ticks(from: "2025-02", to: "2025-12")
            let gaps = f.gaps.filter { $0.measure == .singlePersonDibao }
            switch c.expected {
            case .none:
                XCTAssertEqual(gaps.count, 0, c.name)
            case .civilAffairs:
                XCTAssertEqual(gaps.count, 1, c.name)
                XCTAssertTrue(gaps.first?.summary.contains("民政部门认定") ?? false, c.name)
                XCTAssertFalse(gaps.first?.thresholds.contains { $0.0 == "perCapitaIncomeFen" } ?? true, c.name)
            case .income:
                XCTAssertEqual(gaps.count, 1, c.name)
                guard let g = gaps.first else { continue }
                XCTAssertTrue(g.summary.contains("依据收入测算"), "\(c.name): \(g.summary)")
                XCTAssertTrue(g.summary.contains("假设值"), "the assumed line is said where used: \(c.name)")
                XCTAssertEqual(g.thresholds.first { $0.0 == "perCapitaIncomeFen" }?.1, c.perCapitaFen, c.name)
                XCTAssertEqual(g.thresholds.first { $0.0 == "dibaoLineFen" }?.1, Self.line, c.name)
                XCTAssertEqual(g.thresholds.first { $0.0 == "marginalUpperFen" }?.1, Self.upper, c.name)
                XCTAssertEqual(g.evidence.count, 2, c.name)
                // The entitlement runs from the income assessment, the first fact that shows it.
                XCTAssertEqual(g.periodFrom, "2025-01", c.name)
            }
        }
    }

    /// The living-subsidy extension to 低保边缘 households uses the same two bases.
    func testLivingExtensionUsesTheIncomeTestToo() {
        var f = Feed()
        f.add(rulesEvent(document(regions: #"{"2201": {"living": {"includeDibaoMarginal": true}}}"#)), "verify",
              region: "", date: "2021-01-01")
        let p = residentID(birth: "1980-05-01", seq: 291), h = "H-LX"
        f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2025-01-05")
        f.add(IncomeAssessed(householdID: h, year: 2024, netIncomeFen: 1_200_000, members: 2,
                             assessedDate: "2025-01-10", source: src), h, date: "2025-01-10")
        f.ticks(from: "2025-02", to: "2025-06")
        XCTAssertEqual(f.gaps.map(\.measure), [.living])
        XCTAssertTrue(f.gaps.first?.summary.contains("依据收入测算") ?? false)
    }

    /// Covered on their own after a gap found by the income test: the gap closes because the person now
    /// receives 低保, not because the household stopped being 低保边缘.
    func testPersonalDibaoAfterAnIncomeGapClosesItAsReceived() throws {
        var f = Feed()
        let p = residentID(birth: "1980-05-01", seq: 293), h = "H-PD"
        f.add(survey(p, h, birth: "1980-05-01", grade: 1), h, date: "2025-01-05")
        f.add(IncomeAssessed(householdID: h, year: 2024, netIncomeFen: 600_000, members: 1,
                             assessedDate: "2025-01-10", source: src), h, date: "2025-01-10")
        f.ticks(from: "2025-02", to: "2025-05")
        XCTAssertEqual(f.gaps.map(\.measure), [.singlePersonDibao])
        f.add(assistance(h, .dibao, person: p, start: "2025-05"), h, date: "2025-05-20")
        f.ticks(from: "2025-06", to: "2025-06")
        let resolved = try XCTUnwrap(f.resolved.first)
        XCTAssertTrue(resolved.summary.contains("已开始享受"), resolved.summary)
    }

    /// A later assessment that lifts the income above the band closes the finding.
    func testIncomeAboveTheBandResolves() {
        var f = Feed()
        let p = residentID(birth: "1980-05-01", seq: 292), h = "H-RS"
        f.add(survey(p, h, birth: "1980-05-01", grade: 1), h, date: "2025-01-05")
        f.add(IncomeAssessed(householdID: h, year: 2024, netIncomeFen: 600_000, members: 1,
                             assessedDate: "2025-01-10", source: src), h, date: "2025-01-10")
        f.ticks(from: "2025-02", to: "2025-05")
        XCTAssertEqual(f.gaps.map(\.measure), [.singlePersonDibao])
        f.add(IncomeAssessed(householdID: h, year: 2025, netIncomeFen: 900_000, members: 1,
                             assessedDate: "2025-05-20", source: src), h, date: "2025-05-20")
        f.ticks(from: "2025-06", to: "2025-06")
        XCTAssertEqual(f.resolved.count, 1)
    }
}

import Foundation
import GongguCore
import GongguInvestigation
import GongguRisk
import XCTest

/// The monitoring line moved (docs/RULES-WHATIF.md), on a province built for it (`BandProvince`): raising the 2025
/// monitoring line by 200 yuan reports as new recommendations exactly the households whose income lies
/// between the old and the new line. docs/RULES-risk.md §3: "income below the line" is the signal, so the line
/// itself is not below it — a household exactly at the old line is newly below the new one (in the
/// band), one exactly at the new line is below neither (outside). Expectations are computed here from
/// the incomes written, not from the code under test.
final class MonitoringLineBandTests: XCTestCase {
    static let (old, new) = (760_000, 780_000)
    nonisolated(unsafe) static var province: Result<BandProvince, Error>!

    override class func setUp() {
        super.setUp()
        province = Result { try BandProvince() }
    }

    override class func tearDown() {
        if case .success(let p) = province { p.remove() }
        super.tearDown()
    }

    private func band(_ p: BandProvince, _ keep: (BandProvince.Household) -> Bool = { _ in true }) -> Set<String> {
        Set(p.households.filter { $0.perCapita >= Self.old && $0.perCapita < Self.new && keep($0) }.map(\.id))
    }

    func testRaisingTheLineReportsExactlyTheHouseholdsBetweenTheLines() throws {
        let p = try Self.province.get()
        let expected = band(p)
        XCTAssertEqual(expected.count, 4 * BandProvince.counties.count, "four per county: at the old line and inside")
        let report = try RulesWhatIf.compare(
            proposed: try BandProvince.line(Self.new, version: "line+200"), logs: p.logs())

        XCTAssertEqual(Set(report.differences.map(\.decision.householdID)), expected, "exactly the band, nothing else")
        XCTAssertEqual(report.differences.count, expected.count, "one difference per household")
        for d in report.differences {
            XCTAssertEqual(d.kind, .added, "\(d)")
            XCTAssertEqual(d.decision.kind, .monitoring, "\(d)")
            XCTAssertEqual(d.proposed?.ruleVersion, "line+200")
            XCTAssertEqual(d.ruleKeys.map(\.path), ["defaults.monitoringLineFen.2025"])
        }
        // The edges, by name: exactly at the old line is in; one fen below it was recommended already;
        // exactly at the new line and above it are out.
        let byIncome = Dictionary(grouping: p.households, by: \.perCapita)
        let reported = Set(report.differences.map(\.decision.householdID))
        for h in byIncome[Self.old]! { XCTAssertTrue(reported.contains(h.id), "exactly at the old line: \(h.id)") }
        for h in byIncome[Self.new - 1]! { XCTAssertTrue(reported.contains(h.id), "one fen under the new line") }
        for income in [Self.old - 1, Self.new, Self.new + 1, 500_000, 1_200_000] {
            for h in byIncome[income]! { XCTAssertFalse(reported.contains(h.id), "\(income): \(h.id)") }
        }
        // Households below the old line are recommended in both runs, so the counts differ by the band.
        let below = p.households.filter { $0.perCapita < Self.old }.count
        XCTAssertEqual(report.inForceCount, below)
        XCTAssertEqual(report.proposedCount, below + expected.count)
        XCTAssertEqual(report.ruleChanges.map(\.chinese), ["defaults.monitoringLineFen.2025：760000 → 780000"])
    }

    func testAnIdenticalDocumentReportsNoDifferenceAtAll() throws {
        let p = try Self.province.get()
        // The built-in document under another version label: the same rules from the same date.
        let same = try RuleDocument(
            text: RiskRules.defaultDocument.replacingOccurrences(
                of: "\"version\": \"2025.1\"", with: "\"version\": \"same\""))
        let report = try RulesWhatIf.compare(proposed: same, logs: p.logs())
        XCTAssertEqual(report.differences, [])
        XCTAssertEqual(report.ruleChanges, [])
        XCTAssertEqual(report.inForceCount, p.households.filter { $0.perCapita < Self.old }.count)
        XCTAssertEqual(report.inForceCount, report.proposedCount)
    }

    /// `--region PREFIX`: only households under the prefix, county or prefecture.
    func testRegionKeepsOnlyHouseholdsUnderThePrefix() throws {
        let p = try Self.province.get()
        let proposed = try BandProvince.line(Self.new, version: "line+200")
        for prefix in ["220183", "2202", "2299"] {
            let report = try RulesWhatIf.compare(proposed: proposed, logs: p.logs(), regionPrefix: prefix)
            XCTAssertEqual(
                Set(report.differences.map(\.decision.householdID)), band(p) { $0.region.hasPrefix(prefix) }, prefix)
            XCTAssertEqual(
                report.inForceCount,
                p.households.filter { $0.region.hasPrefix(prefix) && $0.perCapita < Self.old }.count)
        }
    }

    /// `--asof`: only what was recorded by then is replayed — the second batch's households are not
    /// reported before it was recorded, and nothing is before the first.
    func testAsOfReplaysOnlyWhatWasRecordedByThen() throws {
        let p = try Self.province.get()
        let proposed = try BandProvince.line(Self.new, version: "line+200")
        let first = try RulesWhatIf.compare(proposed: proposed, logs: p.logs(), until: p.firstRecorded + 1000)
        XCTAssertEqual(Set(first.differences.map(\.decision.householdID)), band(p) { $0.firstBatch })
        XCTAssertFalse(first.differences.isEmpty)
        let later = try RulesWhatIf.compare(proposed: proposed, logs: p.logs(), until: p.secondRecorded + 1000)
        XCTAssertEqual(Set(later.differences.map(\.decision.householdID)), band(p))
        let before = try RulesWhatIf.compare(proposed: proposed, logs: p.logs(), until: p.firstRecorded - 1)
        XCTAssertEqual(before.differences, [])
        XCTAssertEqual(before.inForceCount, 0)
    }

    /// The progress callback (the command's progress bar) ends at its total.
    func testProgressReachesTheTotal() throws {
        let p = try Self.province.get()
        var last = (0, 0)
        _ = try RulesWhatIf.compare(proposed: try BandProvince.line(Self.new, version: "x"), logs: p.logs()) {
            last = ($0, $1)
        }
        XCTAssertGreaterThan(last.1, 0)
        XCTAssertEqual(last.0, last.1)
    }
}

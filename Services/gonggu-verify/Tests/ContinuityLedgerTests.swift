import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// The yearly continuity ledger (docs/REPORT.md) and coverage counts.
final class ContinuityLedgerTests: XCTestCase {
    static let a = residentID(birth: "1980-01-01", seq: 901)
    static let b = residentID(birth: "1960-02-02", seq: 902)
    static let c = residentID(birth: "1990-03-03", seq: 903)
    static let d = residentID(birth: "2019-03-01", seq: 904)

    static func scenario() -> Feed {
        var f = Feed()
        let (a, b, c, d) = (Self.a, Self.b, Self.c, Self.d)
        // H-C1: 低保 stopped mid-2024 with no reason; living subsidy continued; nursing stopped at death.
        f.add(lifted("H-C1"), "H-C1", date: "2020-12-31")
        f.add(survey(a, "H-C1", name: "张一", birth: "1980-01-01", grade: 4), "H-C1", date: "2023-01-05")
        f.add(survey(b, "H-C1", name: "张二", birth: "1960-02-02", grade: 1, care: true), "H-C1", date: "2023-01-05")
        f.add(assistance("H-C1", .dibao, start: "2020-01"), "H-C1", date: "2020-01-10")
        // H-C2 (another prefecture): left poverty, no measure. H-C3: never poor, not in the ledger.
        f.add(lifted("H-C2", year: 2019), "H-C2", region: jilinCity, date: "2019-12-31")
        f.add(survey(residentID(birth: "1985-01-01", seq: 905), "H-C3", birth: "1985-01-01", grade: 4), "H-C3",
              date: "2023-01-05")
        f.add(assistance("H-C3", .dibao, start: "2020-01"), "H-C3", date: "2020-01-10")
        // H-C4: pension premium paid both years; a child's rehabilitation lapsed.
        f.add(lifted("H-C4"), "H-C4", date: "2020-12-31")
        f.add(survey(c, "H-C4", name: "赵三", birth: "1990-03-03", grade: 2, pension: true), "H-C4", date: "2023-01-05")
        f.add(survey(d, "H-C4", name: "赵小四", birth: "2019-03-01", category: .hearing, grade: 3, rehab: true), "H-C4",
              date: "2023-01-05")
        f.add(ProjectRecorded(projectID: "R-D", kind: .rehabilitation, householdID: "H-C4", personID: d,
                              date: "2023-06-15", amountFen: 800_000, source: src), "H-C4", date: "2023-06-15")
        for y in [2023, 2024] {
            f.add(PensionRecorded(householdID: "H-C4", personID: c, year: y, enrolled: true, governmentPaidFen: 10000,
                                  source: src), "H-C4", date: "\(y)-07-01")
        }
        f.pay(a, "H-C1", .living, from: "2023-12", to: "2024-12")
        f.pay(b, "H-C1", .nursing, from: "2023-12", to: "2024-03")
        f.add(LifeEventRecorded(householdID: "H-C1", personID: b, kind: .death, date: "2024-03-15", source: src),
              "H-C1", date: "2024-03-20")
        f.add(assistance("H-C1", .dibao, start: "2020-01", stop: "2024-06"), "H-C1", date: "2024-06-25")
        f.ticks(from: "2025-01", to: "2025-01")
        return f
    }

    func testCSVContent() {
        let f = Self.scenario()
        let (a, b, c, d) = (Self.a, Self.b, Self.c, Self.d)
        func m(_ id: String) -> String { PersonalDataMask.maskID(id) }
        let expected = [
            "户编号,区划代码,残疾人姓名,身份证号（脱敏）,措施,年初享受,年内持续,停止月份,停止原因,结论",
            "H-C1,220102001001,,,低保,是,否,2024-07,,中断（无正当理由）",
            "H-C1,220102001001,张一,\(m(a)),困难残疾人生活补贴,是,是,,,保持延续",
            "H-C1,220102001001,张二,\(m(b)),重度残疾人护理补贴,是,否,2024-04,死亡,停止（有正当理由）",
            "H-C4,220102001001,赵三,\(m(c)),城乡居民养老保险保费代缴,是,是,,,保持延续",
            "H-C4,220102001001,赵小四,\(m(d)),残疾儿童康复救助,是,否,2024-06,,中断（无正当理由）",
            "H-C2,220202001001,,,（无）,否,,,,年初无在享主要帮扶措施",
        ].joined(separator: "\r\n") + "\r\n"
        let csv = f.fold.continuityLedger.csv(year: 2024, regionPrefix: "22")
        XCTAssertEqual(csv, expected)
        for id in [a, b, c, d] { XCTAssertFalse(csv.contains(id), "resident IDs are masked") }
        let summary = f.fold.continuityLedger.summary(year: 2024, regionPrefix: "22")
        XCTAssertEqual(summary.lifted, 3)
        XCTAssertEqual(summary.households, 2, "H-C1 and H-C4 had a measure at the start; H-C2 had none")
        XCTAssertEqual(summary.allContinued, 0, "both had an unexplained stop")
        XCTAssertEqual(summary.noMeasure, 1, "H-C2, on its own line")
    }

    func testRegionPrefixSelects() {
        let f = Self.scenario()
        let rows = f.fold.continuityLedger.rows(year: 2024, regionPrefix: "2202")
        XCTAssertEqual(rows.map(\.householdID), ["H-C2"])
        XCTAssertEqual(f.fold.continuityLedger.rows(year: 2024, regionPrefix: "2203"), [])
        XCTAssertEqual(Set(f.fold.continuityLedger.rows(year: 2024, regionPrefix: "220102").map(\.householdID)),
                       ["H-C1", "H-C4"])
    }

    /// The year before: H-C1's 低保 continued through 2023; H-C4 had nothing yet at 2023-01.
    func testEarlierYear() {
        let f = Self.scenario()
        let rows = f.fold.continuityLedger.rows(year: 2023, regionPrefix: "220102")
        XCTAssertEqual(rows.map(\.householdID), ["H-C1", "H-C4"])
        XCTAssertEqual(rows.map(\.measure), [.dibao, nil])
        XCTAssertEqual(rows.map(\.conclusion), [.continued, .noMeasure])
    }

    func testCoverage() {
        let f = Self.scenario()
        let rows = f.fold.coverage(regionPrefix: "220102")
        let table = Dictionary(uniqueKeysWithValues: rows.map { ($0.measure, [$0.entitled, $0.receiving]) })
        XCTAssertEqual(table[.pension], [1, 1])
        XCTAssertEqual(table[.childRehabilitation], [1, 0])
        XCTAssertEqual(table[.living], [1, 0], "H-C3 is in 低保 and entitled, but not paid")
        XCTAssertEqual(table[.nursing], [0, 0])
        XCTAssertEqual(f.fold.coverage(regionPrefix: "2202").map(\.entitled), [0, 0, 0, 0, 0, 0])
    }
}

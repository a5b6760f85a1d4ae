import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

final class ValueParsingTests: XCTestCase {
    private func withBytes<T>(_ s: String, _ body: (Bytes) throws(Rejection) -> T) -> Result<T, Rejection> {
        var s = s
        return s.withUTF8 { u in
            do throws(Rejection) { return .success(try body(u)) } catch { return .failure(error) }
        }
    }

    func testDates() throws {
        let serial = CivilDate.days(year: 2024, month: 3, day: 15) - DateText.excelEpoch
        XCTAssertEqual(serial, 45366)
        let good = [
            "2024-03-15", "2024/3/15", "2024.3.15", "2024年3月15日", "20240315", "45366", " 2024-3-15 ", "2024/3/15 0:00",
            "2024-03-15 08:30:00", "45366.5", "2024年03月15日",
        ]
        for s in good {
            XCTAssertEqual(try withBytes(s) { v throws(Rejection) in try DateText.date(v) }.get().text, "2024-03-15", s)
        }
        XCTAssertEqual(try withBytes("45292") { v throws(Rejection) in try DateText.date(v) }.get().text, "2024-01-01")
        let bad: [(String, String)] = [
            ("2023-02-29", "date.invalid"), ("2024-13-01", "date.invalid"), ("1899-12-31", "date.invalid"),
            ("yesterday", "date.format"), ("2024-03", "date.format"), ("15/03/2024", "date.format"),
            ("2024-03-15x", "date.format"), ("999", "date.format"), ("2024-03-15 late", "date.format"),
        ]
        for (s, code) in bad {
            switch withBytes(s, { v throws(Rejection) in try DateText.date(v) }) {
            case .success(let d): XCTFail("\(s) accepted as \(d.text)")
            case .failure(let r): XCTAssertEqual(r.code, code, s)
            }
        }
        XCTAssertEqual(
            try withBytes("2024-02-29") { v throws(Rejection) in try DateText.date(v) }.get().days,
            CivilDate.days(year: 2024, month: 2, day: 29))
    }

    func testMonths() throws {
        for s in ["2024-03", "202403", "2024年3月", "2024/3", "2024-03-01", "2024-03-31", "45352", "2024.03"] {
            XCTAssertEqual(try withBytes(s) { v throws(Rejection) in try DateText.month(v) }.get().text, "2024-03", s)
        }
        for (s, code) in [("2024-13", "month.invalid"), ("March", "month.format"), ("2024", "month.format")] {
            switch withBytes(s, { v throws(Rejection) in try DateText.month(v) }) {
            case .success(let m): XCTFail("\(s) accepted as \(m.text)")
            case .failure(let r): XCTAssertEqual(r.code, code, s)
            }
        }
    }

    func testAmounts() throws {
        let good: [(String, Int)] = [
            ("1234.5", 123_450), ("¥1,234.56", 123_456), ("￥100", 10_000), ("100元", 10_000), ("12.500", 1_250),
            ("0", 0), ("0.01", 1), (" 75.50 ", 7_550), ("+3", 300), ("1,234,567", 123_456_700),
        ]
        for (s, fen) in good {
            XCTAssertEqual(try withBytes(s) { v throws(Rejection) in try NumberText.fen(v) }.get(), fen, s)
        }
        let bad: [(String, String)] = [
            ("-5", "amount.negative"), ("−5", "amount.negative"), ("12.345", "amount.decimals"),
            ("abc", "amount.invalid"), ("1.2E+04", "amount.invalid"), ("12,34", "amount.invalid"),
            ("1,2345", "amount.invalid"), ("100000001", "amount.too_large"), ("1..2", "amount.invalid"),
            ("", "amount.invalid"),
        ]
        for (s, code) in bad {
            switch withBytes(s, { v throws(Rejection) in try NumberText.fen(v) }) {
            case .success(let f): XCTFail("\(s) accepted as \(f)")
            case .failure(let r): XCTAssertEqual(r.code, code, s)
            }
        }
    }

    func testYearsAndCounts() throws {
        XCTAssertEqual(try withBytes("2024年") { v throws(Rejection) in try NumberText.year(v) }.get(), 2024)
        XCTAssertEqual(try withBytes("4人") { v throws(Rejection) in try NumberText.count(v) }.get(), 4)
        for s in ["24", "1900", "20240", "二〇二四"] {
            if case .success = withBytes(s, { v throws(Rejection) in try NumberText.year(v) }) { XCTFail(s) }
        }
        for s in ["0", "100", "-1", "2.5"] {
            if case .success = withBytes(s, { v throws(Rejection) in try NumberText.count(v) }) { XCTFail(s) }
        }
    }

    func testEnumerationSpellings() {
        func look<V>(_ t: EnumTable<V>, _ s: String) -> V? {
            var s = s
            return s.withUTF8 { t.lookup($0) }
        }
        XCTAssertEqual(look(Enums.poverty, "脱贫户"), .lifted)
        XCTAssertEqual(look(Enums.poverty, "Lifted"), .lifted)
        XCTAssertEqual(look(Enums.poverty, "边缘易致贫户"), .monitoredMarginal)
        XCTAssertEqual(look(Enums.labour, "有劳动力"), .full)
        XCTAssertEqual(look(Enums.labour, " FULL "), .full)
        XCTAssertEqual(look(Enums.labour, "弱劳动力或半劳动力"), .weak)
        XCTAssertEqual(look(Enums.labour, "丧失劳动力"), LabourCapacity.none)
        XCTAssertEqual(look(Enums.programme, "低保"), .dibao)
        XCTAssertEqual(look(Enums.programme, "dibao"), .dibao)
        XCTAssertEqual(look(Enums.programme, "特困供养"), .tekun)
        XCTAssertEqual(look(Enums.category, "肢体残疾"), .physical)
        XCTAssertEqual(look(Enums.category, "4"), .physical)
        XCTAssertEqual(look(Enums.grade, "二级"), 2)
        for yes in ["是", "Y", "y", "1", "yes", "TRUE"] { XCTAssertEqual(look(Enums.flag, yes), true, yes) }
        for no in ["否", "N", "n", "0", "no", "false"] { XCTAssertEqual(look(Enums.flag, no), false, no) }
        XCTAssertNil(look(Enums.flag, "也许"))
        XCTAssertNil(look(Enums.labour, "强"))
    }

    func testRegionPolicy() {
        let policy = RegionPolicy(provincePrefixes: ["22"], pseudoPrefixes: ["229901"])
        XCTAssertTrue(policy.allows("220102001001"))
        XCTAssertFalse(policy.allows("110101001001"))
        let changbai = RegionPolicy(provincePrefixes: ["22"], pseudoPrefixes: ["99"])
        XCTAssertTrue(changbai.allows("990001001001"))
        XCTAssertEqual(changbai.defaultRegion, "22")
    }

    func testCivilDateRoundTrip() {
        for days in stride(from: -30_000, to: 60_000, by: 997) {
            let (y, m, d) = CivilDate.date(days: days)
            XCTAssertEqual(CivilDate.days(year: y, month: m, day: d), days)
        }
        XCTAssertEqual(CivilDate.chinaMidnight(days: CivilDate.days(year: 2024, month: 1, day: 1)), 1_704_038_400_000)
    }
}

import Foundation
import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

/// The second fixture set (`Fixtures/xlsx/make_more_fixtures.py`): a code typed as a number that
/// lost its leading digit (openpyxl), and a survey sheet written by LibreOffice Calc.
final class XlsxWritersTests: IntakeTestCase {
    func testCodeTypedAsNumberLostItsLeadingDigit() throws {
        let (outcomes, summary) = try read("codes.xlsx", .member)
        XCTAssertEqual(summary.read, 3)
        XCTAssertEqual(summary.accepted, 2, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        let accepted = outcomes.filter(\.isAccepted).map(\.event)
        // C4 = 222401100201 typed as a number with all 12 digits: its digit text.
        XCTAssertEqual(accepted.map(\.region), ["220102001001", "222401100201"])
        let r = try XCTUnwrap(outcomes[1].rejection)
        XCTAssertEqual(r.line, 3)
        XCTAssertEqual(r.code, "region.length")
        XCTAssertEqual(r.field, "区划代码")
        XCTAssertTrue(r.reason.hasPrefix("工作表“成员”第3行「区划代码」（单元格C3）："), r.reason)
        XCTAssertTrue(r.reason.contains("实际为11位"), r.reason)
        XCTAssertTrue(r.reason.contains("前面的0丢失"), r.reason)
        // The CSV path gives the same reason for the same 11 digits.
        let csv = try XCTUnwrap(
            try rejection(.member, header: "户编号,身份证号,区划代码,劳动能力,入户日期",
                          row: "HH002,\(TestIDs.b),22020300200,弱劳动力,2021-05-01"))
        XCTAssertEqual(csv.code, "region.length")
        let csvReason = try XCTUnwrap(csv.reason.components(separatedBy: "：").dropFirst().first)
        XCTAssertTrue(r.reason.contains(csvReason), r.reason)
    }

    func testLibreOfficeWorkbook() throws {
        let (outcomes, summary) = try read("libreoffice.xlsx", .survey)
        XCTAssertEqual(summary.read, 4)
        XCTAssertEqual(summary.accepted, 3, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        let facts = try outcomes.filter(\.isAccepted).map { try $0.event.decode(DisabilityRecorded.self) }
        XCTAssertEqual(facts.map(\.personID), [TestIDs.a, TestIDs.c, TestIDs.withX])
        XCTAssertEqual(facts.map(\.source.line), [2, 4, 5])
        XCTAssertEqual(facts.map(\.name), ["张三", "孙七", "赵六"])
        // B4 = 1001 and C4 = 222401100201 as numbers (LibreOffice writes t="n").
        XCTAssertEqual(facts.map(\.householdID), ["HH001", "1001", "HH004"])
        XCTAssertEqual(outcomes.filter(\.isAccepted).map(\.event.region), ["220102001001", "222401100201", "222401100200"])
        XCTAssertEqual(facts.map(\.grade), [1, 4, 1])
        // J2 (yyyy-mm-dd) and J5 (a Chinese custom format) are date serials in LibreOffice's own styles.
        let day = { (y: Int, m: Int, d: Int) in
            CivilDate.chinaMidnight(days: CivilDate.days(year: y, month: m, day: d))
        }
        let accepted = outcomes.filter(\.isAccepted).map(\.event)
        XCTAssertEqual(accepted[0].occurredAt, day(2024, 3, 15))
        XCTAssertEqual(accepted[2].occurredAt, day(2024, 12, 31))
        // Booleans LibreOffice writes as formulas (TRUE(), FALSE()) with a cached value.
        XCTAssertEqual(facts.map(\.needsLongTermCare), [true, false, false])
        // A3: the ID typed as a number, which LibreOffice writes as 2.2020319751231E+017.
        let r = try XCTUnwrap(outcomes[1].rejection)
        XCTAssertEqual(r.line, 3)
        XCTAssertEqual(r.code, "id.excel_scientific")
        XCTAssertTrue(r.reason.hasPrefix("工作表“调查”第3行「身份证号」（单元格A3）："), r.reason)
        XCTAssertTrue(r.raw.hasPrefix("2.20203E+17,HH002,220203002003,李四"), r.raw)
    }
}

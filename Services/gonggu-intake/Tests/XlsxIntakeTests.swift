import Foundation
import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

extension IntakeTestCase {
    /// Every outcome of fixture `xlsx/NAME` read as `kind`, with the summary (checked balanced).
    func read(_ name: String, _ kind: RecordKind, sheet: String? = nil) throws -> ([IntakeOutcome], ImportSummary) {
        let reader = try IntakeReader(
            path: try fixture("xlsx/\(name)"), context: context(kind, name), sheet: sheet)
        XCTAssertEqual(reader.format, .xlsx)
        var outcomes: [IntakeOutcome] = []
        try reader.forEach { outcomes.append($0) }
        XCTAssertTrue(reader.summary.isBalanced)
        XCTAssertEqual(reader.summary.read, outcomes.count)
        return (outcomes, reader.summary)
    }
}

/// Workbooks written by XlsxWriter and openpyxl (`Fixtures/xlsx/make_fixtures.py`) read through
/// `IntakeReader`: every fact and every rejection.
final class XlsxIntakeTests: IntakeTestCase {
    func testSurveySheetFactsAndRejections() throws {
        let (outcomes, summary) = try read("survey.xlsx", .survey)
        XCTAssertEqual(summary.read, 5)
        XCTAssertEqual(summary.accepted, 3, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        XCTAssertEqual(summary.rejected, 2)
        let facts = try outcomes.filter(\.isAccepted).map { try $0.event.decode(DisabilityRecorded.self) }
        XCTAssertEqual(facts.map(\.personID), [TestIDs.a, TestIDs.c, TestIDs.withX])
        XCTAssertEqual(facts.map(\.source.line), [2, 4, 7])
        XCTAssertEqual(facts.map(\.source.file), ["survey.xlsx", "survey.xlsx", "survey.xlsx"])
        // Shared strings; a formula's cached string (D7).
        XCTAssertEqual(facts.map(\.name), ["张三", "孙七", "赵六"])
        // B4 = 1001 and C4 = 222401100201 typed as numbers that fit: their digit text.
        XCTAssertEqual(facts.map(\.householdID), ["HH001", "1001", "HH004"])
        let accepted = outcomes.filter(\.isAccepted).map(\.event)
        XCTAssertEqual(accepted.map(\.region), ["220102001001", "222401100201", "222401100200"])
        // F4 is a gap in the cell references (E4, G4): the category comes from the card; G4 = 4 is a number.
        XCTAssertEqual(facts.map(\.grade), [1, 4, 1])
        // J2 and J7 are date serials (45366, 45657) with a yyyy-mm-dd and a Chinese format; J4 is
        // an empty styled cell.
        let day = { (y: Int, m: Int, d: Int) in
            CivilDate.chinaMidnight(days: CivilDate.days(year: y, month: m, day: d))
        }
        XCTAssertEqual(accepted[0].occurredAt, day(2024, 3, 15))
        XCTAssertEqual(accepted[2].occurredAt, day(2024, 12, 31))
        XCTAssertNotEqual(accepted[1].occurredAt, day(2024, 3, 15))
        // K2 = TRUE, K7 = FALSE (booleans).
        XCTAssertEqual(facts.map(\.needsLongTermCare), [true, false, false])

        let rejections = outcomes.compactMap(\.rejection)
        XCTAssertEqual(rejections.map(\.line), [3, 5])
        XCTAssertEqual(rejections.map(\.code), ["id.excel_scientific", "card.excel_scientific"])
        XCTAssertEqual(rejections.map(\.field), ["身份证号", "残疾证号"])
        XCTAssertTrue(
            rejections[0].reason.hasPrefix("工作表“调查”第3行「身份证号」（单元格A3）：身份证号被 Excel 显示成了科学计数法"),
            rejections[0].reason)
        XCTAssertTrue(rejections[1].reason.hasPrefix("工作表“调查”第5行「残疾证号」（单元格E5）："), rejections[1].reason)
        // The same reason as the CSV path gives for 2.20102E+17, after the workbook's place.
        let csv = try XCTUnwrap(
            try rejection(.survey, header: "身份证号,户编号,区划代码,姓名,残疾证号,劳动能力,调查年度",
                          row: "2.20102E+17,HH1,220102001001,李四,\(TestIDs.a)41,无劳动力,2024"))
        let csvReason = try XCTUnwrap(csv.reason.components(separatedBy: "：").dropFirst().first)
        XCTAssertTrue(rejections[0].reason.contains(csvReason), rejections[0].reason)
        XCTAssertTrue(rejections[0].raw.hasPrefix("2.20203E+17,HH002,220203002003,李四"), rejections[0].raw)
    }

    func testSecondSheetByNameAndNumber() throws {
        let (byName, summary) = try read("survey.xlsx", .member, sheet: "成员")
        XCTAssertEqual(summary.accepted, 3, byName.compactMap(\.rejection?.reason).joined(separator: "\n"))
        let facts = try byName.map { try $0.event.decode(MemberRecorded.self) }
        XCTAssertEqual(facts.map(\.householdID), ["HH001", "HH002", "5"])
        XCTAssertEqual(facts.map(\.personID), [TestIDs.a, TestIDs.b, TestIDs.c])
        // 1900-03-01 is serial 61 (after Excel's fictitious 1900-02-29), built-in format 14.
        XCTAssertEqual(facts.map(\.since), ["2020-01-01", "1900-03-01", "2019-07-15"])
        let (byNumber, _) = try read("survey.xlsx", .member, sheet: "2")
        XCTAssertEqual(byNumber, byName)
    }

    func testDate1904InlineStringsAndErrorCell() throws {
        let (outcomes, summary) = try read("member1904.xlsx", .member)
        XCTAssertEqual(summary.read, 3)
        XCTAssertEqual(summary.accepted, 2, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        let facts = try outcomes.filter(\.isAccepted).map { try $0.event.decode(MemberRecorded.self) }
        XCTAssertEqual(facts.map(\.householdID), ["HH001", "HH003"])
        XCTAssertEqual(facts.map(\.since), ["2021-06-01", "2023-02-28"])
        let r = try XCTUnwrap(outcomes[1].rejection)
        XCTAssertEqual(r.line, 3)
        XCTAssertEqual(r.field, "区划代码")
        XCTAssertTrue(r.reason.hasPrefix("工作表“Sheet1”第3行「区划代码」（单元格C3）："), r.reason)
    }

    func testSerialDates() {
        XCTAssertEqual(SheetReader.date(serial: 1, date1904: false), "1900-01-01")
        XCTAssertEqual(SheetReader.date(serial: 59, date1904: false), "1900-02-28")
        XCTAssertEqual(SheetReader.date(serial: 60, date1904: false), "1900-02-29")
        XCTAssertEqual(SheetReader.date(serial: 61, date1904: false), "1900-03-01")
        XCTAssertEqual(SheetReader.date(serial: 45366.75, date1904: false), "2024-03-15")
        XCTAssertEqual(SheetReader.date(serial: 0, date1904: true), "1904-01-01")
        XCTAssertEqual(SheetReader.date(serial: 43904, date1904: true), "2024-03-15")
    }

    func testNumberText() {
        XCTAssertEqual(XlsxCellText.number("1001"), "1001")
        XCTAssertEqual(XlsxCellText.number("222401100201"), "222401100201")
        XCTAssertEqual(XlsxCellText.number("2024.0"), "2024")
        XCTAssertEqual(XlsxCellText.number("1234.5"), "1234.5")
        XCTAssertEqual(XlsxCellText.number("2.2020319751231E+17"), "2.20203E+17")
        XCTAssertEqual(XlsxCellText.number("220102198001010012"), "2.20102E+17")
        XCTAssertEqual(XlsxCellText.number("999999999999999"), "999999999999999")
        XCTAssertEqual(XlsxCellText.number("1000000000000000"), "1E+15")
        XCTAssertEqual(XlsxColumn.letters(0), "A")
        XCTAssertEqual(XlsxColumn.letters(27), "AB")
        XCTAssertEqual(SheetReader.reference("$AB$17")?.column, 27)
        XCTAssertEqual(SheetReader.reference("B17")?.row, 17)
    }

    func testLegacyXlsRefused() throws {
        let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        let path = try write("old.xls", bytes: ole2 + [UInt8](repeating: 0, count: 504))
        let e = fileError(path, .survey)
        XCTAssertEqual(e?.code, .legacyExcel)
        XCTAssertTrue(e?.message.contains("另存为 → Excel 工作簿（*.xlsx）") ?? false, e?.message ?? "")
    }

    func testMissingPartsAndUnknownSheetRefused() throws {
        let source = try fixture("xlsx/survey.xlsx")
        let parts = [
            ("xl/sharedStrings.xml", "xl/sharedStrings.xml"), ("xl/worksheets/sheet1.xml", "sheet1.xml"),
            ("xl/workbook.xml", "xl/workbook.xml"),
        ]
        for (part, shown) in parts {
            let bytes = try InflateTests.python(
                "import io,sys,zipfile\nsrc=zipfile.ZipFile('\(source)')\nb=io.BytesIO()\n"
                    + "z=zipfile.ZipFile(b,'w',zipfile.ZIP_DEFLATED)\n"
                    + "for i in src.infolist():\n    if i.filename != '\(part)': z.writestr(i, src.read(i))\n"
                    + "z.close()\nsys.stdout.buffer.write(b.getvalue())")
            let path = try write("broken.xlsx", bytes: bytes)
            let e = fileError(path, .survey)
            XCTAssertEqual(e?.code, .workbook, part)
            XCTAssertTrue(e?.message.contains(shown) ?? false, e?.message ?? "")
        }
        let reader = try IntakeReader(path: source, context: context(.survey), sheet: "汇总")
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? IntakeFileError)?.code, .noSuchSheet)
            XCTAssertTrue((error as? IntakeFileError)?.message.contains("1. 调查，2. 成员") ?? false)
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: source))
        let truncated = try write("cut.xlsx", bytes: Array(whole.prefix(3000)))
        XCTAssertEqual(fileError(truncated, .survey)?.code, .workbook)
    }

    func testFormatFromNameAndMagic() {
        XCTAssertEqual(RecordFormat.guess(fileName: "调查.XLSX"), .xlsx)
        XCTAssertEqual(RecordFormat.guess(fileName: "old.xls"), .xlsx)
        XCTAssertEqual(RecordFormat.guess(fileName: "a.csv"), .csv)
        XCTAssertEqual(RecordFormat.sniff([0x50, 0x4B, 0x03, 0x04, 0]), .xlsx)
        XCTAssertEqual(RecordFormat.sniff([0xD0, 0xCF, 0x11, 0xE0]), .xlsx)
        XCTAssertNil(RecordFormat.sniff(Array("身份证号".utf8)))
    }
}

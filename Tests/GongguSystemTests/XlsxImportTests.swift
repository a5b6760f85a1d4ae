import Foundation
import GongguCore
import XCTest

/// `gonggu import FILE.xlsx` through the real executables against a running intake — the
/// workbook bytes stream through the pipe and intake parses them, so its accounting stays the
/// authority (read = accepted + duplicate + rejected), and the rejects file names sheet and cell.
final class XlsxImportTests: PipelineTestCase {
    func testWorkbookImportThroughTheCLI() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let survey = fixture("xlsx/survey.xlsx")
        let (status, output) = try importFile(survey, kind: "survey", allowRejects: false)
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("读取 5 条，接收 3 条，重复 0 条，退回 2 条"), output)
        let (_, rejects) = try runCLI(["rejects", "--file", "survey.xlsx", "--control", l.control("intake")])
        XCTAssertTrue(rejects.contains("工作表“调查”第3行「身份证号」（单元格A3）"), rejects)
        XCTAssertTrue(rejects.contains("工作表“调查”第5行「残疾证号」（单元格E5）"), rejects)
        // Again: the accepted rows are duplicates now.
        let (_, again) = try importFile(survey, kind: "survey")
        XCTAssertTrue(again.contains("读取 5 条，接收 0 条，重复 3 条，退回 2 条"), again)
        // The second sheet, from a copy whose name says nothing: known by its ZIP header.
        let copy = try makeTemporaryDirectory("in") + "/members.dat"
        try FileManager.default.copyItem(atPath: survey, toPath: copy)
        let (memberStatus, members) = try runCLI(
            ["import", copy, "--kind", "member", "--sheet", "成员", "--control", l.control("intake")])
        XCTAssertEqual(memberStatus, 0, members)
        XCTAssertTrue(members.contains("读取 3 条，接收 3 条，重复 0 条，退回 0 条"), members)
        // An .xls is refused as a file error (exit 65) with advice to save as .xlsx.
        let xls = try makeTemporaryDirectory("in") + "/old.xls"
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            .write(to: URL(fileURLWithPath: xls))
        let (xlsStatus, xlsOutput) = try importFile(xls, kind: "survey")
        XCTAssertEqual(xlsStatus, 65, xlsOutput)
        XCTAssertTrue(xlsOutput.contains(".xlsx"), xlsOutput)
    }
}

import Foundation
import GongguIntake
import GongguSimulation
import XCTest

/// `gonggu simulate --format xlsx`: the same province as workbooks, found exactly as seeded.
final class WorkbookProvinceTests: XCTestCase {
    /// Every CSV table becomes a workbook with the same records; the pipeline check over the
    /// workbooks is exact, with rejections named by workbook row.
    func testWorkbookProvinceIsFoundExactly() throws {
        let dir = try TempDirectory()
        let truth = try Simulator(households: 2000, seed: 42).write(to: dir.path, format: .xlsx)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertFalse(names.contains { $0.hasSuffix(".csv") }, "\(names)")
        XCTAssertTrue(names.contains("survey.xlsx") && names.contains("visit.jsonl"), "\(names)")
        let head = try dir.bytes("survey.xlsx").prefix(4)
        XCTAssertEqual(RecordFormat.sniff(Array(head)), .xlsx)
        let comparison = try PipelineCheck.run(directory: dir.path)
        XCTAssertTrue(comparison.isExact, "\n" + comparison.table)
        XCTAssertEqual(comparison.files.first { $0.file == "subsidy.xlsx" }?.actual.duplicate, 1)
        XCTAssertTrue(truth.rejected.contains { $0.file == "survey.xlsx" })

        // The CSV province of the same seed has the same records, file by file.
        let csvDir = try TempDirectory()
        let csvTruth = try Simulator(households: 2000, seed: 42).write(to: csvDir.path)
        XCTAssertEqual(truth.files.map(\.read), csvTruth.files.map(\.read))
        XCTAssertEqual(truth.findings, csvTruth.findings)
        XCTAssertEqual(truth.rejected.map(\.code), csvTruth.rejected.map(\.code))
    }

    /// The writer's workbook reads back cell for cell (the reader is tested against openpyxl files;
    /// this checks the writer, including DEFLATE back-references, escaping and empty cells).
    func testWriterRoundTrip() throws {
        var w = XlsxWriter()
        var rows: [[String]] = [["身份证号", "姓名", "备注"]]
        for i in 0..<3000 {
            rows.append(["22010219800101\(String(format: "%04d", i))", "张伟\(i % 7)", i % 5 == 0 ? "" : "a<b & \"c\" \(i)"])
        }
        w.addSheet(name: "名单", rows: rows)
        w.addSheet(name: "Second", rows: [["x"]])
        let book = try XlsxWorkbook(w.bytes())
        XCTAssertEqual(book.sheets.map(\.name), ["名单", "Second"])
        let read = try book.rows(try book.sheet(nil))
        XCTAssertEqual(read.count, rows.count)
        for (r, row) in read.enumerated() {
            XCTAssertEqual(row.number, r + 1)
            var expected = [String](repeating: "", count: 3)
            for c in row.cells { if case .text(let t) = c.value { expected[c.column] = t } }
            XCTAssertEqual(expected, rows[r], "row \(r + 1)")
        }
    }
}

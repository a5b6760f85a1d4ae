import Foundation
import GongguCore
import GongguIntake
import XCTest

/// Parser crashes found by fuzzing, each as the smallest input that showed it (the fuzzer's input is
/// kept in `Tests/Fuzz/corpus/<target>/crash-*` as well). Each must be answered with an error.
final class ParserRegressionTests: XCTestCase {
    /// Outcomes of reading `text` as a JSON Lines file of `kind`.
    func readJSONLines(_ text: String, kind: RecordKind = .subsidy) throws -> [IntakeOutcome] {
        let path = NSTemporaryDirectory() + "gonggu-regression-\(UUID().uuidString.prefix(8)).jsonl"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let context = IntakeContext(
            kind: kind, source: "regression.jsonl", importID: EventID(high: 3, low: 4), receivedAt: 1_750_000_000_000)
        let reader = try IntakeReader(path: path, context: context)
        var outcomes: [IntakeOutcome] = []
        try reader.forEach { outcomes.append($0) }
        return outcomes
    }

    /// jsonl, 2026-11-29: a last line ending inside an array right after a comma (`["a",`) read one byte
    /// past the line (a trap in debug builds, an unchecked read in release).
    func testLineEndingInsideAnArrayIsRejected() throws {
        for line in ["{\"personID\": [\"a\",", "{\"personID\": [", "{\"personID\": [ ", "{\"personID\": [1, "] {
            let outcomes = try readJSONLines(line)
            XCTAssertEqual(outcomes.count, 1, line)
            XCTAssertEqual(outcomes.first?.rejection?.code, "json.invalid", line)
        }
    }
}

extension ParserRegressionTests {
    /// xlsx, 2026-12-06: a `<v>` outside any `<c>` (the fuzzer turned `<c r="A1"` into `,c r="A1"`)
    /// made a cell at column −1, and binding the header row then indexed column −1 (a trap).
    /// Now a value outside a cell is ignored; this workbook is then refused as a file (its header
    /// row has lost the ID column A1), like any workbook without the columns its kind needs.
    func testValueOutsideACellIsIgnored() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus")
        let input = try Data(contentsOf: corpus.appendingPathComponent("xlsx/crash-value-outside-cell"))
        let path = NSTemporaryDirectory() + "gonggu-regression-\(UUID().uuidString.prefix(8)).xlsx"
        try input.dropFirst(2).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let context = IntakeContext(
            kind: .member, source: "regression.xlsx", importID: EventID(high: 3, low: 5), receivedAt: 1_750_000_000_000)
        let reader = try IntakeReader(path: path, context: context)
        XCTAssertThrowsError(try reader.forEach { _ in }) { error in
            XCTAssertEqual((error as? IntakeFileError)?.code, .missingColumns, "\(error)")
        }
        XCTAssertTrue(reader.summary.isBalanced)
    }
}

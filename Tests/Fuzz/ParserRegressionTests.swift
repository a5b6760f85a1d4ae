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

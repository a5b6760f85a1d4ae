import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguServices
import GongguStore
import XCTest

/// `gonggu import` of a file larger than one append batch (20,000 records), through the running
/// intake, whose parser hands batches to the log while it parses the next: every record is counted
/// once and committed in file order, and a file-level error after several batches keeps (and counts)
/// what came before it.
final class ImportBatchesTests: PipelineTestCase {
    /// A survey CSV (English headers) of `rows` valid records, then `tail` verbatim.
    func writeSurvey(rows: Int, tail: String = "") throws -> String {
        try Self.writeSurvey(rows: rows, tail: tail, root: root)
    }

    /// A survey CSV of `rows` valid records in `root`, then `tail` verbatim.
    static func writeSurvey(rows: Int, tail: String = "", root: String) throws -> String {
        var text = "personID,householdID,region,name,cardNumber,category,grade,labour,surveyYear,"
            + "needsLongTermCare,pensionEnrolled\n"
        let firstDay = BusinessCalendar.dayNumber(year: 1950, month: 1, day: 1)
        for n in 0..<rows {
            let (y, m, d) = BusinessCalendar.date(ofDay: firstDay + n / 500)
            let body = "220102" + String(format: "%04d%02d%02d%03d", y, m, d, n % 500)
            let id = body + String(UnicodeScalar(ResidentID.checkCharacter(Array(body.utf8))))
            let category = n % 7 + 1, grade = n % 4 + 1
            text += "\(id),H\(n / 2),220102001001,张伟,\(id)\(category)\(grade),\(category),\(grade),弱劳动力,2025,否,是\n"
        }
        let path = root + "/survey-\(rows).csv"
        try (text + tail).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func lastSeq() throws -> Int? { launcher.call("intake", "STATUS")?.body?["lastSeq"]?.intValue }

    /// The intake log's events in seq order: the source line each names.
    func sourceLines() throws -> [Int] { try Self.sourceLines(logPath: launcher.logPath("intake")) }

    /// The source line of every event in an intake log, in seq order.
    static func sourceLines(logPath: String) throws -> [Int] {
        let db = try SQLiteDatabase(path: logPath, readOnly: true)
        // Each import is first recorded as a `CommandAccepted` event (who sent it), which has no source line.
        let rows = try db.prepare(
            "SELECT json_extract(CAST(payload AS TEXT), '$.source.line') FROM events WHERE type != 'CommandAccepted' ORDER BY seq")
        var lines: [Int] = []
        while try rows.step() { lines.append(Int(rows.int64(at: 0))) }
        return lines
    }

    func testAFileOfSeveralBatchesIsCommittedOnceAndInFileOrder() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let path = try writeSurvey(rows: 50_000)
        let (status, output) = try importFile(path, kind: "survey", allowRejects: false)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("read 50000, accepted 50000, duplicate 0, rejected 0"), output)
        XCTAssertEqual(try lastSeq(), 50_001, "the records and the record of the command")
        XCTAssertEqual(try sourceLines(), Array(2...50_001), "one event per line, in file order")

        let (again, againOutput) = try importFile(path, kind: "survey", allowRejects: false)
        XCTAssertEqual(again, 0, againOutput)
        XCTAssertTrue(againOutput.contains("read 50000, accepted 0, duplicate 50000, rejected 0"), againOutput)
        XCTAssertEqual(try lastSeq(), 50_002, "re-importing adds no record, only the record of the command")
    }

    func testAFileErrorAfterSeveralBatchesKeepsAndCountsWhatCameBefore() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        // An unterminated quote on line 45,002 swallows the rest of the file: a file-level error.
        let path = try writeSurvey(rows: 45_000, tail: "\"broken,H1,220102001001\n")
        let (status, output) = try importFile(path, kind: "survey")
        XCTAssertEqual(status, 65, output)
        XCTAssertTrue(output.contains("文件未能完整导入") && output.contains("第45002行"), output)
        XCTAssertTrue(output.contains("read 45000, accepted 45000, duplicate 0, rejected 0"), output)
        XCTAssertEqual(try lastSeq(), 45_001)
        XCTAssertEqual(try sourceLines(), Array(2...45_001))
    }
}

import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

final class CSVReaderTests: IntakeTestCase {
    func testQuotedFieldsLineNumbersAndBlankLines() throws {
        let (outcomes, summary) = try readAll(try fixture("survey_utf8.csv"), .survey)
        XCTAssertEqual(summary.read, 5)
        XCTAssertEqual(summary.accepted, 5, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        // Header line 1; record 2 spans lines 3–4; a blank line (6) and an all-empty row (8) are skipped.
        let lines = try outcomes.map { try $0.event.decode(DisabilityRecorded.self).source.line }
        XCTAssertEqual(lines, [2, 3, 5, 7, 9])
        let first = try outcomes[0].event.decode(DisabilityRecorded.self)
        XCTAssertEqual(first.name, "张三,小名")
        XCTAssertEqual(first.source.file, "survey_utf8.csv")
    }

    func testRFC4180Details() throws {
        let id = TestIDs.a
        let header = "身份证号,户编号,区划代码,姓名,残疾证号,劳动能力,调查年度"
        let text = header + "\r\n"
            + "\(id),HH1,220102001001,\"王\"\"大\"\"\",\(id)41,无劳动力,2024\r\n"  // doubled quotes
            + "\r\n"
            + "\(id),\"HH\n2\",220102001001,\"a,\r\nb\",\(id)41,无劳动力,2025\n"  // LF inside quotes, CRLF inside quotes
            + "\(id),HH3,220102001001,c,\(id)41,无劳动力,2026\r"  // lone CR ends a record
            + "\(id),HH4,220102001001,d,\(id)41,无劳动力,2023"  // no final line break
        let path = try write("rfc.csv", text)
        let (outcomes, summary) = try readAll(path, .survey)
        // The line breaks inside quotes reach the values intact; a household number or
        // a name with a line break inside is refused (`text.control`; only notes keep line breaks).
        XCTAssertEqual(summary.accepted, 3, outcomes.compactMap(\.rejection?.reason).joined(separator: "\n"))
        let rejected = try XCTUnwrap(outcomes[1].rejection)
        XCTAssertEqual(rejected.code, "text.control")
        XCTAssertEqual(rejected.field, "户编号")
        XCTAssertEqual(rejected.line, 4)
        XCTAssertTrue(rejected.raw.contains("\"HH\n2\"") && rejected.raw.contains("\"a,\r\nb\""), rejected.raw)
        let facts = try outcomes.filter(\.isAccepted).map { try $0.event.decode(DisabilityRecorded.self) }
        XCTAssertEqual(facts.map(\.name), ["王\"大\"", "c", "d"])
        XCTAssertEqual(facts.map(\.householdID), ["HH1", "HH3", "HH4"])
        XCTAssertEqual(facts.map(\.source.line), [2, 7, 8])
    }

    func testTinyChunksGiveIdenticalOutcomes() throws {
        for name in ["survey_utf8.csv", "survey_utf8_bom.csv", "survey_gb18030.csv", "survey_english.csv"] {
            let path = try fixture(name)
            let (whole, _) = try readAll(path, .survey)
            for chunk in [1, 2, 3, 5, 7, 64] {
                let (pieces, _) = try readAll(path, .survey, chunkSize: chunk)
                XCTAssertEqual(pieces, whole, "\(name) chunk \(chunk)")
            }
        }
    }

    func testUnterminatedQuoteRefusesTheRest() throws {
        let path = try write("q.csv", "身份证号,户编号\n\(TestIDs.a),\"HH1\n")
        let e = fileError(path, .member)
        // Missing columns is checked first (member needs more); use a full header.
        XCTAssertEqual(e?.code, .missingColumns)
        let full = "户编号,身份证号,区划代码,劳动能力,入户日期\nHH1,\(TestIDs.a),220102001001,无劳动力,2020-01-01\n"
            + "\"HH2,\(TestIDs.b),220102001001,无劳动力,2020-01-01\n"
        let path2 = try write("q2.csv", full)
        let e2 = fileError(path2, .member)
        XCTAssertEqual(e2?.code, .unterminatedQuote)
        XCTAssertEqual(e2?.line, 3)
        XCTAssertTrue(e2?.message.contains("第3行") ?? false)
    }

    func testRunawayRecordIsRefusedWithFlatMemory() throws {
        var text = "户编号,身份证号,区划代码,劳动能力,入户日期\n\"HH1"
        text += String(repeating: "x", count: 2 << 20)
        let path = try write("long.csv", text)
        XCTAssertEqual(fileError(path, .member, chunkSize: 64 * 1024)?.code, .recordTooLong)
    }

    func testExtraColumnsAreRejectedButTrailingEmptyOnesAreNot() throws {
        let header = "户编号,身份证号,区划代码,劳动能力,入户日期"
        let path = try write(
            "x.csv",
            header + "\nHH1,\(TestIDs.a),220102001001,无劳动力,2020-01-01,,\n"
                + "HH1,\(TestIDs.a),220102001001,无劳动力,2020-01-01,多余\n")
        let (outcomes, summary) = try readAll(path, .member)
        XCTAssertEqual(summary.accepted, 1)
        XCTAssertEqual(outcomes[1].rejection?.code, "record.columns")
        XCTAssertEqual(outcomes[1].rejection?.line, 3)
    }

    func testEmptyFile() throws {
        XCTAssertEqual(fileError(try write("e.csv", ""), .survey)?.code, .empty)
        XCTAssertEqual(fileError(try write("e2.csv", "\n\r\n"), .survey)?.code, .empty)
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try IntakeReader(path: dir.appendingPathComponent("none.csv").path, context: context(.survey))) {
            XCTAssertEqual(($0 as? IntakeFileError)?.code, .unreadable)
        }
    }
}

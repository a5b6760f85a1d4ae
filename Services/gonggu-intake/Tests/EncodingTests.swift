import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

final class EncodingTests: IntakeTestCase {
    /// Business content of accepted facts, without the source (which names file and line).
    private func contents(_ outcomes: [IntakeOutcome]) throws -> [DisabilityRecorded] {
        try outcomes.map {
            var f = try $0.event.decode(DisabilityRecorded.self)
            f.source = SourceRef(file: "", line: 0)
            return f
        }
    }

    func testSameRecordsInEveryEncodingAndHeaderLanguage() throws {
        let (utf8, _) = try readAll(try fixture("survey_utf8.csv"), .survey)
        let (bom, _) = try readAll(try fixture("survey_utf8_bom.csv"), .survey)
        let (gb, _) = try readAll(try fixture("survey_gb18030.csv"), .survey)
        let (english, _) = try readAll(try fixture("survey_english.csv"), .survey)
        XCTAssertEqual(utf8.count, 5)
        for other in [bom, gb, english] {
            XCTAssertEqual(try contents(other), try contents(utf8))
            XCTAssertEqual(other.map(\.fingerprint), utf8.map(\.fingerprint))
            XCTAssertEqual(other.map(\.correctionKey), utf8.map(\.correctionKey))
            XCTAssertEqual(other.map(\.event.id), utf8.map(\.event.id))
        }
        XCTAssertEqual(try contents(gb)[0].name, "张三,小名")
    }

    func testDetectedEncoding() throws {
        for (name, expected) in [
            ("survey_utf8.csv", TextEncoding.utf8), ("survey_utf8_bom.csv", .utf8), ("survey_gb18030.csv", .gb18030),
        ] {
            let reader = try IntakeReader(path: try fixture(name), context: context(.survey))
            while try reader.next() != nil {}
            XCTAssertEqual(reader.encoding, expected, name)
        }
    }

    func testForcedEncodings() throws {
        let (gb, _) = try readAll(try fixture("survey_gb18030.csv"), .survey, encoding: .gb18030)
        XCTAssertEqual(gb.filter(\.isAccepted).count, 5)
        let (utf8, _) = try readAll(try fixture("survey_utf8_bom.csv"), .survey, encoding: .utf8)
        XCTAssertEqual(utf8.filter(\.isAccepted).count, 5)
        // GB18030 bytes read as UTF-8: refused, naming the line (the header, line 1).
        let e = fileError(try fixture("survey_gb18030.csv"), .survey, encoding: .utf8)
        XCTAssertEqual(e?.code, .encoding)
        XCTAssertEqual(e?.line, 1)
        XCTAssertTrue(e?.message.contains("UTF-8") ?? false)
    }

    func testInvalidUTF8LaterInTheFileNamesItsLine() throws {
        var bytes = Array(
            ("户编号,身份证号,区划代码,劳动能力,入户日期\n" + "HH1,\(TestIDs.a),220102001001,无劳动力,2020-01-01\n"
                + "HH2,\(TestIDs.b),220102001001,无劳动力,2020-01-01\n").utf8)
        bytes += [0x48, 0x48, 0xFF, 0xFE] + Array(",x\n".utf8)
        let path = try write("bad.csv", bytes: bytes)
        let reader = try IntakeReader(path: path, context: context(.member))
        XCTAssertNotNil(try reader.next())
        XCTAssertNotNil(try reader.next())
        XCTAssertThrowsError(try reader.next()) {
            let e = $0 as? IntakeFileError
            XCTAssertEqual(e?.code, .encoding)
            XCTAssertEqual(e?.line, 4)
        }
        XCTAssertEqual(reader.summary.read, 2)
    }

    func testGB18030MultibyteSplitAcrossEveryChunkBoundary() throws {
        // Four-byte GB18030 sequences (㐀 U+3400, 𠀀 U+20000) and two-byte ones, in a name.
        let text = "户编号,身份证号,区划代码,姓名,劳动能力,入户日期\n" + "HH1,\(TestIDs.a),220102001001,㐀𠀀张,无劳动力,2020-01-01\n"
        let bytes = gb18030(text)
        let path = try write("gb.csv", bytes: bytes)
        for chunk in 1...9 {
            let (outcomes, _) = try readAll(path, .member, encoding: .gb18030, chunkSize: chunk)
            XCTAssertEqual(try outcomes.first?.event.decode(MemberRecorded.self).name, "㐀𠀀张", "chunk \(chunk)")
        }
        let (auto, _) = try readAll(path, .member, chunkSize: 3)
        XCTAssertEqual(try auto.first?.event.decode(MemberRecorded.self).name, "㐀𠀀张")
    }

    func testTruncatedGB18030AtEndOfFile() throws {
        var bytes = gb18030("户编号,身份证号,区划代码,姓名,劳动能力,入户日期\nHH1,\(TestIDs.a),220102001001,张")
        bytes.removeLast()  // half of 张
        let e = fileError(try write("t.csv", bytes: bytes), .member, encoding: .gb18030)
        XCTAssertEqual(e?.code, .encoding)
    }

    func testBOMWithForcedGB18030IsRefused() throws {
        XCTAssertEqual(fileError(try fixture("survey_utf8_bom.csv"), .survey, encoding: .gb18030)?.code, .encoding)
    }

    func testUTF8ScanRejectsOverlongAndSurrogates() {
        func status(_ b: [UInt8]) -> UTF8Scan.Status { b.withUnsafeBufferPointer { UTF8Scan.scan($0).1 } }
        XCTAssertEqual(status([0xC0, 0x80]), .invalid)
        XCTAssertEqual(status([0xED, 0xA0, 0x80]), .invalid)
        XCTAssertEqual(status([0xF4, 0x90, 0x80, 0x80]), .invalid)
        XCTAssertEqual(status([0xE5, 0xBC]), .truncated)
        XCTAssertEqual(status(Array("张三abc".utf8)), .complete)
    }
}

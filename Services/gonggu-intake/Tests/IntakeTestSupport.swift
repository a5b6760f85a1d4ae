import Foundation
import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

#if canImport(Glibc)
import Glibc
#endif

/// Synthetic resident IDs with valid check characters (never real people).
enum TestIDs {
    static func make(_ first17: String) -> String {
        first17 + String(UnicodeScalar(ResidentID.checkCharacter(Array(first17.utf8))))
    }
    /// The IDs used in the fixture files.
    static let a = "220102198001010012"
    static let b = "220203197512310022"
    static let c = "222401199202290037"
    static let converted = "220102199001011239"
    static let old15 = "220102900101123"
    static let withX = "22010219700707109X"
}

/// A test case with a fresh temporary folder and helpers to read files through intake.
class IntakeTestCase: XCTestCase {
    var dir: URL!

    /// Header of a minimal survey file, and one valid row of it with `changes` applied (by header).
    let surveyHeader = "身份证号,户编号,区划代码,姓名,残疾证号,残疾类别,残疾等级,劳动能力,调查年度,是否孤儿"

    func surveyRow(_ changes: [String: String]) -> String {
        let id = TestIDs.a
        var values: [String: String] = [
            "身份证号": id, "户编号": "HH1", "区划代码": "220102001001", "姓名": "张三", "残疾证号": id + "41",
            "残疾类别": "肢体", "残疾等级": "1", "劳动能力": "无劳动力", "调查年度": "2024", "是否孤儿": "否",
        ]
        for (k, v) in changes { values[k] = v }
        return surveyHeader.split(separator: ",").map { values[String($0)]! }.joined(separator: ",")
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return url.path
    }

    func context(_ kind: RecordKind, _ source: String = "test.csv") -> IntakeContext {
        IntakeContext(
            kind: kind, source: source, regionPolicy: .jilin, importID: EventID.derived("import-\(source)"),
            receivedAt: 1_700_000_000_000)
    }

    /// Reads a whole file; checks the summary adds up.
    func readAll(
        _ path: String, _ kind: RecordKind, source: String? = nil, format: RecordFormat? = nil,
        encoding: TextEncoding = .auto, chunkSize: Int = 1 << 20, file: StaticString = #filePath, line: UInt = #line
    ) throws -> ([IntakeOutcome], ImportSummary) {
        let name = source ?? URL(fileURLWithPath: path).lastPathComponent
        let reader = try IntakeReader(
            path: path, context: context(kind, name), format: format, encoding: encoding, chunkSize: chunkSize)
        var outcomes: [IntakeOutcome] = []
        try reader.forEach { outcomes.append($0) }
        let s = reader.summary
        XCTAssertTrue(s.isBalanced, "\(s)", file: file, line: line)
        XCTAssertEqual(s.read, outcomes.count, file: file, line: line)
        XCTAssertEqual(s.accepted, outcomes.filter(\.isAccepted).count, file: file, line: line)
        return (outcomes, s)
    }

    /// The file error a read throws, or a failure if it does not throw one.
    func fileError(
        _ path: String, _ kind: RecordKind, format: RecordFormat? = nil, encoding: TextEncoding = .auto,
        chunkSize: Int = 1 << 20, file: StaticString = #filePath, line: UInt = #line
    ) -> IntakeFileError? {
        do {
            let reader = try IntakeReader(
                path: path, context: context(kind), format: format, encoding: encoding, chunkSize: chunkSize)
            while try reader.next() != nil {}
            XCTFail("expected a file error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    /// The single rejection of a one-record CSV (header + row); fails if the record was accepted.
    func rejection(
        _ kind: RecordKind, header: String, row: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> RecordRejected? {
        let path = try write("one.csv", header + "\n" + row + "\n")
        let (outcomes, summary) = try readAll(path, kind, file: file, line: line)
        XCTAssertEqual(summary.read, 1, file: file, line: line)
        guard let r = outcomes.first?.rejection else {
            XCTFail("expected a rejection, got \(outcomes.first.map { String(describing: $0.event.payloadText) } ?? "none")",
                    file: file, line: line)
            return nil
        }
        return r
    }

    /// UTF-8 text re-encoded as GB18030 with the C library's iconv.
    func gb18030(_ text: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")!
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                var ip: UnsafeMutablePointer<CChar>? = i.baseAddress
                var op: UnsafeMutablePointer<CChar>? = o.baseAddress
                _ = iconv(cd, &ip, &inLeft, &op, &outLeft)
            }
        }
        precondition(inLeft == 0, "iconv could not convert the test text")
        return output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
    }
}

import GongguCore
import XCTest

@testable import GongguIntake

final class ResidentIDTests: XCTestCase {
    private func parse(_ s: String) -> Result<ResidentID, Rejection> { ResidentID.parse(s) }

    func testCheckCharacterTable() {
        // Each check value 0…10 maps to 1 0 X 9 8 7 6 5 4 3 2 (GB 11643).
        XCTAssertEqual(ResidentID.checkCharacter(Array("11010519491231002".utf8)), UInt8(ascii: "X"))
        XCTAssertEqual(ResidentID.checkCharacter(Array("22010219800101001".utf8)), UInt8(ascii: "2"))
        var seen = Set<UInt8>()
        for seq in 100..<400 { seen.insert(ResidentID.checkCharacter(Array("22010219800101\(seq)".utf8))) }
        XCTAssertEqual(seen, Set(Array("10X98765432".utf8)))
    }

    func testHarmlessDamageIsCleaned() throws {
        let cases: [(String, String)] = [
            (TestIDs.a, TestIDs.a),
            ("'" + TestIDs.a, TestIDs.a),
            ("  2201 0219 8001 010012 ", TestIDs.a),
            ("２２０１０２１９８００１０１００１２", TestIDs.a),
            ("\u{3000}" + TestIDs.a + "\u{3000}", TestIDs.a),
            (TestIDs.withX.lowercased(), TestIDs.withX),
            ("=\"" + TestIDs.a + "\"", TestIDs.a),
        ]
        for (input, expected) in cases {
            let id = try parse(input).get()
            XCTAssertEqual(id.value, expected, input)
            XCTAssertFalse(id.converted)
        }
        let id = try parse(TestIDs.a).get()
        XCTAssertEqual(id.birthDate, "1980-01-01")
        XCTAssertEqual(id.gender, "M")  // sequence 001: odd
        XCTAssertEqual(try parse(TestIDs.b).get().gender, "F")  // sequence 002: even
    }

    func testFifteenDigitConversion() throws {
        let id = try parse(TestIDs.old15).get()
        XCTAssertEqual(id.value, TestIDs.converted)
        XCTAssertTrue(id.converted)
        XCTAssertEqual(id.birthDate, "1990-01-01")
    }

    func testRejections() {
        let seventeen = String(TestIDs.withX.dropLast())
        let digitEnd = String(TestIDs.a.dropLast())  // check character 2 is a digit: plain length error
        var zeros = "220102199001011000"
        if ResidentID.checkCharacter(Array(zeros.utf8.prefix(17))) == UInt8(ascii: "0") { zeros = "220102199001012000" }
        let wrongCheck = String(TestIDs.a.dropLast()) + "3"
        let cases: [(String, String, String)] = [
            ("2.20102E+17", "id.excel_scientific", "科学计数法"),
            ("2.20102e17", "id.excel_scientific", "文本"),
            (seventeen, "id.excel_lost_x", "X"),
            (digitEnd, "id.length", "17位"),
            (zeros, "id.checksum", "15位有效数字"),
            (wrongCheck, "id.checksum", "校验位"),
            ("220102199002300012", "id.birthdate", "出生日期"),
            ("22010219900101", "id.length", "实际为14位"),
            ("22010219800101001A", "id.characters", "字符"),
            ("2201021980010100", "id.length", "16位"),
        ]
        for (input, code, words) in cases {
            switch parse(input) {
            case .success: XCTFail("\(input) accepted")
            case .failure(let r):
                XCTAssertEqual(r.code, code, input)
                XCTAssertTrue(r.reason.contains(words), "\(input): \(r.reason)")
                XCTAssertFalse(r.reason.contains(input.filter(\.isNumber)), "reason must not quote the ID")
            }
        }
    }
}

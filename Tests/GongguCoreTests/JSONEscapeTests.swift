import XCTest

@testable import GongguCore

/// String escapes as `JSONReader` decodes them (through `JSONEscape`, which intake's flat-record
/// reader shares): the value, and the reason and byte offset of each refusal.
final class JSONEscapeTests: XCTestCase {
    private func read(_ json: String) throws -> String { try JSONReader.read(json) { try $0.readString() } }

    private func failure(_ json: String) -> JSONError? {
        do {
            _ = try read(json)
            return nil
        } catch {
            return error as? JSONError
        }
    }

    func testEscapesDecode() throws {
        XCTAssertEqual(try read(#""a\"\\\/\b\f\n\r\t\u00e9\u4E2D\ud83d\ude00z""#), "a\"\\/\u{8}\u{c}\n\r\té中😀z")
    }

    func testRefusalsNameReasonAndOffset() {
        XCTAssertEqual(failure(#""\q""#), JSONError("invalid escape", offset: 2))
        XCTAssertEqual(failure(#""\u12G4""#), JSONError("bad hex digit", offset: 5))
        XCTAssertEqual(failure(#""\u12""#), JSONError("short \\u escape", offset: 3))
        XCTAssertEqual(failure(#""\ud83d""#), JSONError("unpaired surrogate", offset: 7))
        XCTAssertEqual(failure(#""\ud83d\u0041""#), JSONError("unpaired surrogate", offset: 13))
        XCTAssertEqual(failure(#""\ude00x""#), JSONError("unpaired surrogate", offset: 7))
        XCTAssertEqual(failure(#""abc\"#), JSONError("unterminated string", offset: 1))
    }
}

import GongguCore
import XCTest

@testable import GongguIntake

/// JSON Lines records: string escapes decoded as `JSONReader` decodes them (`JSONEscape`), arrays
/// joined with 、, and a bad escape or a misplaced bracket or comma refuses the line as invalid JSON.
final class FlatJSONEscapeTests: XCTestCase {
    private func parse(_ line: String) throws(Rejection) -> [String: String] {
        var keys: [String] = [], values: [UInt8] = [], ends: [Int] = []
        let bytes = Array(line.utf8)
        try bytes.withUnsafeBufferPointer { (p) throws(Rejection) in
            try FlatJSON.parse(p, keys: &keys, values: &values, ends: &ends)
        }
        var out: [String: String] = [:]
        var start = 0
        for (k, end) in zip(keys, ends) {
            out[k] = String(decoding: values[start..<end], as: UTF8.self)
            start = end
        }
        return out
    }

    func testEscapesDecode() throws {
        XCTAssertEqual(try parse(#"{"名":"王\u4E8C\ud83d\ude00\/\"x\"","n":"a\tb"}"#), ["名": "王二😀/\"x\"", "n": "a\tb"])
    }

    func testBadEscapesRefuseTheLine() {
        for line in [#"{"a":"\q"}"#, #"{"a":"\u12G4"}"#, #"{"a":"\ud83d"}"#, #"{"a":"\ude00"}"#, #"{"a":"\u12"}"#] {
            XCTAssertThrowsError(try parse(line), line) { XCTAssertEqual(($0 as? Rejection)?.code, "json.invalid", line) }
        }
    }

    func testArraysAndEmptyContainers() throws {
        XCTAssertEqual(try parse(" { } "), [:])
        XCTAssertEqual(
            try parse(#"{ "a" : [ "x" , 2 , true ] , "b":[ ], "c":null }"#), ["a": "x、2、true", "b": "", "c": ""])
        for line in [#"{"a":1,}"#, #"{"a":[1,]}"#, #"{"a":[1 2]}"#, #"{"a":1"#, #"{"a":[1"#, #"{"a":1}x"#, "{,}"] {
            XCTAssertThrowsError(try parse(line), line) { XCTAssertEqual(($0 as? Rejection)?.code, "json.invalid", line) }
        }
    }
}

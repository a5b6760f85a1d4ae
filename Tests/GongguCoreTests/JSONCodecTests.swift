import XCTest

@testable import GongguCore

final class JSONCodecTests: XCTestCase {
    func testWriterOutputIsCompactAndOrdered() {
        var w = JSONWriter()
        w.beginObject()
        w.field("b", 1)
        w.field("a", "x")
        w.field("t", true)
        w.field("absent", nil as String?)
        w.key("list")
        w.beginArray()
        w.int(-12)
        w.null()
        w.beginObject()
        w.endObject()
        w.endArray()
        w.field("names", ["长春", "吉林"])
        w.endObject()
        XCTAssertEqual(w.string, #"{"b":1,"a":"x","t":true,"list":[-12,null,{}],"names":["长春","吉林"]}"#)
    }

    func testEscapesRoundTrip() throws {
        let cases = ["", "plain", "quote\"back\\slash", "line\nfeed\ttab\rcr", "\u{01}\u{1f}", "/solidus", "中文 😀 𠀀"]
        for text in cases {
            var w = JSONWriter()
            w.string(text)
            XCTAssertFalse(w.bytes.contains { $0 < 0x20 }, "raw control byte for \(text.debugDescription)")
            XCTAssertEqual(try JSONReader.read(w.bytes) { try $0.readString() }, text)
        }
        var w = JSONWriter()
        w.string("\u{01}")
        XCTAssertEqual(w.string, #""\u0001""#)
        // The exact escapes (embedded JSON text, e.g. a notification's source payload, is mostly these).
        var exact = JSONWriter()
        exact.beginArray()
        exact.string("{\"a\":\"b\\c\"}\n\r\t\u{1f}\u{7f}")
        exact.bool(false)
        exact.bool(true)
        exact.endArray()
        XCTAssertEqual(exact.string, #"["{\"a\":\"b\\c\"}\n\r\t\u001f"# + "\u{7f}" + #"",false,true]"#)
    }

    /// The writer skips eight bytes at a time while none needs escaping: every byte value, at every
    /// offset within a word and in strings of every length around a word, comes out as byte by byte.
    func testEscapingByWordsMatchesByteByByte() throws {
        func reference(_ text: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for c in text.utf8 {
                switch c {
                case 0x22: out += [0x5c, 0x22]
                case 0x5c: out += [0x5c, 0x5c]
                case 0x0a: out += [0x5c, 0x6e]
                case 0x0d: out += [0x5c, 0x72]
                case 0x09: out += [0x5c, 0x74]
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out += [0x5c, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]]
                default: out.append(c)
                }
            }
            return out + [0x22]
        }
        let fillers = ["a", "中", "é", "~", " "]
        for special in (0..<128).map({ String(UnicodeScalar(UInt8($0))) }) + ["\u{80}", "长"] {
            for length in 0..<20 {
                for position in 0..<max(1, length) {
                    var chars = (0..<length).map { fillers[$0 % fillers.count] }
                    if length > 0 { chars[position] = special }
                    let text = chars.joined()
                    var w = JSONWriter()
                    w.string(text)
                    XCTAssertEqual(w.bytes, reference(text), text.debugDescription)
                    XCTAssertEqual(try JSONReader.read(w.bytes) { try $0.readString() }, text)
                }
            }
        }
        for byte in 0...255 {
            let word = UInt64(byte) << 24 | 0x4141_4141_0041_4141 & ~(0xff << 24)
            let expected = byte < 0x20 || byte == 0x22 || byte == 0x5c
            XCTAssertEqual(JSONWriter.needsEscape(word), expected, "byte \(byte)")
        }
    }

    func testReaderUnescapesAndJoinsSurrogatePairs() throws {
        let cases: [(String, String)] = [
            (#""\u00e9\u4E2D""#, "é中"),
            (#""\ud83d\ude00""#, "😀"),
            (#""\ud840\udc00x""#, "𠀀x"),
            (#""a\/b\b\f\n\r\t\"\\""#, "a/b\u{08}\u{0c}\n\r\t\"\\"),
        ]
        for (json, expected) in cases {
            XCTAssertEqual(try JSONReader.read(json) { try $0.readString() }, expected, json)
        }
    }

    func testMalformedInputThrowsNeverCrashes() {
        let bad = [
            "", "{", "}", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"",
            "\"\\ud83dx\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "tru", "nul", "[1 2]", "{\"a\":1}x", "1e", "--1",
            "\"a\u{01}\"", "{\"k\\u0041\":1}", "[", "[\"a\",", "{\"a\":[1,{\"b\":}]}",
        ]
        for text in bad {
            XCTAssertThrowsError(try JSONValue.parse(text), text) { XCTAssertTrue($0 is JSONError, "\($0)") }
        }
        // Every truncation of a valid document fails cleanly.
        let doc = Array(#"{"a":[1,2.5,"x\n",true,null,{"b":"\u4e2d"}],"c":-3}"#.utf8)
        XCTAssertNoThrow(try JSONValue.parse(doc))
        for n in 0..<doc.count { XCTAssertThrowsError(try JSONValue.parse(Array(doc.prefix(n))), "prefix \(n)") }
    }

    func testTypedReadsRejectWrongShapes() {
        XCTAssertThrowsError(try JSONReader.read("1.5") { try $0.readInt() })
        XCTAssertThrowsError(try JSONReader.read("99999999999999999999") { try $0.readInt() })
        XCTAssertThrowsError(try JSONReader.read("\"1\"") { try $0.readInt() })
        XCTAssertThrowsError(try JSONReader.read("1") { try $0.readString() })
        XCTAssertEqual(try JSONReader.read(" -42 ") { try $0.readInt() }, -42)
        XCTAssertEqual(try JSONReader.read("false") { try $0.readBool() }, false)
    }

    func testDepthLimit() {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertNoThrow(try JSONValue.parse(ok))
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        XCTAssertThrowsError(try JSONValue.parse(deep)) {
            XCTAssertEqual(($0 as? JSONError)?.reason, "nesting too deep")
        }
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        XCTAssertThrowsError(try JSONValue.parse(hostile))
    }

    func testGenericValueRoundTrip() throws {
        let text = #"{"z":1,"a":[true,false,null,"s",-2,0.25],"o":{"k":"中"}}"#
        let value = try JSONValue.parse(text)
        XCTAssertEqual(value.jsonString, text)
        XCTAssertEqual(value["o"]?["k"]?.stringValue, "中")
        XCTAssertEqual(value["z"]?.intValue, 1)
        XCTAssertNil(value["missing"])
    }

    func testErrorsCarryOffsetNotContent() {
        let secret = "220102198001011237"
        XCTAssertThrowsError(try JSONValue.parse("{\"id\":\"\(secret)\" x}")) { error in
            XCTAssertFalse("\(error)".contains(secret))
            XCTAssertEqual((error as? JSONError)?.offset, 27)
        }
    }
}

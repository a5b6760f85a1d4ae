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

    func testFactPayloadRoundTrip() throws {
        var fact = DisabilityRecorded(
            personID: "220102198001011237", householdID: "HH1", name: "张三", birthDate: "1980-01-01", gender: "M",
            cardNumber: "22010219800101123742", category: .physical, grade: 2, labour: .weak, surveyYear: 2025,
            source: SourceRef(file: "survey.csv", line: 3))
        fact.orphan = true
        let event = Event(fact, id: .derived("e"), subject: "HH1", region: "220102001001", occurredAt: 5)
        XCTAssertEqual(try event.decode(DisabilityRecorded.self), fact)
        XCTAssertThrowsError(try event.decode(ClockTicked.self))
    }
}

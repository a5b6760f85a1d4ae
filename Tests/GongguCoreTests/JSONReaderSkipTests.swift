import XCTest

@testable import GongguCore

/// `skipValue` walks a value without building strings or numbers, and refuses what the typed reads
/// refuse; `readEventID` reads an id in place (docs/RELIABILITY.md, "Snapshots of fold state").
final class JSONReaderSkipTests: XCTestCase {
    private func skipped(_ text: String) throws -> Int {
        try JSONReader.read(text) { r -> Int in
            var n = 0
            try r.readArray { r in
                try r.skipValue()
                n += 1
            }
            return n
        }
    }

    func testSkipsEveryKindOfValue() throws {
        let text = #"[1, -12, 0.5, -3e4, 2E-2, "plain", "esc\"aped\\ \u4e2d\ud83d\ude00", "中文", true, false, null,"#
            + #" {"a": [1, {"b": "c"}], "d": {}}, [], [[]]]"#
        XCTAssertEqual(try skipped(text), 14)
    }

    func testSkipRefusesWhatTheTypedReadsRefuse() {
        for bad in [
            #"[-]"#, #"[1.2.3]"#, #"[--1]"#, #"[1e]"#, #"["unterminated]"#, "[\"control\u{01}\"]", #"["\x"]"#,
            #"["\ud800"]"#, #"[tru]"#, #"[nul]"#, #"[{"a" 1}]"#, #"[{"a":1,}]"#, #"[1 2]"#, #"[x]"#,
        ] {
            XCTAssertThrowsError(try skipped(bad), bad)
        }
    }

    func testEventIDsReadInPlace() throws {
        let ids = [EventID.zero, EventID(high: .max, low: .max), EventID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)]
        var w = JSONWriter()
        w.beginArray()
        for id in ids { w.eventID(id) }
        w.endArray()
        XCTAssertEqual(try JSONReader.read(w.bytes) { try $0.readEventIDs() }, ids)
        // An escaped digit is still the digit.
        XCTAssertEqual(
            try JSONReader.read(#""\u0030123456789abcdeffedcba9876543210""#) { try $0.readEventID() },
            EventID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210))
        for bad in [
            "0123456789ABCDEFfedcba9876543210", "0123456789abcdeffedcba987654321", "0123456789abcdeffedcba98765432100",
            "0123456789abcdeg fedcba987654321", "0123456789abcdef/edcba9876543210", "0123456789abcdef:edcba9876543210",
            "", "0123456789abcdef`edcba9876543210",
        ] {
            XCTAssertThrowsError(try JSONReader.read("\"\(bad)\"") { try $0.readEventID() }, bad)
        }
    }
}

import GongguCore
import GongguEvents
import Foundation
import XCTest

/// A table that builds only some strings (`EventFields.building(only:)`) accepts and refuses exactly
/// what the whole table does, and builds what it names; `JSONReader.skipString` checks a string as
/// `readString` reads it.
final class FieldTableBuildingTests: XCTestCase {
    func testAcceptsAndRefusesAsTheWholeTableAndBuildsOnlyWhatItNames() throws {
        let part = RiskFeedback.fields.building(only: ["householdID", "title"])
        let good = RiskFeedback(
            feedbackID: "f\"1", recommendationID: "r1", kind: "monitoring", householdID: "H1", recipientRegion: "220102",
            level: .high, riskTypes: ["01"], recommendedAction: "走访",
            explanation: RiskExplanation(
                title: "标题\n", summary: "摘要", ruleID: "r", ruleVersion: "v", evidence: ["e"], thresholds: []))
        let read = try JSONReader.read(good.jsonBytes) { try part.read(&$0) }
        XCTAssertEqual(read.householdID, "H1")
        XCTAssertEqual(read.explanation.title, "标题\n")
        XCTAssertEqual(read.level, .high)  // not a string: read as always
        XCTAssertEqual(read.feedbackID, "")  // checked, not built: the blank's
        XCTAssertEqual(read.explanation.summary, "")
        XCTAssertEqual(read.riskTypes, [])
        let text = String(decoding: good.jsonBytes, as: UTF8.self)
        for (from, to) in [
            (#""kind":"monitoring""#, #""kind":1"#), (#""riskTypes":["01"]"#, #""riskTypes":[1]"#),
            (#""summary":"摘要""#, #""summary":"摘\x""#), (#""level":"high""#, #""level":"severe""#),
            (#""householdID":"H1","#, ""), (#""ruleID":"r""#, "\"ruleID\":\"\u{7}\""), (#""evidence":["e"]"#, #""evidence":"e""#),
        ] {
            let bytes = Array(text.replacingOccurrences(of: from, with: to).utf8)
            let whole = Result { try JSONReader.read(bytes) { try RiskFeedback.fields.read(&$0) } }
            let partial = Result { try JSONReader.read(bytes) { try part.read(&$0) } }
            switch (whole, partial) {
            case (.success, .success): XCTFail("expected a refusal: \(to)")
            case let (.failure(a), .failure(b)):
                XCTAssertEqual(a as? EventDecodingError, b as? EventDecodingError, to)
                XCTAssertEqual(a as? JSONError, b as? JSONError, to)
            default: XCTFail("the tables disagree on \(to): \(whole) vs \(partial)")
            }
        }
    }

    /// Plain runs are skipped eight bytes at a time: quotes, backslashes and control characters at
    /// every position of a long string, and strings ending near the end of the input.
    func testSkipStringChecksAsReadStringDoes() {
        var texts: [String] = []
        let plain = "abcdefghijklmnopqrstuvwxyz户籍0123456789"
        for i in 0...plain.utf8.count {
            let head = String(decoding: Array(plain.utf8.prefix(i)), as: UTF8.self)
            for special in ["\"", "\\\"", "\\n", "\\u0041", "\u{1}", "\u{1f}", " ", "~", "\\x", "\u{7f}"] {
                texts.append("\"" + head + special + "tail\"")
                texts.append("\"" + head + special)
            }
            texts.append("\"" + head + "\"")
            texts.append("\"" + head)
        }
        texts += ["1", "null", "[\"a\"]", "", " \"a\" "]
        for t in texts {
            let bytes = Array(t.utf8)
            let read = Result { try JSONReader.read(bytes) { r -> Int in _ = try r.readString(); return r.offset } }
            let skipped = Result { try JSONReader.read(bytes) { r -> Int in try r.skipString(); return r.offset } }
            switch (read, skipped) {
            case let (.success(a), .success(b)): XCTAssertEqual(a, b, t)
            case let (.failure(a), .failure(b)): XCTAssertEqual(a as? JSONError, b as? JSONError, t)
            default: XCTFail("readString and skipString disagree on \(t.debugDescription): \(read) vs \(skipped)")
            }
            // The eight-byte scan ends the string where JSON does: Foundation's reading as the oracle.
            let oracle = (try? JSONSerialization.jsonObject(with: Data(("[" + t + "]").utf8))) as? [String]
            XCTAssertEqual(try? JSONReader.read(bytes) { try $0.readString() }, oracle?.first, t.debugDescription)
        }
    }
}

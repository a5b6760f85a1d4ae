import GongguCore
import GongguEvents
import XCTest

/// The field table's inline reading and writing of the common value types (strings, whole numbers,
/// booleans, optional strings and numbers) beside its closures.
final class FieldTableInlineKindsTests: XCTestCase {
    /// The inline kinds read and write what the closures did: present, absent (nil or default), escapes.
    func testInlineKindsRoundTripWithAndWithoutTheirValues() throws {
        for months in [nil, 0, 6, -3] as [Int?] {
            for person in [nil, "", "P\"1\"\\\u{1}"] as [String?] {
                let gap = EntitlementGap(
                    findingID: "g1", householdID: "H\n2", personID: person, measure: .dibao, periodFrom: "2025-01",
                    periodTo: "2025-06", title: "", summary: "户", ruleID: "r", ruleVersion: "v", evidence: [],
                    thresholds: [], months: months)
                let text = String(decoding: gap.jsonBytes, as: UTF8.self)
                XCTAssertEqual(text.contains(#""months""#), months != nil, text)
                XCTAssertEqual(text.contains(#""personID""#), person != nil, text)
                let back = try JSONReader.read(gap.jsonBytes) { try EntitlementGap(json: &$0) }
                XCTAssertEqual(back.months, months)
                XCTAssertEqual(back.personID, person)
                XCTAssertEqual(back.householdID, "H\n2")
                XCTAssertEqual(back.jsonBytes, gap.jsonBytes)
            }
        }
        // Booleans written only when true (flags) and whole numbers, through the survey's table.
        var d = DisabilityRecorded(
            personID: "p", householdID: "h", name: "张三", birthDate: "1980-01-01", gender: "M", cardNumber: "c",
            category: .physical, grade: 2, labour: .none, surveyYear: 2025, source: SourceRef(file: "f.csv", line: 3))
        d.autism = true
        var w = JSONWriter()
        DisabilityRecorded.fields.write(d, to: &w)
        XCTAssertTrue(w.string.contains(#""grade":2"#) && w.string.contains(#""autism":true"#), w.string)
        XCTAssertFalse(w.string.contains("orphan"), w.string)
        XCTAssertEqual(try JSONReader.read(w.bytes) { try DisabilityRecorded.fields.read(&$0) }, d)
        // A number where a string belongs, and a string where a number belongs, are refused.
        XCTAssertThrowsError(try JSONReader.read(#"{"findingID":1,"householdID":"H","measure":"dibao"}"#) {
            try EntitlementGap(json: &$0)
        })
        XCTAssertThrowsError(try JSONReader.read(#"{"findingID":"g","householdID":"H","measure":"dibao","months":"6"}"#) {
            try EntitlementGap(json: &$0)
        })
    }
}

import GongguCore
import GongguEvents
import XCTest

/// A payload with a hand-tuned reader reads every input exactly as its field table does: the same
/// value, or the same error.
final class HandTunedCodecTests: XCTestCase {
    func bothPaths(_ json: String, line: UInt = #line) {
        let tuned = Result { try JSONReader.read(json) { try DisabilityRecorded(json: &$0) } }
        let table = Result { try JSONReader.read(json) { try DisabilityRecorded.fields.read(&$0) } }
        switch (tuned, table) {
        case let (.success(a), .success(b)): XCTAssertEqual(a, b, json, line: line)
        case let (.failure(a), .failure(b)):
            XCTAssertEqual(a as? EventDecodingError, b as? EventDecodingError, json, line: line)
            if !(a is EventDecodingError) { XCTAssertEqual(a as? JSONError, b as? JSONError, json, line: line) }
        default: XCTFail("paths disagree on \(json): \(tuned) vs \(table)", line: line)
        }
    }

    func testDisabilityRecordedReadsAsItsTable() {
        let full = #"{"personID":"P","householdID":"H","name":"张三","birthDate":"1970-01-01","gender":"M","cardNumber":"C","#
            + #""category":4,"grade":2,"labour":"weak","surveyYear":2025,"idConverted":true,"student":true,"#
            + #""needsLongTermCare":true,"orphan":true,"workInjuryNursing":true,"oldAgeAllowance":true,"pensionEnrolled":true,"#
            + #""rehabilitationNeeded":true,"accessibilityNeeded":true,"accessibilityDone":true,"autism":true,"#
            + #""source":{"file":"a.csv","line":3}}"#
        bothPaths(full)
        bothPaths(full.replacingOccurrences(of: "true", with: "false"))
        bothPaths(#"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":1,"grade":1,"surveyYear":1}"#)
        bothPaths(#"{"surveyYear":1,"grade":1,"category":7,"cardNumber":"c","birthDate":"b","householdID":"H","personID":"P","x":[1,{"y":2}]}"#)
        bothPaths(#"{"orphan":true,"orphan":false,"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":1,"grade":1,"surveyYear":1}"#)
        for missing in ["personID", "householdID", "birthDate", "cardNumber", "category", "grade", "surveyYear"] {
            let fields = [("personID", #""P""#), ("householdID", #""H""#), ("birthDate", #""b""#), ("cardNumber", #""c""#),
                          ("category", "1"), ("grade", "1"), ("surveyYear", "1")].filter { $0.0 != missing }
            bothPaths("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
        }
        bothPaths("{}")
        bothPaths(#"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":0,"grade":1,"surveyYear":1}"#)
        bothPaths(#"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":1,"grade":1,"surveyYear":1,"labour":"lazy"}"#)
        bothPaths(#"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":1,"grade":1,"surveyYear":1,"source":{}}"#)
        bothPaths(#"{"personID":1}"#)
    }
}

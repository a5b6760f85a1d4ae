import GongguCore
import GongguEvents
import XCTest

/// A projection of a payload's field table (`EventFields.reading(only:)`, what the notifier routes
/// upstream decisions with), and the table's inline reading and writing of the common value types
/// (strings, whole numbers, booleans, optional strings and numbers) beside its closures.
final class FieldTableProjectionTests: XCTestCase {
    let explanation = RiskExplanation(
        title: "纳入监测建议：户H（高风险）", summary: "户\"H\"\\近12个月\n出现因病风险信号", ruleID: "risk.signal.inpatient",
        ruleVersion: "v2", evidence: ["aa"], thresholds: [RiskThreshold("inpatientThresholdFen", 500_000)])

    var feedback: RiskFeedback {
        var f = RiskFeedback(
            feedbackID: "f1", recommendationID: "r1", kind: "monitoring", householdID: "H", recipientRegion: "220102",
            level: .high, riskTypes: ["03"], recommendedAction: "纳入", explanation: explanation)
        f.ruleIDs = ["risk.signal.inpatient"]
        return f
    }

    let routing = RiskFeedback.fields.reading(only: ["householdID", "recommendationID", "title", "summary"])

    func event(_ type: String, _ json: String, version: Int = 1) -> Event {
        Event(
            id: EventID.derived("projection"), type: type, version: version, subject: "H", region: "220102000000",
            occurredAt: 0, causation: nil, correlation: nil, payload: Array(json.utf8))
    }

    func testAProjectionReadsItsKeysAndLeavesTheRestBlank() throws {
        let full = feedback
        let read = try Event(full, id: EventID.derived("f"), subject: "H", region: "220102000000", occurredAt: 0)
            .decode(RiskFeedback.self, with: routing)
        XCTAssertEqual(read.householdID, "H")
        XCTAssertEqual(read.recommendationID, "r1")
        XCTAssertEqual(read.explanation.title, explanation.title)
        XCTAssertEqual(read.explanation.summary, explanation.summary)  // escapes resolved as the full read does
        // Everything else keeps the blank's value (the declared defaults).
        XCTAssertEqual(read.feedbackID, "")
        XCTAssertEqual(read.level, .none)
        XCTAssertEqual(read.riskTypes, [])
        XCTAssertEqual(read.ruleIDs, [])
        XCTAssertEqual(read.recipientKind, "bureau")
        XCTAssertEqual(read.explanation.evidence, [])
        XCTAssertEqual(read.explanation.thresholds, [])
        XCTAssertEqual(RiskFeedback.fields.keys.count, 16)
        XCTAssertEqual(routing.keys.map(\.name), ["recommendationID", "householdID", "title", "summary"])
    }

    func testAProjectionSkipsOtherKeysUncheckedButKeepsItsOwnPolicy() throws {
        // A level outside the set refuses the full read; the projection skips it as an unknown key.
        let odd = event("RiskFeedback", #"{"householdID":"H","level":"severe","title":"t","x":{"y":[1,2]}}"#)
        XCTAssertThrowsError(try odd.decode(RiskFeedback.self)) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "RiskFeedback", field: "level"))
        }
        let p = try odd.decode(RiskFeedback.self, with: routing)
        XCTAssertEqual(p.householdID, "H")
        XCTAssertEqual(p.explanation.title, "t")
        XCTAssertEqual(p.explanation.summary, "")
        XCTAssertEqual(p.recommendationID, "")
        // A kept required field is still required, named as the full read names it.
        XCTAssertThrowsError(try event("RiskFeedback", #"{"title":"t"}"#).decode(RiskFeedback.self, with: routing)) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "RiskFeedback", field: "householdID"))
        }
        // A kept field of the wrong JSON type is refused; malformed JSON anywhere is refused.
        XCTAssertThrowsError(
            try event("RiskFeedback", #"{"householdID":7}"#).decode(RiskFeedback.self, with: routing))
        XCTAssertThrowsError(
            try event("RiskFeedback", #"{"householdID":"H","level":}"#).decode(RiskFeedback.self, with: routing))
        // The type name and the schema version are checked as by `decode(_:)`.
        XCTAssertThrowsError(try event("RiskAssessed", #"{"householdID":"H"}"#).decode(RiskFeedback.self, with: routing)) {
            XCTAssertEqual($0 as? EventDecodingError, .wrongType(expected: "RiskFeedback", found: "RiskAssessed"))
        }
        XCTAssertThrowsError(
            try event("RiskFeedback", #"{"householdID":"H"}"#, version: 2).decode(RiskFeedback.self, with: routing)
        ) {
            XCTAssertEqual($0 as? EventDecodingError, .unsupportedVersion(type: "RiskFeedback", version: 2))
        }
    }

    func testAProjectionOfAFindingBodyReadsTheFindingOfEachType() throws {
        let keys: [StaticString] = ["findingID", "householdID", "title", "summary"]
        let projection = FindingBody.fields.reading(only: keys)
        let gap = EntitlementGap(
            findingID: "g1", householdID: "H", personID: "P", measure: .dibao, periodFrom: "2025-01", periodTo: "2025-06",
            title: "应享未享", summary: "s", ruleID: "verify.gap", ruleVersion: "v1", evidence: ["e"],
            thresholds: [("gapMonths", 6)], months: 6)
        let e = Event(gap, id: EventID.derived("g"), subject: "H", region: "220102000000", occurredAt: 0)
        let body = try e.decode(EntitlementGap.self, with: projection)
        XCTAssertEqual([body.findingID, body.householdID, body.title, body.summary], ["g1", "H", "应享未享", "s"])
        XCTAssertNil(body.personID)
        XCTAssertNil(body.months)
        XCTAssertEqual(body.periodFrom, "")
        XCTAssertThrowsError(try e.decode(PaymentAnomaly.self, with: projection))
    }

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

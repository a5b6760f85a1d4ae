import GongguCore
import GongguEvents
import XCTest

/// A bureau's decision through the notifier: as submitted, as forwarded to intake (the fact nested as
/// its own object) and as refused — the bytes, the defaults, the ids that must be present and not empty.
final class BureauDecisionCodecTests: XCTestCase {
    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }

    func read<P: EventPayload>(_ type: P.Type, _ json: String) throws -> P { try JSONReader.read(json) { try P(json: &$0) } }

    func assertRefused<P: EventPayload>(_ type: P.Type, _ json: String, _ expected: EventDecodingError, line: UInt = #line) {
        XCTAssertThrowsError(try read(type, json), json, line: line) {
            XCTAssertEqual($0 as? EventDecodingError, expected, json, line: line)
        }
    }

    func testASubmissionWritesItsOptionalsOnlyWhenSet() throws {
        let full = BureauDecisionSubmitted(
            recipient: "220102-bureau", inReplyTo: "n1", decision: .inclusionConfirmed, date: "2025-03-02",
            householdID: "H1", householdType: .monitoredMarginal, measure: "低保", note: "备注")
        XCTAssertEqual(
            text(full),
            #"{"recipient":"220102-bureau","inReplyTo":"n1","decision":"inclusionConfirmed","date":"2025-03-02","#
                + #""householdID":"H1","householdType":"monitoredMarginal","measure":"低保","note":"备注"}"#)
        XCTAssertEqual(try read(BureauDecisionSubmitted.self, text(full)), full)
        let bare = BureauDecisionSubmitted(recipient: "r", decision: .riskEliminated, date: "2025-03-02", householdID: "H")
        XCTAssertEqual(text(bare), #"{"recipient":"r","decision":"riskEliminated","date":"2025-03-02","householdID":"H"}"#)
        XCTAssertEqual(
            try read(BureauDecisionSubmitted.self, #"{"householdID":"H","decision":"riskEliminated","recipient":"r","from":"x"}"#),
            BureauDecisionSubmitted(recipient: "r", decision: .riskEliminated, date: "", householdID: "H"))
    }

    func testASubmissionNeedsRecipientHouseholdAndAKnownDecision() {
        let t = "BureauDecisionSubmitted"
        assertRefused(BureauDecisionSubmitted.self, #"{"decision":"measureTaken","householdID":"H"}"#, .missingField(type: t, field: "recipient"))
        assertRefused(BureauDecisionSubmitted.self, #"{"recipient":"r","decision":"measureTaken","householdID":""}"#, .missingField(type: t, field: "householdID"))
        assertRefused(BureauDecisionSubmitted.self, #"{"recipient":"r","householdID":"H"}"#, .missingField(type: t, field: "decision"))
        assertRefused(BureauDecisionSubmitted.self, #"{"recipient":"r","householdID":"H","decision":"maybe"}"#, .invalidValue(type: t, field: "decision"))
        assertRefused(
            BureauDecisionSubmitted.self, #"{"recipient":"r","householdID":"H","decision":"measureTaken","householdType":"rich"}"#,
            .invalidValue(type: t, field: "householdType"))
    }

    func testAForwardedDecisionNestsTheFactForIntake() throws {
        let fact = BureauDecisionRecorded(
            householdID: "H1", decision: .measureTaken, date: "2025-03-02", bureau: "220102-bureau", measure: "产业帮扶",
            inReplyTo: "n1", source: SourceRef(file: "notify", line: 0))
        let f = DecisionForwarded(submissionID: "s1", notificationID: "n1", region: "220102001001", recorded: fact)
        XCTAssertEqual(
            text(f),
            #"{"submissionID":"s1","notificationID":"n1","region":"220102001001","recorded":"# + text(fact) + "}")
        XCTAssertEqual(try read(DecisionForwarded.self, text(f)), f)
        let unresolved = DecisionForwarded(submissionID: "s1", notificationID: nil, region: "", recorded: fact)
        XCTAssertEqual(text(unresolved), #"{"submissionID":"s1","region":"","recorded":"# + text(fact) + "}")
        XCTAssertEqual(try read(DecisionForwarded.self, #"{"recorded":"# + text(fact) + "}"), DecisionForwarded(
            submissionID: "", notificationID: nil, region: "", recorded: fact))
        assertRefused(DecisionForwarded.self, #"{"submissionID":"s1"}"#, .missingField(type: "DecisionForwarded", field: "recorded"))
        // The nested fact refuses with its own type's name.
        assertRefused(
            DecisionForwarded.self, #"{"recorded":{"decision":"measureTaken","date":"d"}}"#,
            .missingField(type: "BureauDecisionRecorded", field: "householdID"))
    }

    func testARefusalNeedsItsCode() throws {
        let r = DecisionRefused(submissionID: "s", recipient: "r", householdID: "H", code: "duplicate", message: "重复的决定")
        XCTAssertEqual(text(r), #"{"submissionID":"s","recipient":"r","householdID":"H","code":"duplicate","message":"重复的决定"}"#)
        XCTAssertEqual(try read(DecisionRefused.self, text(r)), r)
        XCTAssertEqual(
            try read(DecisionRefused.self, #"{"code":"not_bureau","x":[]}"#),
            DecisionRefused(submissionID: "", recipient: "", householdID: "", code: "not_bureau", message: ""))
        assertRefused(DecisionRefused.self, #"{"message":"m"}"#, .missingField(type: "DecisionRefused", field: "code"))
        assertRefused(DecisionRefused.self, #"{"code":""}"#, .missingField(type: "DecisionRefused", field: "code"))
    }
}

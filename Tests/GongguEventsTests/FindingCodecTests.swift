import GongguCore
import GongguEvents
import XCTest

/// Findings: one field table for the three finding types, the nested `period`, the ordered
/// `thresholds`, and errors naming the event type that was read.
final class FindingCodecTests: XCTestCase {
    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }

    let gap = EntitlementGap(
        findingID: "gap|P|living|2024-03", householdID: "H", personID: "P", measure: .living, periodFrom: "2024-03",
        periodTo: "2024-05", title: "应享未享", summary: "s", ruleID: "verify.gap", ruleVersion: "v1", evidence: ["ab", "cd"],
        thresholds: [("gapMonths", 3), ("months", 3)], months: 3)

    func testAGapWritesItsFieldsInTheOrderTheyWereWritten() throws {
        XCTAssertEqual(
            text(gap),
            #"{"findingID":"gap|P|living|2024-03","householdID":"H","personID":"P","measure":"living","#
                + #""period":{"from":"2024-03","to":"2024-05"},"title":"应享未享","summary":"s","ruleID":"verify.gap","#
                + #""ruleVersion":"v1","evidence":["ab","cd"],"thresholds":{"gapMonths":3,"months":3},"months":3}"#)
        let event = Event(gap, id: .derived("g"), subject: "H", region: "220102001001", occurredAt: 0)
        XCTAssertEqual(event.type, "EntitlementGap")
        let back = try event.decode(EntitlementGap.self)
        XCTAssertEqual(back, gap)
        XCTAssertEqual(back.thresholds.map(\.0), ["gapMonths", "months"])
        XCTAssertThrowsError(try event.decode(PaymentAnomaly.self))
    }

    func testAnAnomalyCarriesItsKindMonthAndAmount() throws {
        let a = PaymentAnomaly(
            findingID: "f", householdID: "H", personID: nil, measure: .nursing, periodFrom: "2024-01", periodTo: "2024-01",
            title: "t", summary: "s", ruleID: "r", ruleVersion: "v", evidence: [], thresholds: [], anomaly: .duplicate,
            month: "2024-01", amountFen: 8000)
        XCTAssertEqual(
            text(a),
            #"{"findingID":"f","householdID":"H","measure":"nursing","period":{"from":"2024-01","to":"2024-01"},"#
                + #""title":"t","summary":"s","ruleID":"r","ruleVersion":"v","evidence":[],"thresholds":{},"#
                + #""anomaly":"duplicate","month":"2024-01","amountFen":8000}"#)
        XCTAssertEqual(try JSONReader.read(text(a)) { try PaymentAnomaly(json: &$0) }, a)
    }

    func testMissingFieldsNameTheFindingTypeRead() {
        XCTAssertThrowsError(try JSONReader.read(#"{"findingID":"f","householdID":"H"}"#) { try AssistanceDiscontinued(json: &$0) }) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "AssistanceDiscontinued", field: "measure"))
        }
        XCTAssertThrowsError(try JSONReader.read(#"{"findingID":"f","householdID":"H","measure":"gold"}"#) { try EntitlementGap(json: &$0) }) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "EntitlementGap", field: "measure"))
        }
        // The explanation fields default to empty (written by every verifier, absent only in hand-made input).
        let bare = try? JSONReader.read(#"{"findingID":"f","householdID":"H","measure":"pension"}"#) { try EntitlementGap(json: &$0) }
        XCTAssertEqual(bare?.periodFrom, "")
        XCTAssertEqual(bare?.thresholds.count, 0)
    }

    func testFindingResolvedRoundTrips() throws {
        let r = FindingResolved(
            findingID: "f", householdID: "H", personID: "P", measure: .pension, resolvedBy: "ee", title: "t", summary: "s",
            ruleID: "r", ruleVersion: "v", evidence: ["ee"])
        XCTAssertEqual(
            text(r),
            #"{"findingID":"f","householdID":"H","personID":"P","measure":"pension","resolvedBy":"ee","title":"t","#
                + #""summary":"s","ruleID":"r","ruleVersion":"v","evidence":["ee"]}"#)
        XCTAssertEqual(try JSONReader.read(text(r)) { try FindingResolved(json: &$0) }, r)
    }

    /// The risk monitor and the verifier once labelled the pension measure differently; now one label.
    func testEveryMeasureHasOneLabel() {
        XCTAssertEqual(Measure.pension.chinese, "城乡居民养老保险保费代缴")
        XCTAssertEqual(Set(Measure.allCases.map(\.chinese)).count, Measure.allCases.count)
    }
}

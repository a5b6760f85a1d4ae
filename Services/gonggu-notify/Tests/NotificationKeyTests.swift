import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// The fold keys its tables by `NotificationKey` (and `ReplyIndex`) instead of id text: the same ids
/// must find the same notifications as text keys did, and no other text may.
final class NotificationKeyTests: XCTestCase {
    func testOnlyThirtyTwoLowercaseHexDigitsMakeAKey() {
        let id = EventID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        let text = id.description
        XCTAssertEqual(NotificationKey(text), NotificationKey(id))
        XCTAssertEqual(NotificationKey(text)?.description, text)
        for other in [
            text.uppercased(), String(text.dropLast()), text + "0", "", "0123456789abcdef-fedcba9876543210",
            "0123456789abcdeg" + "fedcba9876543210", "０123456789abcdef" + "fedcba987654321",
        ] {
            XCTAssertNil(NotificationKey(other), other)
        }
    }

    func testKeysSortAsTheirTextDoes() {
        let ids = (0..<200).map { _ in EventID.random() } + [.zero, EventID(high: .max, low: .max)]
        let byKey = ids.map(NotificationKey.init).sorted().map(\.description)
        XCTAssertEqual(byKey, ids.map(\.description).sorted())
    }

    func testReplyIndexKeepsTheFirstNotificationForHexAndOtherReferences() {
        let first = NotificationKey(EventID.random()), second = NotificationKey(EventID.random())
        let hexReference = EventID.random().description
        var index = ReplyIndex()
        index.noteFirst(hexReference, first)
        index.noteFirst(hexReference, second)
        index.noteFirst("rec-7", second)
        index.noteFirst("rec-7", first)
        XCTAssertEqual(index[hexReference], first)
        XCTAssertEqual(index["rec-7"], second)
        XCTAssertNil(index[hexReference.uppercased()])
        XCTAssertNil(index["rec-8"])
        XCTAssertEqual(
            index.sortedText.map(\.reference), [hexReference, "rec-7"].sorted(), "one entry per reference, by text")
    }

    /// A bureau answers by the risk monitor's recommendation id, hex or not; the answer acknowledges its
    /// own notification. Ids in another spelling (upper case, UUID dashes) name nothing, as before.
    func testDecisionsByRecommendationAndAcknowledgementsInAnotherSpelling() throws {
        var s = Script()
        s.directory()
        let hexRecommendation = EventID.derived("recommendation|H-A").description
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0, recommendation: hexRecommendation)
        s.upstream("RiskFeedback", household: "H-B", region: "220182100200", day: day0, recommendation: "建议-B")
        let notes = created(runFold(s.events).outputs)
        let idA = try XCTUnwrap(notes.first { $0.recipient == "220102-bureau" }).notificationID
        let idB = try XCTUnwrap(notes.first { $0.recipient == "220182-bureau" }).notificationID
        let dashed = idA.prefix(8) + "-" + idA.dropFirst(8).prefix(4) + "-" + idA.dropFirst(12).prefix(4) + "-"
            + idA.dropFirst(16).prefix(4) + "-" + idA.dropFirst(20)
        s.acknowledged(idA.uppercased(), by: "220102-bureau", day: day0 + 1)
        s.acknowledged(String(dashed), by: "220102-bureau", day: day0 + 1)
        var fold = runFold(s.events).fold
        XCTAssertEqual(fold.anomalies.unknownAcknowledgements, 2)
        XCTAssertEqual(fold.pending(for: "220102-bureau").map(\.notificationID), [idA])

        for (bureau, household, reply, notification) in [
            ("220102-bureau", "H-A", hexRecommendation, idA), ("220182-bureau", "H-B", "建议-B", idB),
        ] {
            var t = Script()
            let input = t.decision(
                BureauDecisionSubmitted(
                    recipient: bureau, inReplyTo: reply, decision: .inclusionConfirmed, date: "2025-03-05",
                    householdID: household),
                day: day0 + 4)
            let outputs = fold.apply(input)
            let forwarded = try XCTUnwrap(outputs.first).decode(DecisionForwarded.self)
            XCTAssertEqual(forwarded.notificationID, notification, reply)
            XCTAssertEqual(forwarded.recorded.inReplyTo, reply, reply)
            XCTAssertEqual(fold.pending(for: bureau), [], reply)
        }
    }
}

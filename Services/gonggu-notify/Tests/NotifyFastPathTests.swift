import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// The notifier's fast paths (docs/BENCHMARKS.md, "Notifier") must give exactly what the general paths give:
/// routing by index = the documented filter, the compact ack reader = the strict decoder, the id at
/// the head of a `NotificationCreated` payload = the decoded id, and the typed own-input entry points
/// = `apply(_:)` of the logged event.
final class NotifyFastPathTests: XCTestCase {
    /// The documented rule, written out: non-revoked, prefix of the region, type listed, document order.
    private func referenceRoute(_ d: RecipientDirectory, type: String, region: String) -> [String] {
        guard region.count >= 6 else { return [] }
        return d.recipients.filter { !$0.revoked && region.hasPrefix($0.region) && $0.types.contains(type) }.map(\.id)
    }

    func testRoutingIndexGivesTheDocumentedRecipientsInDocumentOrder() throws {
        var recipients = standardRecipients
        // A revoked county, an office listing a bureau type, and a province office after the counties.
        recipients.append(TestRecipient(id: "222402-bureau", region: "222402", revoked: true))
        recipients.append(TestRecipient(id: "222401-office", kind: "office", region: "222401",
                                        types: ["EntitlementGap", "RiskFeedback"]))
        recipients.append(TestRecipient(id: "22-office", kind: "office", level: "province", region: "22"))
        let d = try RecipientDirectory(text: directoryDocument(recipients))
        let regions = [
            "220102001001", "220182003004", "222401100200", "222402001001", "229999000000", "110101001001",
            "220102", "22010", "2201", "", "22010200100x", "２２０１０２００１００１",
        ]
        let types = Array(NotifyEventTypes.routable).sorted() + ["Unknown", ""]
        var routedSomething = 0
        for region in regions {
            for type in types {
                let got = d.route(type: type, region: region).map(\.id)
                XCTAssertEqual(got, referenceRoute(d, type: type, region: region), "\(type) @ \(region)")
                if !got.isEmpty { routedSomething += 1 }
            }
        }
        XCTAssertGreaterThan(routedSomething, 10, "the table exercises real routes, not only empty ones")
        // Several levels at once, in document order: the province office comes after the county office.
        XCTAssertEqual(
            d.route(type: "EntitlementGap", region: "222401100200").map(\.id), ["222401-office", "22-office"])
        XCTAssertEqual(
            d.route(type: "RiskFeedback", region: "222402001001").map(\.id), ["22-bureau", "2224-bureau"],
            "the revoked county gets nothing, its city and province still do")
    }

    func testCompactAckReaderAgreesWithTheStrictDecoder() throws {
        let id = "0123456789abcdef0123456789abcdef"
        let table: [(String, String?)] = [
            (#"{"type":"ack","id":"\#(id)"}"#, id),
            (#"{"type":"ack","id":"x"}"#, "x"),
            (#"{"type":"ack","id":"\#(String(repeating: "a", count: 64))"}"#, String(repeating: "a", count: 64)),
            // Not the compact form: left to the strict decoder (which may still accept it).
            (#"{"type": "ack", "id": "\#(id)"}"#, nil),
            (#"{"id":"\#(id)","type":"ack"}"#, nil),
            (#"{"type":"ack","id":"a\u0062"}"#, nil),
            (#"{"type":"ack","id":"a\"b"}"#, nil),
            // Not valid at all: both refuse.
            (#"{"type":"ack","id":""}"#, nil),
            (#"{"type":"ack","id":"\#(String(repeating: "a", count: 65))"}"#, nil),
            (#"{"type":"ack","id":"a b"}"#, nil),
            (#"{"type":"ack","id":"\#(id)"}x"#, nil),
            (#"{"type":"ack","id":"\#(id)"} "#, nil),
            (#"{"type":"ack","id":"\#(id)""#, nil),
            (#"{"type":"ack","id":"中文"}"#, nil),
            (#"{"type":"hello"}"#, nil),
        ]
        for (text, expected) in table {
            let bytes = Array(text.utf8)
            let fast = RecipientMessage.compactAckID(bytes)
            XCTAssertEqual(fast, expected, text)
            if let fast {
                XCTAssertEqual(try RecipientMessage.decode(bytes), .ack(id: fast), "the strict decoder agrees: \(text)")
            }
        }
        XCTAssertEqual(RecipientMessage.compactAckID(RecipientMessage.ack(id: id).encoded()), id, "our own encoding")
        XCTAssertNil(RecipientMessage.compactAckID(Array("{\"type\":\"ack\",\"id\":\"a\u{7f}\"}".utf8)))
    }

    func testNotificationIDAtTheHeadOfTheCreatedPayload() throws {
        var s = Script()
        s.directory()
        s.upstream("RiskFeedback", household: "H1", region: "220102001001", day: day0, title: "含\"引号\"的标题")
        s.upstream("EntitlementGap", household: "H2", region: "220182003004", day: day0)
        let events = runFold(s.events).outputs.filter { $0.type == NotificationCreated.eventType }
        XCTAssertEqual(events.count, 5, "county, city and province bureaus; county and city offices")
        for e in events {
            let decoded = try e.decode(NotificationCreated.self)
            XCTAssertEqual(NotificationCreated.notificationID(inPayload: e.payload), decoded.notificationID)
            let head = try XCTUnwrap(NotificationCreated.idAndRecipient(inPayload: e.payload))
            XCTAssertEqual(head.id, decoded.notificationID)
            XCTAssertEqual(head.recipient, decoded.recipient)
        }
        // Other layouts are declined, never misread: GongguEventsTests (NotificationCodecTests).
    }

    /// Deliveries and acknowledgements applied through the typed entry points (as the edge does live)
    /// leave the same state as the logged events applied through `apply(_:)` (as replay does).
    func testTypedOwnInputsEqualApplyingTheirEvents() throws {
        let routed = threeRoutedSources()
        var s = routed.script
        let ids = routed.notifications
        XCTAssertEqual(ids.count, 8, "three bureau levels per feedback, two office levels for the finding")
        var own: [(Event, isAck: Bool)] = []
        for (i, (id, recipient)) in ids.enumerated() {
            own.append((s.delivered(id, to: recipient, day: day0), false))
            own.append((s.delivered(id, to: recipient, day: day0 + 1, attempt: 2), false))
            if i % 2 == 0 { own.append((s.acknowledged(id, by: recipient, day: day0 + 1), true)) }
        }
        // Stray and duplicate ones count as anomalies the same way on both paths.
        own.append((s.acknowledged(ids[0].0, by: ids[0].1, day: day0 + 2), true))
        own.append((s.acknowledged(ids[1].0, by: "222401-bureau", day: day0 + 2), true))
        own.append((s.delivered("unknown", to: ids[1].1, day: day0 + 2), false))
        s.tick(day0 + 5)

        var logged = routed.fold
        var live = routed.fold
        for (e, isAck) in own {
            XCTAssertEqual(logged.apply(e), [])
            if isAck {
                let p = try e.decode(NotificationAcknowledged.self)
                live.applyReceipt(.acknowledged(p.notificationID, at: e.occurredAt), recipient: p.recipient)
            } else {
                let p = try e.decode(NotificationDelivered.self)
                live.applyReceipt(
                    .delivered(p.notificationID, channel: p.channel, attempt: p.attempt, at: e.occurredAt),
                    recipient: p.recipient)
            }
        }
        let tick = s.events.last!
        XCTAssertEqual(live.apply(tick), logged.apply(tick), "the same escalations follow")
        XCTAssertEqual(live.stateDigest(), logged.stateDigest())
        XCTAssertEqual(live.anomalies, logged.anomalies)
        XCTAssertGreaterThan(live.anomalies.duplicateAcknowledgements + live.anomalies.foreignAcknowledgements, 1)
        XCTAssertEqual(live.counts(regionPrefix: ""), logged.counts(regionPrefix: ""))
        XCTAssertEqual(live.counts(regionPrefix: "").acknowledged, 4, "every second one")
    }
}

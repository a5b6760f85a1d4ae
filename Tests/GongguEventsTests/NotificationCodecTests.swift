import GongguCore
import GongguEvents
import XCTest

/// The notifier's payloads: the bytes its log holds (keys in the order the hand-written codecs wrote
/// them, absent optionals left out), what absent keys read as, ids that must be present and not empty,
/// unknown keys skipped, and the receipts' entries read by their kind.
final class NotificationCodecTests: XCTestCase {
    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }

    func read<P: EventPayload>(_ type: P.Type, _ json: String) throws -> P { try JSONReader.read(json) { try P(json: &$0) } }

    func assertRefused<P: EventPayload>(
        _ type: P.Type, _ json: String, _ expected: EventDecodingError, line: UInt = #line
    ) {
        XCTAssertThrowsError(try read(type, json), json, line: line) {
            XCTAssertEqual($0 as? EventDecodingError, expected, json, line: line)
        }
    }

    let created = NotificationCreated(
        notificationID: "0123456789abcdef0123456789abcdef", recipient: "220102-bureau", sourceEventID: "ab12",
        sourceType: "RiskFeedback", region: "220102001001", householdID: "H1", title: "纳入监测建议", summary: "含\"引号\"",
        created: "2025-03-01", findingID: "gap|P|living|2025-01", sourcePayload: #"{"householdID":"H1"}"#)

    func testACreatedNotificationWritesItsKeysInOrderAndLeavesAbsentOnesOut() throws {
        XCTAssertEqual(
            text(created),
            #"{"notificationID":"0123456789abcdef0123456789abcdef","recipient":"220102-bureau","kind":"notification","#
                + #""sourceEventID":"ab12","sourceType":"RiskFeedback","region":"220102001001","householdID":"H1","#
                + #""title":"纳入监测建议","summary":"含\"引号\"","created":"2025-03-01","findingID":"gap|P|living|2025-01","#
                + #""sourcePayload":"{\"householdID\":\"H1\"}"}"#)
        XCTAssertEqual(try read(NotificationCreated.self, text(created)), created)
        // The logged form leaves the source payload out; read back, it is "{}" (as events without it always were).
        let logged = created.logged
        XCTAssertFalse(text(logged).contains("sourcePayload"))
        XCTAssertTrue(text(logged).hasSuffix(#""created":"2025-03-01","findingID":"gap|P|living|2025-01"}"#))
        var back = try read(NotificationCreated.self, text(logged))
        XCTAssertEqual(back.sourcePayload, "{}")
        back.sourcePayload = ""
        XCTAssertEqual(back, logged)
        // An escalation names the notification it escalates, right after `created`.
        var escalation = created
        escalation.kind = NotificationCreated.escalation
        escalation.escalationOf = "fedcba9876543210fedcba9876543210"
        escalation.findingID = nil
        XCTAssertTrue(text(escalation).contains(#""created":"2025-03-01","escalationOf":"fedcba9876543210fedcba9876543210","sourcePayload""#))
        XCTAssertEqual(try read(NotificationCreated.self, text(escalation)), escalation)
    }

    func testACreatedNotificationNeedsItsIDAndRecipientAndDefaultsTheRest() throws {
        let bare = try read(NotificationCreated.self, #"{"recipient":"r","notificationID":"n","later":{"x":[1,2]}}"#)
        XCTAssertEqual(
            bare,
            NotificationCreated(
                notificationID: "n", recipient: "r", kind: "notification", sourceEventID: "", sourceType: "", region: "",
                householdID: "", title: "", summary: "", created: "", sourcePayload: "{}"))
        assertRefused(NotificationCreated.self, #"{"recipient":"r"}"#, .missingField(type: "NotificationCreated", field: "notificationID"))
        assertRefused(NotificationCreated.self, #"{"notificationID":"n"}"#, .missingField(type: "NotificationCreated", field: "recipient"))
        // An empty id names nothing: refused as missing, as before.
        assertRefused(
            NotificationCreated.self, #"{"notificationID":"","recipient":"r"}"#,
            .missingField(type: "NotificationCreated", field: "notificationID"))
        assertRefused(
            NotificationCreated.self, #"{"notificationID":"n","recipient":""}"#,
            .missingField(type: "NotificationCreated", field: "recipient"))
    }

    /// The head readers rely on the table writing the id first and the recipient second.
    func testTheHeadReadersFindIDAndRecipientOfWrittenPayloadsAndDeclineOtherLayouts() {
        for n in [created, created.logged] {
            XCTAssertEqual(NotificationCreated.notificationID(inPayload: n.jsonBytes), n.notificationID)
            XCTAssertEqual(NotificationCreated.idAndRecipient(inPayload: n.jsonBytes)?.id, n.notificationID)
            XCTAssertEqual(NotificationCreated.idAndRecipient(inPayload: n.jsonBytes)?.recipient, n.recipient)
        }
        for text in [
            #"{"recipient":"r","notificationID":"abc"}"#, #"{"notificationID":"a\"b"}"#, #"{"notificationID":""}"#,
            #"{"notificationID":"abc"#, #"{ "notificationID":"abc"}"#, "",
        ] {
            XCTAssertNil(NotificationCreated.notificationID(inPayload: Array(text.utf8)), text)
        }
        for text in [
            #"{"notificationID":"abc","kind":"x","recipient":"r"}"#, #"{"notificationID":"abc","recipient":""}"#,
            #"{"notificationID":"abc","recipient":"r\"s"}"#, #"{"notificationID":"abc","recipient":"r"#,
            #"{"notificationID":"abc","#, #"{"notificationID":"abc"}"#,
        ] {
            XCTAssertNil(NotificationCreated.idAndRecipient(inPayload: Array(text.utf8)), text)
        }
        XCTAssertEqual(
            NotificationCreated.idAndRecipient(inPayload: Array(#"{"notificationID":"abc","recipient":"r-1","x":1}"#.utf8))?
                .recipient, "r-1")
    }

    func testDeliveredAcknowledgedAndEscalated() throws {
        let d = NotificationDelivered(notificationID: "n", recipient: "r", channel: "webhook", attempt: 2)
        XCTAssertEqual(text(d), #"{"notificationID":"n","recipient":"r","channel":"webhook","attempt":2}"#)
        XCTAssertEqual(try read(NotificationDelivered.self, text(d)), d)
        XCTAssertEqual(
            try read(NotificationDelivered.self, #"{"recipient":"r","notificationID":"n","extra":true}"#),
            NotificationDelivered(notificationID: "n", recipient: "r", channel: "", attempt: 0))
        assertRefused(NotificationDelivered.self, #"{"notificationID":"n"}"#, .missingField(type: "NotificationDelivered", field: "recipient"))

        let a = NotificationAcknowledged(notificationID: "n", recipient: "r")
        XCTAssertEqual(text(a), #"{"notificationID":"n","recipient":"r"}"#)
        XCTAssertEqual(try read(NotificationAcknowledged.self, #"{"x":null,"recipient":"r","notificationID":"n"}"#), a)
        assertRefused(
            NotificationAcknowledged.self, #"{"notificationID":"","recipient":"r"}"#,
            .missingField(type: "NotificationAcknowledged", field: "notificationID"))

        let e = NotificationEscalated(
            notificationID: "n", from: "220102-bureau", to: "2201-bureau", escalationID: "m", since: "2025-03-01",
            date: "2025-03-09", daysOverdue: 1, afterDays: 7)
        XCTAssertEqual(
            text(e),
            #"{"notificationID":"n","from":"220102-bureau","to":"2201-bureau","escalationID":"m","since":"2025-03-01","#
                + #""date":"2025-03-09","daysOverdue":1,"afterDays":7}"#)
        XCTAssertEqual(try read(NotificationEscalated.self, text(e)), e)
        XCTAssertEqual(
            try read(NotificationEscalated.self, #"{"notificationID":"n"}"#),
            NotificationEscalated(notificationID: "n", from: "", to: "", escalationID: "", since: "", date: "", daysOverdue: 0, afterDays: 0))
        assertRefused(NotificationEscalated.self, #"{"from":"a"}"#, .missingField(type: "NotificationEscalated", field: "notificationID"))
    }

    func testADirectoryActivationCarriesItsDocumentAndHash() throws {
        let d = DirectoryActivated(document: #"{"version":"v"}"#, version: "v")
        XCTAssertEqual(d.sha256, SHA256.hash(#"{"version":"v"}"#).hexString)
        XCTAssertEqual(text(d), #"{"version":"v","sha256":"\#(d.sha256)","document":"{\"version\":\"v\"}"}"#)
        XCTAssertEqual(try read(DirectoryActivated.self, text(d)), d)
        // Every key may be absent: an empty document (which the fold refuses as a directory).
        let empty = try read(DirectoryActivated.self, #"{"other":1}"#)
        XCTAssertEqual([empty.version, empty.sha256, empty.document], ["", "", ""])
    }

    func testReceiptsEntriesReadByTheirKind() throws {
        let p = NotificationReceipts(
            recipient: "220182-bureau",
            entries: [
                .delivered("N1", channel: "zmq", attempt: 2, at: 1_764_000_000_123),
                .acknowledged("N1", at: 1_764_000_000_456),
            ])
        XCTAssertEqual(
            text(p),
            #"{"recipient":"220182-bureau","entries":[{"kind":"delivered","notificationID":"N1","channel":"zmq","#
                + #""attempt":2,"at":1764000000123},{"kind":"acknowledged","notificationID":"N1","at":1764000000456}]}"#)
        XCTAssertEqual(try read(NotificationReceipts.self, text(p)), p)
        // A delivery without an attempt is the first; an acknowledgement drops a channel and attempt it was given;
        // unknown keys are skipped at both levels; no entries at all reads as none.
        let lenient = try read(
            NotificationReceipts.self,
            #"{"v":2,"recipient":"R","entries":[{"at":5,"channel":"outbox","notificationID":"N","kind":"delivered","x":{}},"#
                + #"{"kind":"acknowledged","notificationID":"N","channel":"zmq","attempt":3,"at":6}]}"#)
        XCTAssertEqual(
            lenient, NotificationReceipts(recipient: "R", entries: [.delivered("N", channel: "outbox", attempt: 1, at: 5), .acknowledged("N", at: 6)]))
        XCTAssertEqual(try read(NotificationReceipts.self, #"{"recipient":"R"}"#).entries, [])

        let type = "NotificationReceipts"
        for (bad, field) in [
            (#"{"recipient":"R","entries":[{"notificationID":"N1","at":1}]}"#, "entries[].kind"),
            (#"{"recipient":"R","entries":[{"kind":"acknowledged","notificationID":"N1"}]}"#, "entries[].at"),
            (#"{"recipient":"R","entries":[{"kind":"delivered","notificationID":"N1","at":1}]}"#, "entries[].channel"),
            (#"{"recipient":"R","entries":[{"kind":"delivered","notificationID":"N1","channel":"","at":1}]}"#, "entries[].channel"),
            (#"{"recipient":"R","entries":[{"kind":"acknowledged","notificationID":"","at":1}]}"#, "entries[].notificationID"),
            (#"{"entries":[]}"#, "recipient"),
        ] {
            assertRefused(NotificationReceipts.self, bad, .missingField(type: type, field: field))
        }
        assertRefused(
            NotificationReceipts.self, #"{"recipient":"R","entries":[{"kind":"seen","notificationID":"N1","at":1}]}"#,
            .invalidValue(type: type, field: "entries[].kind"))
    }

    func testLoggedReceiptsReadBothFormsOfTheLog() {
        let receipts = Event(
            NotificationReceipts(recipient: "R", entries: [.delivered("N", channel: "zmq", attempt: 1, at: 10), .acknowledged("N", at: 20)]),
            id: .derived("r"), subject: "R", region: "", occurredAt: 10)
        let delivered = Event(
            NotificationDelivered(notificationID: "N", recipient: "R", channel: "zmq", attempt: 1), id: .derived("d"),
            subject: "R", region: "", occurredAt: 10)
        let acknowledged = Event(
            NotificationAcknowledged(notificationID: "N", recipient: "R"), id: .derived("a"), subject: "R", region: "",
            occurredAt: 20)
        let all = LoggedReceipt.all(in: receipts)
        XCTAssertEqual(all.map(\.kind), [.delivered, .acknowledged])
        XCTAssertEqual(all.map(\.recipient), ["R", "R"])
        XCTAssertEqual(all.map(\.channel), ["zmq", nil])
        XCTAssertEqual(all.map(\.at), [10, 20])
        XCTAssertEqual(LoggedReceipt.all(in: receipts), LoggedReceipt.all(in: delivered) + LoggedReceipt.all(in: acknowledged))
        XCTAssertTrue([NotificationReceipts.eventType, "NotificationDelivered", "NotificationAcknowledged"].allSatisfy(LoggedReceipt.isReceipt))
        XCTAssertFalse(LoggedReceipt.isReceipt(NotificationCreated.eventType))
    }
}

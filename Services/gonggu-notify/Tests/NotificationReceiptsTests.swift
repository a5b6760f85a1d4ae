import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// `NotificationReceipts` (one event per recipient per commit) must mean exactly what the single
/// `NotificationDelivered` / `NotificationAcknowledged` events of older logs meant, whichever path
/// applies it: replay of a new log, replay of an old log, or the edge's typed entry point.
final class NotificationReceiptsTests: XCTestCase {
    private typealias Entry = NotificationReceipts.Entry

    /// The payload's bytes and round trip: GongguEventsTests (NotificationCodecTests). Here: what the fold
    /// makes of entries the codec refuses.
    func testIncompleteEntriesAreMalformedInputsOfTheFold() throws {
        for bad in [
            #"{"recipient":"R","entries":[{"kind":"seen","notificationID":"N1","at":1}]}"#,
            #"{"recipient":"R","entries":[{"kind":"acknowledged","notificationID":"N1"}]}"#,
            #"{"recipient":"R","entries":[{"kind":"delivered","notificationID":"N1","at":1}]}"#,
            #"{"recipient":"R","entries":[{"kind":"acknowledged","notificationID":"","at":1}]}"#,
            #"{"entries":[]}"#,
        ] {
            let event = Event(
                id: EventID.derived(bad), type: NotificationReceipts.eventType, subject: "R", region: "",
                occurredAt: 1, payload: Array(bad.utf8))
            XCTAssertThrowsError(try event.decode(NotificationReceipts.self), bad)
            // The fold counts it as a malformed input and changes nothing else.
            var fold = NotifyFold()
            XCTAssertEqual(fold.apply(event), [])
            XCTAssertEqual(fold.anomalies.malformedInputs, 1, bad)
        }
    }

    /// The same deliveries and acknowledgements — including a re-delivery, a duplicate, a foreign and an
    /// unknown one — as single events (an old log), as receipts events sealed at two commits (a new
    /// log), and through `applyReceipt` (the edge, live): same state, anomalies, counts and escalations.
    func testReceiptsMeanWhatTheSingleEventsMeant() throws {
        let routed = threeRoutedSources()
        var s = routed.script
        let ids = routed.notifications
        XCTAssertEqual(ids.count, 8)

        var singles: [Event] = []
        var receipts: [(Entry, String)] = []
        func deliver(_ id: String, _ recipient: String, day: Int, attempt: Int = 1) {
            let e = s.delivered(id, to: recipient, day: day, attempt: attempt)
            singles.append(e)
            receipts.append((.delivered(id, channel: "zmq", attempt: attempt, at: e.occurredAt), recipient))
        }
        func acknowledge(_ id: String, _ recipient: String, day: Int) {
            let e = s.acknowledged(id, by: recipient, day: day)
            singles.append(e)
            receipts.append((.acknowledged(id, at: e.occurredAt), recipient))
        }
        for (i, (id, recipient)) in ids.enumerated() {
            deliver(id, recipient, day: day0)
            deliver(id, recipient, day: day0 + 1, attempt: 2)
            if i % 2 == 0 { acknowledge(id, recipient, day: day0 + 1) }
        }
        acknowledge(ids[0].0, ids[0].1, day: day0 + 2)
        acknowledge(ids[1].0, "222401-bureau", day: day0 + 2)
        deliver("unknown", ids[1].1, day: day0 + 2)
        acknowledge("unknown", ids[2].1, day: day0 + 2)
        let tick = s.tick(day0 + 5)

        var oldLog = routed.fold
        for e in singles { XCTAssertEqual(oldLog.apply(e), []) }

        var queue = ReceiptQueue()
        var sealed: [Event] = []
        for (i, (entry, recipient)) in receipts.enumerated() {
            queue.append(entry, recipient: recipient)
            if i == receipts.count / 2 { sealed += queue.seal() }
        }
        sealed += queue.seal()
        XCTAssertLessThan(sealed.count, receipts.count)
        XCTAssertTrue(sealed.allSatisfy { $0.type == NotificationReceipts.eventType && $0.region == "" })
        var newLog = routed.fold
        for e in sealed { XCTAssertEqual(newLog.apply(e), []) }

        var live = routed.fold
        for (entry, recipient) in receipts { live.applyReceipt(entry, recipient: recipient) }

        for (name, fold) in [("new log", newLog), ("live", live)] {
            XCTAssertEqual(fold.stateDigest(), oldLog.stateDigest(), name)
            XCTAssertEqual(fold.anomalies, oldLog.anomalies, name)
            XCTAssertEqual(fold.counts(regionPrefix: ""), oldLog.counts(regionPrefix: ""), name)
        }
        let expected = oldLog.apply(tick)
        XCTAssertFalse(expected.isEmpty, "unacknowledged ones escalate")
        XCTAssertEqual(newLog.apply(tick), expected, "new log")
        XCTAssertEqual(live.apply(tick), expected, "live")
        XCTAssertEqual(newLog.stateDigest(), oldLog.stateDigest())
        XCTAssertEqual(oldLog.anomalies.duplicateAcknowledgements, 1)
        XCTAssertEqual(oldLog.anomalies.foreignAcknowledgements, 1)
        XCTAssertEqual(oldLog.anomalies.unknownAcknowledgements, 1)
        XCTAssertEqual(oldLog.anomalies.strayDeliveries, 1)
    }

    func testQueueKeepsEachRecipientsOrderAndGivesUniqueIDs() {
        var queue = ReceiptQueue()
        queue.append(.delivered("A1", channel: "zmq", attempt: 1, at: 10), recipient: "A")
        queue.append(.delivered("B1", channel: "outbox", attempt: 1, at: 10), recipient: "B")
        queue.append(.acknowledged("A1", at: 11), recipient: "A")
        queue.append(.acknowledged("B1", at: 12), recipient: "B")
        queue.append(.delivered("A2", channel: "zmq", attempt: 1, at: 12), recipient: "A")
        XCTAssertEqual(queue.count, 5)
        let first = queue.seal()
        XCTAssertTrue(queue.isEmpty)
        XCTAssertEqual(queue.seal(), [])
        XCTAssertEqual(first.map(\.subject), ["A", "B"], "recipients in the order of their first receipt")
        XCTAssertEqual(first.map(\.occurredAt), [10, 10], "each event at its first receipt's time")
        let a = try? first[0].decode(NotificationReceipts.self)
        XCTAssertEqual(a?.entries.map(\.notificationID), ["A1", "A1", "A2"])
        XCTAssertEqual(a?.entries.map(\.kind), [.delivered, .acknowledged, .delivered])

        // The same first receipt in the same millisecond again: a different id.
        queue.append(.delivered("A1", channel: "zmq", attempt: 1, at: 10), recipient: "A")
        let second = queue.seal()
        XCTAssertEqual(Set((first + second).map(\.id)).count, 3)
    }

    func testLoggedReceiptsReadBothForms() {
        var s = Script()
        let delivered = s.delivered("N1", to: "R", day: day0)
        let acknowledged = s.acknowledged("N1", by: "R", day: day0 + 1)
        var queue = ReceiptQueue()
        queue.append(.delivered("N1", channel: "zmq", attempt: 1, at: delivered.occurredAt), recipient: "R")
        queue.append(.acknowledged("N1", at: acknowledged.occurredAt), recipient: "R")
        let sealed = queue.seal()
        XCTAssertEqual(sealed.count, 1)
        XCTAssertEqual(
            LoggedReceipt.all(in: sealed[0]), LoggedReceipt.all(in: delivered) + LoggedReceipt.all(in: acknowledged))
        XCTAssertEqual(LoggedReceipt.all(in: delivered).first?.channel, "zmq")
        XCTAssertEqual(LoggedReceipt.all(in: s.tick(day0)), [])
        XCTAssertTrue(LoggedReceipt.isReceipt(NotificationReceipts.eventType))
        XCTAssertFalse(LoggedReceipt.isReceipt(NotificationCreated.eventType))
    }
}

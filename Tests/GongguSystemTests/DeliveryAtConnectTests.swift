import Foundation
import GongguClients
import GongguCore
import GongguHarness
import GongguNotify
@testable import GongguNotifyService
import GongguRuntime
@testable import GongguServices
import GongguStore
import GongguTransport
import XCTest

/// A recipient that connects while the notifier is still catching up on a backlog is sent what is
/// pending at its hello, and then each notification committed after it — every notification once.
///
/// With pipelined commits a notification exists in the fold (and so among the pending ones) before
/// its commit is finished; sending it at the hello and again when its commit finishes would deliver
/// it twice on one connection.
final class DeliveryAtConnectTests: XCTestCase {
    func testARecipientConnectedDuringCatchUpGetsEachNotificationOnce() throws {
        let dir = try makeTemporaryDirectory("connect-once")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let total = 6000
        let upstreamPath = "\(dir)/risk.log.sqlite"
        let upstream = try EventLog(path: upstreamPath, stream: "risk")
        for start in stride(from: 0, to: total, by: 1000) {
            let events = (start..<start + 1000).map { i -> Event in
                var w = JSONWriter()
                w.beginObject()
                w.field("householdID", "H220102-\(i)")
                w.field("title", "返贫风险反馈：户H220102-\(i)")
                w.field("summary", "户H220102-\(i)收入下降，建议纳入监测。")
                w.endObject()
                return Event(
                    id: EventID.derived("connect-once|\(i)"), type: "RiskFeedback", subject: "H220102-\(i)",
                    region: "220102001001", occurredAt: BusinessCalendar.timestamp(ofDay: 20_000), payload: w.bytes)
            }
            try upstream.append(events, recordedAt: 1)
        }
        let server = try CurveKeyPair.generate()
        let bureau = try CurveKeyPair.generate()
        try KeyFiles.write(server, name: "notify", directory: dir)
        try directory(bureauKey: bureau.publicKey).write(toFile: "\(dir)/recipients.json", atomically: true, encoding: .utf8)

        let base = "ipc://\(dir)/s"
        let host = try notifierHost(directory: dir, upstreamPath: upstreamPath, pipelinedCommits: true)
        let running = HostThread(host)

        // The recipient says hello once the notifier is well into the backlog, while batches of new
        // notifications are on their way into the log.
        let started = Date()
        while (try JSONValue.parse(host.status.json())["notifications"]?.intValue ?? 0) < 1000,
            Date().timeIntervalSince(started) < 60
        {
            usleep(1000)
        }
        let client = try RecipientClient(keys: bureau, serverKey: server.publicKey, endpoint: "\(base)-recipients", lingerMs: 0)
        defer { client.close() }

        // Acknowledge nothing until everything arrived (a slow recipient): a notification sent twice
        // is then still open when its second turn comes.
        var received: [String: Int] = [:]
        var deliveries = 0
        var acknowledged = false
        var lastArrival = Date()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            var wait = 50
            while let m = try client.receive(timeoutMs: wait) {
                wait = 0
                guard let v = m.value, v["type"]?.stringValue == "notification", let id = v["id"]?.stringValue else { continue }
                deliveries += 1
                received[id, default: 0] += 1
                lastArrival = Date()
            }
            guard Date().timeIntervalSince(lastArrival) > 1 else { continue }
            if !acknowledged, received.count == total {
                for id in received.keys { try client.ack(id) }
                acknowledged = true
                lastArrival = Date()
            } else if acknowledged, try JSONValue.parse(host.status.json())["openNotifications"]?.intValue == 0 {
                break
            }
        }
        try running.stop()
        XCTAssertEqual(received.count, total, "every notification reached the recipient")
        XCTAssertEqual(deliveries, total, "each notification was sent once on the one connection")
        XCTAssertEqual(received.values.filter { $0 > 1 }.count, 0, "notifications received more than once")
    }

    /// One county bureau, receiving over ZeroMQ only.
    private func directory(bureauKey: String) -> String {
        """
        { "version": "connect-once-1", "escalation": { "afterDays": 7 },
          "recipients": [
            { "id": "220102-bureau", "name": "长春市南关区乡村振兴局", "kind": "bureau", "level": "county",
              "region": "220102", "publicKey": "\(bureauKey)", "types": ["RiskFeedback"],
              "escalateTo": null, "channels": [{"type": "zmq"}], "revoked": false } ] }
        """
    }
}

/// `DeliveryQueue` on its own: what was pending at the hello, then only what was made after it.
final class DeliveryQueueTests: XCTestCase {
    private func key(_ i: UInt64) -> NotificationKey { NotificationKey(EventID(high: 7, low: i)) }

    func testCommitsOfNotificationsMadeBeforeTheHelloAreNotQueuedAgain() {
        // Made 0, 1, 2 before the hello (2 was still being committed); all three were pending.
        var queue = DeliveryQueue(pending: [key(0), key(1), key(2)], nextOrdinal: 3)
        queue.committed(key(2), ordinal: 2)
        queue.committed(key(3), ordinal: 3)
        queue.committed(key(4), ordinal: 4)
        XCTAssertEqual(Array(queue.front(2)), [key(0), key(1)])
        queue.removeFirst(2)
        XCTAssertEqual(Array(queue.front(10)), [key(2), key(3), key(4)])
        queue.removeFirst(3)
        XCTAssertTrue(queue.isEmpty)
        queue.committed(key(5), ordinal: 5)
        XCTAssertEqual(Array(queue.front(10)), [key(5)])
    }

    func testSendingInBurstsKeepsTheOrderThroughCompaction() {
        var queue = DeliveryQueue(pending: (0..<10_000).map(key), nextOrdinal: 10_000)
        var sent: [NotificationKey] = []
        var next: UInt64 = 10_000
        while !queue.isEmpty {
            let burst = Array(queue.front(2000))
            sent += burst.prefix(1500)
            queue.removeFirst(min(1500, burst.count))
            if next < 12_000 {
                queue.committed(key(next), ordinal: Int(next))
                next += 1
            }
        }
        XCTAssertEqual(sent, (0..<next).map(key))
    }
}

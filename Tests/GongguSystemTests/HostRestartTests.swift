import Foundation
import GongguClients
import GongguCore
import GongguHarness
import GongguRuntime
@testable import GongguServices
import GongguStore
import GongguTransport
import XCTest

/// Notifier hosts with a CURVE recipient endpoint, started and stopped back to back in one process
/// while busy threads load every CPU — as the system tests run them one after another. Each start
/// succeeds and admits its recipient: the process's ZAP handler is shared, so no host waits for the
/// previous one to give the ZAP endpoint back.
final class HostRestartTests: XCTestCase {
    func testNotifierHostsStartAndStopBackToBackUnderCPULoad() throws {
        let load = BusyThreads(seconds: 240)
        defer { load.stop() }
        let server = try CurveKeyPair.generate()
        let bureau = try CurveKeyPair.generate()
        for cycle in 0..<12 {
            let dir = try makeTemporaryDirectory("host-restart")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let upstreamPath = "\(dir)/risk.log.sqlite"
            var w = JSONWriter()
            w.beginObject()
            w.field("householdID", "H220102-\(cycle)")
            w.field("title", "返贫风险反馈：户H220102-\(cycle)")
            w.field("summary", "户H220102-\(cycle)收入下降，建议纳入监测。")
            w.endObject()
            try EventLog(path: upstreamPath, stream: "risk").append(
                [
                    Event(
                        id: EventID.derived("host-restart|\(cycle)"), type: "RiskFeedback", subject: "H220102-\(cycle)",
                        region: "220102001001", occurredAt: BusinessCalendar.timestamp(ofDay: 20_000), payload: w.bytes)
                ], recordedAt: 1)
            try KeyFiles.write(server, name: "notify", directory: dir)
            try directory(bureauKey: bureau.publicKey).write(
                toFile: "\(dir)/recipients.json", atomically: true, encoding: .utf8)
            let base = "ipc://\(dir)/s"
            let host = try notifierHost(directory: dir, upstreamPath: upstreamPath, pipelinedCommits: false)
            let running = HostThread(host)

            // The recipient is admitted (ZAP) and sent the one notification.
            let client = try RecipientClient(
                keys: bureau, serverKey: server.publicKey, endpoint: "\(base)-recipients", lingerMs: 0)
            var received = false
            let deadline = Date().addingTimeInterval(60)
            var lastHello = Date()
            while !received, Date() < deadline, !running.ended(within: 0) {
                // Hello again now and then: the first may reach the endpoint before it is bound.
                if Date().timeIntervalSince(lastHello) > 1 {
                    try client.hello()
                    lastHello = Date()
                }
                if let m = try client.receive(timeoutMs: 50), m.value?["type"]?.stringValue == "notification" {
                    received = true
                }
            }
            client.close()
            if running.ended(within: 0) {
                XCTFail("host \(cycle) ended on its own: \(running.failure.map { "\($0)" } ?? "no error")")
                return
            }
            XCTAssertTrue(received, "host \(cycle) admitted its recipient and sent the notification")
            try running.stop()
        }
        XCTAssertGreaterThan(load.turns, 0, "the busy threads ran")
    }

    private func directory(bureauKey: String) -> String {
        """
        { "version": "host-restart-1", "escalation": { "afterDays": 7 },
          "recipients": [
            { "id": "220102-bureau", "name": "长春市南关区乡村振兴局", "kind": "bureau", "level": "county",
              "region": "220102", "publicKey": "\(bureauKey)", "types": ["RiskFeedback"],
              "escalateTo": null, "channels": [{"type": "zmq"}], "revoked": false } ] }
        """
    }
}

/// Busy threads, one per processor, spinning until `stop()` or for `seconds` at most.
final class BusyThreads: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var count = 0
    private let done = DispatchGroup()

    init(seconds: Double, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let deadline = Date().addingTimeInterval(seconds)
        for _ in 0..<max(1, threads) {
            done.enter()
            Thread { [self] in
                var x: UInt64 = 1
                while !isStopped, Date() < deadline {
                    for _ in 0..<100_000 { x = x &* 6_364_136_223_846_793_005 &+ 1 }
                    lock.lock()
                    count += 1
                    lock.unlock()
                }
                if x == 0 { print("") }
                done.leave()
            }.start()
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Rounds of work done so far.
    var turns: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// Stops the threads and waits until they have ended.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        done.wait()
    }
}

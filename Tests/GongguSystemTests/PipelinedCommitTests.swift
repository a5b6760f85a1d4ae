import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguNotify
import GongguNotifyService
@testable import GongguRuntime
import GongguServices
import GongguStore
import XCTest

/// `log.pipelined_commits`: consumed batches (and the notifier's receipts) are committed on a second
/// thread while the loop folds the next. The log must come out as if committed on the loop thread —
/// same events in the same order, a state that replay reproduces — and a refused batch must stop
/// everything after it.
final class PipelinedCommitTests: XCTestCase {
    private func event(_ i: UInt64, _ type: String = "Fact") -> Event {
        Event(id: EventID(high: 9, low: i), type: type, subject: "H\(i)", region: "220102001001", occurredAt: 0,
              payload: Array("{}".utf8))
    }

    /// Batches are appended in order; after a refused one (a duplicate id), later ones are reported
    /// refused without being appended, so the log never holds a batch whose predecessor is missing.
    func testBatchesCommitInOrderAndNothingFollowsARefusal() throws {
        let dir = try makeTemporaryDirectory("pipeline")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(path: "\(dir)/own.log.sqlite", stream: "own")
        let pipeline = CommitPipeline(log: log, name: "test", depth: 2)
        pipeline.enqueue([event(1), event(2)])
        pipeline.enqueue([event(3)])
        pipeline.enqueue([event(4), event(1)])  // id 1 again: the log refuses the batch
        pipeline.enqueue([event(5)])
        let outcomes = pipeline.drain()
        XCTAssertEqual(outcomes.map(\.batch.count), [2, 1, 2, 1])
        XCTAssertEqual(try outcomes[0].result.get().recorded.map(\.seq), [1, 2])
        XCTAssertEqual(try outcomes[1].result.get().recorded.map(\.seq), [3])
        XCTAssertEqual(try outcomes[1].result.get().headHash, try log.headHash.hexString)
        XCTAssertThrowsError(try outcomes[2].result.get())
        XCTAssertThrowsError(try outcomes[3].result.get()) { error in
            XCTAssertEqual("\(error)", "\(CommitPipelineError.earlierBatchRefused)")
        }
        XCTAssertFalse(pipeline.hasBatchesInFlight)
        XCTAssertEqual(try log.lastSeq, 3)
        XCTAssertTrue(try log.verify().isIntact)
    }

    /// The notifier routes 2,500 findings (3 office recipients each, written to outbox files, so every
    /// notification also gets a delivery receipt) once with pipelined commits and once without: the
    /// logs hold the same notifications in the same order, every receipt, contiguous consumed ranges,
    /// and a notifier rebuilt from each log has the state the live one ended with.
    func testPipelinedNotifierLogsWhatTheDirectOneLogs() throws {
        let dir = try makeTemporaryDirectory("pipeline-notify")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let upstreamPath = "\(dir)/verify.log.sqlite"
        let upstream = try EventLog(path: upstreamPath, stream: "verify")
        let findings = (0..<2500).map { i -> Event in
            var w = JSONWriter()
            w.beginObject()
            w.field("householdID", "H220102-\(i)")
            w.field("findingID", "gap|\(i)")
            w.field("measure", "living")  // the notifier reads a finding with the verifier's type
            w.field("title", "应享未享：户H220102-\(i)")
            w.field("summary", "户H220102-\(i)有持证残疾人未领取两项补贴，请核实。")
            w.endObject()
            return Event(
                id: EventID.derived("pipeline-test|\(i)"), type: "EntitlementGap", subject: "H220102-\(i)",
                region: "220102001001", occurredAt: BusinessCalendar.timestamp(ofDay: 20_000), payload: w.bytes)
        }
        try upstream.append(findings, recordedAt: 1)
        try RecipientDirectory.sampleDocument.write(toFile: "\(dir)/recipients.json", atomically: true, encoding: .utf8)

        func run(pipelined: Bool) throws -> (log: [Event], live: String, rebuilt: String) {
            let data = "\(dir)/\(pipelined ? "pipelined" : "direct")"
            let base = "ipc://\(data)-s"
            let root: JSONValue = .object([
                ("data", .object([("directory", .string(data))])),
                ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
                ("log", .object([("level", .string("error")), ("pipelined_commits", .bool(pipelined))])),
                ("upstreams", .array([.string("verify")])),
                ("upstream", .object([("verify", .object([
                    ("log", .string(upstreamPath)), ("publish", .string("\(base)-verify-pub")),
                ]))])),
                ("recipients", .object([("directory_file", .string("\(dir)/recipients.json"))])),
                ("outbox", .object([("directory", .string("\(data)/outbox"))])),
            ])
            let config = Config(root: root, environment: [:])
            let settings = try ServiceSettings(service: "notify", config: config)
            XCTAssertEqual(settings.pipelinedCommits, pipelined)
            let behaviour = NotifyBehaviour(config: config)
            let host = ServiceHost(settings: settings, behaviour: behaviour, logger: Logger(label: "test", minimumLevel: .error))
            let running = HostThread(host)
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let status = try JSONValue.parse(host.status.json())
                if status["notifications"]?.intValue == 7500, status["receiptsAwaitingCommit"]?.intValue == 0,
                    status["commitsInFlight"]?.intValue ?? 0 == 0,
                    (status["upstreams"]?.arrayValue?.first?["cursor"]?.intValue ?? 0) == 2500
                {
                    break
                }
                usleep(20_000)
            }
            try running.stop()
            let live = behaviour.stateDigest()
            let rebuilt = try ServiceHost.digestAfterReplay(
                settings: settings, behaviour: NotifyBehaviour(config: config),
                logger: Logger(label: "test", minimumLevel: .error))
            var events: [Event] = []
            try EventLog(path: settings.logPath, stream: "notify", readOnly: true).forEach(after: 0) { events.append($0) }
            return (events, live, rebuilt)
        }

        let pipelined = try run(pipelined: true)
        let direct = try run(pipelined: false)
        for (name, r) in [("pipelined", pipelined), ("direct", direct)] {
            XCTAssertEqual(r.live, r.rebuilt, "\(name): replay reproduces the live state")
            let created = r.log.filter { $0.type == NotificationCreated.eventType }
            XCTAssertEqual(created.count, 7500, name)
            let receipts = r.log.flatMap(LoggedReceipt.all(in:))
            XCTAssertEqual(Set(receipts.map(\.notificationID)).count, 7500, "\(name): every notification delivered")
            let consumed = try r.log.filter { $0.type == InputConsumed.eventType }.map { try $0.decode(InputConsumed.self) }
            XCTAssertEqual(consumed.first?.after, 0, name)
            XCTAssertEqual(consumed.last?.through, 2500, name)
            for (a, b) in zip(consumed, consumed.dropFirst()) { XCTAssertEqual(b.after, a.through, name) }
        }
        XCTAssertEqual(
            pipelined.log.filter { $0.type == NotificationCreated.eventType }.map(\.id),
            direct.log.filter { $0.type == NotificationCreated.eventType }.map(\.id),
            "the same notifications in the same order")
    }
}

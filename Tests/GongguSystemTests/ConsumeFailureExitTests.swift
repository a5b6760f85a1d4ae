import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import GongguStore
import XCTest

/// A consumer whose batch cannot be committed stops so that a restart rebuilds its state from the
/// log — and says so with its outcome: `run()` throws, the executable exits 1, and systemd's
/// `Restart=on-failure` (or Docker's restart policy) brings it back. Returning normally made the
/// process exit 0, which on-failure never restarts.
final class ConsumeFailureExitTests: XCTestCase {
    /// Emits one output with the same id for every upstream event: the second cannot be appended
    /// (the log's unique id index refuses it), so the batch's commit fails.
    final class CollidingBehaviour: ServiceBehaviour {
        func isOwnInput(_ type: String) -> Bool { false }
        func process(input: Event) -> [Event] { [input] }
        func apply(upstream event: Event, stream: String) -> [Event] {
            [Event(id: EventID(high: 7, low: 7), type: "Collision", subject: event.subject, region: event.region,
                   occurredAt: event.occurredAt, causation: event.id, payload: Array("{}".utf8))]
        }
        func replayOwnInput(_ event: Event) {}
        func stateDigest() -> String { "" }
    }

    func testAConsumedBatchThatCannotBeCommittedEndsRunWithAnError() throws {
        try assertRefusedBatchEndsRun(pipelined: false)
    }

    /// The same when the batch is committed on the pipeline's thread (`log.pipelined_commits`): the loop
    /// has folded on meanwhile, so the refusal must stop it just the same.
    func testAPipelinedBatchThatCannotBeCommittedEndsRunWithAnError() throws {
        try assertRefusedBatchEndsRun(pipelined: true)
    }

    private func assertRefusedBatchEndsRun(pipelined: Bool) throws {
        let folder = NSTemporaryDirectory() + "gonggu-consume-failure-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let upstream = try EventLog(path: "\(folder)/intake.log.sqlite", stream: "intake")
        let facts = (1...2).map { i in
            Event(id: EventID(high: 1, low: UInt64(i)), type: "Fact", subject: "H\(i)", region: "220182101201",
                  occurredAt: 0, payload: Array("{}".utf8))
        }
        try upstream.append(facts, recordedAt: 1)
        let base = "ipc://\(folder)/s"
        let root: JSONValue = .object([
            ("data", .object([("directory", .string(folder))])),
            ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
            ("log", .object([("level", .string("error")), ("pipelined_commits", .bool(pipelined))])),
            ("upstreams", .array([.string("intake")])),
            ("upstream", .object([("intake", .object([
                ("log", .string("\(folder)/intake.log.sqlite")), ("publish", .string("\(base)-intake-pub")),
            ]))])),
        ])
        let settings = try ServiceSettings(service: "verify", config: Config(root: root, environment: [:]))
        let host = ServiceHost(settings: settings, behaviour: CollidingBehaviour(), logger: Logger(label: "test", minimumLevel: .error))
        let running = HostThread(host)
        guard running.ended(within: 30) else {
            try? running.stop()
            return XCTFail("the service went on running after a batch it could not commit")
        }
        XCTAssertNotNil(running.failure, "run() must report the failure so the process exits non-zero")
        XCTAssertEqual(try EventLog(path: settings.logPath, stream: "verify", readOnly: true).lastSeq, 0, "nothing was kept")
    }
}

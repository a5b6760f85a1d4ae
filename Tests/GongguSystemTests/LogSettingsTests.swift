import Foundation
import GongguCore
import GongguNotifyService
import GongguRuntime
import GongguServices
import GongguStore
import XCTest

/// The own log's index blocks and checkpointing: small blocks and a background checkpoint for the
/// notifier (its log is on the path of every notification), SQLite's defaults for the others; both
/// configurable, and a service creates its log with them.
final class LogSettingsTests: XCTestCase {
    func settings(_ service: String, _ log: [(String, JSONValue)] = []) throws -> ServiceSettings {
        try ServiceSettings(service: service, config: Config(root: .object([("log", .object(log))]), environment: [:]))
    }

    func testDefaultsPerService() throws {
        for service in ["intake", "verify", "risk"] {
            let s = try settings(service)
            XCTAssertEqual(s.indexBlockShift, 17, service)
            XCTAssertEqual(s.checkpoint, .inCommit, service)
            XCTAssertFalse(s.pipelinedCommits, service)
        }
        let notify = try settings("notify")
        XCTAssertEqual(notify.indexBlockShift, 12)
        XCTAssertEqual(notify.checkpoint, .background)
        XCTAssertTrue(notify.pipelinedCommits)
    }

    func testOverridesAndRefusals() throws {
        let s = try settings("intake", [("index_block_shift", .number(14)), ("checkpoint", .string("background"))])
        XCTAssertEqual(s.indexBlockShift, 14)
        XCTAssertEqual(s.checkpoint, .background)
        let env = try ServiceSettings(
            service: "notify", config: Config(root: .object([]), environment: ["GONGGU_LOG_CHECKPOINT": "commit"]))
        XCTAssertEqual(env.checkpoint, .inCommit)
        XCTAssertFalse(try settings("notify", [("pipelined_commits", .bool(false))]).pipelinedCommits)
        XCTAssertTrue(try settings("risk", [("pipelined_commits", .bool(true))]).pipelinedCommits)
        XCTAssertThrowsError(try settings("notify", [("index_block_shift", .number(40))]))
        XCTAssertThrowsError(try settings("notify", [("checkpoint", .string("never"))]))
    }

    /// A notifier host creates its log, since the sidecar index without any secondary index (the block size
    /// setting shapes no index of a new log any more; older logs' blocked indexes are dropped by their
    /// writer, their look-ups served by the sidecar index).
    func testTheNotifierCreatesItsLogWithSmallBlocks() throws {
        let dir = try makeTemporaryDirectory("log-settings")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let base = "ipc://\(dir)/s"
        let root: JSONValue = .object([
            ("data", .object([("directory", .string(dir))])),
            ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
            ("log", .object([("level", .string("error"))])),
            ("upstreams", .array([])),
        ])
        let config = Config(root: root, environment: [:])
        let host = ServiceHost(
            settings: try ServiceSettings(service: "notify", config: config), behaviour: NotifyBehaviour(config: config),
            logger: Logger(label: "test", minimumLevel: .error))
        host.stopFlag.set()
        try host.start()
        try host.run()
        let db = try SQLiteDatabase(path: "\(dir)/notify.log.sqlite", readOnly: true)
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'index'"), 0)
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'events'"), 1)
    }
}

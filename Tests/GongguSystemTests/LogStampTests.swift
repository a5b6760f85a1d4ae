import Foundation
import GongguCore
import GongguIntakeService
import GongguRuntime
import GongguServices
import GongguStore
import XCTest

/// The quick_check rule at start (docs/RELIABILITY.md, "Start only on a sound log"): a graceful stop
/// checks the log and stamps it (`LogStamp`); a start whose file still has that stamp skips
/// `quick_check` and says so; a start on a file touched since runs it; a page damaged since is refused.
final class LogStampTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("log-stamp")
        try FileManager.default.createDirectory(atPath: "\(dir)/data", withIntermediateDirectories: true)
        try EventLog(path: logPath, stream: "intake").append(
            (0..<3_000).map { i in
                Event(
                    id: EventID.derived("stamp|\(i)"), type: "DisabilityRecorded", subject: "H\(i)", region: "220102001001",
                    occurredAt: 1_700_000_000_000 + Int64(i), payload: Array("{\"pad\":\"\(String(repeating: "x", count: 60))\"}".utf8))
            }, recordedAt: 1_700_000_000_000)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: logPath)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    var logPath: String { "\(dir)/data/intake.log.sqlite" }

    private func settings() throws -> ServiceSettings {
        let config = Config(
            root: .object([
                ("data", .object([("directory", .string("\(dir)/data"))])),
                ("endpoints", .object([("publish", .string("ipc://\(dir)/pub")), ("control", .string("ipc://\(dir)/ctl"))])),
            ]), environment: [:])
        let s = try ServiceSettings(service: "intake", config: config)
        XCTAssertEqual(s.logPath, logPath)
        return s
    }

    /// Starts an intake host and stops it gracefully; returns its log lines.
    private func startAndStop() throws -> [String] {
        let lines = SnapshotStartTests.Lines()
        _ = try ServiceHost.digestAfterReplay(
            settings: try settings(), behaviour: try IntakeBehaviour(config: Config()),
            logger: Logger(label: "test", minimumLevel: .info, sink: { lines.add($0) }))
        return lines.all
    }

    private func skipped(_ lines: [String]) -> Bool {
        lines.contains { $0.contains("quick_check skipped") }
            && lines.contains { $0.contains("state rebuilt by replay") && $0.contains("\"quick_check\":\"skipped\"") }
    }

    private func ran(_ lines: [String]) -> Bool {
        !lines.contains { $0.contains("quick_check skipped") }
            && lines.contains { $0.contains("state rebuilt by replay") && $0.contains("\"quick_check\":\"ran\"") }
    }

    func testAStartOnTheFileItsGracefulStopCheckedSkipsQuickCheck() throws {
        let first = try startAndStop()
        XCTAssertTrue(ran(first), "no stamp yet: checked\n\(first)")
        // The start says which SHA-256 the hash chain runs on.
        let engine = "\"chain.sha256\":\"\(SHA256Engine.selected.engine.rawValue)\""
        XCTAssertTrue(first.contains { $0.contains("state rebuilt by replay") && $0.contains(engine) }, "\(first)")
        XCTAssertTrue(first.contains { $0.contains("log checked and stamped at stop") }, "\(first)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: LogStamp.path(logPath: logPath)))
        let second = try startAndStop()
        XCTAssertTrue(skipped(second), "unchanged since the stop that checked it\n\(second)")
        // A start that does not end gracefully leaves no stamp: the stamp is removed when the log is opened.
        let host = ServiceHost(settings: try settings(), behaviour: try IntakeBehaviour(config: Config()), logger: Logger(label: "t"))
        try host.start()
        XCTAssertFalse(FileManager.default.fileExists(atPath: LogStamp.path(logPath: logPath)), "removed at start")
        host.stopFlag.set()
        try host.run()
        XCTAssertTrue(skipped(try startAndStop()), "its graceful stop stamped it again")
    }

    func testAFileTouchedSinceTheStopIsChecked() throws {
        _ = try startAndStop()
        // Modification time set back to what it was: the status-change time still moves.
        var st = stat()
        XCTAssertEqual(stat(logPath, &st), 0)
        var times = [st.st_atim, st.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, logPath, &times, 0), 0)
        let lines = try startAndStop()
        XCTAssertTrue(ran(lines), "touched: checked\n\(lines)")
        // Appended to by another writer (the service's own log opened by a tool).
        try EventLog(path: logPath, stream: "intake").append(
            [Event(id: EventID.derived("stamp|late"), type: "DisabilityRecorded", subject: "H", region: "220102001001",
                   occurredAt: 1, payload: Array("{}".utf8))], recordedAt: 1)
        XCTAssertTrue(ran(try startAndStop()), "written: checked")
        // A damaged stamp is no stamp.
        try Data("{\"device\":1}\n".utf8).write(to: URL(fileURLWithPath: LogStamp.path(logPath: logPath)))
        XCTAssertTrue(ran(try startAndStop()), "damaged stamp: checked")
    }

    func testAPageDamagedSinceTheStopIsRefused() throws {
        _ = try startAndStop()
        XCTAssertTrue(skipped(try startAndStop()))
        // One page in the middle of the file overwritten (the stop left the WAL empty, the file whole).
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int)
        let pageSize = 8192
        XCTAssertGreaterThan(size / pageSize, 4)
        let fd = open(logPath, O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let garbage = [UInt8](repeating: 0xA5, count: pageSize)
        let written = garbage.withUnsafeBytes { pwrite(fd, $0.baseAddress, pageSize, off_t((size / pageSize / 2) * pageSize)) }
        close(fd)
        XCTAssertEqual(written, pageSize)
        XCTAssertThrowsError(try startAndStop(), "a damaged page refuses the start") { error in
            guard let damage = error as? LogDamage else { return XCTFail("not a log fault: \(error)") }
            switch damage {
            case .structure, .file: break
            default: XCTFail("\(damage)")
            }
        }
    }

    func testTheStampTellsTheFileAsItIs() throws {
        let stamp = try XCTUnwrap(LogStamp.of(logPath))
        XCTAssertTrue(LogStamp.write(logPath: logPath))
        XCTAssertTrue(LogStamp.takeMatching(logPath: logPath))
        XCTAssertFalse(FileManager.default.fileExists(atPath: LogStamp.path(logPath: logPath)), "taken")
        XCTAssertFalse(LogStamp.takeMatching(logPath: logPath), "no stamp: check")
        XCTAssertEqual(LogStamp.of(logPath), stamp)
        // A WAL with frames in it: the file alone is not the log.
        XCTAssertTrue(LogStamp.write(logPath: logPath))
        try Data(repeating: 1, count: 32).write(to: URL(fileURLWithPath: logPath + "-wal"))
        XCTAssertFalse(LogStamp.takeMatching(logPath: logPath))
    }
}

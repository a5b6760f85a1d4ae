import Foundation
import GongguCore
import GongguEvents
import GongguIntakeService
import GongguRuntime
import GongguServices
import GongguStore
import XCTest

/// A service starts from the newest valid snapshot of its fold state and replays only
/// what follows; a snapshot that is truncated, has a flipped byte, belongs to another log, no longer
/// matches the log's hash at its seq or is of another format is ignored with a log line saying why,
/// and the service replays from the start — with the same digest either way.
final class SnapshotStartTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    var dir = ""

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("snapshot-start")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func settings(_ folder: String) throws -> ServiceSettings {
        let config = Config(
            root: .object([
                ("data", .object([("directory", .string("\(folder)/data"))])),
                ("endpoints", .object([("publish", .string("ipc://\(folder)/pub")), ("control", .string("ipc://\(folder)/ctl"))])),
            ]), environment: [:])
        return try ServiceSettings(service: "intake", config: config)
    }

    /// Appends `count` intake events (every seventh a rejection) to the log of `folder`.
    private func append(_ folder: String, from: Int, count: Int) throws {
        try FileManager.default.createDirectory(atPath: "\(folder)/data", withIntermediateDirectories: true)
        let path = try settings(folder).logPath
        try EventLog(path: path, stream: "intake").append(
            (from..<(from + count)).map { i in
                Event(
                    id: EventID.derived("\(folder)|record|\(i)"), type: i % 7 == 0 ? "RecordRejected" : "DisabilityRecorded",
                    subject: "H\(i)", region: "220102001001", occurredAt: 1_700_000_000_000 + Int64(i) * 1000,
                    payload: Array("{}".utf8))
            }, recordedAt: 1_700_000_000_000)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Starts an intake host on `folder` and stops it before its first turn (a graceful stop, which
    /// writes a snapshot); returns the digest it started with and its log lines.
    private func startAndStop(_ folder: String) throws -> (digest: String, lines: [String]) {
        let lines = Lines()
        let digest = try ServiceHost.digestAfterReplay(
            settings: try settings(folder), behaviour: try IntakeBehaviour(config: Config()),
            logger: Logger(label: "test", minimumLevel: .info, sink: { lines.add($0) }))
        return (digest, lines.all)
    }

    /// The digest of a full replay, computed without the host.
    private func fullReplayDigest(_ folder: String) throws -> String {
        let b = try IntakeBehaviour(config: Config())
        try EventLog(path: try settings(folder).logPath, stream: nil, readOnly: true).forEach { b.replayOwnInput($0) }
        return b.stateDigest()
    }

    private func snapshots(_ folder: String) throws -> [(seq: Int64, path: String)] {
        Snapshots.files(logPath: try settings(folder).logPath)
    }

    func testAStartUsesTheNewestSnapshotAndReplaysTheRest() throws {
        try append(dir, from: 0, count: 3_000)
        let first = try startAndStop(dir)
        XCTAssertEqual(first.digest, try fullReplayDigest(dir))
        XCTAssertEqual(try snapshots(dir).map(\.seq), [3_000], "a graceful stop writes a snapshot")
        try append(dir, from: 3_000, count: 500)
        let second = try startAndStop(dir)
        XCTAssertEqual(second.digest, try fullReplayDigest(dir), "snapshot + the 500 events after it")
        XCTAssertTrue(second.lines.contains { $0.contains("state restored from snapshot") && $0.contains("3000") }, "\(second.lines)")
        XCTAssertEqual(try snapshots(dir).map(\.seq), [3_500, 3_000])
        // Keep the last 3.
        for extra in 0..<3 {
            try append(dir, from: 3_500 + extra * 10, count: 10)
            _ = try startAndStop(dir)
        }
        XCTAssertEqual(try snapshots(dir).map(\.seq), [3_530, 3_520, 3_510])
    }

    /// Replaces the snapshots of `dir` by `bad`, starts, and checks digest and reason.
    private func startsWithTheRightDigest(afterWriting bad: [UInt8], reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let good = try snapshots(dir)
        let name = good.first!.path
        for s in good { try FileManager.default.removeItem(atPath: s.path) }
        FileManager.default.createFile(atPath: name, contents: Data(bad))
        let run = try startAndStop(dir)
        XCTAssertEqual(run.digest, try fullReplayDigest(dir), reason, file: file, line: line)
        let why = run.lines.first { $0.contains("snapshot not used; replaying from the start") }
        XCTAssertNotNil(why, "a line says why: \(run.lines)", file: file, line: line)
        XCTAssertTrue(why?.contains("\"reason\":\"\(reason)\"") ?? false, why ?? "", file: file, line: line)
        XCTAssertTrue(why?.contains("快照") ?? false, "Chinese beside the English key", file: file, line: line)
        XCTAssertFalse(run.lines.contains { $0.contains("state restored from snapshot") }, file: file, line: line)
    }

    func testEveryBadSnapshotIsIgnoredWithTheReasonAndTheStateIsRebuiltInFull() throws {
        try append(dir, from: 0, count: 2_000)
        _ = try startAndStop(dir)
        try append(dir, from: 2_000, count: 100)
        let path = try snapshots(dir).first!.path
        let bytes = Array(FileManager.default.contents(atPath: path)!)
        let (header, state) = try Snapshots.decode(bytes)

        // Truncated.
        try startsWithTheRightDigest(afterWriting: Array(bytes.prefix(bytes.count / 2)), reason: "corrupt")
        // One byte flipped in the state.
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        try startsWithTheRightDigest(afterWriting: flipped, reason: "corrupt")
        // Another log's snapshot (a sound file, of a log with another log_id).
        let other = dir + "/other"
        try append(other, from: 0, count: 50)
        _ = try startAndStop(other)
        let foreign = Array(FileManager.default.contents(atPath: try snapshots(other).first!.path)!)
        try startsWithTheRightDigest(afterWriting: foreign, reason: "other_log")
        // A head hash the log no longer has at that seq (the log was replaced by another history).
        var stale = header
        stale.headHash = String(repeating: "ab", count: 32)
        try startsWithTheRightDigest(afterWriting: Snapshots.encode(stale, state: state), reason: "stale_head")
        // An older format.
        var old = header
        old.format = 0
        try startsWithTheRightDigest(afterWriting: Snapshots.encode(old, state: state), reason: "other_format")
        // A state that does not give the digest it claims.
        var wrong = header
        wrong.digest = String(repeating: "0", count: 64)
        try startsWithTheRightDigest(afterWriting: Snapshots.encode(wrong, state: state), reason: "digest_differs")
    }

    private func gonggu(_ args: [String]) throws -> (Int32, String) { try ServiceProcess.gonggu(args) }

    func testSnapshotVerifyRebuildsFromScratchAndComparesDigests() throws {
        try append(dir, from: 0, count: 1_000)
        _ = try startAndStop(dir)
        let (ok, listed) = try gonggu(["snapshot", "verify", "--data", "\(dir)/data"])
        XCTAssertEqual(ok, 0, listed)
        XCTAssertTrue(listed.contains("intake\tseq 1000\t一致 verified"), listed)
        // A snapshot whose state is not what the log rebuilds (a sound file claiming another digest).
        let path = try snapshots(dir).first!.path
        let (header, state) = try Snapshots.decode(Array(FileManager.default.contents(atPath: path)!))
        var wrong = header
        wrong.digest = String(repeating: "1", count: 64)
        FileManager.default.createFile(atPath: path, contents: Data(Snapshots.encode(wrong, state: state)))
        let (failed, output) = try gonggu(["snapshot", "verify", "--data", "\(dir)/data"])
        XCTAssertEqual(failed, 1, output)
        XCTAssertTrue(output.contains("digest_differs"), output)
        let (listOK, list) = try gonggu(["snapshot", "list", "--data", "\(dir)/data"])
        XCTAssertEqual(listOK, 0, list)
        XCTAssertTrue(list.contains("可用 usable"), list)
    }

    func testSnapshotsCanBeTurnedOff() throws {
        try append(dir, from: 0, count: 100)
        let lines = Lines()
        let config = Config(
            root: .object([
                ("data", .object([("directory", .string("\(dir)/data"))])),
                ("endpoints", .object([("publish", .string("ipc://\(dir)/pub")), ("control", .string("ipc://\(dir)/ctl"))])),
                ("snapshot", .object([("enabled", .bool(false))])),
            ]), environment: [:])
        _ = try ServiceHost.digestAfterReplay(
            settings: try ServiceSettings(service: "intake", config: config), behaviour: try IntakeBehaviour(config: Config()),
            logger: Logger(label: "test", minimumLevel: .info, sink: { lines.add($0) }))
        XCTAssertEqual(try snapshots(dir).count, 0)
    }
}

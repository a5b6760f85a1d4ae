import Foundation
import GongguCore
import GongguHarness
import GongguIntakeService
import GongguRuntime
import GongguServices
import GongguStore
import XCTest

/// The compact forms of snapshot format 2: the XXH64 checksum, intake's `RecordIDSet` (against a
/// `Set<EventID>`), and intake across a restart from its snapshot (same digest as a full replay, same
/// duplicates found).
final class SnapshotFormTests: PrivateDirectoryTestCase {
    func testTheChecksumIsXXH64() {
        // Reference values from libxxhash 0.8.1 (`XXH64(data, len, 0)`).
        let cases: [(String, UInt64)] = [
            ("", 0xEF46_DB37_51D8_E999), ("a", 0xD24E_C4F1_A98C_6E5B), ("abc", 0x44BC_2CF5_AD77_0999),
            ("0123456789abcdefghijklmnopqrstuvwxyz-0123456789ABCDEF", 0x4155_6082_FF9F_2346),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(Array(text.utf8).withUnsafeBytes { SnapshotChecksum.xxh64($0) }, expected, text)
        }
        XCTAssertEqual(SnapshotChecksum.hex(Array("abc".utf8)[...]), "44bc2cf5ad770999")
    }

    func testARecordIDSetHoldsWhatASetHolds() throws {
        var rng = SystemRandomNumberGenerator()
        var set = RecordIDSet()
        var reference = Set<EventID>()
        var all: [EventID] = []
        for i in 0..<40_000 {
            // Some ids with the same first byte, so that partitions merge often.
            let id = i % 5 == 0 ? EventID(high: 0x7F00_0000_0000_0000 | UInt64(i), low: rng.next()) : EventID.random()
            all.append(id)
            XCTAssertEqual(set.insert(id), reference.insert(id).inserted)
            if i % 3 == 0 {
                let again = all[Int.random(in: 0..<all.count)]
                XCTAssertEqual(set.insert(again), reference.insert(again).inserted, "a duplicate")
            }
            if i % 97 == 0 {
                let gone = all[Int.random(in: 0..<all.count)]
                XCTAssertEqual(set.remove(gone), reference.remove(gone) != nil)
            }
        }
        XCTAssertEqual(set.count, reference.count)
        for id in all { XCTAssertEqual(set.contains(id), reference.contains(id)) }
        // The digest: SHA-256 of the ids sorted, 16 bytes each big-endian (as before the compact form).
        var h = SHA256()
        for id in reference.sorted() { h.update(id.bytes) }
        let digest = h.finalize().hexString
        XCTAssertEqual(set.digest, digest)
        // The snapshot form reads back to the same set and digest.
        var bytes: [UInt8] = []
        set.encoded(into: &bytes)
        XCTAssertEqual(bytes.count, reference.count * 16)
        let (back, backDigest) = try bytes.withUnsafeBytes { try RecordIDSet.decode($0) }
        XCTAssertEqual(backDigest, digest)
        XCTAssertEqual(back.digest, digest)
        XCTAssertEqual(back.count, reference.count)
        for id in all.prefix(2_000) { XCTAssertEqual(back.contains(id), reference.contains(id)) }
    }

    func testARecordIDSetRefusesAFormNotWritten() throws {
        var set = RecordIDSet()
        for i in 0..<100 { set.insert(EventID.derived("form|\(i)")) }
        var bytes: [UInt8] = []
        set.encoded(into: &bytes)
        XCTAssertThrowsError(try Array(bytes.dropLast()).withUnsafeBytes { try RecordIDSet.decode($0) }, "length")
        var swapped = bytes
        swapped.replaceSubrange(0..<32, with: bytes[16..<32] + bytes[0..<16])
        XCTAssertThrowsError(try swapped.withUnsafeBytes { try RecordIDSet.decode($0) }, "order")
        var twice = bytes
        twice.replaceSubrange(16..<32, with: bytes[0..<16])
        XCTAssertThrowsError(try twice.withUnsafeBytes { try RecordIDSet.decode($0) }, "a duplicate")
        let last = Array(bytes.suffix(16)), first = Array(bytes.prefix(16))
        XCTAssertThrowsError(try (last + first).withUnsafeBytes { try RecordIDSet.decode($0) }, "across partitions")
    }

    // MARK: Intake across a restart

    override var directoryLabel: String { "snapshot-form" }

    private func settings(_ folder: String, snapshots: Bool) throws -> ServiceSettings {
        try ServiceSettings(
            service: "intake",
            config: Config(
                root: .object([
                    ("data", .object([("directory", .string("\(folder)/data"))])),
                    ("endpoints", .object([
                        ("publish", .string("ipc://\(folder)/pub")), ("control", .string("ipc://\(folder)/ctl")),
                    ])),
                    ("snapshot", .object([("enabled", .bool(snapshots))])),
                ]), environment: [:]))
    }

    private func records(_ range: Range<Int>) -> [Event] {
        range.map { i in
            Event(
                id: EventID.derived("form|record|\(i)"), type: i % 7 == 0 ? "RecordRejected" : "DisabilityRecorded",
                subject: "H\(i)", region: "220102001001", occurredAt: 1_700_000_000_000 + Int64(i) * 1000,
                recordedAt: 1_700_000_000_000 + Int64(i) * 1000, payload: Array("{}".utf8))
        }
    }

    /// Runs an intake host on `folder`, submits `batches` one after the other, stops it gracefully; returns
    /// the ids each batch appended, the digest after start-up and at the end, and the log lines.
    private func run(_ folder: String, snapshots: Bool, _ batches: [[Event]]) throws
        -> (appended: [[EventID]], started: String, ended: String, lines: [String])
    {
        let lines = SnapshotStartTests.Lines()
        let logger = Logger(label: "test", minimumLevel: .info, sink: { lines.add($0) })
        try FileManager.default.createDirectory(atPath: "\(folder)/data", withIntermediateDirectories: true)
        // The state a start rebuilds (a start and a graceful stop that appends nothing, so writes no snapshot).
        let started = try ServiceHost.digestAfterReplay(
            settings: try settings(folder, snapshots: snapshots), behaviour: try IntakeBehaviour(config: Config()),
            logger: logger)
        let behaviour = try IntakeBehaviour(config: Config())
        let host = ServiceHost(settings: try settings(folder, snapshots: snapshots), behaviour: behaviour, logger: logger)
        let thread = HostThread(host)
        var appended: [[EventID]] = []
        for batch in batches {
            // Submitted from another thread, waited for with a deadline (a host that failed to start
            // would leave `submit` waiting).
            final class Box: @unchecked Sendable { var result: Result<[Event], Error>? }
            let box = Box()
            let done = DispatchSemaphore(value: 0)
            Thread {
                box.result = Result { try host.submit(batch) }
                done.signal()
            }.start()
            guard done.wait(timeout: .now() + 60) == .success, let result = box.result else {
                XCTFail("no commit within 60 s; host failure: \(String(describing: thread.failure))\n\(lines.all.suffix(5))")
                throw XCTSkip("host did not commit")
            }
            appended.append(try result.get().map(\.id))
        }
        try thread.stop()
        return (appended, started, behaviour.stateDigest(), lines.all)
    }

    /// Intake's snapshot is streamed to its file (`streamingSnapshot`), never encoded whole in memory;
    /// the file holds the same form as before (so a snapshot written by an older intake still restores):
    /// accepted, rejected, the day pairs (Int64 little-endian each), then the ids sorted, 16 bytes each,
    /// and the header's digest is SHA-256 of those id bytes.
    func testIntakeStreamsItsSnapshotInTheFormItAlwaysHad() throws {
        let folder = "\(dir)/streamed"
        var batch = records(0..<3_000)
        batch += batch.prefix(20)  // duplicates: not appended, not counted
        let first = try run(folder, snapshots: true, [batch])
        XCTAssertEqual(first.appended.map(\.count), [3_000])
        XCTAssertTrue(first.lines.contains { $0.contains("snapshot written") }, "\(first.lines)")
        let logPath = try settings(folder, snapshots: true).logPath
        guard let file = Snapshots.files(logPath: logPath).first else { return XCTFail("no snapshot") }
        let (header, state) = try Snapshots.read(path: file.path)
        XCTAssertEqual(header.seq, 3_000)
        func int(_ at: Int) -> Int64 {
            state.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
        }
        let rejected = (0..<3_000).filter { $0 % 7 == 0 }.count
        XCTAssertEqual(int(0), Int64(3_000 - rejected), "accepted")
        XCTAssertEqual(int(8), Int64(rejected), "rejected")
        let days = Int(int(16))
        XCTAssertGreaterThan(days, 0)
        let ids = Array(state[(24 + days * 16)...])
        let expected = records(0..<3_000).map(\.id).sorted()
        XCTAssertEqual(ids.count, expected.count * 16)
        XCTAssertEqual(ids, expected.flatMap(\.bytes))
        var h = SHA256()
        h.update(ids)
        XCTAssertEqual(header.digest, h.finalize().hexString)
        XCTAssertEqual(header.digest, first.ended)
        // Restarted from it: the same records are duplicates, new ones are appended.
        let second = try run(folder, snapshots: true, [records(2_990..<3_010)])
        XCTAssertTrue(second.lines.contains { $0.contains("state restored from snapshot") }, "\(second.lines)")
        XCTAssertEqual(second.started, first.ended)
        XCTAssertEqual(second.appended.map(\.count), [10])
    }

    func testIntakeFromItsSnapshotFindsTheSameDuplicatesAsAFullReplay() throws {
        let twin = "\(dir)/twin", restarted = "\(dir)/restarted"
        let first = [records(0..<4_000), records(3_990..<4_100)]
        let second = [records(4_050..<4_200), records(0..<10) + records(4_200..<4_210), records(4_195..<4_300)]
        // The twin without snapshots (each start a full replay), the other from its snapshot.
        let twinFirst = try run(twin, snapshots: false, first)
        let restartedFirst = try run(restarted, snapshots: true, first)
        XCTAssertEqual(twinFirst.appended, restartedFirst.appended)
        XCTAssertEqual(restartedFirst.appended.map(\.count), [4_000, 100])
        XCTAssertEqual(twinFirst.ended, restartedFirst.ended)
        XCTAssertEqual(Snapshots.files(logPath: try settings(restarted, snapshots: true).logPath).count, 1)

        let twinSecond = try run(twin, snapshots: false, second)
        let restartedSecond = try run(restarted, snapshots: true, second)
        XCTAssertTrue(restartedSecond.lines.contains { $0.contains("state restored from snapshot") }, "\(restartedSecond.lines)")
        XCTAssertFalse(twinSecond.lines.contains { $0.contains("state restored from snapshot") })
        XCTAssertEqual(restartedSecond.started, twinSecond.started, "start from the snapshot == full replay")
        XCTAssertEqual(restartedSecond.started, twinFirst.ended)
        XCTAssertEqual(twinSecond.appended, restartedSecond.appended, "the same records found duplicate")
        XCTAssertEqual(restartedSecond.appended.map(\.count), [100, 10, 90])
        XCTAssertEqual(twinSecond.ended, restartedSecond.ended)
    }
}

import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// The sidecar index (LOG_INDEX.md): trailing the head, rebuilt when missing, stale or of another log,
/// and never giving a wrong answer meanwhile (look-ups scan what it does not cover).
final class SidecarIndexTests: StoreTestCase {
    func sidecarState() throws -> LogIndex.State? {
        try LogIndex.state(try SQLiteDatabase(path: sidecarPath, readOnly: true))
    }

    func removeSidecar() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sidecarPath + suffix) }
    }

    func testSidecarPathSitsBesideTheLog() {
        XCTAssertEqual(LogIndex.path(forLog: "/var/lib/gonggu/intake.log.sqlite"), "/var/lib/gonggu/intake.index.sqlite")
        XCTAssertEqual(LogIndex.path(forLog: "/tmp/x.sqlite"), "/tmp/x.index.sqlite")
        XCTAssertEqual(LogIndex.path(forLog: "/tmp/x"), "/tmp/x.index.sqlite")
    }

    /// The writer's indexer follows every commit; the sidecar records the log's id and the hash at
    /// the seq it covers, and gets the log file's permission bits.
    func testIndexerTrailsTheHead() throws {
        // The log's mode set before its writer opens it: the indexer thread creates the sidecar at
        // open, so a chmod after `makeLog()` raced with it (the sidecar then got 0644).
        do { _ = try makeLog() }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path())
        removeSidecar()
        let log = try makeLog()
        for round in 0..<5 {
            try log.append(sampleEvents(40, from: round * 40), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: try log.lastSeq))
            let state = try XCTUnwrap(try sidecarState())
            XCTAssertGreaterThanOrEqual(state.indexedThrough, Int64(40 * (round + 1)))
            XCTAssertEqual(state.logID, log.logID)
        }
        XCTAssertEqual(try sidecarState()?.throughHash, try log.headHash)
        let mode = try FileManager.default.attributesOfItem(atPath: sidecarPath)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let rows = try SQLiteDatabase(path: sidecarPath, readOnly: true).scalarInt("SELECT count(*) FROM ids")
        XCTAssertEqual(rows, 200)
    }

    /// No sidecar at all: every look-up is a scan of the log, complete; the next writer rebuilds it.
    func testMissingSidecarIsRebuilt() throws {
        var all: [Event] = []
        do {
            let log = try makeLog()
            all = try log.append(sampleEvents(90), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 90))
        }
        removeSidecar()
        let writer = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        XCTAssertEqual(try writer.events(subject: "H0"), all.filter { $0.subject == "H0" })
        XCTAssertEqual(try writer.event(id: all[44].id), all[44])
        XCTAssertFalse(FileManager.default.fileExists(atPath: sidecarPath))
        let log = try makeLog()
        XCTAssertTrue(log.waitForIndex(through: 90))
        XCTAssertEqual(try sidecarState()?.indexedThrough, 90)
        XCTAssertEqual(try log.events(subject: "H0"), all.filter { $0.subject == "H0" })
    }

    /// A log restored from an older copy (same log id): the sidecar covers events the log no longer
    /// has, then other events at the same seqs. Readers ignore it; the writer rebuilds it.
    func testStaleSidecarIsIgnoredAndRebuilt() throws {
        let saved = path("saved.sqlite")
        do {
            let log = try makeLog()
            try log.append(sampleEvents(30), recordedAt: 1)
        }
        try FileManager.default.copyItem(atPath: path(), toPath: saved)
        do {
            let log = try makeLog()
            try log.append(sampleEvents(20, from: 30), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 50))
        }
        XCTAssertEqual(try sidecarState()?.indexedThrough, 50)
        try FileManager.default.removeItem(atPath: path())
        try FileManager.default.copyItem(atPath: saved, toPath: path())
        // Shorter than the sidecar: a reader must not list events 31…50.
        let writer = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        XCTAssertEqual(try writer.events(subject: "H0").map(\.seq), (1...30).filter { ($0 - 1) % 3 == 0 }.map(Int64.init))
        XCTAssertNil(try writer.event(id: sampleEvents(1, from: 40)[0].id))
        // Other events at seqs 31…50 (same length as the sidecar, another hash at 50).
        let other = try writer.append(sampleEvents(20, from: 500), recordedAt: 2)
        XCTAssertEqual(try writer.lastSeq, 50)
        XCTAssertNil(try writer.event(id: sampleEvents(1, from: 40)[0].id))
        XCTAssertEqual(try writer.event(id: other[10].id), other[10])
        XCTAssertEqual(try sidecarState()?.indexedThrough, 50)  // still the stale one
        let log = try makeLog()
        XCTAssertTrue(log.waitForIndex(through: 50))
        XCTAssertEqual(try sidecarState()?.throughHash, try log.headHash)
        XCTAssertEqual(try log.event(id: other[10].id), other[10])
        XCTAssertNil(try log.event(id: sampleEvents(1, from: 40)[0].id))
        XCTAssertEqual(try SQLiteDatabase(path: sidecarPath, readOnly: true).scalarInt("SELECT count(*) FROM ids"), 50)
    }

    /// The sidecar of another log in its place (another `log_id`): ignored, then rebuilt.
    func testSidecarOfAnotherLogIsIgnoredAndRebuilt() throws {
        do {
            let other = try makeLog("other.sqlite")
            try other.append(sampleEvents(40, from: 1000), recordedAt: 1)
            XCTAssertTrue(other.waitForIndex(through: 40))
        }
        var all: [Event] = []
        do {
            let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            all = try log.append(sampleEvents(40), recordedAt: 1)
        }
        try FileManager.default.copyItem(atPath: LogIndex.path(forLog: path("other.sqlite")), toPath: sidecarPath)
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        reader.tailScanLimit = 0
        XCTAssertNil(try reader.event(id: sampleEvents(1, from: 1010)[0].id))
        XCTAssertEqual(try reader.events(subject: "H1"), all.filter { $0.subject == "H1" })
        // The reader may write it (same user): it rebuilt it for this log.
        XCTAssertEqual(try sidecarState()?.indexedThrough, 40)
        let log = try EventLog(path: path(), stream: nil, readOnly: true)
        XCTAssertEqual(try sidecarState()?.logID, log.logID)
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(1010)), [])
    }

    /// A reader that may not write the sidecar (here: none there, read-only folder semantics are
    /// the tools' business) still answers completely from the tail.
    func testReaderAnswersFromTheTailWithoutASidecar() throws {
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        let all = try log.append(sampleEvents(25), recordedAt: 1)
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertEqual(try log.events(subject: "H2"), all.filter { $0.subject == "H2" })
        XCTAssertEqual(try log.updateIndex(), 25)
        XCTAssertEqual(try sidecarState()?.indexedThrough, 25)
    }
}

/// Duplicate ids refused without an id index: fingerprints in memory, a hit confirmed exactly
/// against the sidecar and the tail.
final class DuplicateIDTests: StoreTestCase {
    func assertRefused(_ log: EventLog, _ batch: [Event], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try log.lastSeq
        XCTAssertThrowsError(try log.append(batch, recordedAt: 9), file: file, line: line) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)", file: file, line: line)
        }
        XCTAssertEqual(try log.lastSeq, before, file: file, line: line)
        XCTAssertEqual(try log.read(after: before, limit: 10).count, 0, file: file, line: line)
    }

    func testDuplicatesAreRefusedAcrossARestartAndTheSidecarBoundary() throws {
        var indexed: [Event] = []
        do {
            let log = try makeLog()
            indexed = try log.append(sampleEvents(60), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 60))
        }
        // Restarted without the indexer: 60 events in the sidecar, the next ones only in the tail.
        var tail: [Event] = []
        do {
            let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            tail = try log.append(sampleEvents(30, from: 60), recordedAt: 1)
            try assertRefused(log, [indexed[10]])
            try assertRefused(log, [tail[5]])
            try assertRefused(log, sampleEvents(3, from: 900) + [indexed[59]])
            try assertRefused(log, sampleEvents(3, from: 900) + sampleEvents(1, from: 901))  // twice in the batch
        }
        XCTAssertEqual(try LogIndex.state(try SQLiteDatabase(path: LogIndex.path(forLog: path()), readOnly: true))?
            .indexedThrough, 60)
        // Restarted again: the fingerprints are loaded from the sidecar and the tail.
        let log = try makeLog()
        try assertRefused(log, [indexed[0]])
        try assertRefused(log, [tail.last!])
        let more = try log.append(sampleEvents(5, from: 900), recordedAt: 2)
        XCTAssertEqual(more.map(\.seq), Array(91...95))
        try assertRefused(log, [more[2]])
        XCTAssertTrue(try log.verify().isIntact)
    }

    /// Without any sidecar the confirmation scans the log.
    func testDuplicatesAreRefusedWithoutASidecar() throws {
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        let first = try log.append(sampleEvents(20), recordedAt: 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: LogIndex.path(forLog: path())))
        try assertRefused(log, [first[7]])
    }

    /// A different id with the same fingerprint is a false alarm: confirmed absent, appended.
    func testAFingerprintCollisionIsNotADuplicate() throws {
        let log = try makeLog()
        let first = try log.append(sampleEvents(5), recordedAt: 1)
        let a = first[2].id
        let low = a.low &+ 1
        let twin = EventID(
            high: a.high ^ (a.low &* 0x9E37_79B9_7F4A_7C15) ^ (low &* 0x9E37_79B9_7F4A_7C15), low: low)
        XCTAssertNotEqual(twin, a)
        XCTAssertEqual(IDFingerprints.of(twin), IDFingerprints.of(a))
        var event = sampleEvents(1, from: 100)[0]
        event.id = twin
        XCTAssertEqual(try log.append([event], recordedAt: 2).map(\.seq), [6])
        try assertRefused(log, [event])
        XCTAssertTrue(try log.verify().isIntact)
    }

    /// Batches of `EventLog.pipelineThreshold` or more are screened on the hashing thread while the
    /// writer inserts, and a suspect is confirmed inside the transaction that holds the batch: below
    /// the batch's first seq, or every suspect would find its own row.
    func testLargeBatchesAreScreenedWhileTheyAreInserted() throws {
        let n = EventLog.pipelineThreshold + 44
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        let first = try log.append(sampleEvents(n), recordedAt: 1)
        try assertRefused(log, sampleEvents(n - 1, from: 1_000) + [first[150]])
        try assertRefused(log, [first[3]] + sampleEvents(n - 1, from: 1_000))
        try assertRefused(log, sampleEvents(n, from: 2_000) + sampleEvents(1, from: 2_100))  // twice in the batch
        // A different id with the fingerprint of a recorded one, amid a large batch: appended.
        let a = first[7].id
        let low = a.low &+ 1
        var twin = sampleEvents(1, from: 3_000)[0]
        twin.id = EventID(high: a.high ^ (a.low &* 0x9E37_79B9_7F4A_7C15) ^ (low &* 0x9E37_79B9_7F4A_7C15), low: low)
        XCTAssertEqual(IDFingerprints.of(twin.id), IDFingerprints.of(a))
        let batch = sampleEvents(n / 2, from: 4_000) + [twin] + sampleEvents(n / 2, from: 5_000)
        XCTAssertEqual(try log.append(batch, recordedAt: 2).map(\.seq), Array(Int64(n + 1)...Int64(2 * n + 1)))
        try assertRefused(log, sampleEvents(n, from: 6_000) + [twin])
        XCTAssertTrue(try log.verify().isIntact)
    }
}

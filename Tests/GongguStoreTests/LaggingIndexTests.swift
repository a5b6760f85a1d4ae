import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// A sidecar index behind the head (docs/LOG_INDEX.md, "A lagging index"): a reader answers from the
/// indexed part plus a scan of a short tail without writing the sidecar, indexes a long tail first
/// (telling `EventLog.indexProgress`), catch-ups in several transactions build the same index as one,
/// and a writer's stop lets its indexer catch up.
final class LaggingIndexTests: StoreTestCase {
    func indexedThrough() throws -> Int64? {
        try LogIndex.state(try SQLiteDatabase(path: sidecarPath, readOnly: true))?.indexedThrough
    }

    /// A short tail: the reader answers completely and leaves the sidecar as it was (no write
    /// transaction, no waiting for an index of the whole tail before the first answer).
    func testReaderScansAShortTailWithoutIndexingIt() throws {
        let person = Self.residentID(7)
        let all = try laggingLog(tail: 60, person: person)
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        XCTAssertGreaterThan(reader.tailScanLimit, 60)
        let h1 = try reader.events(subject: "H1")
        XCTAssertEqual(h1, all.filter { $0.subject == "H1" })
        XCTAssertTrue(h1.contains { $0.seq <= 100 } && h1.contains { $0.seq > 100 })
        XCTAssertEqual(try reader.event(id: all[10].id), all[10])
        XCTAssertEqual(try reader.event(id: all[150].id), all[150])
        XCTAssertNil(try reader.event(id: EventID.derived("never appended")))
        XCTAssertEqual(try reader.households(ofPerson: person), ["HA", "HZ"])
        XCTAssertEqual(try indexedThrough(), 100, "a short tail is scanned, not indexed")
    }

    /// A tail longer than the reader's limit: indexed before the answer, its progress told.
    func testReaderIndexesALongTailFirstAndTellsItsProgress() throws {
        let person = Self.residentID(5)  // odd: no sample event carries it
        let all = try laggingLog(tail: 60, person: person)
        let seen = ProgressRecorder()
        EventLog.indexProgress = { seen.add($0) }
        defer { EventLog.indexProgress = nil }
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        reader.tailScanLimit = 10
        XCTAssertEqual(try reader.events(subject: "H2"), all.filter { $0.subject == "H2" })
        XCTAssertEqual(try indexedThrough(), 160)
        let progress = seen.all
        XCTAssertEqual(progress.first?.from, 100)
        XCTAssertEqual(progress.last?.through, 160)
        XCTAssertEqual(progress.last?.head, 160)
        XCTAssertTrue(progress.last?.message.contains("正在补建日志索引") == true)
        XCTAssertTrue(progress.last?.message.contains("60 of 60 events") == true)
        XCTAssertEqual(try reader.households(ofPerson: person), ["HA", "HZ"])
    }

    /// Catching up in many small transactions and rebuilding in one give the same tables; answers
    /// after a rebuild are those of the log.
    func testCatchUpInBatchesAndRebuildGiveTheSameIndex() throws {
        let person = Self.residentID(9)
        let all = try laggingLog(tail: 60, person: person)
        let log = try EventLog(path: path(), stream: nil, readOnly: true)
        // Batches of 7 events: the catch-up commits 9 times (100 → 160).
        try log.withDatabase { db in
            let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: false))
            var reports = 0
            XCTAssertEqual(try LogIndex.catchUp(sidecar: sidecar, log: db, logID: log.logID, batch: 7) { _ in reports += 1 }, 160)
            XCTAssertEqual(reports, 9)
        }
        let inBatches = try tables(sidecarPath)
        XCTAssertEqual(inBatches.filter { $0.contains(person) }.count, 2)
        XCTAssertGreaterThanOrEqual(try log.rebuildIndex(batch: 1_000), 0)
        XCTAssertEqual(try tables(sidecarPath), inBatches)
        XCTAssertEqual(try log.events(subject: "H0"), all.filter { $0.subject == "H0" })
        XCTAssertEqual(try log.event(id: all[120].id), all[120])
    }

    /// A long catch-up (more than 5,000 events) commits without syncs or checkpoints, then the sidecar
    /// connection is back to `synchronous = NORMAL` with automatic checkpoints, its WAL copied.
    func testBulkCatchUpEndsDurableWithCheckpointsBack() throws {
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        var all: [Event] = []
        for k in 0..<6 { all += try log.append(sampleEvents(2_000, from: k * 2_000), recordedAt: 1) }
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        reader.tailScanLimit = 0
        XCTAssertEqual(try reader.event(id: all[11_000].id), all[11_000])
        XCTAssertEqual(try indexedThrough(), 12_000)
        let sidecar = try XCTUnwrap(reader.sidecar)
        XCTAssertEqual(try sidecar.scalarInt("PRAGMA synchronous"), 1, "NORMAL")
        XCTAssertEqual(try sidecar.scalarInt("PRAGMA wal_autocheckpoint"), 1_000)
        XCTAssertEqual(try SQLiteDatabase(path: sidecarPath, readOnly: true).scalarInt("SELECT count(*) FROM ids"), 12_000)
        XCTAssertEqual(try reader.events(subject: "H1").count, 4_000)
    }

    /// A catch-up told to stop between transactions stops there; the part done is sound and the next
    /// catch-up goes on from it.
    func testStoppedCatchUpResumes() throws {
        _ = try laggingLog(tail: 60, person: Self.residentID(3))
        let log = try EventLog(path: path(), stream: nil, readOnly: true)
        try log.withDatabase { db in
            let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: false))
            var asked = 0
            let got = try LogIndex.catchUp(sidecar: sidecar, log: db, logID: log.logID, batch: 25) {
                asked += 1
                return true
            }
            XCTAssertEqual(got, -1)
            XCTAssertEqual(asked, 1)
            XCTAssertEqual(try indexedThrough(), 125)
            XCTAssertEqual(try LogIndex.catchUp(sidecar: sidecar, log: db, logID: log.logID, batch: 25), 160)
        }
    }

    /// A stop asked during a long sidecar transaction does not wait for its end: the transaction is
    /// rolled back (the index stays where it was, sound) and the next catch-up does the work. A
    /// service's SIGTERM must not wait for 100,000 rows indexed at the lowest CPU priority.
    func testAStopDuringALongTransactionRollsItBack() throws {
        do {
            let writer = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            for k in 0..<4 { try writer.append(sampleEvents(5_000, from: k * 5_000), recordedAt: 1) }
        }
        let log = try EventLog(path: path(), stream: nil, readOnly: true)
        try log.withDatabase { db in
            let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: true))
            var asked = 0
            let got = try LogIndex.catchUp(sidecar: sidecar, log: db, logID: log.logID, batch: 100_000) {
                asked += 1
                return true
            }
            XCTAssertEqual(got, -1, "stopped inside its one transaction")
            XCTAssertEqual(asked, 1)
            XCTAssertEqual(try sidecar.scalarInt("SELECT count(*) FROM ids"), 0, "rolled back")
            XCTAssertEqual(try LogIndex.catchUp(sidecar: sidecar, log: db, logID: log.logID, batch: 100_000), 20_000)
        }
        XCTAssertEqual(try indexedThrough(), 20_000)
    }

    /// A writer closed right after a burst: its indexer catches up before it stops (the burst is
    /// shorter than what the indexer waits to gather, so without the catch-up it stays unindexed).
    func testWriterCloseLetsTheIndexerCatchUp() throws {
        do {
            let log = try makeLog()
            try log.append(sampleEvents(30), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 30))
            try log.append(sampleEvents(20, from: 30), recordedAt: 2)
        }
        XCTAssertEqual(try indexedThrough(), 50)
    }

    /// `finishIndexing(within:)`, a service's graceful stop: the sidecar covers the head after it;
    /// appends after it still work and are found (scanned as the tail).
    func testFinishIndexingCatchesUpThenStopsTheIndexer() throws {
        let log = try makeLog()
        try log.append(sampleEvents(40), recordedAt: 1)
        XCTAssertTrue(log.finishIndexing(within: 30))
        XCTAssertEqual(try indexedThrough(), 40)
        let later = try log.append(sampleEvents(5, from: 40), recordedAt: 2)
        XCTAssertEqual(try log.event(id: later[2].id), later[2])
        XCTAssertFalse(log.waitForIndex(through: 45, timeout: 0.1), "the indexer has stopped")
        XCTAssertEqual(try indexedThrough(), 40)
        // A writer without an indexer has nothing to wait for.
        let other = try EventLog(path: path("other.sqlite"), stream: "test", synchronous: .off, indexing: false)
        XCTAssertTrue(other.finishIndexing(within: 0))
    }
}

/// Collects `IndexProgress` reports (the handler may be called from any thread).
final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [IndexProgress] = []
    func add(_ p: IndexProgress) {
        lock.lock()
        reports.append(p)
        lock.unlock()
    }
    var all: [IndexProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}

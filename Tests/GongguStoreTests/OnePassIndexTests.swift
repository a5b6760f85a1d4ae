import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// A long unindexed tail indexed by a tool in one pass (docs/LOG_INDEX.md, "A long tail in one
/// pass"): the same tables and answers as the batched catch-up and as no sidecar at all, and a kill
/// during the pass leaves the sidecar as it was before it (trusted and correct) or ignored.
final class OnePassIndexTests: StoreTestCase {
    func indexedThrough(_ sidecar: String) throws -> Int64? {
        try LogIndex.state(try SQLiteDatabase(path: sidecar, readOnly: false))?.indexedThrough
    }

    /// Moves the sidecar back to covering seq `through` only (rows beyond removed, meta moved with
    /// the chain hash there): a sidecar whose writer stopped that far behind.
    func cutBack(to through: Int64, log: SQLiteDatabase) throws {
        let hash = try log.prepare(EventLogSchema.selectHashAt)
        try hash.bind(through, at: 1)
        let bytes: [UInt8]? = try hash.step() ? hash.bytes(at: 0) : nil
        let sidecar = try SQLiteDatabase(path: sidecarPath, readOnly: false)
        try sidecar.transaction {
            for t in ["ids", "subjects", "persons"] { try sidecar.prepare("DELETE FROM \(t) WHERE seq > ?").run([through]) }
            try sidecar.prepare("UPDATE index_meta SET indexed_through = ?, through_hash = ?").run([through, bytes])
        }
    }

    /// Every kind of investigator look-up gives what the log holds.
    func assertAnswers(
        _ log: EventLog, _ all: [Event], person: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        for subject in ["H0", "H1", "H2", "HA", "HZ"] {
            XCTAssertEqual(try log.events(subject: subject), all.filter { $0.subject == subject }, subject, file: file, line: line)
        }
        for i in [0, 10, 99, 100, 101, all.count / 2, all.count - 2, all.count - 1] {
            XCTAssertEqual(try log.event(id: all[i].id), all[i], "event \(i)", file: file, line: line)
        }
        XCTAssertNil(try log.event(id: EventID.derived("never appended")), file: file, line: line)
        XCTAssertEqual(try log.households(ofPerson: person), ["HA", "HZ"], file: file, line: line)
        let sample = Self.residentID(1_500)
        var expected: [String] = []
        for e in all where String(decoding: e.payload, as: UTF8.self).contains(sample) && !expected.contains(e.subject) {
            expected.append(e.subject)
        }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(try log.households(ofPerson: sample), expected, "a person of the tail", file: file, line: line)
    }

    /// One pass and batches build the same tables; a reader indexing a long tail in one pass, a
    /// rebuild in one pass and a reader without a sidecar answer alike.
    func testALongTailInOnePassGivesTheSameIndexAsBatchesAndAsNoSidecar() throws {
        let person = Self.residentID(7)  // odd: no sample event carries it
        let all = try laggingLog(tail: 3_000, person: person)
        let head = Int64(all.count)
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        var batched: [String] = []
        try reader.withDatabase { db in
            let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: false))
            var reports = 0
            XCTAssertEqual(
                try LogIndex.catchUp(sidecar: sidecar, log: db, logID: reader.logID, batch: 500) { _ in reports += 1 }, head)
            XCTAssertEqual(reports, 7, "3,000 events in transactions of 500, then the one that finds no more")
            batched = try tables(sidecarPath)
            try cutBack(to: 100, log: db)
            XCTAssertEqual(try indexedThrough(sidecarPath), 100)
            reports = 0
            XCTAssertEqual(
                try LogIndex.catchUp(sidecar: sidecar, log: db, logID: reader.logID, batch: 500, onePassAbove: 1_000) { _ in
                    reports += 1
                }, head)
            XCTAssertEqual(reports, 1, "one transaction")
            XCTAssertEqual(try tables(sidecarPath), batched)
            XCTAssertEqual(try sidecar.scalarInt("SELECT count(*) FROM temp.pending"), 0, "temporary rows dropped")
            try cutBack(to: 100, log: db)
        }
        XCTAssertEqual(batched.filter { $0.contains(person) }.count, 2)

        // A tool's first look-up with the long tail: indexed in one pass, then answered.
        let tool = try EventLog(path: path(), stream: nil, readOnly: true)
        tool.tailScanLimit = 10
        tool.onePassAbove = 1_000
        try assertAnswers(tool, all, person: person)
        XCTAssertEqual(try indexedThrough(sidecarPath), head)
        XCTAssertEqual(try tables(sidecarPath), batched)

        // A rebuild from nothing in one pass.
        XCTAssertGreaterThanOrEqual(try tool.rebuildIndex(batch: 500), 0)
        XCTAssertEqual(try tables(sidecarPath), batched)

        // No sidecar: the scan of the whole log gives the same answers.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sidecarPath + suffix) }
        let scanner = try EventLog(path: path(), stream: nil, readOnly: true)
        scanner.tailScanLimit = .max
        try assertAnswers(scanner, all, person: person)
        XCTAssertEqual(try indexedThrough(sidecarPath) ?? 0, 0, "nothing indexed by a scan")
    }

    /// What a kill during a one-pass catch-up leaves on disk — the sidecar and its WAL as they are at
    /// that moment, copied with the log at every point the pass may be stopped at, after the pages of
    /// the uncommitted pass spilled into the WAL — is the sidecar as it was before the pass: trusted
    /// and answering correctly (or, rebuilding a sidecar of another log, ignored); the next tool
    /// indexes the tail again.
    func testAKillDuringAOnePassLeavesTheSidecarAsItWasOrIgnored() throws {
        let person = Self.residentID(9)
        let all = try laggingLog(tail: 20_000, person: person)
        let head = Int64(all.count)
        let fm = FileManager.default
        for staleFromAnotherLog in [false, true] {
            if staleFromAnotherLog {
                let sidecar = try SQLiteDatabase(path: sidecarPath, readOnly: false)
                try sidecar.execute("UPDATE index_meta SET log_id = 'another log'")
            }
            var snapshots: [String] = []
            var walSizes: [Int] = []
            let reader = try EventLog(path: path(), stream: nil, readOnly: true)
            try reader.withDatabase { db in
                let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: false))
                _ = try sidecar.scalarText("PRAGMA wal_checkpoint(TRUNCATE)")
                let got = try LogIndex.catchUp(
                    sidecar: sidecar, log: db, logID: reader.logID, cacheKiB: 64, onePassAbove: 1_000
                ) {
                    // Killed here: what is on disk is what the next process finds.
                    let dir = path("kill-\(staleFromAnotherLog)-\(snapshots.count)")
                    try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    for (from, to) in [
                        (path(), "\(dir)/log.sqlite"), (path() + "-wal", "\(dir)/log.sqlite-wal"),
                        (sidecarPath, "\(dir)/log.index.sqlite"), (sidecarPath + "-wal", "\(dir)/log.index.sqlite-wal"),
                    ] where fm.fileExists(atPath: from) {
                        try? fm.copyItem(atPath: from, toPath: to)
                    }
                    walSizes.append((try? fm.attributesOfItem(atPath: sidecarPath + "-wal"))?[.size] as? Int ?? 0)
                    snapshots.append(dir)
                    return false
                }
                XCTAssertEqual(got, head)
            }
            XCTAssertGreaterThanOrEqual(snapshots.count, 4, "asked while loading and after each table")
            XCTAssertGreaterThan(walSizes.last ?? 0, (walSizes.first ?? 0) + 100_000, "uncommitted pages in the WAL")
            for dir in snapshots {
                let logCopy = "\(dir)/log.sqlite", sidecarCopy = LogIndex.path(forLog: logCopy)
                XCTAssertEqual(try indexedThrough(sidecarCopy), 100, dir)
                let copy = try SQLiteDatabase(path: sidecarCopy, readOnly: false)
                XCTAssertEqual(try copy.scalarText("PRAGMA integrity_check"), "ok", dir)
                let scanner = try EventLog(path: logCopy, stream: nil, readOnly: true)
                scanner.tailScanLimit = .max
                XCTAssertEqual(scanner.sidecarView().through, staleFromAnotherLog ? 0 : 100, dir)
                try assertAnswers(scanner, all, person: person)
                let tool = try EventLog(path: logCopy, stream: nil, readOnly: true)
                tool.tailScanLimit = 0
                try assertAnswers(tool, all, person: person)
                XCTAssertEqual(try indexedThrough(sidecarCopy), head, dir)
                try? fm.removeItem(atPath: dir)
            }
            XCTAssertEqual(try indexedThrough(sidecarPath), head)
            try reader.withDatabase { db in try cutBack(to: 100, log: db) }
        }
    }

    /// A bulk catch-up in transactions (the writer's indexer behind a long import) checkpoints every
    /// `checkpointEvery` events as it goes: pages reach the sidecar file during the catch-up, so the
    /// WAL that a writer's close must checkpoint stays bounded. Without it (`Int.max`, as before)
    /// nothing reached the file until the catch-up ended.
    func testABulkCatchUpInTransactionsCheckpointsAsItGoes() throws {
        do {
            let writer = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            for k in 0..<6 { try writer.append(sampleEvents(2_000, from: k * 2_000), recordedAt: 1) }
        }
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        func fileSizes(checkpointEvery: Int) throws -> [Int] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sidecarPath + suffix) }
            var sizes: [Int] = []
            try reader.withDatabase { db in
                let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: true))
                let got = try LogIndex.catchUp(
                    sidecar: sidecar, log: db, logID: reader.logID, batch: 1_000, cacheKiB: nil,
                    checkpointEvery: checkpointEvery
                ) { _ in
                    sizes.append((try? FileManager.default.attributesOfItem(atPath: self.sidecarPath))?[.size] as? Int ?? 0)
                }
                XCTAssertEqual(got, 12_000)
            }
            XCTAssertEqual(try indexedThrough(sidecarPath), 12_000)
            return sizes
        }
        let before = try fileSizes(checkpointEvery: .max)
        XCTAssertGreaterThanOrEqual(before.count, 12)
        XCTAssertEqual(before.dropLast().max(), before.first, "nothing checkpointed until the end")
        let now = try fileSizes(checkpointEvery: 3_000)
        XCTAssertGreaterThan(now[6], now[0], "checkpointed during the catch-up")
        XCTAssertEqual(try reader.events(subject: "H1").count, 4_000)
    }
}

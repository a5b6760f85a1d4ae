import CSQLite
import GongguCore
import XCTest

@testable import GongguStore

/// With `.background` checkpointing the writer's WAL is copied back by `WALCheckpointer`'s thread, not
/// inside commits; with `.inCommit` (the default) SQLite does it as usual.
final class CheckpointTests: StoreTestCase {
    /// The WAL's page count, from a PASSIVE checkpoint through a separate connection (which then
    /// copies them: call it last).
    func walPages(_ file: String) throws -> Int32 {
        let db = try SQLiteDatabase(path: file, readOnly: false)
        // A connection learns that the file is in WAL mode when it first reads it.
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM meta"), 1)
        var pages: Int32 = -1, copied: Int32 = -1
        XCTAssertEqual(sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied), SQLITE_OK)
        return pages
    }

    /// Appends `count` sample events in commits of 10 (each dirties a few pages).
    func appendInSmallCommits(_ log: EventLog, count: Int) throws {
        var appended = 0
        while appended < count {
            try log.append(sampleEvents(10, from: appended), recordedAt: 1)
            appended += 10
        }
    }

    func testTheThreadCheckpointsAndTheWALStartsOver() throws {
        let log = try makeLog(checkpoint: .background)
        let checkpointer = try XCTUnwrap(log.checkpointer)
        try appendInSmallCommits(log, count: 15_000)
        let deadline = Date().addingTimeInterval(30)
        while checkpointer.completedCount == 0 && Date() < deadline { usleep(10_000) }
        XCTAssertGreaterThan(checkpointer.completedCount, 0)
        // Started over: the WAL holds only what came after the last complete checkpoint, far fewer
        // pages than the 1,500 commits wrote in all.
        XCTAssertTrue(try log.verify().isIntact)
        let pages = try walPages(path())
        XCTAssertGreaterThanOrEqual(pages, 0)
        XCTAssertLessThan(pages, WALCheckpointer.threshold * 2)
        XCTAssertEqual(try EventLog(path: path(), stream: nil, readOnly: true).lastSeq, 15_000)
    }

    func testSQLiteDoesNotCheckpointInTheCommit() throws {
        let log = try makeLog(checkpoint: .background)
        let checkpointer = try XCTUnwrap(log.checkpointer)
        checkpointer.stop()  // nobody checkpoints now but the inline limit
        try appendInSmallCommits(log, count: 20_000)
        // (20,000 events: without secondary indexes a commit of 10 dirties ~1.6 pages.)
        // With SQLite's automatic checkpoint in the commit, the WAL would start over every ~1,000
        // pages; here it only grows (up to the inline limit).
        let pages = try walPages(path())
        XCTAssertGreaterThan(pages, WALCheckpointer.threshold * 2)
        XCTAssertLessThanOrEqual(pages, WALCheckpointer.inlineLimit)
    }

    func testInCommitLogsCheckpointAsSQLiteDoes() throws {
        let log = try makeLog()
        XCTAssertNil(log.checkpointer)
        try appendInSmallCommits(log, count: 10_000)
        XCTAssertLessThan(try walPages(path()), WALCheckpointer.threshold * 2)
    }

    func testReadOnlyLogsHaveNoCheckpointer() throws {
        let log = try makeLog(checkpoint: .background)
        try log.append(sampleEvents(3), recordedAt: 1)
        XCTAssertNil(try EventLog(path: path(), stream: nil, readOnly: true, checkpoint: .background).checkpointer)
    }

    /// Closing a log while its thread may be checkpointing: no crash, nothing lost, the WAL is gone.
    func testClosingWhileCheckpointingKeepsEverything() throws {
        for round in 0..<5 {
            let name = "close-\(round).sqlite"
            do {
                let log = try makeLog(name, checkpoint: .background)
                try appendInSmallCommits(log, count: 3_000)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path(name) + "-wal"), "round \(round)")
            let reopened = try EventLog(path: path(name), stream: nil, readOnly: true)
            XCTAssertEqual(try reopened.lastSeq, 3_000)
            XCTAssertTrue(try reopened.verify().isIntact)
        }
    }
}

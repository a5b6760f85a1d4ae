import GongguCore
import XCTest

@testable import GongguStore

final class GroupCommitTests: StoreTestCase {
    struct Refused: Error {}

    func testFailingWithinClosureLeavesNothing() throws {
        let log = try makeLog()
        try log.withDatabase { try $0.execute("CREATE TABLE fingerprints(value TEXT PRIMARY KEY)") }
        try log.append(sampleEvents(2), recordedAt: 1)
        let head = try log.headHash
        for size in [3, 600] {  // inline hashing and pipelined hashing
            XCTAssertThrowsError(
                try log.append(sampleEvents(size, from: 2), recordedAt: 2) { db in
                    try db.prepare("INSERT INTO fingerprints VALUES (?)").run(["abc"])
                    throw Refused()
                }
            ) { XCTAssertTrue($0 is Refused) }
            XCTAssertEqual(try log.lastSeq, 2)
            XCTAssertEqual(try log.headHash, head)
            XCTAssertEqual(try log.read(after: 0, limit: 1000).count, 2)
            XCTAssertEqual(try log.withDatabase { try $0.scalarInt("SELECT count(*) FROM fingerprints") }, 0)
        }
        // Usable again, and the side table commits with the events.
        let recorded = try log.append(sampleEvents(2, from: 2), recordedAt: 3) { db in
            try db.prepare("INSERT INTO fingerprints VALUES (?)").run(["abc"])
        }
        XCTAssertEqual(recorded.map(\.seq), [3, 4])
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt("SELECT count(*) FROM fingerprints") }, 1)
        XCTAssertTrue(try log.verify().isIntact)
    }

    /// The in-place append numbers the caller's batch; a refused one is handed back as it was given
    /// (a behaviour's `commitFailed` undoes its counts by the events' own times).
    func testInPlaceAppendNumbersTheBatchOrLeavesItAsGiven() throws {
        let log = try makeLog()
        try log.append(sampleEvents(2), recordedAt: 1)
        for size in [3, 600] {  // inline hashing and pipelined hashing
            var batch = sampleEvents(size, from: 2)
            for i in batch.indices { batch[i].recordedAt = 77 }
            let given = batch
            XCTAssertThrowsError(try log.append(&batch, recordedAt: 2) { _ in throw Refused() })
            XCTAssertEqual(batch, given)
            XCTAssertEqual(try log.lastSeq, 2)
        }
        var batch = sampleEvents(3, from: 2)
        try log.append(&batch, recordedAt: 5)
        XCTAssertEqual(batch.map(\.seq), [3, 4, 5])
        XCTAssertEqual(batch.map(\.recordedAt), [5, 5, 5])
        XCTAssertEqual(try log.read(after: 2, limit: 10), batch)
    }

    func testWithinClosureAloneCommitsSideTableWithoutEvents() throws {
        let log = try makeLog()
        try log.withDatabase { try $0.execute("CREATE TABLE cursor(value INTEGER)") }
        XCTAssertEqual(try log.append([], recordedAt: 1) { try $0.execute("INSERT INTO cursor VALUES (7)") }, [])
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt("SELECT value FROM cursor") }, 7)
    }

    func testDiskFullRollsBackCompletelyAndTheLogStaysUsable() throws {
        let log = try makeLog()
        try log.append(sampleEvents(10), recordedAt: 1)
        let head = try log.headHash
        // "PRAGMA max_page_count = N … the maximum page count cannot be reduced below the current
        // database size": the file cannot grow any more, so the next big append hits SQLITE_FULL.
        try log.withDatabase { db in
            let pages = try db.scalarInt("PRAGMA page_count") ?? 0
            _ = try db.scalarInt("PRAGMA max_page_count = \(pages)")
        }
        XCTAssertThrowsError(try log.append(sampleEvents(2_000, from: 10), recordedAt: 2)) { error in
            XCTAssertTrue(SQLiteResultCode.full ~= error, "\(error)")
        }
        XCTAssertEqual(try log.lastSeq, 10)
        XCTAssertEqual(try log.headHash, head)
        XCTAssertEqual(try log.read(after: 0, limit: 10_000).count, 10)
        try log.withDatabase { _ = try $0.scalarInt("PRAGMA max_page_count = 1073741823") }
        let recorded = try log.append(sampleEvents(2_000, from: 10), recordedAt: 3)
        XCTAssertEqual(recorded.last?.seq, 2_010)
        XCTAssertEqual(try log.verify(), .intact(count: 2_010, headHash: try log.headHash))
    }
}

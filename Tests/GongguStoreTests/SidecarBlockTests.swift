import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// The sidecar's key tables are keyed first by the seq's block (`LogIndex.blockShift`): an indexer
/// transaction touches only the pages of its events' blocks, a look-up seeks once per block, and a
/// sidecar of the earlier (unblocked) layout is never read as if it were this one.
final class SidecarBlockTests: StoreTestCase {
    static let block = Int64(1) << LogIndex.blockShift

    /// A log of 100 sample events (subjects H0–H2), then `fillers` copies of its first event with
    /// fresh random ids and subjects `F0`…`F4999` (no person), written straight into the file: the
    /// sidecar reads only seq, id, subject, person and the hash at its `indexed_through`, and a copy
    /// of a sound row decodes. Returns the sample events and the log's id.
    func logWithFillers(_ fillers: Int) throws -> (events: [Event], logID: String) {
        var events: [Event] = []
        var logID = ""
        do {
            let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            events = try log.append(sampleEvents(100), recordedAt: 1)
            logID = log.logID
        }
        try appendCopies(of: 1, count: fillers, subject: "'F' || (n % 5000)", person: "NULL")
        return (events, logID)
    }

    /// Appends `count` copies of the row at `seq` after the head, with random ids and the given SQL
    /// expressions (over the copy's number `n`) for subject and person.
    func appendCopies(of seq: Int64, count: Int, subject: String, person: String) throws {
        let db = try SQLiteDatabase(path: path(), readOnly: false)
        let head = try db.scalarInt("SELECT max(seq) FROM events") ?? 0
        try db.execute("""
            WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(count))
            INSERT INTO events(seq, id, type, version, subject, region, occurred_at, recorded_at, causation,
                correlation, payload, hash, person)
            SELECT \(head) + n, randomblob(16), type, version, \(subject), region, occurred_at, recorded_at,
                causation, correlation, payload, hash, \(person)
            FROM c, events WHERE events.seq = \(seq)
            """)
    }

    /// Frames in the sidecar's WAL (after a checkpoint that leaves them there).
    func walFrames(_ sidecar: SQLiteDatabase) throws -> Int64 {
        let s = try sidecar.prepare("PRAGMA wal_checkpoint(PASSIVE)")
        guard try s.step() else { return -1 }
        return s.int64(at: 1)
    }

    func testBlocksOfALookUp() {
        XCTAssertEqual(LogIndex.blocks(through: 0), 0...0)
        XCTAssertEqual(LogIndex.blocks(through: 1), 0...0)
        XCTAssertEqual(LogIndex.blocks(through: Self.block - 1), 0...0)
        XCTAssertEqual(LogIndex.blocks(through: Self.block), 0...1)
        XCTAssertEqual(LogIndex.blocks(through: 3 * Self.block + 5), 0...3)
    }

    /// Indexing 2,000 events behind 140,000 indexed ones writes the pages of the last block only.
    /// With the block after the key (as unblocked), the 2,000 random ids and subjects landed on pages
    /// spread over the whole tables (measured: 1,445 WAL frames); blocked, on the pages of block 1 (128).
    func testATransactionWritesOnlyThePagesOfItsBlock() throws {
        let (_, logID) = try logWithFillers(Int(Self.block) + 9_000 - 100)
        let log = try SQLiteDatabase(path: path(), readOnly: true)
        let sidecar = try XCTUnwrap(try LogIndex.openWritable(logPath: path(), create: true))
        XCTAssertEqual(try LogIndex.catchUp(sidecar: sidecar, log: log, logID: logID, batch: 100_000), Self.block + 9_000)
        _ = try sidecar.scalarText("PRAGMA wal_checkpoint(TRUNCATE)")
        try sidecar.execute("PRAGMA wal_autocheckpoint = 0")

        try appendCopies(of: 1, count: 2_000, subject: "'F' || (abs(random()) % 5000)", person: "NULL")
        XCTAssertEqual(try LogIndex.catchUp(sidecar: sidecar, log: log, logID: logID, batch: 100_000), Self.block + 11_000)
        let frames = try walFrames(sidecar)
        XCTAssertGreaterThan(frames, 0)
        XCTAssertLessThan(frames, 400, "WAL frames of one 2,000-event transaction")
        XCTAssertEqual(try sidecar.scalarInt("SELECT count(*) FROM ids"), Self.block + 11_000)
        XCTAssertEqual(try sidecar.scalarInt("SELECT count(*) FROM ids WHERE block = 1"), 11_001)
    }

    /// Look-ups whose answers span blocks: in log order, the newest event of an id, a person's
    /// households in order of their first fact — through the sidecar, the same as a scan of the log.
    func testLookUpsAcrossBlocks() throws {
        let (events, _) = try logWithFillers(Int(Self.block))
        // Ten copies of sample event 4 (subject H1, person residentID(4)) in block 1, as household H9.
        try appendCopies(of: 5, count: 10, subject: "'H9'", person: "person")
        let head = Self.block + 110

        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        let h0 = try reader.events(subject: "H0")
        XCTAssertEqual(h0, events.filter { $0.subject == "H0" })
        let h9 = try reader.events(subject: "H9")
        XCTAssertEqual(h9.count, 10)
        XCTAssertEqual(try LogIndex.state(try SQLiteDatabase(path: sidecarPath, readOnly: true))?.indexedThrough, head)
        XCTAssertEqual(try reader.households(ofPerson: Self.residentID(4)), ["H1", "H9"])
        XCTAssertEqual(try reader.event(id: events[50].id), events[50])

        // The same answers with no sidecar: a scan of the whole log.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sidecarPath + suffix) }
        let scanning = try EventLog(path: path(), stream: nil, readOnly: true)
        scanning.tailScanLimit = .max
        XCTAssertEqual(try scanning.events(subject: "H9").map(\.id), h9.map(\.id))
        XCTAssertEqual(try scanning.households(ofPerson: Self.residentID(4)), ["H1", "H9"])
    }

    /// A sidecar of the earlier layout (keys without the block, `user_version` 0) whose meta claims it
    /// covers the log but whose tables are empty: a writer that does not index answers from the log,
    /// and the next indexer drops and rebuilds it.
    func testASidecarOfTheEarlierLayoutIsRebuilt() throws {
        var events: [Event] = []
        var logID = ""
        var hash: [UInt8] = []
        do {
            let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            events = try log.append(sampleEvents(90), recordedAt: 1)
            logID = log.logID
            hash = try log.headHash
        }
        do {
            let old = try SQLiteDatabase(path: sidecarPath, readOnly: false)
            try old.execute("""
                CREATE TABLE index_meta(singleton INTEGER PRIMARY KEY CHECK (singleton = 1), log_id TEXT NOT NULL,
                    indexed_through INTEGER NOT NULL, through_hash BLOB);
                CREATE TABLE ids(id BLOB NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (id, seq)) WITHOUT ROWID;
                CREATE TABLE subjects(subject TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (subject, seq)) WITHOUT ROWID;
                CREATE TABLE persons(person TEXT NOT NULL, seq INTEGER NOT NULL, subject TEXT NOT NULL,
                    PRIMARY KEY (person, seq)) WITHOUT ROWID;
                """)
            try old.prepare("INSERT INTO index_meta VALUES (1, ?, 90, ?)").run([logID, hash])
        }
        let h2 = events.filter { $0.subject == "H2" }
        do {
            let writer = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
            XCTAssertEqual(try writer.events(subject: "H2"), h2)
            XCTAssertEqual(try writer.event(id: events[7].id), events[7])
            XCTAssertEqual(try writer.households(ofPerson: Self.residentID(4)), ["H1"])
        }
        let log = try makeLog()
        XCTAssertTrue(log.waitForIndex(through: 90))
        let sidecar = try SQLiteDatabase(path: sidecarPath, readOnly: true)
        XCTAssertEqual(try sidecar.scalarInt(LogIndex.userVersion), Int64(LogIndex.layoutVersion))
        XCTAssertEqual(try sidecar.scalarInt("SELECT count(*) FROM ids WHERE block = 0"), 90)
        XCTAssertEqual(try log.events(subject: "H2"), h2)
    }
}

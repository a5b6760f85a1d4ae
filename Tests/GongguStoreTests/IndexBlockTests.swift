import GongguCore
import XCTest

@testable import GongguStore

/// Look-ups over the sidecar index and the log's tail beyond it, duplicate ids found by `verify`, and
/// logs created with the secondary indexes of the layouts before the sidecar index (answered by a reader as
/// they are, migrated by their writer).
final class IndexBlockTests: StoreTestCase {
    /// Appends `count` events, subjects `H0`…`H2`, in batches; returns the recorded events.
    func fill(_ log: EventLog, count: Int, from start: Int = 0) throws -> [Event] {
        var recorded: [Event] = []
        var i = start
        while i < start + count {
            let n = min(50, start + count - i)
            recorded += try log.append(sampleEvents(n, from: i), recordedAt: 1)
            i += n
        }
        return recorded
    }

    func membership(_ subject: String, person: String) -> Event {
        Event(
            id: EventID.derived("member|\(subject)"), type: "MemberRecorded", subject: subject, region: "220102001001",
            occurredAt: 0, payload: Array(#"{"personID":"\#(person)"}"#.utf8))
    }

    func testLookupsFindIndexedEventsAndTheTail() throws {
        let person = Self.residentID(7)
        var all: [Event] = []
        do {
            let log = try makeLog()
            all += try log.append([membership("HA", person: person)], recordedAt: 1)
            all += try fill(log, count: 100, from: 1)
            XCTAssertTrue(log.waitForIndex(through: try log.lastSeq))
        }
        // A writer without its indexer: what it appends stays in the tail beyond the sidecar.
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        all += try fill(log, count: 40, from: 200)
        all += try log.append([membership("HZ", person: person)], recordedAt: 1)
        let sidecar = try SQLiteDatabase(path: LogIndex.path(forLog: path()), readOnly: true)
        XCTAssertEqual(try LogIndex.state(sidecar)?.indexedThrough, 101)
        for e in [all[0], all[50], all[100], all[101], all.last!] {
            XCTAssertEqual(try log.event(id: e.id), e)
        }
        XCTAssertNil(try log.event(id: EventID.derived("never appended")))
        let h2 = try log.events(subject: "H2")
        XCTAssertEqual(h2, all.filter { $0.subject == "H2" })
        XCTAssertTrue(h2.contains { $0.seq <= 101 } && h2.contains { $0.seq > 101 })
        XCTAssertEqual(try log.households(ofPerson: person), ["HA", "HZ"])
        // A reader (the investigator tools) brings the sidecar up to the head before it answers when
        // the tail is longer than it scans (here: any tail; LaggingIndexTests for the default).
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        reader.tailScanLimit = 0
        XCTAssertEqual(try reader.events(subject: "H2"), h2)
        XCTAssertEqual(try LogIndex.state(sidecar)?.indexedThrough, Int64(all.count))
        XCTAssertEqual(try reader.event(id: all.last!.id), all.last)
        XCTAssertEqual(try reader.households(ofPerson: person), ["HA", "HZ"])
    }

    /// A duplicate id that got into the file past `append` (raw SQL with a correct chain hash):
    /// `verify` names it, though no index refuses it.
    func testDuplicateIDIsFoundByVerify() throws {
        let log = try makeLog()
        let all = try fill(log, count: 20)
        var again = all[5]
        again.seq = 21
        again.recordedAt = 2
        var hash = [UInt8](repeating: 0, count: 32)
        var scratch: [UInt8] = []
        let previous = try log.headHash
        previous.withUnsafeBytes { p in
            hash.withUnsafeMutableBytes { ChainHash.hash(again, previous: p.baseAddress!, into: $0.baseAddress!, scratch: &scratch) }
        }
        try log.withDatabase { db in
            try db.prepare(EventLogSchema.insertEvent).run([
                Int64(21), again.id.bytes, again.type, Int64(again.version), again.subject, again.region,
                again.occurredAt, again.recordedAt, again.causation?.bytes, again.correlation?.bytes, again.payload, hash,
                nil,
            ])
        }
        XCTAssertEqual(try log.verify(), .broken(seq: 21, problem: .duplicateID(first: 6), verified: 20))
    }

    func testVerifyPassesDistinctIDsSharingTheirFirstEightBytes() throws {
        let log = try makeLog()
        var events = sampleEvents(3)
        events[1].id = EventID(high: events[0].id.high, low: events[0].id.low &+ 1)
        try log.append(events, recordedAt: 1)
        XCTAssertTrue(try log.verify().isIntact)
    }

    func testLogsWithThePlainIndexesAreAnsweredAndMigrated() throws {
        let all: [Event]
        do {
            let scratch = try makeLog("scratch.sqlite")
            all = try scratch.append(sampleEvents(30), recordedAt: 1)
        }
        // A log file as the first layout created it: the plain indexes, rows copied in.
        let file = path("plain.sqlite")
        let db = try SQLiteDatabase(path: file, readOnly: false)
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute(EventLogSchema.create() + """
            CREATE UNIQUE INDEX events_id ON events(id);
            CREATE INDEX events_subject ON events(subject, seq);
            \(IndexLayout.plain.createPersonIndex(.column));
            """)
        try db.prepare(EventLogSchema.insertMeta).run(["test", EventID.random().description, 1, 0])
        try db.execute("""
            ATTACH '\(path("scratch.sqlite"))' AS scratch;
            INSERT INTO events SELECT * FROM scratch.events ORDER BY seq;
            DETACH scratch;
            """)
        // A reader before any writer of this version: the plain indexes answer.
        let reader = try EventLog(path: file, stream: nil, readOnly: true)
        XCTAssertEqual(reader.indexLayout, .plain)
        XCTAssertTrue(try reader.hasPersonIndex)
        XCTAssertEqual(try reader.event(id: all[17].id), all[17])
        XCTAssertEqual(try reader.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertEqual(try reader.households(ofPerson: Self.residentID(4)), ["H1"])
        for (sql, index) in [
            (reader.indexLayout.selectByID, "events_id"), (reader.indexLayout.selectBySubject, "events_subject"),
            (reader.indexLayout.selectPerson(.column), "events_person_key"),
        ] {
            let plan = try queryPlan(reader, sql)
            XCTAssertTrue(plan.contains("USING INDEX \(index) "), plan)
            XCTAssertFalse(plan.contains("SCAN"), plan)
        }
        // Its writer drops the indexes; the sidecar answers the same, duplicates are still refused.
        let log = try EventLog(path: file, stream: "test", synchronous: .off)
        XCTAssertEqual(log.indexLayout, .sidecar)
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt(EventLogSchema.countEventIndexes) }, 0)
        XCTAssertEqual(try log.event(id: all[17].id), all[17])
        XCTAssertEqual(try log.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertTrue(try log.verify().isIntact)
        XCTAssertThrowsError(try log.append([all[3]], recordedAt: 2)) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)")
        }
        XCTAssertEqual(try log.lastSeq, 30)
        XCTAssertTrue(log.waitForIndex(through: 30))
        XCTAssertEqual(try EventLog(path: file, stream: nil, readOnly: true).indexLayout, .sidecar)
    }
}

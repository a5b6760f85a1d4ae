import GongguCore
import XCTest

@testable import GongguStore

/// Lookups over several index blocks (small ones: 64 events a block), and logs created with the
/// plain indexes of the first layout.
final class IndexBlockTests: StoreTestCase {
    static let shift = 6
    static let perBlock = 1 << shift

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

    func testLookupsFindEventsInEveryBlock() throws {
        let log = try makeLog(blockShift: Self.shift)
        let person = Self.residentID(7)
        func membership(_ subject: String) -> Event {
            Event(
                id: EventID.derived("member|\(subject)"), type: "MemberRecorded", subject: subject,
                region: "220102001001",
                occurredAt: 0, payload: Array(#"{"personID":"\#(person)"}"#.utf8))
        }
        try log.append([membership("HA")], recordedAt: 1)
        let all = try fill(log, count: 3 * Self.perBlock + 5, from: 1)
        try log.append([membership("HZ")], recordedAt: 1)
        XCTAssertEqual(log.indexLayout, .blocked(shift: Self.shift))
        XCTAssertEqual(log.indexLayout.blocks(lastSeq: try log.lastSeq), 0...3)
        // all[i] has seq i + 2; seq perBlock - 1 is the last of block 0 (blocks are seq >> shift).
        for e in [all[0], all[Self.perBlock - 3], all[Self.perBlock - 2], all.last!] {
            XCTAssertEqual(try log.event(id: e.id), e)
        }
        XCTAssertNil(try log.event(id: EventID.derived("never appended")))
        let h2 = try log.events(subject: "H2")
        XCTAssertEqual(h2.map(\.seq), all.filter { $0.subject == "H2" }.map(\.seq))
        XCTAssertEqual(Set(h2.map { $0.seq >> Int64(Self.shift) }), [0, 1, 2, 3])
        XCTAssertEqual(try log.households(ofPerson: person), ["HA", "HZ"])
        let reader = try EventLog(path: path(), stream: nil, readOnly: true)
        XCTAssertEqual(try reader.event(id: all.last!.id), all.last)
        XCTAssertEqual(try reader.events(subject: "H2").count, h2.count)
    }

    func testDuplicateIDInAnotherBlockIsFoundByVerify() throws {
        let log = try makeLog(blockShift: Self.shift)
        let all = try fill(log, count: Self.perBlock + 10)
        // The same id again, in block 1: the blocked unique index does not look into block 0.
        var again = all[5]
        again.seq = 0
        try log.append([again], recordedAt: 2)
        let duplicateSeq = Int64(all.count + 1)
        XCTAssertEqual(
            try log.verify(), .broken(seq: duplicateSeq, problem: .duplicateID(first: 6), verified: duplicateSeq - 1))
        // Within one block the index refuses it at once.
        XCTAssertThrowsError(try log.append([all.last!], recordedAt: 3))
    }

    func testVerifyPassesDistinctIDsSharingTheirFirstEightBytes() throws {
        let log = try makeLog()
        var events = sampleEvents(3)
        events[1].id = EventID(high: events[0].id.high, low: events[0].id.low &+ 1)
        try log.append(events, recordedAt: 1)
        XCTAssertTrue(try log.verify().isIntact)
    }

    func testLogsWithThePlainIndexesAreStillAnswered() throws {
        // A log file as the first layout created it: schema from before the blocked indexes.
        let file = path("plain.sqlite")
        let db = try SQLiteDatabase(path: file, readOnly: false)
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute(
            EventLogSchema.create()
                .replacingOccurrences(
                    of: "CREATE UNIQUE INDEX events_id_block ON events(seq >> 17, id)",
                    with: "CREATE UNIQUE INDEX events_id ON events(id)")
                .replacingOccurrences(
                    of: "CREATE INDEX events_subject_block ON events(seq >> 17, subject, seq)",
                    with: "CREATE INDEX events_subject ON events(subject, seq)")
                .replacingOccurrences(
                    of: IndexLayout.blocked(shift: 17).createPersonIndex(.column),
                    with: IndexLayout.plain.createPersonIndex(.column)))
        try db.prepare(EventLogSchema.insertMeta).run(["test", EventID.random().description, 1, 0])
        let log = try EventLog(path: file, stream: "test", synchronous: .off)
        XCTAssertEqual(log.indexLayout, .plain)
        XCTAssertTrue(try log.hasPersonIndex)
        let all = try log.append(sampleEvents(30), recordedAt: 1)
        XCTAssertEqual(try log.event(id: all[17].id), all[17])
        XCTAssertEqual(try log.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertTrue(try log.verify().isIntact)
        XCTAssertThrowsError(try log.append([all[3]], recordedAt: 2)) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)")
        }
        let reopened = try EventLog(path: file, stream: nil, readOnly: true)
        XCTAssertEqual(reopened.indexLayout, .plain)
        for (sql, index) in [
            (log.indexLayout.selectByID, "events_id"), (log.indexLayout.selectBySubject, "events_subject"),
            (log.indexLayout.selectPerson(.column), "events_person_key"),
        ] {
            let plan = try queryPlan(log, sql)
            XCTAssertTrue(plan.contains("USING INDEX \(index) "), plan)
            XCTAssertFalse(plan.contains("SCAN"), plan)
        }
    }
}

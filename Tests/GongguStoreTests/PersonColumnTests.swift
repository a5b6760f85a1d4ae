import GongguCore
import XCTest

@testable import GongguStore

/// The writer-filled `person` column and the migration of logs written before it.
final class PersonColumnTests: StoreTestCase {
    /// The schema of a new log before the `person` column, verbatim (blocks of 2^17, person index on the JSON).
    static let schemaBeforePersonColumn = """
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            subject TEXT NOT NULL,
            region TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            causation BLOB,
            correlation BLOB,
            payload BLOB NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE UNIQUE INDEX events_id_block ON events(seq >> 17, id);
        CREATE INDEX events_subject_block ON events(seq >> 17, subject, seq);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
        CREATE TABLE meta(
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            stream TEXT NOT NULL,
            log_id TEXT NOT NULL,
            schema_version INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
        BEGIN SELECT RAISE(ABORT, 'log metadata is immutable'); END;
        CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
        BEGIN SELECT RAISE(ABORT, 'log metadata is immutable'); END;
        CREATE INDEX IF NOT EXISTS events_person_block ON events(seq >> 17, json_extract(CAST(payload AS TEXT), '$.personID'), seq) WHERE type IN ('DisabilityRecorded', 'MemberRecorded') AND json_valid(CAST(payload AS TEXT));
        """

    /// Events for the fixture: the sample events, a membership fact whose payload is not JSON and
    /// one whose `personID` is a number (neither indexed, before or after).
    func fixtureEvents() -> [Event] {
        var events = sampleEvents(40)
        events.append(Event(
            id: EventID.derived("bad"), type: "MemberRecorded", subject: "H9", region: "220102001001",
            occurredAt: 1, payload: Array("{not json".utf8)))
        events.append(Event(
            id: EventID.derived("number"), type: "MemberRecorded", subject: "H8", region: "220102001001",
            occurredAt: 1, payload: Array(#"{"personID":42}"#.utf8)))
        return events
    }

    /// A log file as a writer before the `person` column left it: the old schema, rows with their chain hashes.
    /// The rows are recorded by the current writer in a scratch log and copied column by column.
    func makeOldLog(_ name: String) throws -> [Event] {
        let recorded: [Event]
        do {
            let scratch = try makeLog("scratch.sqlite")
            recorded = try scratch.append(fixtureEvents(), recordedAt: 7)
        }
        let db = try SQLiteDatabase(path: path(name), readOnly: false)
        try db.execute("PRAGMA page_size = 8192; PRAGMA journal_mode = WAL")
        try db.execute(Self.schemaBeforePersonColumn)
        try db.prepare(EventLogSchema.insertMeta).run(["test", EventID.random().description, 1, 0])
        try db.execute("""
            ATTACH '\(path("scratch.sqlite"))' AS scratch;
            INSERT INTO events SELECT seq, id, type, version, subject, region, occurred_at, recorded_at, causation,
                correlation, payload, hash FROM scratch.events ORDER BY seq;
            DETACH scratch;
            """)
        return recorded
    }

    func personColumn(_ log: EventLog) throws -> [String?] {
        try log.withDatabase { db in
            let s = try db.prepare("SELECT person FROM events ORDER BY seq")
            var out: [String?] = []
            while try s.step() { out.append(s.string(at: 0)) }
            return out
        }
    }

    /// What the column must hold: the personID of membership facts with JSON payloads, else NULL.
    func expectedPersons(_ events: [Event]) -> [String?] {
        events.map { e in
            guard EventLogSchema.personTypes.contains(e.type),
                case let .object(fields)? = try? JSONReader.read(e.payload, { try $0.readValue() }),
                case let .string(person)? = fields.first(where: { $0.0 == "personID" })?.1
            else { return nil }
            return person
        }
    }

    func testWriterMigratesALogWrittenBeforeThePersonColumn() throws {
        let recorded = try makeOldLog("old.sqlite")
        // A reader before the migration: the JSON index answers.
        let before = try EventLog(path: path("old.sqlite"), stream: nil, readOnly: true)
        XCTAssertEqual(before.personSource, .json)
        XCTAssertTrue(try before.hasPersonIndex)
        XCTAssertEqual(try before.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertTrue(try queryPlan(before, before.indexLayout.selectPerson(.json)).contains("events_person_block"))

        let log = try EventLog(path: path("old.sqlite"), stream: "test", synchronous: .off)
        XCTAssertEqual(log.personSource, .column)
        XCTAssertTrue(try log.hasPersonIndex)
        XCTAssertEqual(try personColumn(log), expectedPersons(recorded))
        XCTAssertEqual(try personColumn(log).compactMap { $0 }.count, 20)
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(5)), [])  // SubsidyPaid: not membership
        // The old indexes are gone from the file; the sidecar index answers.
        XCTAssertEqual(log.indexLayout, .sidecar)
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt(EventLogSchema.countEventIndexes) }, 0)
        let plan = try sidecarQueryPlan(log, LogIndex.subjectsByPerson)
        XCTAssertTrue(plan.contains("SEARCH persons USING PRIMARY KEY"), plan)
        XCTAssertFalse(plan.contains("SCAN"), plan)
        let jsonIndex = try log.withDatabase { try $0.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'events_person_block'") }
        XCTAssertEqual(jsonIndex, 0)
        // Every guarantee holds on the migrated file: chain, append-only, duplicate ids, gapless seq.
        XCTAssertTrue(try log.verify().isIntact)
        XCTAssertThrowsError(try log.withDatabase { try $0.execute("UPDATE events SET person = 'x' WHERE seq = 1") }) {
            XCTAssertTrue("\($0)".contains("append-only"), "\($0)")
        }
        XCTAssertThrowsError(try log.withDatabase { try $0.execute("DELETE FROM events WHERE seq = 1") })
        XCTAssertThrowsError(try log.append([recorded[3]], recordedAt: 8))
        let more = try log.append(sampleEvents(6, from: 100), recordedAt: 8)
        XCTAssertEqual(more.map(\.seq), Array(43...48))
        XCTAssertEqual(try personColumn(log), expectedPersons(recorded + more))
        XCTAssertTrue(try log.verify().isIntact)
        // Once: a second open changes nothing.
        let again = try EventLog(path: path("old.sqlite"), stream: "test", synchronous: .off)
        XCTAssertEqual(try personColumn(again), expectedPersons(recorded + more))
    }

    func testPlainLayoutLogIsMigratedToo() throws {
        _ = try makeOldLog("ignored.sqlite")
        let db = try SQLiteDatabase(path: path("plain.sqlite"), readOnly: false)
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute(
            Self.schemaBeforePersonColumn
                .replacingOccurrences(of: "events_id_block ON events(seq >> 17, id)", with: "events_id ON events(id)")
                .replacingOccurrences(
                    of: "events_subject_block ON events(seq >> 17, subject, seq)", with: "events_subject ON events(subject, seq)")
                .replacingOccurrences(of: "events_person_block ON events(seq >> 17, ", with: "events_person ON events("))
        try db.prepare(EventLogSchema.insertMeta).run(["test", EventID.random().description, 1, 0])
        try db.execute("""
            ATTACH '\(path("scratch.sqlite"))' AS scratch;
            INSERT INTO events SELECT seq, id, type, version, subject, region, occurred_at, recorded_at, causation,
                correlation, payload, hash FROM scratch.events ORDER BY seq;
            DETACH scratch;
            """)
        let log = try EventLog(path: path("plain.sqlite"), stream: "test", synchronous: .off)
        XCTAssertEqual(log.indexLayout, .sidecar)
        XCTAssertEqual(log.personSource, .column)
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt(EventLogSchema.countEventIndexes) }, 0)
        XCTAssertTrue(try log.verify().isIntact)
    }

    func testWriterFillsThePersonColumnAsTheOldIndexDid() throws {
        let log = try makeLog()
        var events = fixtureEvents()
        // Spacing, an escaped value, personID after a nested object with its own personID, no key.
        let extra: [(String, String)] = [
            ("MemberRecorded", #"{ "name" : "x", "personID" : "110101199003070038" }"#),
            ("DisabilityRecorded", #"{"personID":"11010119900307003\u0058"}"#),
            ("MemberRecorded", #"{"inner":{"personID":"nested"},"personID":"220102198001011234"}"#),
            ("MemberRecorded", #"{"name":"no person"}"#),
            ("HouseholdRecorded", #"{"personID":"220102198001015678"}"#),
        ]
        for (i, (type, payload)) in extra.enumerated() {
            events.append(Event(
                id: EventID.derived("extra|\(i)"), type: type, subject: "X\(i)", region: "220102001001", occurredAt: 1,
                payload: Array(payload.utf8)))
        }
        let recorded = try log.append(events, recordedAt: 1)
        let expected = expectedPersons(recorded)
        XCTAssertEqual(try personColumn(log), expected)
        XCTAssertEqual(expected.suffix(5), ["110101199003070038", "11010119900307003X", "220102198001011234", nil, nil])
        XCTAssertEqual(try log.households(ofPerson: "11010119900307003X"), ["X1"])
        // The same values as SQLite's json_extract, which the index before the column used.
        let sqlite = try log.withDatabase { db in
            let s = try db.prepare(
                "SELECT CASE WHEN \(EventLogSchema.personTerm) AND json_type(CAST(payload AS TEXT), '$.personID') = 'text'"
                    + " THEN \(EventLogSchema.personKey) END FROM events ORDER BY seq")
            var out: [String?] = []
            while try s.step() { out.append(s.string(at: 0)) }
            return out
        }
        XCTAssertEqual(sqlite, expected)
    }

    /// Large batches find the person key on the hashing thread (pipelined): same values.
    func testPipelinedBatchFillsTheColumn() throws {
        let log = try makeLog()
        let recorded = try log.append(sampleEvents(EventLog.pipelineThreshold * 3 + 5), recordedAt: 1)
        XCTAssertEqual(try personColumn(log), expectedPersons(recorded))
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(700)), ["H1"])
    }
}

extension PersonColumnTests {
    /// A writer from before the `person` column opening a migrated log (a downgrade) re-creates the JSON index and
    /// appends rows without `person`; the next writer of this version backfills them.
    func testRowsAppendedByAnOlderWriterAreBackfilled() throws {
        let first: [Event]
        do {
            let log = try makeLog()
            first = try log.append(sampleEvents(10), recordedAt: 1)
        }
        // What the older writer does: its JSON index at open, then inserts that leave person NULL.
        let db = try SQLiteDatabase(path: path(), readOnly: false)
        try db.execute(
            "CREATE INDEX IF NOT EXISTS events_person_block ON events(seq >> 17, \(EventLogSchema.personKey), seq)"
                + " WHERE \(EventLogSchema.personTerm)")
        try db.execute("""
            INSERT INTO events(seq, id, type, version, subject, region, occurred_at, recorded_at, causation,
                correlation, payload, hash)
            SELECT seq + 10, randomblob(16), type, version, 'OLD' || subject, region, occurred_at, recorded_at,
                causation, correlation, payload, hash FROM events ORDER BY seq
            """)
        let log = try makeLog()
        XCTAssertEqual(try personColumn(log), expectedPersons(first) + expectedPersons(first))
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1", "OLDH1"])
        let jsonIndex = try log.withDatabase {
            try $0.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'events_person_block'")
        }
        XCTAssertEqual(jsonIndex, 0)
        XCTAssertThrowsError(try log.withDatabase { try $0.execute("UPDATE events SET person = 'x'") })
    }
}

import GongguEvents
/// The event log's SQL schema (docs/ARCHITECTURE.md), version 1.
enum EventLogSchema {
    static let version = 1
    /// log2 of the events in one index block of a new log unless its writer asks otherwise (see
    /// `create`; the notifier's log uses 12, `NotifyRoom.profile`). Each file records
    /// its own in its index definitions (`IndexLayout.of` reads it back), so the constant may change
    /// without breaking older files; tests create logs with small blocks.
    static let blockShift = 17
    /// Page size of new log files (bytes).
    static let pageSize = 8192

    /// Tables, indexes and triggers, created in one transaction with the `meta` row.
    ///
    /// - `seq INTEGER PRIMARY KEY` is the rowid: "The data for rowid tables is stored as a B-Tree
    ///   structure containing one entry for each table row, using the rowid value as the key", so
    ///   replay in seq order is a sequential walk and `max(seq)` is one seek.
    /// - Secondary indexes are *blocked*: keyed first by the seq's block (`seq >> blockShift`, 131,072
    ///   events a block), then by the looked-up value. Ids, subjects and resident IDs arrive in random
    ///   order, and a B-tree keyed by a random value has every commit rewrite, in the WAL, nearly every
    ///   leaf page of the index once it outgrows a batch: at 4 million events, batches of 20,000,
    ///   appends ran 4.2 times slower with the plain (random-key) indexes than with the blocked ones
    ///   (docs/BENCHMARKS.md). With the block first, an append touches only the current block's
    ///   pages. A lookup costs one seek per block instead of one in all (84 seeks at 11 million
    ///   events): `EventLog` loops over the blocks.
    /// - `events_id_block (block, id)`, UNIQUE: an id lookup (`gonggu why`), and a duplicate id in
    ///   the same block is refused at append. Ids are 128-bit, derived from their cause or random, so
    ///   they are unique by construction; a duplicate in another block (a bug that re-emits an event
    ///   after more than 131,072 others) is found by `verify()`.
    /// - `events_subject_block (block, subject, seq)`: investigators query a household's history by
    ///   subject; with seq in the key each block returns its rows in log order (no sort, no scan).
    /// - Logs created before the blocked layout have `events_id (id)` UNIQUE and
    ///   `events_subject (subject, seq)`; `IndexLayout` tells them apart and both are read.
    /// - Append-only: UPDATE and DELETE abort. "When one of RAISE(ROLLBACK,...), RAISE(ABORT,...) or
    ///   RAISE(FAIL,...) is called during trigger-program execution, the specified ON CONFLICT
    ///   processing is performed and the current query terminates"; ABORT "backs out any changes made
    ///   by the current SQL statement" and keeps the transaction.
    /// - Gapless: the writer assigns lastSeq+1, +2, … under its lock from the head it read at open,
    ///   and it is the only writer of the file (others open it read-only). A CHECK constraint cannot
    ///   re-check it ("The expression of a CHECK constraint may not contain a subquery"), and a
    ///   BEFORE INSERT trigger comparing NEW.seq with max(seq)+1 was measured too expensive: it
    ///   halved raw insert throughput (in memory, 107k → 56k rows/s; even an empty trigger costs
    ///   ~3 µs per row, the trigger program runs for every row). Not needed for safety either: the
    ///   primary key refuses a duplicate seq, and `verify()` reports any gap as `seqGap`.
    ///
    /// Since the sidecar index (docs/LOG_INDEX.md) a new log has no secondary index at all: the id, subject and person look-ups
    /// live in the sidecar index (`LogIndex`), filled off the commit path, and duplicate ids are
    /// refused by the writer's id fingerprints (`IDFingerprints`). `blockShift` is only kept for the
    /// callers (and `legacyIndexes` of the blocked layout, which tests and the bench recreate).
    static func create(blockShift: Int = blockShift) -> String {
        return """
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
            hash BLOB NOT NULL,
            person TEXT
        );
        \(noUpdateTrigger);
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
        """
    }

    /// The secondary indexes of the blocked layout (logs created before the sidecar index), for tests
    /// and the bench that make logs of the old schema.
    static func legacyIndexes(blockShift: Int = blockShift) -> String {
        let layout = IndexLayout.blocked(shift: blockShift)
        return """
        CREATE UNIQUE INDEX events_id_block ON events(\(layout.block), id);
        CREATE INDEX events_subject_block ON events(\(layout.block), subject, seq);
        \(layout.createPersonIndex(.column));
        """
    }

    /// Every secondary index a log of an older layout may have on `events`; its writer drops them at
    /// open (their look-ups move to the sidecar index).
    static let dropLegacyIndexes = [
        "events_id_block", "events_subject_block", "events_person_key_block", "events_person_block",
        "events_id", "events_subject", "events_person_key", "events_person",
    ].map { "DROP INDEX IF EXISTS \($0);" }.joined(separator: "\n")

    /// How many indexes the `events` table has (none since the sidecar index).
    static let countEventIndexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"

    /// The trigger refusing UPDATE (dropped and re-created around the one-off backfill of `migratePerson`).
    static let noUpdateTrigger = """
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END
        """

    /// `person` column: the writer fills it at append with the top-level `personID` of the
    /// two membership facts (`DisabilityRecorded`, `MemberRecorded`), NULL for every other row, and the
    /// person index is a plain index on it (`events_person_key_block (block, person, seq) WHERE person
    /// IS NOT NULL`). It replaces the index on the JSON expression below, which SQLite evaluated for
    /// every appended row (json_valid + json_extract over the payload: 2.25 µs of the writer's CPU per
    /// row, more than the bare insert). The column is derived from the payload, which the chain
    /// covers; it is not hashed itself.
    /// Logs written before it get the column, its backfill and its index in one transaction when
    /// their writer next opens them (`EventLog.migratePersonColumn`); readers of a log not yet
    /// migrated use the JSON index.
    ///
    /// Before the `person` column: `events_person_block` (`events_person` in the plain layout), a
    /// partial index on the JSON expression below over the two membership facts. The payload is JSON
    /// text stored as a BLOB, hence the CAST ("json_extract … throws an error if … any argument is a
    /// BLOB" before SQLite 3.45). Kept for readers of a log not yet migrated and for the migration's
    /// backfill. The query must repeat `personTerm` and `personKey` verbatim: "the WHERE clause of the
    /// query must imply the WHERE clause of the partial index" for the planner to use it.
    static let personKey = "json_extract(CAST(payload AS TEXT), '$.personID')"
    /// `json_valid` first: json_extract on a malformed payload raises an error, which would make the
    /// writer's whole batch fail; such a row is simply left out of the index.
    static let personTerm =
        "type IN ('DisabilityRecorded', 'MemberRecorded') AND json_valid(CAST(payload AS TEXT))"

    static let hasIndex = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?"
    static let indexSQL = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?"

    static let insertMeta =
        "INSERT INTO meta(singleton, stream, log_id, schema_version, created_at) VALUES (1, ?, ?, ?, ?)"
    static let selectMeta = "SELECT stream, log_id, schema_version, created_at FROM meta WHERE singleton = 1"
    static let hasMeta = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"

    static let insertEvent = """
        INSERT INTO events(seq, id, type, version, subject, region, occurred_at, recorded_at, causation, \
        correlation, payload, hash, person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The types whose payload's top-level `personID` goes into the `person` column.
    static let personTypes: Set<String> = [EventType.disabilityRecorded.rawValue, EventType.memberRecorded.rawValue]

    /// Whether the events table of the open database has the `person` column.
    static let hasPersonColumn = "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'person'"

    /// The one-off migration of a log written before the `person` column (run by its writer at open,
    /// in one transaction; `layout` is the file's index layout). The backfill takes the same rows
    /// and values the JSON index did (membership facts with valid JSON and a text `personID`).
    static func migratePerson(_ layout: IndexLayout) -> String {
        "ALTER TABLE events ADD COLUMN person TEXT;\n" + backfillPerson(layout)
    }

    /// The backfill of `migratePerson` alone, for rows whose `person` is NULL: a log that has the
    /// column but was appended to by an older writer since (a downgrade), recognisable by the JSON
    /// index that older writer re-created at its open.
    static func backfillPerson(_ layout: IndexLayout) -> String {
        """
        DROP TRIGGER events_no_update;
        UPDATE events SET person = json_extract(CAST(payload AS TEXT), '$.personID')
        WHERE person IS NULL AND \(personTerm) AND json_type(CAST(payload AS TEXT), '$.personID') = 'text';
        \(noUpdateTrigger);
        \(layout == .sidecar
            ? "DROP INDEX IF EXISTS events_person_block;\nDROP INDEX IF EXISTS events_person;"
            : "DROP INDEX IF EXISTS \(layout.personIndexName(.json));\n\(layout.createPersonIndex(.column));")
        """
    }

    /// The columns every event read selects, in `EventRowDecoder` order.
    static let columns =
        "seq, id, type, version, subject, region, occurred_at, recorded_at, causation, correlation, payload"

    static let selectHead = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
    static let selectAfter = "SELECT \(columns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
    static let selectAll = "SELECT \(columns) FROM events WHERE seq > ? ORDER BY seq"
    static let selectFiltered = """
        SELECT \(columns) FROM events WHERE seq > ?1
        AND (?2 IS NULL OR type = ?2)
        AND (?3 IS NULL OR substr(type, 1, length(?3)) = ?3)
        AND (?4 IS NULL OR substr(region, 1, length(?4)) = ?4)
        ORDER BY seq LIMIT ?5
        """
    /// `selectAll` with the stored hash (column 11), for a replay that verifies the chain as it reads.
    static let selectAllWithHash = "SELECT \(columns), hash FROM events WHERE seq > ? ORDER BY seq"
    /// The stored hash of one event: the anchor of a verified walk that starts after it.
    static let selectAfterWithHash = "SELECT \(columns), hash FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
    static let selectHashAt = "SELECT hash FROM events WHERE seq = ?"
    static let selectForVerify = "SELECT \(columns), hash FROM events ORDER BY seq"
}

/// Which secondary indexes a log file has: the blocked ones of the current layout, or the plain
/// ones of logs created before it (see `EventLogSchema.create`). Each layout has its own queries,
/// which repeat the index expressions verbatim so that the planner uses the indexes.
enum IndexLayout: Equatable, Sendable {
    /// Indexes keyed first by `seq >> shift`.
    case blocked(shift: Int)
    case plain
    /// No secondary index in the file: look-ups go through the sidecar index (`LogIndex`).
    case sidecar

    /// The layout of the open database `db`, read from its id index's definition.
    static func of(_ db: SQLiteDatabase) throws -> IndexLayout {
        let s = try db.prepare(EventLogSchema.indexSQL)
        try s.bind("events_id_block", at: 1)
        guard try s.step(), let sql = s.string(at: 0) else {
            let plain = try db.prepare(EventLogSchema.hasIndex)
            try plain.bind("events_id", at: 1)
            _ = try plain.step()
            return plain.int64(at: 0) > 0 ? .plain : .sidecar
        }
        // "CREATE UNIQUE INDEX events_id_block ON events(seq >> 17, id)"
        guard let range = sql.range(of: "seq >> "),
            let shift = Int(sql[range.upperBound...].prefix { $0.isNumber }), (0...62).contains(shift)
        else { throw EventLogError.unsupportedSchema(version: EventLogSchema.version) }
        return .blocked(shift: shift)
    }

    /// The block expression, as the index definitions spell it.
    var block: String {
        switch self {
        case let .blocked(shift): return "seq >> \(shift)"
        case .plain, .sidecar: return "0"
        }
    }

    var isBlocked: Bool { if case .blocked = self { return true } else { return false } }

    func personIndexName(_ source: PersonSource) -> String {
        switch source {
        case .column: return isBlocked ? "events_person_key_block" : "events_person_key"
        case .json: return isBlocked ? "events_person_block" : "events_person"
        }
    }

    func createPersonIndex(_ source: PersonSource) -> String {
        let key = personKey(source), name = personIndexName(source), term = personTerm(source)
        return "CREATE INDEX IF NOT EXISTS \(name) ON events(\(isBlocked ? "\(block), " : "")\(key), seq) WHERE \(term)"
    }

    private func personKey(_ source: PersonSource) -> String {
        source == .column ? "person" : EventLogSchema.personKey
    }

    private func personTerm(_ source: PersonSource) -> String {
        source == .column ? "person IS NOT NULL" : EventLogSchema.personTerm
    }

    /// The condition of a blocked lookup on parameter ?1 (always true for the plain layout, whose
    /// lookups make one pass with ?1 = 0).
    private var inBlock: String { isBlocked ? "\(block) = ?1" : "?1 IS NOT NULL" }

    /// The event with id ?2 (and, blocked, in block ?1).
    var selectByID: String { "SELECT \(EventLogSchema.columns) FROM events WHERE \(inBlock) AND id = ?2" }

    /// The events with subject ?2 (and, blocked, in block ?1), in seq order.
    var selectBySubject: String {
        "SELECT \(EventLogSchema.columns) FROM events WHERE \(inBlock) AND subject = ?2 ORDER BY seq"
    }

    /// Subject and seq of the membership facts naming person ?2 (and, blocked, in block ?1).
    func selectPerson(_ source: PersonSource) -> String {
        "SELECT subject, seq FROM events WHERE \(personTerm(source)) AND \(inBlock)"
            + " AND \(personKey(source)) = ?2 ORDER BY seq"
    }

    /// Seq and id of the events whose id lies between ?2 and ?3 (and, blocked, in block ?1).
    var selectIDRange: String { "SELECT seq, id FROM events WHERE \(inBlock) AND id >= ?2 AND id <= ?3 ORDER BY seq" }

    /// The blocks a lookup visits for a log whose last seq is `lastSeq`: every block of the blocked
    /// layout, one pass (block 0, ignored by the query) for the plain one.
    func blocks(lastSeq: Int64) -> ClosedRange<Int64> {
        if case let .blocked(shift) = self { return 0...(lastSeq >> Int64(shift)) }
        return 0...0
    }
}

/// Where a log keeps the person key of its membership facts: the writer-filled `person` column
/// (logs created or migrated since the column exists), or only the JSON payload (older logs, until their
/// writer opens them; their index is on the JSON expression).
enum PersonSource: Equatable, Sendable {
    case column
    case json

    static func of(_ db: SQLiteDatabase) throws -> PersonSource {
        try db.scalarInt(EventLogSchema.hasPersonColumn) == 1 ? .column : .json
    }
}

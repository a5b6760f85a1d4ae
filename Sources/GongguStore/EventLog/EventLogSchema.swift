/// The event log's SQL schema (DESIGN §2), version 1.
enum EventLogSchema {
    static let version = 1
    /// Page size of new log files (bytes).
    static let pageSize = 8192

    /// Tables, indexes and triggers, created in one transaction with the `meta` row.
    ///
    /// - `seq INTEGER PRIMARY KEY` is the rowid: "The data for rowid tables is stored as a B-Tree
    ///   structure containing one entry for each table row, using the rowid value as the key", so
    ///   replay in seq order is a sequential walk and `max(seq)` is one seek.
    /// - `events_subject (subject, seq)`: investigators query a household's history by subject; with
    ///   seq in the key the index returns the rows already in log order (no sort, no table scan).
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
    static let create = """
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
        CREATE UNIQUE INDEX events_id ON events(id);
        CREATE INDEX events_subject ON events(subject, seq);
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
        """

    /// `events_person`: a person's resident ID → the households their membership facts name, so an
    /// investigator's query by resident ID finds the household (facts have the household as subject)
    /// through an index instead of a scan. Partial: only the two membership facts carry a `personID`
    /// that says which household a person belongs to, so other rows cost nothing. The payload is
    /// JSON text stored as a BLOB, hence the CAST ("json_extract … throws an error if … any argument
    /// is a BLOB" before SQLite 3.45). Added after schema version 1 shipped: created with
    /// `IF NOT EXISTS` whenever a writer opens a log (an older log gets it at its writer's next start;
    /// the build is a one-off pass over the log) and readers work without it (`personQuery` then scans).
    /// The query must repeat `personTerm` and `personKey` verbatim: "the WHERE clause of the query
    /// must imply the WHERE clause of the partial index" for the planner to use it.
    static let personIndexName = "events_person"
    static let personKey = "json_extract(CAST(payload AS TEXT), '$.personID')"
    /// `json_valid` first: json_extract on a malformed payload raises an error, which would make the
    /// writer's whole batch fail; such a row is simply left out of the index.
    static let personTerm =
        "type IN ('DisabilityRecorded', 'MemberRecorded') AND json_valid(CAST(payload AS TEXT))"
    static let createPersonIndex =
        "CREATE INDEX IF NOT EXISTS \(personIndexName) ON events(\(personKey), seq) WHERE \(personTerm)"
    static let hasPersonIndex =
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '\(personIndexName)'"
    static let personQuery =
        "SELECT subject, seq FROM events WHERE \(personTerm) AND \(personKey) = ? ORDER BY seq"

    static let insertMeta =
        "INSERT INTO meta(singleton, stream, log_id, schema_version, created_at) VALUES (1, ?, ?, ?, ?)"
    static let selectMeta = "SELECT stream, log_id, schema_version, created_at FROM meta WHERE singleton = 1"
    static let hasMeta = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"

    static let insertEvent = """
        INSERT INTO events(seq, id, type, version, subject, region, occurred_at, recorded_at, causation, \
        correlation, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

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
    static let selectByID = "SELECT \(columns) FROM events WHERE id = ?"
    static let selectBySubject = "SELECT \(columns) FROM events WHERE subject = ? ORDER BY seq"
    static let selectForVerify = "SELECT \(columns), hash FROM events ORDER BY seq"
}

import CSQLite
import Foundation
import GongguCore

/// The sidecar index of an event log (docs/LOG_INDEX.md): the id, subject and person look-ups of the
/// investigators, kept in a file of their own beside the log (`<service>.index.sqlite`) and filled
/// *after* the events are committed, off the writer's commit path.
///
/// The log's `events` table keeps only its rowid (seq) key: every secondary index on it cost the
/// writer CPU per row inside the commit (measured per row on top of the 1.2 µs bare insert: id 1.3 µs,
/// subject 0.6 µs, person 1.1 µs). The sidecar holds three key tables, filled in seq order by an
/// indexer (`LogIndexer`, a background thread of the writer; the investigator tools also bring it up
/// to date before they query, when they may write it), and records in `index_meta` how far it got
/// (`indexed_through`, with the chain hash of that event and the log's `log_id`).
///
/// A look-up is an index seek in the sidecar for seqs ≤ `indexed_through` plus a scan of the log's
/// unindexed tail beyond it (usually a few rows; the whole log if the sidecar is missing), so the
/// answer is always complete. A sidecar of another log (`log_id`), or one that does not match the
/// log any more (its `indexed_through` beyond the log's head, or another hash there: a log restored
/// from an older backup), is ignored by readers and rebuilt by the writer's indexer.
///
/// A separate file rather than a database attached to the writer's connection: `BEGIN IMMEDIATE`
/// on a connection takes the write lock of every attached database, so the writer and the indexer
/// would serialise on it; with two files they never wait for each other.
///
/// The sidecar holds subjects and resident IDs: its file gets the log file's permission bits.
/// It is not in backups (`gonggu backup` copies `*.log.sqlite`): a restored log rebuilds it.
public enum LogIndex {
    /// The sidecar's path for the log at `logPath`: `intake.log.sqlite` → `intake.index.sqlite`,
    /// `x.sqlite` → `x.index.sqlite`.
    public static func path(forLog logPath: String) -> String {
        var base = logPath
        if base.hasSuffix(".sqlite") { base.removeLast(".sqlite".count) }
        if base.hasSuffix(".log") { base.removeLast(".log".count) }
        return base + ".index.sqlite"
    }

    /// Layout of the key tables (`PRAGMA user_version` of the sidecar). 2: each key table keyed first by
    /// the seq's block (`seq >> blockShift`). A sidecar of another layout is dropped and rebuilt by
    /// the next indexer (`prepare`) and ignored by a reader that may not write it.
    static let layoutVersion = 2
    /// log2 of the events in one block of the key tables (131,072). Ids, subjects and resident IDs
    /// arrive in random order, and a B-tree keyed by a random value has every transaction rewrite
    /// nearly every one of its pages once it outgrows the transaction: the writer's indexer, behind an
    /// import of 1.8M events in transactions of up to 100,000, wrote 1.1 GB of WAL frames for a
    /// 127 MB sidecar, and the checkpoints of that burst stalled every commit on the disk for up to
    /// 0.4 s. With the block first, a transaction touches only the pages of the blocks its events
    /// fall in. A look-up costs one seek per block (`blocks(through:)`).
    static let blockShift: Int64 = 17
    /// Tables of the sidecar. `index_meta`, not `meta`, so that nothing takes the file for a log.
    static let create = """
        CREATE TABLE IF NOT EXISTS index_meta(
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            log_id TEXT NOT NULL,
            indexed_through INTEGER NOT NULL,
            through_hash BLOB
        );
        CREATE TABLE IF NOT EXISTS ids(
            block INTEGER NOT NULL, id BLOB NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (block, id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS subjects(
            block INTEGER NOT NULL, subject TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (block, subject, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS persons(
            block INTEGER NOT NULL, person TEXT NOT NULL, seq INTEGER NOT NULL, subject TEXT NOT NULL,
            PRIMARY KEY (block, person, seq)
        ) WITHOUT ROWID;
        PRAGMA user_version = \(layoutVersion);
        """
    /// The tables of an earlier layout, dropped before `create` (the sidecar is rebuilt from the log).
    static let dropTables = """
        DROP TABLE IF EXISTS ids; DROP TABLE IF EXISTS subjects; DROP TABLE IF EXISTS persons;
        DROP TABLE IF EXISTS index_meta;
        """
    static let userVersion = "PRAGMA user_version"

    /// Creates the tables of a new sidecar, or drops those of another layout and creates them anew, in
    /// one write transaction (a second indexer on the same file waits for it and then finds the layout).
    static func prepare(_ sidecar: SQLiteDatabase) throws {
        if try sidecar.scalarInt(userVersion) == Int64(layoutVersion), try sidecar.scalarInt(hasMeta) == 1 { return }
        try sidecar.transaction(.immediate) {
            let version = try sidecar.scalarInt(userVersion) ?? 0
            if version != Int64(layoutVersion) { try sidecar.execute(dropTables) }
            try sidecar.execute(create)
        }
    }

    /// Whether the sidecar's key tables have this layout (a reader that may not write it ignores it
    /// otherwise).
    static func hasCurrentLayout(_ sidecar: SQLiteDatabase) throws -> Bool {
        try sidecar.scalarInt(userVersion) == Int64(layoutVersion)
    }

    /// The blocks a look-up of the events up to `through` seeks, oldest first.
    static func blocks(through: Int64) -> ClosedRange<Int64> {
        0...(max(through, 0) >> blockShift)
    }

    static let hasMeta = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'index_meta'"
    static let selectMeta = "SELECT log_id, indexed_through, through_hash FROM index_meta WHERE singleton = 1"
    static let upsertMeta = """
        INSERT INTO index_meta(singleton, log_id, indexed_through, through_hash) VALUES (1, ?1, ?2, ?3)
        ON CONFLICT(singleton) DO UPDATE SET log_id = ?1, indexed_through = ?2, through_hash = ?3
        """
    static let clear = "DELETE FROM ids; DELETE FROM subjects; DELETE FROM persons; DELETE FROM index_meta;"
    static let insertID = "INSERT OR IGNORE INTO ids(block, id, seq) VALUES (?2 >> \(blockShift), ?1, ?2)"
    static let insertSubject = "INSERT OR IGNORE INTO subjects(block, subject, seq) VALUES (?2 >> \(blockShift), ?1, ?2)"
    static let insertPerson =
        "INSERT OR IGNORE INTO persons(block, person, seq, subject) VALUES (?2 >> \(blockShift), ?1, ?2, ?3)"

    /// Look-ups in the sidecar, one per block (?1; the key is ?2): each one index seek, EXPLAIN QUERY
    /// PLAN checked by the tests.
    static let seqsByID = "SELECT seq FROM ids WHERE block = ?1 AND id = ?2 ORDER BY seq"
    static let seqsBySubject = "SELECT seq FROM subjects WHERE block = ?1 AND subject = ?2 ORDER BY seq"
    static let subjectsByPerson = "SELECT subject, seq FROM persons WHERE block = ?1 AND person = ?2 ORDER BY seq"

    /// Scans of the log's unindexed tail (seq > ?1), in log order: rowid range, then a filter.
    static let tailByID = "SELECT \(EventLogSchema.columns) FROM events WHERE seq > ?1 AND id = ?2 ORDER BY seq"
    static let tailHasID = "SELECT seq FROM events WHERE seq > ?1 AND seq < ?3 AND id = ?2 LIMIT 1"
    static let tailBySubject =
        "SELECT \(EventLogSchema.columns) FROM events WHERE seq > ?1 AND subject = ?2 ORDER BY seq"
    static let tailByPerson = "SELECT subject, seq FROM events WHERE seq > ?1 AND person = ?2 ORDER BY seq"
    static let eventAt = "SELECT \(EventLogSchema.columns) FROM events WHERE seq = ?"
    /// What the indexer reads from the log: seq order, beyond what the sidecar has.
    static let rowsAfter = "SELECT seq, id, subject, person FROM events WHERE seq > ? ORDER BY seq LIMIT ?"

    /// What a sidecar records about itself.
    struct State: Equatable {
        var logID: String
        var indexedThrough: Int64
        var throughHash: [UInt8]
    }

    /// The sidecar's own record, nil if it has none yet.
    static func state(_ sidecar: SQLiteDatabase) throws -> State? {
        guard try sidecar.scalarInt(hasMeta) == 1 else { return nil }
        let s = try sidecar.prepare(selectMeta)
        guard try s.step(), let logID = s.string(at: 0) else { return nil }
        return State(logID: logID, indexedThrough: s.int64(at: 1), throughHash: s.bytes(at: 2) ?? [])
    }

    /// Whether `state` describes a prefix of the log read through `log` (a connection in a read
    /// transaction or not): same `log_id`, `indexed_through` not beyond the head and the same chain
    /// hash stored there.
    static func matches(_ state: State, logID: String, log: SQLiteDatabase) throws -> Bool {
        guard state.logID == logID else { return false }
        if state.indexedThrough == 0 { return true }
        let s = try log.prepare(EventLogSchema.selectHashAt)
        try s.bind(state.indexedThrough, at: 1)
        guard try s.step() else { return false }
        return s.bytes(at: 0) == state.throughHash
    }

    /// Events per sidecar transaction when catching up a long lag (a rebuild, the first query after
    /// a stop with the indexer behind, the catch-up at a graceful stop). The `ids` table is keyed by
    /// random ids: each transaction touches nearly every one of its pages, so the number of
    /// transactions, not of rows, is what a long catch-up costs (20,000 a transaction: 25.5 s for
    /// 1.3M events; see `gonggu-bench investigate`). Rows are held in memory while sorted: about
    /// 100 bytes each.
    public static let bulkBatch = 250_000
    /// Sidecar page cache of a tool catching up a long lag (KiB): the pages of a batch's inserts stay
    /// in memory until its commit instead of spilling to the WAL. Set back to `steadyCacheKiB` after.
    static let bulkCacheKiB = 131_072
    /// Events per transaction of the writer's indexer thread, which keeps `steadyCacheKiB`: it lives
    /// in the service process, whose peak memory has a ceiling (≈ 15 MB of rows at most).
    static let indexerBatch = 100_000
    /// Events a bulk catch-up in transactions commits between two (sound) checkpoints: without
    /// them the writer's indexer, behind a long import, kept every commit in the WAL until it
    /// stopped, and the writer's close then checkpointed all of it. Each checkpoint puts what the
    /// WAL holds into the page cache's writeback at once, and the other services' commits on the
    /// disk wait behind it: with blocked keys a transaction of 100,000 events adds ≈ 10 MB to the
    /// WAL, so 250,000 events bound a burst to a few tens of MB (it was 1,000,000, set when each
    /// transaction rewrote whole tables).
    static let bulkCheckpointEvents = 250_000
    /// A catch-up of more events than this is a bulk one (no syncs until its end, see `catchUp`).
    static let bulkThreshold: Int64 = 5_000
    static let steadyCacheKiB = 32_768
    /// Rows between two questions to `shouldStop` inside a sidecar transaction.
    static let stopCheckRows = 4_096

    /// One row of the log as the indexer reads it: the writer-filled columns, no JSON parse.
    struct Row {
        var seq: Int64
        /// The 16-byte id as two big-endian halves: the order of the `ids` key (memcmp of the blob).
        var idHigh: UInt64
        var idLow: UInt64
        var subject: String
        var person: String?
    }

    /// Brings the sidecar up to the log's head, up to `batch` events per sidecar transaction; rebuilds
    /// it first if it does not match the log. Safe with several indexers on one sidecar (the writer's
    /// thread and a tool): each transaction re-reads `indexed_through` under the sidecar's write lock.
    /// Returns the seq indexed through, or -1 when `shouldStop` stopped it first. `shouldStop` is asked
    /// between transactions and every `stopCheckRows` rows inside one; a stop inside a transaction
    /// rolls it back (the sidecar stays where it was), so a stop never waits for a whole batch.
    /// `progress` is told the seq indexed through after each transaction.
    @discardableResult
    static func catchUp(
        sidecar: SQLiteDatabase, log: SQLiteDatabase, logID: String, batch: Int = bulkBatch,
        cacheKiB: Int? = bulkCacheKiB, bulkAbove: Int64 = bulkThreshold, onePassAbove: Int64? = nil,
        checkpointEvery: Int = bulkCheckpointEvents,
        progress: ((Int64) -> Void)? = nil, shouldStop: () -> Bool = { false }
    ) throws -> Int64 {
        try prepare(sidecar)
        let read = try log.prepare(rowsAfter)
        let hashAt = try log.prepare(EventLogSchema.selectHashAt)
        let insertID = try sidecar.prepare(Self.insertID)
        let insertSubject = try sidecar.prepare(Self.insertSubject)
        let insertPerson = try sidecar.prepare(Self.insertPerson)
        let meta = try sidecar.prepare(upsertMeta)
        var bulk = false
        defer {
            if bulk {
                // Durable again before anyone relies on it: with NORMAL the checkpoint syncs the WAL
                // before it copies a page into the file, then the file ("WAL mode is always
                // consistent with synchronous=NORMAL"); the automatic checkpoints resume.
                try? sidecar.execute("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 1000")
                _ = try? sidecar.scalarText("PRAGMA wal_checkpoint(PASSIVE)")
                if cacheKiB != nil {
                    try? sidecar.execute("PRAGMA cache_size = -\(steadyCacheKiB); PRAGMA shrink_memory")
                }
            }
        }
        // A long lag (a hint read outside the transactions; the synchronous level cannot change
        // inside one). Its commits neither sync nor checkpoint (a checkpoint per 1,000 pages synced
        // the WAL and the file each time: most of a rebuild's time on a busy disk). Sound after a
        // power cut: the file is not written until the checkpoint at the end, and the WAL's
        // checksummed frames recover to a prefix of these commits (lost ones are indexed again).
        // A larger cache for a tool.
        let known = try state(sidecar).map { try matches($0, logID: logID, log: log) ? $0.indexedThrough : 0 } ?? 0
        if try (log.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0) - known > bulkAbove {
            bulk = true
            try sidecar.execute("PRAGMA synchronous = OFF; PRAGMA wal_autocheckpoint = 0")
            if let cacheKiB { try sidecar.execute("PRAGMA cache_size = -\(cacheKiB)") }
        }
        var rows: [Row] = []
        var sinceCheckpoint = 0
        struct Stopped: Error {}
        var counted = 0
        func checkStop() throws {
            counted += 1
            if counted % stopCheckRows == 0, shouldStop() { throw Stopped() }
        }
        while true {
            let transaction: Int64??
            do {
                transaction = try sidecar.transaction(.immediate) { () throws -> Int64? in
                    var through: Int64 = 0
                    if let state = try state(sidecar) {
                        if try matches(state, logID: logID, log: log) {
                            through = state.indexedThrough
                        } else {
                            try sidecar.execute(clear)
                        }
                    }
                    if let onePassAbove,
                        try (log.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0) - through > onePassAbove
                    {
                        return try onePass(
                            sidecar: sidecar, log: log, logID: logID, after: through, progress: progress,
                            check: checkStop, stopPoint: { if shouldStop() { throw Stopped() } })
                    }
                    rows.removeAll(keepingCapacity: true)
                    var lastHash: [UInt8] = []
                    read.reset()
                    try read.bind(through, at: 1)
                    try read.bind(Int64(batch), at: 2)
                    while try read.step() {
                        let id = read.rawBytes(at: 1)
                        var high: UInt64 = 0, low: UInt64 = 0
                        if id.count == 16 {
                            high = UInt64(bigEndian: id.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                            low = UInt64(bigEndian: id.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                        }
                        rows.append(Row(
                            seq: read.int64(at: 0), idHigh: high, idLow: low, subject: read.string(at: 2) ?? "",
                            person: read.string(at: 3)))
                        try checkStop()
                    }
                    read.reset()
                    if let last = rows.last {
                        hashAt.reset()
                        try hashAt.bind(last.seq, at: 1)
                        if try hashAt.step() { lastHash = hashAt.bytes(at: 0) ?? [] }
                        hashAt.reset()
                    }
                    guard let last = rows.last else {
                        if try state(sidecar) == nil { try meta.run([logID, Int64(0), nil]) }
                        return through
                    }
                    try insert(
                        rows, insertID: insertID, insertSubject: insertSubject, insertPerson: insertPerson, check: checkStop)
                    meta.reset()
                    try meta.run([logID, last.seq, lastHash])
                    return rows.count < batch ? last.seq : nil
                }
            } catch is Stopped {
                read.reset()
                return -1
            }
            if let done = transaction ?? nil {
                progress?(done)
                return done
            }
            if let last = rows.last { progress?(last.seq) }
            if shouldStop() { return -1 }
            // A bulk catch-up that goes on (the writer's indexer behind a long import): a sound
            // checkpoint now and then, so the WAL — and what the final checkpoint, at a writer's
            // close or stop, must copy — stays bounded. NORMAL for it: the WAL is synced before
            // any page reaches the file.
            sinceCheckpoint += rows.count
            if bulk && sinceCheckpoint >= checkpointEvery {
                try sidecar.execute("PRAGMA synchronous = NORMAL")
                _ = try sidecar.scalarText("PRAGMA wal_checkpoint(PASSIVE)")
                try sidecar.execute("PRAGMA synchronous = OFF")
                sinceCheckpoint = 0
            }
        }
    }

    /// A tail longer than this (events beyond `indexed_through`) is indexed by a tool in one pass
    /// (`onePass`) rather than in transactions of `bulkBatch`: up to `bulkBatch` both are one
    /// transaction, beyond it each further transaction of the batched path rewrites nearly every
    /// page of the `ids` table again (random keys), the one pass writes each page once.
    public static let onePassThreshold: Int64 = Int64(bulkBatch)
    /// Rows loaded between two progress reports of a one-pass catch-up.
    static let onePassReportRows = 500_000
    /// The tail's rows in log order, on the sidecar connection's TEMP database (a file with
    /// `temp_store = FILE`: its memory is its page cache only).
    static let createPending = """
        CREATE TEMP TABLE IF NOT EXISTS pending(
            seq INTEGER PRIMARY KEY, id BLOB NOT NULL, subject TEXT NOT NULL, person TEXT);
        DELETE FROM temp.pending;
        """
    static let insertPending = "INSERT INTO temp.pending(seq, id, subject, person) VALUES (?, ?, ?, ?)"
    static let rowsAfterAll = "SELECT seq, id, coalesce(subject, ''), person FROM events WHERE seq > ? ORDER BY seq"
    /// Each table filled once in its key order: SQLite's sorter (external merge sort in temp files,
    /// its memory bounded by the page cache) orders the whole tail, so every page of a key table is
    /// written once, appended to when the table was empty (a rebuild).
    static let fillFromPending = [
        """
        INSERT OR IGNORE INTO ids(block, id, seq)
            SELECT seq >> \(blockShift), id, seq FROM temp.pending ORDER BY 1, 2, 3
        """,
        """
        INSERT OR IGNORE INTO subjects(block, subject, seq)
            SELECT seq >> \(blockShift), subject, seq FROM temp.pending ORDER BY 1, 2, 3
        """,
        """
        INSERT OR IGNORE INTO persons(block, person, seq, subject)
            SELECT seq >> \(blockShift), person, seq, subject FROM temp.pending WHERE person IS NOT NULL
            ORDER BY 1, 2, 3
        """,
    ]

    /// Indexes every event after `through` in the caller's sidecar transaction, one pass per table:
    /// the tail's rows are appended in log order to a TEMP table (cheap: rowid order), then each key
    /// table is filled from it in its key order by one `INSERT … SELECT … ORDER BY`. The whole tail
    /// commits as one transaction: a kill or a power cut before its commit leaves the sidecar as it
    /// was (trusted, matching a prefix of the log), never half of it. `check` is called for each row
    /// loaded, `stopPoint` after each table is filled; either throws to stop (the caller rolls back).
    /// An insert itself is not interrupted. Returns the seq indexed through.
    static func onePass(
        sidecar: SQLiteDatabase, log: SQLiteDatabase, logID: String, after through: Int64,
        progress: ((Int64) -> Void)?, check: () throws -> Void, stopPoint: () throws -> Void
    ) throws -> Int64 {
        try sidecar.execute(createPending)
        let read = try log.prepare(rowsAfterAll)
        let insert = try sidecar.prepare(insertPending)
        try read.bind(through, at: 1)
        var last = through
        var loaded = 0
        while try read.step() {
            let seq = read.int64(at: 0)
            let id = read.rawBytes(at: 1), subject = read.rawText(at: 2)
            insert.reset()
            try insert.bind(seq, at: 1)
            try insert.bindStatic(blob: id.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: id.count, at: 2)
            try insert.bindStatic(
                text: subject.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: subject.count, at: 3)
            if read.isNull(at: 3) {
                try insert.bindNull(at: 4)
            } else {
                let person = read.rawText(at: 3)
                try insert.bindStatic(
                    text: person.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: person.count, at: 4)
            }
            _ = try insert.step()
            last = seq
            loaded += 1
            if loaded % onePassReportRows == 0 { progress?(seq) }
            try check()
        }
        insert.reset()
        insert.clearBindings()
        read.reset()
        guard last > through else {
            try sidecar.execute("DELETE FROM temp.pending")
            if try state(sidecar) == nil { try sidecar.prepare(upsertMeta).run([logID, Int64(0), nil]) }
            return through
        }
        try stopPoint()
        for sql in fillFromPending {
            try sidecar.execute(sql)
            try stopPoint()
        }
        try sidecar.execute("DELETE FROM temp.pending")
        let hashAt = try log.prepare(EventLogSchema.selectHashAt)
        try hashAt.bind(last, at: 1)
        let lastHash = try hashAt.step() ? hashAt.bytes(at: 0) ?? [] : []
        hashAt.reset()
        try sidecar.prepare(upsertMeta).run([logID, last, lastHash])
        return last
    }

    /// Inserts `rows` into the three tables, each in its key order: neighbouring keys share pages,
    /// so each page is dirtied once per transaction and a sidecar built from empty is written in
    /// order. Bindings without `Any` boxing; the id from the stack.
    static func insert(
        _ rows: [Row], insertID: Statement, insertSubject: Statement, insertPerson: Statement,
        check: () throws -> Void = {}
    ) throws {
        // Sorted as plain values (keys and row numbers), not by a closure over `rows`: copying a row per
        // comparison retained and released its strings, and the sorts were most of an indexer's time.
        // Keys in the tables' order: block, then the key (rows come in seq order, so in block order).
        var ids = rows.indices.map { (high: rows[$0].idHigh, low: rows[$0].idLow, seq: rows[$0].seq) }
        ids.sort {
            let a = $0.seq >> blockShift, b = $1.seq >> blockShift
            return a != b ? a < b : $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low
        }
        for key in ids {
            var id = (key.high.bigEndian, key.low.bigEndian)
            try withUnsafeBytes(of: &id) { raw in
                insertID.reset()
                try insertID.bindStatic(blob: raw.baseAddress!, count: 16, at: 1)
                try insertID.bind(key.seq, at: 2)
                try insertID.step()
            }
            try check()
        }
        insertID.reset()
        insertID.clearBindings()
        // Subjects in the order of SQLite's BINARY collation (bytes), rows of one subject in seq order
        // (`rows` come in seq order).
        let subjects = rows.map(\.subject), blocks = rows.map { $0.seq >> blockShift }
        var order = Array(rows.indices)
        order.sort { a, b in
            if blocks[a] != blocks[b] { return blocks[a] < blocks[b] }
            let c = utf8Compare(subjects[a], subjects[b])
            return c != 0 ? c < 0 : a < b
        }
        for i in order {
            insertSubject.reset()
            try insertSubject.bind(rows[i].subject, at: 1)
            try insertSubject.bind(rows[i].seq, at: 2)
            try insertSubject.step()
            try check()
        }
        insertSubject.reset()
        for r in rows {
            guard let person = r.person else { continue }
            insertPerson.reset()
            try insertPerson.bind(person, at: 1)
            try insertPerson.bind(r.seq, at: 2)
            try insertPerson.bind(r.subject, at: 3)
            try insertPerson.step()
        }
        insertPerson.reset()
    }

    /// `a`'s UTF-8 bytes against `b`'s in memcmp order (SQLite's BINARY collation): negative, 0 or positive.
    @inline(__always)
    static func utf8Compare(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Int in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, n))
                return c != 0 ? c : x.count - y.count
            }
        }
        if let c = fast ?? nil { return c }
        return a.utf8.elementsEqual(b.utf8) ? 0 : a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// Opens (creating if asked) the sidecar of the log at `logPath` read-write, in WAL mode with
    /// `synchronous = NORMAL` (a lost tail after a power cut is re-indexed; the file stays sound), and
    /// gives a new file the log file's permission bits.
    static func openWritable(logPath: String, create: Bool) throws -> SQLiteDatabase? {
        let path = path(forLog: logPath)
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists && !create { return nil }
        let db = try SQLiteDatabase(path: path, readOnly: false)
        if !exists, let mode = (try? fm.attributesOfItem(atPath: logPath))?[.posixPermissions] {
            try? fm.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        try db.enableWAL()
        // The TEMP table and the sorter of a one-pass catch-up in files, not memory.
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = FILE")
        // A bulk catch-up checkpoints only at its end, so its WAL grows with it; once the WAL starts
        // over, the file is cut back to this ("the size of rollback-journal and WAL files left in
        // the file-system after transactions or checkpoints").
        try db.execute("PRAGMA journal_size_limit = 67108864")
        return db
    }

    /// Whether this process may keep the sidecar of `logPath` up to date: it owns the log file (a tool
    /// run by another user, e.g. root, must not leave a sidecar the service cannot write) and, for a
    /// missing sidecar, may create files in the folder.
    static func mayWrite(logPath: String) -> Bool {
        let fm = FileManager.default
        guard let owner = (try? fm.attributesOfItem(atPath: logPath))?[.ownerAccountID] as? NSNumber,
            owner.uint32Value == geteuid()
        else { return false }
        let path = path(forLog: logPath)
        if fm.fileExists(atPath: path) { return fm.isWritableFile(atPath: path) }
        return fm.isWritableFile(atPath: (logPath as NSString).deletingLastPathComponent.isEmpty
            ? "." : (logPath as NSString).deletingLastPathComponent)
    }
}

/// The writer's indexer: a background thread that keeps the sidecar trailing the log's head. Woken
/// after each commit (`notify`); works in chunks at the lowest CPU priority, so on a busy machine
/// the writer and its hashing thread go first and the sidecar falls behind (the look-ups then scan
/// a longer tail) rather than the appends slowing down.
final class LogIndexer: @unchecked Sendable {
    private let logPath: String
    private let logID: String
    private let condition = NSCondition()
    private var head: Int64
    private var indexed: Int64 = -1
    private var stopping = false
    private var stopDeadline = Date.distantFuture
    private var finished = false
    private var failure: String?

    /// How long the indexer waits for more commits when it lags by fewer than `gatherEvents`.
    static let gatherSeconds: TimeInterval = 0.2
    static let gatherEvents: Int64 = 4_096
    /// How long a writer's close lets its indexer catch up before stopping it (`EventLog.deinit`;
    /// services call `finishIndexing(within:)` at a graceful stop with their own bound).
    static let closeGrace: TimeInterval = 1

    init(logPath: String, logID: String, head: Int64) {
        self.logPath = logPath
        self.logID = logID
        self.head = head
        let thread = Thread { [self] in run() }
        thread.name = "gonggu.eventlog.index"
        thread.start()
    }

    /// The log's head is now `seq`.
    func notify(head seq: Int64) {
        condition.lock()
        head = max(head, seq)
        condition.signal()
        condition.unlock()
    }

    /// Waits until the sidecar covers `seq` (or the indexer failed or stopped); for tests and tools.
    @discardableResult
    func wait(through seq: Int64, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while indexed < seq && !finished {
            if !condition.wait(until: deadline) { break }
        }
        return indexed >= seq
    }

    /// The last error of the thread, if any (it retries after the next commit).
    var lastFailure: String? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Stops the thread and waits for it (its connections close before the writer's). With a
    /// `grace` (seconds) the thread first keeps indexing until the sidecar covers the head or the
    /// grace has passed (checked between sidecar transactions, so it may run over by one of them):
    /// a writer stopped while its indexer lagged leaves the investigators a sidecar up to date
    /// instead of a long tail. Returns whether the sidecar covered the head when the thread stopped.
    @discardableResult
    func stop(grace: TimeInterval = 0) -> Bool {
        condition.lock()
        stopDeadline = Date().addingTimeInterval(grace)
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        let caughtUp = indexed >= head
        condition.unlock()
        return caughtUp
    }

    /// Whether the thread, asked to stop, should stop now rather than go on catching up (caller
    /// holds `condition`).
    private var mustStop: Bool {
        stopping && ((indexed >= head && indexed >= 0) || Date() >= stopDeadline)
    }

    private func run() {
        // The lowest priority for this thread only: on Linux the nice value is per thread, and
        // `who` 0 is the calling one.
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
        var sidecar: SQLiteDatabase?
        var log: SQLiteDatabase?
        while true {
            condition.lock()
            while !stopping && indexed >= head && indexed >= 0 { condition.wait() }
            // A short lag waits a little for more (the commits of a steady stream come one by one):
            // fewer sidecar transactions and WAL checkpoints, whose syncs share the disk with the
            // writer's commits. Look-ups meanwhile scan that much more tail.
            let deadline = Date().addingTimeInterval(Self.gatherSeconds)
            while !stopping && indexed >= 0 && head - indexed < Self.gatherEvents {
                if !condition.wait(until: deadline) { break }
            }
            let stop = mustStop
            condition.unlock()
            if stop { break }
            var through: Int64 = -1
            var failed = false
            do {
                if sidecar == nil { sidecar = try LogIndex.openWritable(logPath: logPath, create: true) }
                if log == nil { log = try SQLiteDatabase(path: logPath, readOnly: true) }
                through = try LogIndex.catchUp(
                    sidecar: sidecar!, log: log!, logID: logID, batch: LogIndex.indexerBatch, cacheKiB: nil
                ) { [self] in
                    condition.lock()
                    defer { condition.unlock() }
                    return mustStop
                }
            } catch {
                failed = true
                condition.lock()
                failure = "\(error)"
                condition.unlock()
                sidecar = nil
                log = nil
            }
            condition.lock()
            if through >= 0 { indexed = through }
            condition.broadcast()
            // After a failure, wait for the next commit before trying again.
            if failed { condition.wait(until: min(stopDeadline, Date().addingTimeInterval(1))) }
            condition.unlock()
        }
        sidecar = nil
        log = nil
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

import CSQLite
import Dispatch
import Foundation
import GongguCore

/// An append-only, hash-chained event log in one SQLite file (docs/ARCHITECTURE.md).
///
/// One writer per file: the service that owns the stream opens it read-write; every other process
/// opens it read-only (`readOnly: true`) and sees the writer's commits as they land, because WAL
/// lets readers read while the writer appends. A log instance is safe to share between threads:
/// calls are serialised by a lock (the connection itself is single-threaded).
///
/// `append` is a group commit: a whole batch of events goes into one transaction with one sync, so
/// throughput does not depend on one fsync per event, and nobody may be told about an event before
/// `append` has returned.
public final class EventLog: @unchecked Sendable {
    /// The file path.
    public let path: String
    /// The stream (service) whose log this is, from the `meta` table.
    public let stream: String
    /// A random id given to the log file when it was created (32 hex digits).
    public let logID: String
    /// When the log file was created (milliseconds since 1970, wall clock of the creating writer).
    public let createdAt: Timestamp
    /// Whether this instance only reads.
    public let isReadOnly: Bool
    /// Which secondary indexes the file has (blocked, or the plain ones of older logs).
    let indexLayout: IndexLayout
    /// Where the person key of membership facts is kept (the `person` column, or only the payload
    /// in a log written before it and not yet reopened by its writer).
    let personSource: PersonSource

    let db: SQLiteDatabase
    /// Serialises use of `db`, the caches and the statements. Recursive so that an `append`'s
    /// `within` closure may ask the log for its `lastSeq`.
    let lock = NSRecursiveLock()
    /// Writer only: the last committed seq and hash, authoritative because nobody else writes.
    var writerLastSeq: Int64 = 0
    var writerHeadHash: [UInt8] = CanonicalEncoding.genesis
    var statements: [String: Statement] = [:]
    /// Where batch hashes are computed while the caller's thread inserts (see `append`).
    let hashQueue = DispatchQueue(label: "gonggu.eventlog.hash", qos: .userInitiated)
    /// The SHA-256 engine of this log's chain (appends and `verify`): the process's choice
    /// (`SHA256Engine.selected`). Both engines compute the same chain; tests and `gonggu-bench` set it
    /// to write or check a log with either. `.hardware` only when `SHA256Engine.hardwareAvailable`;
    /// set it before appending or verifying, not while another thread does.
    public var chainEngine = SHA256Engine.selected.engine
    /// Reused memory for the id and text bindings of one row (bound with SQLITE_STATIC).
    var rowScratch = RowScratch()
    /// Writer with `.background` checkpointing only: copies the WAL back off the commit path.
    private(set) var checkpointer: WALCheckpointer?
    /// Writer only: keeps the sidecar index trailing the head (`LogIndex`).
    private(set) var indexer: LogIndexer?
    /// Writer only: fingerprints of every recorded id, for refusing duplicates without an index.
    private(set) var fingerprints: IDFingerprints?
    /// The connection to the sidecar index used by look-ups (opened when first needed).
    var sidecar: SQLiteDatabase?
    /// Whether `sidecar` may be written (read-only logs: the tool brings it up to date before a query).
    var sidecarWritable = false
    /// Whether the open sidecar's layout was checked (`LogIndex.hasCurrentLayout`).
    var sidecarLayoutChecked = false
    /// Prepared statements on `sidecar` (dropped with it).
    var sidecarStatements: [String: Statement] = [:]
    /// Read-only logs: the longest unindexed tail a look-up scans as it is; a longer one is indexed
    /// first (docs/LOG_INDEX.md). Set before the first look-up.
    public var tailScanLimit: Int64 = EventLog.defaultTailScanLimit
    /// Tools: an unindexed tail longer than this is indexed in one pass (`LogIndex.onePass`), a
    /// shorter one in transactions of `LogIndex.bulkBatch`; `.max`: never in one pass.
    public var onePassAbove: Int64 = LogIndex.onePassThreshold

    /// The page cache of a writer's connection to a log without secondary indexes, KiB
    /// (docs/LOG_INDEX.md, "Memory of the writer"); readers and older layouts keep 64 MiB.
    public static let writerCacheKiB = 16_384

    /// log2 of the events in one index block of a new log, unless the writer creating it asks otherwise.
    public static let defaultBlockShift = EventLogSchema.blockShift

    /// Opens the log at `path`, creating it when the writer opens a file that does not exist.
    ///
    /// - Parameters:
    ///   - stream: the stream this log belongs to; required to create a log; when given for an
    ///     existing file it must match (guards against opening another service's log by mistake).
    ///     Read-only tools may pass nil to open any log.
    ///   - readOnly: open read-only (other processes than the owner, tools).
    ///   - synchronous: durability of commits, for the writer (see `Synchronous`).
    ///   - blockShift: log2 of the events per index block if this call creates the file (4…24; see
    ///     `EventLogSchema.create`); an existing file keeps its own. Small blocks keep the pages a
    ///     commit dirties in the indexes few and hot, at the price of one seek per block in lookups.
    ///   - checkpoint: who copies the writer's WAL back into the file (see `WALCheckpointing`).
    ///   - indexing: for the writer, whether its indexer thread keeps the sidecar index trailing the
    ///     head (`LogIndex`); without it look-ups scan what the sidecar lacks, and tools fill it.
    public init(
        path: String, stream: String?, readOnly: Bool = false, synchronous: Synchronous = .full,
        blockShift: Int = EventLog.defaultBlockShift, checkpoint: WALCheckpointing = .inCommit,
        indexing: Bool = true
    ) throws {
        guard (4...24).contains(blockShift) else {
            throw SQLiteError(code: .misuse, message: "index block shift \(blockShift) outside 4…24", sql: nil)
        }
        self.path = path
        isReadOnly = readOnly
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw SQLiteError(code: .cantOpen, message: "no event log at this path", sql: nil)
        }
        let isNew = !readOnly && ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) == 0
        db = try SQLiteDatabase(path: path, readOnly: readOnly)
        if isNew {
            // "Query or set the page size of the database. The page size must be a power of two between
            // 512 and 65536 inclusive." It can only be set before the file has content (and before WAL
            // mode). 8 KiB pages measured fastest for the log's batches (fewer B-tree pages dirtied
            // per commit by the random-order id index), see the store benchmark.
            try db.execute("PRAGMA page_size = \(EventLogSchema.pageSize)")
        }
        if !readOnly {
            // "The WAL journaling mode uses a write-ahead log instead of a rollback journal to
            // implement transactions. … WAL provides more concurrency as readers do not block
            // writers and a writer does not block readers." The mode is persistent in the file, so
            // read-only openers need not (and cannot) set it.
            let mode = try db.enableWAL()
            guard mode == "wal" else {
                throw SQLiteError(code: .error, message: "could not switch to WAL mode", sql: "PRAGMA journal_mode")
            }
            // See `Synchronous` for what each level keeps after a crash or a power loss.
            try db.execute("PRAGMA synchronous = \(synchronous.rawValue)")
        }
        // "PRAGMA cache_size … Query or change the suggested maximum number of database disk pages
        // that SQLite will hold in memory at once per open database file." The default (2 MiB) is
        // small for the random inserts into the id index of a multi-million-event log.
        try db.execute("PRAGMA cache_size = -65536")

        let meta = try Self.openOrCreateMeta(db, stream: stream, readOnly: readOnly, path: path, blockShift: blockShift)
        self.stream = meta.stream
        logID = meta.logID
        createdAt = meta.createdAt
        let foundLayout = try IndexLayout.of(db)
        var layout = foundLayout
        var source = try PersonSource.of(db)
        if !readOnly {
            // The person column, added after the first schema version (see
            // `EventLogSchema.personTypes`): an older log is migrated once, in one transaction.
            try Self.migratePersonColumn(db, layout: foundLayout)
            source = .column
            // The secondary indexes leave the file (docs/LOG_INDEX.md) (also any an older writer re-created);
            // the sidecar index takes their look-ups (built by the indexer thread, finding it missing).
            if try db.scalarInt(EventLogSchema.countEventIndexes) ?? 0 > 0 {
                let connection = db
                try connection.transaction(.immediate) { try connection.execute(EventLogSchema.dropLegacyIndexes) }
            }
            layout = .sidecar
        }
        indexLayout = layout
        personSource = source
        if !readOnly && layout == .sidecar {
            // A writer of a log without secondary indexes only appends at the end of the rowid
            // B-tree: the pages a commit touches are the batch's own and the path down to the last
            // leaf. The 64 MiB above were for the random-order id index of older layouts; here they
            // only filled with pages already committed (heaptrack, 2026-12-07: the largest single
            // allocation site of gonggu-intake, 68 MiB). A batch of 20,000 events (≈ 10 MiB of
            // pages) still fits.
            try db.execute("PRAGMA cache_size = -\(Self.writerCacheKiB)")
        }
        if !readOnly {
            let head = try readHead()
            writerLastSeq = head.seq
            writerHeadHash = head.hash
            if indexing { indexer = LogIndexer(logPath: path, logID: logID, head: head.seq) }
            fingerprints = IDFingerprints(logPath: path, logID: logID)
            if checkpoint == .background {
                let checkpointer = try WALCheckpointer(path: path)
                checkpointer.attach(to: db)
                self.checkpointer = checkpointer
            }
        }
    }

    deinit {
        // The indexer and the fingerprint loader have connections to this file: they close first.
        // The indexer first catches up for a bounded time (a writer closed right after a burst).
        indexer?.stop(grace: LogIndexer.closeGrace)
        fingerprints?.stop()
        // The hook goes first (no commit may wake a stopped thread), then the thread and its
        // connection, so that the writer's connection closes last and removes the WAL as before.
        if let checkpointer {
            checkpointer.detach(from: db)
            checkpointer.stop()
        }
        rowScratch.deallocate()
    }

    /// Adds the `person` column to a log written before it, fills it for the rows already there and
    /// replaces the JSON-expression person index by the plain one, all in one transaction: a crash
    /// leaves the log as it was, to be migrated at the next open. The append-only UPDATE trigger is
    /// dropped for the backfill and re-created before the commit. A one-off pass over the log.
    ///
    /// A log that has the column but also the JSON index was appended to by an older writer (which
    /// re-creates that index at its open and leaves `person` NULL): its NULL rows are backfilled the
    /// same way. Otherwise this costs two catalogue queries.
    static func migratePersonColumn(_ db: SQLiteDatabase, layout: IndexLayout) throws {
        let hasJSONIndex = {
            // A log without secondary indexes may have either name, from an older writer's open.
            let names = layout == .sidecar ? ["events_person_block", "events_person"] : [layout.personIndexName(.json)]
            let s = try db.prepare(EventLogSchema.hasIndex)
            var found = false
            for name in names {
                s.reset()
                try s.bind(name, at: 1)
                _ = try s.step()
                found = found || s.int64(at: 0) > 0
            }
            return found
        }
        guard try PersonSource.of(db) == .json || hasJSONIndex() else { return }
        try db.transaction(.immediate) {
            if try PersonSource.of(db) == .json {
                try db.execute(EventLogSchema.migratePerson(layout))
            } else if try hasJSONIndex() {
                try db.execute(EventLogSchema.backfillPerson(layout))
            }
        }
    }

    private static func openOrCreateMeta(
        _ db: SQLiteDatabase, stream: String?, readOnly: Bool, path: String, blockShift: Int
    ) throws -> (stream: String, logID: String, createdAt: Timestamp) {
        if try db.scalarInt(EventLogSchema.hasMeta) == 0 {
            guard !readOnly, let stream, !stream.isEmpty else { throw EventLogError.notAnEventLog(path: path) }
            let logID = EventID.random().description
            let created = Timestamp(Date().timeIntervalSince1970 * 1000)
            try db.transaction(.immediate) {
                // Another writer may have created it between our check and the lock: re-check inside.
                guard try db.scalarInt(EventLogSchema.hasMeta) == 0 else { return }
                try db.execute(EventLogSchema.create(blockShift: blockShift))
                try db.prepare(EventLogSchema.insertMeta).run([stream, logID, EventLogSchema.version, created])
            }
        }
        let select = try db.prepare(EventLogSchema.selectMeta)
        guard try select.step(), let found = select.string(at: 0), let logID = select.string(at: 1) else {
            throw EventLogError.notAnEventLog(path: path)
        }
        let version = Int(select.int64(at: 2))
        guard version == EventLogSchema.version else { throw EventLogError.unsupportedSchema(version: version) }
        if let stream, stream != found { throw EventLogError.streamMismatch(expected: stream, found: found) }
        return (found, logID, select.int64(at: 3))
    }

    // MARK: Head

    /// The seq of the last committed event (0 for an empty log). A writer answers from memory; a
    /// read-only follower re-reads the file, so it sees what the writer process has committed since.
    public var lastSeq: Int64 {
        get throws {
            lock.lock()
            defer { lock.unlock() }
            if !isReadOnly { return writerLastSeq }
            return try readHead().seq
        }
    }

    /// The chain hash of the last committed event (32 zero bytes for an empty log); re-read from the
    /// file by read-only followers.
    public var headHash: [UInt8] {
        get throws {
            lock.lock()
            defer { lock.unlock() }
            if !isReadOnly { return writerHeadHash }
            return try readHead().hash
        }
    }

    /// The stored chain hash of the event at `seq`, nil when the log holds no event there (a consumer's
    /// anchor beyond this log's head). Read from the file by read-only followers.
    public func storedHash(ifPresent seq: Int64) throws -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectHashAt)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        guard try s.step() else { return nil }
        return s.bytes(at: 0) ?? []
    }

    func readHead() throws -> (seq: Int64, hash: [UInt8]) {
        let s = try statement(EventLogSchema.selectHead)
        defer { s.reset() }
        guard try s.step() else { return (0, CanonicalEncoding.genesis) }
        return (s.int64(at: 0), s.bytes(at: 1) ?? [])
    }

    /// A cached prepared statement (caller holds `lock`).
    func statement(_ sql: String) throws -> Statement { try db.statement(sql, cachedIn: &statements) }

    /// Runs `body` with the log's connection, under the log's lock: for side tables kept beside the
    /// log (cursors, fingerprints) and for inspection. Do not write to `events` through it.
    public func withDatabase<T>(_ body: (SQLiteDatabase) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(db)
    }
}

/// Memory reused across rows for the bytes bound with `SQLITE_STATIC`: three ids and the text
/// columns, so binding a row allocates nothing.
struct RowScratch {
    private(set) var ids = UnsafeMutableRawPointer.allocate(byteCount: 48, alignment: 8)
    private(set) var text = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 8)
    private(set) var textCapacity = 1024

    mutating func reserveText(_ n: Int) {
        guard n > textCapacity else { return }
        text.deallocate()
        textCapacity = max(n, textCapacity * 2)
        text = UnsafeMutableRawPointer.allocate(byteCount: textCapacity, alignment: 8)
    }

    func deallocate() {
        ids.deallocate()
        text.deallocate()
    }
}

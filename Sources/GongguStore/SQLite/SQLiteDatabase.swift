import CSQLite

/// `SQLITE_TRANSIENT`, wrapped once: SQLite copies the bound bytes before the bind call returns.
let sqliteTransient = gonggu_sqlite_transient()
/// `SQLITE_STATIC`: the bound bytes stay valid until the statement is stepped and reset or rebound;
/// used only on hot paths where the caller scopes the memory around `step()`.
let sqliteStatic = gonggu_sqlite_static()

/// A connection to one SQLite database file.
///
/// A connection is used by one thread at a time (it is opened with `SQLITE_OPEN_NOMUTEX`); types
/// that share one across threads serialise access themselves, as `EventLog` does.
public final class SQLiteDatabase {
    /// The file path.
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    let handle: OpaquePointer

    /// How long a statement waits for a lock held by another connection before failing with
    /// `SQLITE_BUSY` (milliseconds).
    public static let defaultBusyTimeout: Int32 = 5_000

    /// Opens (and for read-write connections creates) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: SQLiteResultCode(rawValue: rc), message: message, sql: nil)
        }
        handle = db
        self.path = path
        isReadOnly = readOnly
        // Extended codes tell a trigger's RAISE (SQLITE_CONSTRAINT_TRIGGER) from a UNIQUE failure.
        sqlite3_extended_result_codes(db, 1)
        // "This routine sets a busy handler that sleeps for a specified amount of time when a table is
        // locked." Readers may meet a lock briefly while the writer checkpoints or recovers the WAL.
        sqlite3_busy_timeout(db, Self.defaultBusyTimeout)
    }

    deinit {
        // close_v2 defers the close until every prepared statement is finalized.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no arguments (schema, pragmas).
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: SQLiteResultCode(rawValue: sqlite3_extended_errcode(handle)), message: message,
                              sql: sql)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql: sql) }
        return Statement(handle: stmt, sql: sql, database: self)
    }

    /// A prepared statement kept in `cache`: reset for reuse, or compiled now and kept.
    func statement(_ sql: String, cachedIn cache: inout [String: Statement]) throws -> Statement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        let s = try prepare(sql)
        cache[sql] = s
        return s
    }

    /// The first column of the first row of `sql` as text (pragmas, small queries), nil if no row.
    public func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.string(at: 0)
    }

    /// Switches the file to WAL journaling (`PRAGMA journal_mode = WAL`) and returns the mode now in
    /// force (lower case). Two connections switching a new file at the same moment (a writer's indexer
    /// thread and a tool both creating a sidecar) make SQLite answer `SQLITE_BUSY` at once, without
    /// the busy handler: the switch needs an exclusive lock that SQLite does not wait for. So this
    /// retries for as long as the busy timeout would have waited.
    @discardableResult
    public func enableWAL() throws -> String? {
        var waited: Int32 = 0
        while true {
            do {
                return try scalarText("PRAGMA journal_mode = WAL")?.lowercased()
            } catch SQLiteResultCode.busy where waited < Self.defaultBusyTimeout {
                let pause = Int32.random(in: 2...10)
                sqlite3_sleep(pause)
                waited += pause
            }
        }
    }

    /// The first column of the first row of `sql` as an integer, nil if no row or NULL.
    public func scalarInt(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step(), !statement.isNull(at: 0) else { return nil }
        return statement.int64(at: 0)
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes locks when first needed.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a write never fails half-way with `SQLITE_BUSY`.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back completely when it (or the
    /// commit) throws, then rethrows. Not reentrant: SQLite has no nested BEGIN (use savepoints).
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Rolls back the open transaction, if any. After some errors (`SQLITE_FULL`, `SQLITE_IOERR`,
    /// `SQLITE_NOMEM`, `SQLITE_BUSY`) "SQLite might roll back the transaction automatically", so the
    /// autocommit flag decides whether a ROLLBACK is still needed.
    func rollbackIfNeeded() {
        guard isInTransaction else { return }
        // A failed ROLLBACK leaves nothing better to do; the connection reports it on next use.
        _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// An error for result code `rc` with the connection's current message.
    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        return SQLiteError(
            code: SQLiteResultCode(rawValue: code != SQLITE_OK ? code : rc), message: lastErrorMessage, sql: sql)
    }
}

import CSQLite

/// A SQLite result code, primary (`SQLITE_FULL`) or extended (`SQLITE_CONSTRAINT_TRIGGER`).
///
/// Match errors by code in `catch` clauses: `catch SQLiteResultCode.full { … }`. A primary code
/// pattern also matches its extended codes.
public struct SQLiteResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (the low 8 bits of an extended code).
    public var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xff) }

    /// Generic error.
    public static let error = SQLiteResultCode(rawValue: SQLITE_ERROR)
    /// Operation aborted, e.g. by `RAISE(ABORT, …)` in a trigger.
    public static let abort = SQLiteResultCode(rawValue: SQLITE_ABORT)
    /// The database file is locked by another connection.
    public static let busy = SQLiteResultCode(rawValue: SQLITE_BUSY)
    /// Attempt to write a read-only database.
    public static let readOnly = SQLiteResultCode(rawValue: SQLITE_READONLY)
    /// Disk I/O error.
    public static let ioError = SQLiteResultCode(rawValue: SQLITE_IOERR)
    /// The database disk image is malformed.
    public static let corrupt = SQLiteResultCode(rawValue: SQLITE_CORRUPT)
    /// The database or disk is full (also raised when `max_page_count` is reached).
    public static let full = SQLiteResultCode(rawValue: SQLITE_FULL)
    /// Unable to open the database file.
    public static let cantOpen = SQLiteResultCode(rawValue: SQLITE_CANTOPEN)
    /// A constraint was violated (primary code of all constraint errors).
    public static let constraint = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT)
    /// A trigger raised an error (`RAISE(ABORT, …)`), e.g. an UPDATE of the append-only log.
    public static let constraintTrigger = SQLiteResultCode(rawValue: 1811)  // SQLITE_CONSTRAINT_TRIGGER
    /// A UNIQUE constraint failed (e.g. an event id already recorded).
    public static let constraintUnique = SQLiteResultCode(rawValue: 2067)  // SQLITE_CONSTRAINT_UNIQUE
    /// A PRIMARY KEY constraint failed.
    public static let constraintPrimaryKey = SQLiteResultCode(rawValue: 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
    /// A read returned fewer bytes than asked: the file was cut short (SQLITE_IOERR_SHORT_READ).
    public static let ioErrorShortRead = SQLiteResultCode(rawValue: 522)  // SQLITE_IOERR_SHORT_READ
    /// The file is not a database.
    public static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)
    /// Library used incorrectly.
    public static let misuse = SQLiteResultCode(rawValue: SQLITE_MISUSE)

    public var description: String {
        guard let text = sqlite3_errstr(rawValue) else { return "code \(rawValue)" }
        return "\(String(cString: text)) (code \(rawValue))"
    }

    /// Matches an error against a code: an extended pattern matches only itself, a primary pattern
    /// matches any of its extended codes.
    public static func ~= (pattern: SQLiteResultCode, error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        return pattern ~= error
    }

    /// See `~=(_:_:)` for errors.
    public static func ~= (pattern: SQLiteResultCode, error: SQLiteError) -> Bool {
        if pattern.rawValue == pattern.primary.rawValue { return error.code.primary == pattern }
        return error.code == pattern
    }
}

/// An error reported by SQLite: the (extended) result code, SQLite's message and the SQL text.
///
/// Bound arguments are never recorded, so neither `description` nor logs can carry the resident ID
/// numbers and other personal data that statements bind.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code.
    public let code: SQLiteResultCode
    /// SQLite's message (`sqlite3_errmsg`), which names tables and constraints, never bound values.
    public let message: String?
    /// The SQL being executed, with `?` placeholders where the arguments went.
    public let sql: String?

    public init(code: SQLiteResultCode, message: String? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = "SQLite error \(code.rawValue)"
        if let message { text += ": \(message)" }
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}

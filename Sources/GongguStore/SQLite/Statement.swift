import CSQLite

/// A prepared statement: bind arguments (1-based), step, read columns (0-based), reset, reuse.
///
/// Reusing one prepared statement is what makes bulk inserts fast: compile once, then bind and step
/// per row. Text and blob binds copy their bytes (`SQLITE_TRANSIENT`) unless a method says otherwise.
public final class Statement {
    let handle: OpaquePointer
    /// The SQL text (placeholders only, never the bound values).
    public let sql: String
    /// The connection; kept alive as long as the statement.
    public let database: SQLiteDatabase

    init(handle: OpaquePointer, sql: String, database: SQLiteDatabase) {
        self.handle = handle
        self.sql = sql
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding

    @inline(__always) private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// Binds an integer.
    public func bind(_ value: Int64, at index: Int32) throws { try check(sqlite3_bind_int64(handle, index, value)) }

    /// Binds an integer.
    public func bind(_ value: Int, at index: Int32) throws { try bind(Int64(value), at: index) }

    /// Binds a double.
    public func bind(_ value: Double, at index: Int32) throws { try check(sqlite3_bind_double(handle, index, value)) }

    /// Binds text (UTF-8, copied), or NULL.
    public func bind(_ value: String?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        try check(
            sqlite3_bind_text64(handle, index, value, UInt64(value.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8)))
    }

    /// Binds a blob (copied), or NULL.
    public func bind(_ bytes: [UInt8]?, at index: Int32) throws {
        guard let bytes else { return try bindNull(at: index) }
        try bytes.withUnsafeBytes { raw in
            // A zero-length blob needs a non-null pointer, else SQLite binds NULL.
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            try check(sqlite3_bind_blob64(handle, index, base, UInt64(raw.count), sqliteTransient))
        }
    }

    /// Binds NULL.
    public func bindNull(at index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    /// Binds raw bytes without copying (`SQLITE_STATIC`): the memory must stay valid and unchanged
    /// until the statement is stepped and then reset or rebound.
    func bindStatic(blob base: UnsafeRawPointer, count: Int, at index: Int32) throws {
        try check(sqlite3_bind_blob64(handle, index, base, UInt64(count), sqliteStatic))
    }

    /// Binds UTF-8 text without copying, under the same rule as `bindStatic(blob:count:at:)`.
    func bindStatic(text base: UnsafeRawPointer, count: Int, at index: Int32) throws {
        try check(sqlite3_bind_text64(
            handle, index, base.assumingMemoryBound(to: CChar.self), UInt64(count), sqliteStatic, UInt8(SQLITE_UTF8)))
    }

    /// Binds several values in order from index 1 (`Int64`, `Int`, `String`, `[UInt8]`, `Double`, nil).
    public func bind(_ values: [Any?]) throws {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case nil: try bindNull(at: index)
            case let v as Int64: try bind(v, at: index)
            case let v as Int: try bind(v, at: index)
            case let v as String: try bind(v, at: index)
            case let v as [UInt8]: try bind(v, at: index)
            case let v as Double: try bind(v, at: index)
            default: throw SQLiteError(code: .misuse, message: "unsupported argument type at index \(index)", sql: sql)
            }
        }
    }

    /// Clears all bindings to NULL.
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    // MARK: Stepping

    /// Steps once: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = database.error(rc, sql: sql)
        sqlite3_reset(handle)
        throw error
    }

    /// Resets the statement so it can run again (bindings are kept).
    public func reset() { sqlite3_reset(handle) }

    /// Resets, binds `values` and steps until done (for INSERT/UPDATE/DDL with arguments).
    public func run(_ values: [Any?] = []) throws {
        reset()
        try bind(values)
        while try step() {}
        reset()
    }

    // MARK: Columns

    /// Number of columns in the result.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Whether the column is NULL.
    public func isNull(at index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// The column as an integer (0 for NULL).
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// The column as a double.
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// The column as text, nil for NULL.
    public func string(at index: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, index) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: n), as: UTF8.self)
    }

    /// The column as bytes (copied), nil for NULL.
    public func bytes(at index: Int32) -> [UInt8]? {
        if isNull(at: index) { return nil }
        let raw = rawBytes(at: index)
        return [UInt8](raw)
    }

    /// The column's bytes without copying: valid only until the next step, reset or column call that
    /// converts this column. Empty for NULL.
    public func rawBytes(at index: Int32) -> UnsafeRawBufferPointer {
        let base = sqlite3_column_blob(handle, index)
        let n = Int(sqlite3_column_bytes(handle, index))
        return UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : n)
    }

    /// The column's text bytes without copying (UTF-8), under the same rule as `rawBytes(at:)`.
    func rawText(at index: Int32) -> UnsafeRawBufferPointer {
        let base = sqlite3_column_text(handle, index)
        let n = Int(sqlite3_column_bytes(handle, index))
        return UnsafeRawBufferPointer(start: base.map { UnsafeRawPointer($0) }, count: base == nil ? 0 : n)
    }
}

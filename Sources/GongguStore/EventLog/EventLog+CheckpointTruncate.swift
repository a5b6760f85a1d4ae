import CSQLite

extension EventLog {
    /// Writer only, at a graceful stop: copies the whole WAL into the file and truncates the WAL to zero
    /// bytes (`SQLITE_CHECKPOINT_TRUNCATE`). Returns true when the WAL is empty afterwards — "This mode
    /// works the same way as RESTART with the addition that it also truncates the log file to zero
    /// bytes just prior to a successful return" — false when a reader kept it from finishing (busy).
    /// After a true return the file alone holds the log, so its size, inode and times describe it
    /// (`LogStamp`).
    public func checkpointTruncate() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isReadOnly else { return false }
        var logFrames: Int32 = -1
        var copied: Int32 = -1
        let rc = sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied)
        return rc == SQLITE_OK && logFrames == 0
    }
}

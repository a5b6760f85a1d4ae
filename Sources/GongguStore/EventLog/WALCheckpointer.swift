import Foundation

/// Checkpoints the writer's WAL on a thread and connection of its own, so no commit ever pays for
/// a checkpoint.
///
/// SQLite's default: "whenever a transaction commits … the WAL file is checkpointed automatically when
/// it reaches … 1000 pages" — inside the committing call, which copies pages to the database file and
/// syncs it. With the random-order id index every commit dirties many pages, so those commits took tens
/// of milliseconds and dominated the tail latency of append → publish. The writer therefore sets
/// `wal_autocheckpoint = 0` and this thread runs `PRAGMA wal_checkpoint(PASSIVE)` ("Checkpoint as many
/// frames as possible without waiting for any database readers or writers to finish") periodically.
final class WALCheckpointer: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, interval: TimeInterval = 0.1) throws {
        let db = try SQLiteDatabase(path: path, readOnly: false)
        let thread = Thread { [self] in
            defer { finished.signal() }
            while !isStopping {
                Thread.sleep(forTimeInterval: interval)
                // A busy or failed passive checkpoint is simply retried next time.
                _ = try? db.scalarInt("PRAGMA wal_checkpoint(PASSIVE)")
            }
            _ = try? db.scalarInt("PRAGMA wal_checkpoint(PASSIVE)")
        }
        thread.name = "wal-checkpoint"
        thread.start()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Stops the thread after a last passive checkpoint.
    func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        if !already { finished.wait() }
    }
}

import CSQLite
import Foundation

/// Who copies a writer's WAL back into the database file (a writer setting, `log.checkpoint`).
public enum WALCheckpointing: String, Sendable, CaseIterable {
    /// SQLite's default: the commit that takes the WAL past 1,000 pages copies it, and waits for that.
    case inCommit = "commit"
    /// `WALCheckpointer`: a thread and connection of their own copy it; commits do not wait for it.
    case background
}

/// Copies a writer's WAL back into the database file on a thread and connection of its own, so that
/// no append waits for a checkpoint.
///
/// SQLite's default is to checkpoint inside the commit that takes the WAL past 1,000 pages: "the
/// default callback ... causes a checkpoint to occur on the COMMIT that causes the WAL file to
/// exceed" the threshold (`sqlite3_wal_autocheckpoint`). That checkpoint copies every page to the
/// database file and syncs it, and the appending service waits for it: with synchronous=FULL it
/// was the tail of the commit-to-receipt latency. Here the writer's connection gets a WAL hook
/// instead (which replaces the automatic one: "any callback set by a previous call to
/// sqlite3_wal_autocheckpoint() is overwritten"), and the hook only wakes this thread, which runs a
/// PASSIVE checkpoint: "Checkpoint as many frames as possible without waiting for any database
/// readers or writers to finish". While the writer keeps committing, that checkpoint never quite
/// catches up (new frames land while it copies), and the WAL starts over only at a write transaction
/// that finds it completely copied. So once the thread has copied all but the last `finishSlack`
/// pages, the next commit's hook copies that remainder itself — a few pages and one sync instead of
/// the whole WAL — and the following transaction starts the WAL over: it stays about `threshold`
/// pages long.
///
/// Should the thread fall behind (a disk slower than the appends), the hook checkpoints in the
/// commit itself once the WAL passes `inlineLimit` pages, as SQLite would, so the WAL stays bounded.
final class WALCheckpointer: @unchecked Sendable {
    /// WAL pages after which the thread is woken (SQLite's own default threshold).
    static let threshold: Int32 = 1_000
    /// WAL pages after which the committing writer checkpoints itself.
    static let inlineLimit: Int32 = 16_000
    /// At most this many pages not yet copied by the thread are left for the writer's hook to copy.
    static let finishSlack: Int32 = 256

    /// The thread's connection; closed by the thread when it stops, so that the writer's connection
    /// is the last one and its close checkpoints and removes the WAL as before.
    private var connection: SQLiteDatabase?
    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var finished = false
    private var completed = 0
    /// WAL pages copied by the thread's last checkpoint (0 after the writer finished one).
    private var backfilled: Int32 = 0

    /// Checkpoints the thread has completed (for tests and diagnostics).
    var completedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return completed
    }

    /// Opens the second connection to `path` and starts the thread.
    init(path: String) throws {
        let connection = try SQLiteDatabase(path: path, readOnly: false)
        // A connection learns that the file is in WAL mode when it first reads it; until then a
        // checkpoint through it does nothing ("*pnLog ... -1 if ... the database is not in WAL mode").
        _ = try connection.scalarInt("SELECT count(*) FROM sqlite_master")
        self.connection = connection
        let thread = Thread { [self] in loop() }
        thread.name = "gonggu.eventlog.checkpoint"
        thread.start()
    }

    /// Installs the hook on the writer connection `db`. `self` must outlive the hook: `EventLog`
    /// removes it (`detach`) before it stops the checkpointer.
    func attach(to db: SQLiteDatabase) {
        sqlite3_wal_hook(db.handle, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook from `db`.
    func detach(from db: SQLiteDatabase) {
        sqlite3_wal_hook(db.handle, nil, nil)
    }

    /// Wakes the thread; never blocks the caller beyond taking the condition's lock.
    func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Whether the thread's last checkpoint copied all but a few of the WAL's `pages` (of this WAL:
    /// a count larger than `pages` is from before the WAL started over).
    func nearlyCopied(pages: Int32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return backfilled > 0 && backfilled <= pages && pages - backfilled <= Self.finishSlack
    }

    /// Records that the writer finished a checkpoint itself.
    func writerCheckpointed() {
        condition.lock()
        backfilled = 0
        condition.unlock()
    }

    /// Stops the thread after any checkpoint in progress, waits for it and its connection's close.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            while !requested && !stopping { condition.wait() }
            if stopping { break }
            requested = false
            condition.unlock()
            // SQLITE_BUSY: another checkpoint (the writer's inline one) holds the lock; the next
            // request tries again. Other errors (a full disk) leave the WAL to grow until the
            // writer's own commits hit them and the service reports the fault.
            var logFrames: Int32 = 0, copied: Int32 = 0
            let rc = sqlite3_wal_checkpoint_v2(connection?.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
            condition.lock()
            if rc == SQLITE_OK && logFrames >= 0 {
                completed += 1
                backfilled = copied
            }
        }
        connection = nil
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The writer connection's WAL hook: runs after each commit with the WAL's page count.
private func walHook(
    _ context: UnsafeMutableRawPointer?, _ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
    guard pages >= WALCheckpointer.threshold else { return SQLITE_OK }
    if pages >= WALCheckpointer.inlineLimit || checkpointer.nearlyCopied(pages: pages) {
        if sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
            checkpointer.writerCheckpointed()
        }
    } else {
        checkpointer.request()
    }
    return SQLITE_OK
}

import CSQLite
import Foundation
import GongguCore

/// Online backup of an event log: a consistent copy taken while the owning service keeps appending.
///
/// The copy uses SQLite's backup API in a single step ("If N is negative, all remaining source pages
/// are copied"), so the whole copy is made inside one read transaction on the source: with WAL the
/// writer is never blocked, and the copy is exactly the log as it stood at one commit. The copy is
/// then switched to rollback-journal mode, so it is one self-contained file whose SHA-256 is stable
/// (no `-wal`/`-shm` beside it), and its hash chain is walked before it is reported.
public enum LogBackup {
    /// What one copied (or checked) log holds.
    public struct Summary: Equatable, Sendable {
        /// The stream named in the log's `meta` table (`intake`, `risk` …).
        public var stream: String
        /// The log file's random id (kept across copies: a restored log is the same log).
        public var logID: String
        /// Events in the copy (seqs run 1…`headSeq` without gaps, so this equals `headSeq`).
        public var events: Int64
        /// Seq of the last event (0 for an empty log).
        public var headSeq: Int64
        /// Chain hash of the last event, hex (64 zeros for an empty log).
        public var headHash: String
    }

    /// Copies the log at `source` (opened read-only, so it may be in use by its writer) into
    /// `destination`, which must not exist yet. The copy gets mode 0600. Throws when the copy's chain
    /// does not verify (a damaged source must not produce a backup that looks good).
    @discardableResult
    public static func copy(from source: String, to destination: String) throws -> Summary {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw LogBackupError.destinationExists(destination)
        }
        // Logs hold personal data: the copy is private from the moment it exists.
        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw LogBackupError.cannotWrite(destination) }
        do {
            // Opening through EventLog checks that the source is an event log of a known schema.
            _ = try EventLog(path: source, stream: nil, readOnly: true)
            let from = try SQLiteDatabase(path: source, readOnly: true)
            let to = try SQLiteDatabase(path: destination)
            guard let backup = sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
                throw to.error(sqlite3_errcode(to.handle), sql: "sqlite3_backup_init")
            }
            var rc = sqlite3_backup_step(backup, -1)
            // BUSY/LOCKED: another connection holds a lock the copy needs for a moment (a checkpoint
            // or WAL recovery); the busy timeout has already waited, so try a few more times.
            var attempts = 0
            while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempts < 50 {
                attempts += 1
                usleep(100_000)
                rc = sqlite3_backup_step(backup, -1)
            }
            let finish = sqlite3_backup_finish(backup)
            guard rc == SQLITE_DONE, finish == SQLITE_OK else {
                throw to.error(rc == SQLITE_DONE ? finish : rc, sql: "sqlite3_backup_step")
            }
            // One file, no -wal/-shm: the copy's bytes (and so its SHA-256) never change on reading.
            _ = try to.scalarText("PRAGMA journal_mode = DELETE")
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        }
        let summary = try check(destination)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
        return summary
    }

    /// Walks the chain of the log at `path` (read-only) and returns what it holds; throws
    /// `LogBackupError.brokenChain` when the chain breaks.
    public static func check(_ path: String) throws -> Summary {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        switch try log.verify() {
        case let .intact(count, head):
            return Summary(
                stream: log.stream, logID: log.logID, events: count, headSeq: try log.lastSeq, headHash: head.hexString)
        case let .broken(seq, problem, _):
            throw LogBackupError.brokenChain(path: path, seq: seq, problem: problem.description)
        }
    }

    /// SHA-256 of a file's bytes (hex), read in 1 MiB pieces.
    public static func sha256(ofFile path: String) throws -> String {
        var hash = SHA256Engine.hasher()
        try readPieces(ofFile: path) { hash.update([UInt8]($0)) }
        return hash.finalize().hexString
    }

    /// Hands the bytes of the file at `path` to `body` in 1 MiB pieces; throws
    /// `LogBackupError.cannotRead(path)` when it cannot be opened or read.
    public static func readPieces(ofFile path: String, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw LogBackupError.cannotRead(path) }
        defer { try? handle.close() }
        while true {
            // `read(upToCount:)` throws; `readData(ofLength:)` traps (`try!` inside Foundation) on a
            // read error such as EISDIR.
            let data: Data
            do {
                data = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw LogBackupError.cannotRead(path)
            }
            if data.isEmpty { break }
            try body(data)
        }
    }
}

/// Why a backup could not be taken or checked.
public enum LogBackupError: Error, Equatable, CustomStringConvertible, Sendable {
    case destinationExists(String)
    case cannotWrite(String)
    case cannotRead(String)
    /// The copy's hash chain breaks at `seq`.
    case brokenChain(path: String, seq: Int64, problem: String)

    public var description: String {
        switch self {
        case let .destinationExists(p): return "\(p) already exists; a backup never overwrites a file"
        case let .cannotWrite(p): return "cannot create \(p)"
        case let .cannotRead(p): return "cannot read \(p)"
        case let .brokenChain(p, seq, problem): return "\(p): hash chain broken at seq \(seq): \(problem)"
        }
    }
}

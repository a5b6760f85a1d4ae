import Foundation

/// What a graceful stop leaves beside the log once it has checked it (docs/RELIABILITY.md, "Start only
/// on a sound log"): `<log file>.checked`, one JSON line with the file's device, inode, size and
/// modification and status-change times in nanoseconds, taken after `PRAGMA quick_check` passed and a
/// TRUNCATE checkpoint emptied the WAL. A start whose file still has exactly that stamp (and an empty
/// or absent WAL) skips `quick_check`: the bytes SQLite checked are the bytes it opens. Any other start
/// runs it. The start removes the stamp before it opens the log, so a stamp describes only a file no
/// process of the service has written since — after a crash, a kill or a start that failed there is
/// none, and the next start checks.
///
/// The status-change time (`st_ctime`) is set by the kernel on every write, truncate, rename or
/// `utimensat` and cannot be set back by a program, so a file edited and given its old modification
/// time again still differs. What a stamp cannot see is damage that changes no metadata (a failing
/// disk returning other bytes for the same sectors): SQLite reports that when a read touches the page
/// (the start's replay of what follows the snapshot reads the newest pages), and `gonggu log verify`
/// and backups check all of it.
public struct LogStamp: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedNs: Int64
    public var changedNs: Int64

    /// The stamp file of the log at `logPath`.
    public static func path(logPath: String) -> String { logPath + ".checked" }

    /// The stamp of the file at `path` now; nil if it cannot be read.
    public static func of(_ path: String) -> LogStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return LogStamp(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
            modifiedNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
            changedNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
    }

    /// Whether the log's WAL is absent or empty (then the file alone is the log).
    static func walIsEmpty(logPath: String) -> Bool {
        var st = stat()
        if stat(logPath + "-wal", &st) != 0 { return errno == ENOENT }
        return st.st_size == 0
    }

    var line: String {
        "{\"device\":\(device),\"inode\":\(inode),\"size\":\(size),"
            + "\"modifiedNs\":\(modifiedNs),\"changedNs\":\(changedNs)}\n"
    }

    init(device: UInt64, inode: UInt64, size: Int64, modifiedNs: Int64, changedNs: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNs = modifiedNs
        self.changedNs = changedNs
    }

    /// Parses `line`; nil for anything but exactly what `line` writes (a damaged stamp is no stamp:
    /// the start checks).
    init?(line: String) {
        func integer(_ key: String) -> Int64? {
            guard let range = line.range(of: "\"\(key)\":") else { return nil }
            return Int64(line[range.upperBound...].prefix { $0.isNumber || $0 == "-" })
        }
        guard let d = integer("device"), let i = integer("inode"), let s = integer("size"),
            let m = integer("modifiedNs"), let c = integer("changedNs"), d >= 0, i >= 0
        else { return nil }
        self.init(device: UInt64(d), inode: UInt64(i), size: s, modifiedNs: m, changedNs: c)
        guard self.line == line else { return nil }
    }

    /// Start-up, before the log is opened: removes the stamp file and says whether it matched the file
    /// as it is (and the WAL is empty), i.e. whether `quick_check` may be skipped.
    public static func takeMatching(logPath: String) -> Bool {
        let stampPath = path(logPath: logPath)
        guard let data = FileManager.default.contents(atPath: stampPath) else { return false }
        // Not removable (a read-only folder): never trust it, it could outlive writes to the log.
        guard unlink(stampPath) == 0 else { return false }
        guard let stamp = LogStamp(line: String(decoding: data, as: UTF8.self)), let now = of(logPath) else {
            return false
        }
        return stamp == now && walIsEmpty(logPath: logPath)
    }

    /// Graceful stop, after `quick_check` passed and a TRUNCATE checkpoint emptied the WAL: writes the
    /// stamp of the log file as it is now (mode 0600, durably). False if it could not.
    @discardableResult
    public static func write(logPath: String) -> Bool {
        guard walIsEmpty(logPath: logPath), let stamp = of(logPath) else { return false }
        let stampPath = path(logPath: logPath)
        let temporary = stampPath + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        let bytes = Array(stamp.line.utf8)
        let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard n == bytes.count, rename(temporary, stampPath) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}

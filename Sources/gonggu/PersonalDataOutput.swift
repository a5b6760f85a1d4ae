import Foundation
import GongguCore

/// How the CLI hands out personal data: CSV it prints or writes has resident IDs masked unless the
/// operator asks for `--unmasked`, and such an export is recorded (see `UnmaskedExportRecord`) before a
/// byte of it is printed; files holding personal data are readable by their owner and group only.
struct PersonalDataOutput {
    /// Mode of files with personal data (reports, CSV exports): owner and group read, nobody else.
    static let fileMode: mode_t = 0o640
    /// Mode of folders the CLI makes for such files.
    static let folderMode: mode_t = 0o750

    let unmasked: Bool

    /// A CSV cell: every resident ID in it masked (`PersonalDataMask.maskText`) unless unmasked.
    func cell(_ text: String) -> String { unmasked ? text : PersonalDataMask.maskText(text) }

    /// Creates `path` (and missing parents) with `folderMode`. An existing folder keeps its mode: it may
    /// be a shared place the operator chose, whose mode is not ours to change.
    static func makeFolder(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(folderMode)])
        // The umask may have taken bits away from the mode asked for; set it exactly.
        guard chmod(path, folderMode) == 0 else { throw CommandFailure("cannot set the mode of \(path)", exit: .cantCreate) }
    }

    /// Writes `data` to `path` with `fileMode` (set before the first byte, whatever the umask).
    /// Returns false when the file cannot be written.
    static func write(_ data: Data, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, fileMode)
        guard fd >= 0 else { return false }
        guard fchmod(fd, fileMode) == 0 else {
            close(fd)
            return false
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
            return true
        } catch {
            return false
        }
    }
}

/// The record of one `--unmasked` export: a JSON line appended to the audit log (`GONGGU_AUDIT_LOG`,
/// default `/var/log/gonggu/audit.log`, mode 0640), repeated on stderr and sent to syslog (the journal
/// stores it with the sender's real uid, which the operator cannot change). Written before the data is
/// printed; when the audit log cannot be appended to, nothing unmasked is printed.
struct UnmaskedExportRecord {
    static let defaultPath = "/var/log/gonggu/audit.log"

    /// The command (`rejects`) and its arguments (options only: they hold no personal data).
    let command: String
    let arguments: [String]
    /// How many rows the export holds.
    let rows: Int

    /// The audit log path: `GONGGU_AUDIT_LOG`, else the default.
    static var path: String { ProcessInfo.processInfo.environment["GONGGU_AUDIT_LOG"] ?? defaultPath }

    /// The record as one JSON line.
    var line: String {
        let env = ProcessInfo.processInfo.environment
        var w = JSONWriter()
        w.beginObject()
        w.field("time", ISO8601DateFormatter().string(from: Date()))
        w.field("event", "unmasked_export")
        // The login name as the shell knows it; behind sudo, the operator who ran sudo.
        w.field("operator", env["SUDO_USER"] ?? env["USER"] ?? env["LOGNAME"] ?? "uid \(getuid())")
        w.field("uid", Int(getuid()))
        w.field("host", ProcessInfo.processInfo.hostName)
        w.field("pid", Int(getpid()))
        w.field("command", command)
        w.key("arguments")
        w.beginArray()
        for a in arguments { w.string(PersonalDataMask.maskText(a)) }
        w.endArray()
        w.field("rows", rows)
        w.endObject()
        return w.string
    }

    /// Appends the record; throws (and the caller prints nothing) when it cannot.
    func record() throws {
        let text = line
        let path = Self.path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        let bytes = Array((text + "\n").utf8)
        guard fd >= 0, write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw CommandFailure(
                "无法写入审计日志 \(path)，未输出未脱敏数据（可用 GONGGU_AUDIT_LOG 指定可写的审计日志） / "
                    + "cannot append to the audit log \(path): nothing unmasked was printed", exit: .cantCreate)
        }
        close(fd)
        FileHandle.standardError.write(Data(("审计 audit: " + text + "\n").utf8))
        text.withCString { c in withVaList([c]) { vsyslog(LOG_AUTHPRIV | LOG_NOTICE, "gonggu-audit: %s", $0) } }
    }
}

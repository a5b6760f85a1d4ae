import Foundation
import GongguStore

/// Names why the log refused a write, so submitters get a clear reason instead of a SQLite code.
///
/// SQLite reports a full disk as `SQLITE_FULL` (its unix VFS maps `ENOSPC` to it) and a read-only
/// file as `SQLITE_READONLY`; a file system remounted read-only under an open connection shows up as
/// an I/O error (`EROFS` on write), so for I/O errors the log's folder is looked at too.
enum LogFault {
    static func classify(_ error: Error, logPath: String) -> ServiceError {
        if SQLiteResultCode.full ~= error { return .diskFull }
        if SQLiteResultCode.readOnly ~= error { return .logReadOnly }
        if SQLiteResultCode.ioError ~= error || SQLiteResultCode.cantOpen ~= error {
            let folder = (logPath as NSString).deletingLastPathComponent
            var fs = statvfs()
            if statvfs(folder.isEmpty ? "." : folder, &fs) == 0 {
                if fs.f_flag & UInt(ST_RDONLY) != 0 { return .logReadOnly }
                if fs.f_bavail == 0 { return .diskFull }
            }
        }
        return .logUnavailable("\(error)")
    }
}

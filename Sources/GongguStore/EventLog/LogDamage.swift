import Foundation

/// A log file that cannot be trusted: its hash chain is broken, SQLite's own structure is damaged, or
/// SQLite cannot read the file at all. Every case names the file, so an operator knows which one to
/// restore; descriptions are Chinese with the English beside, and never carry payloads.
public enum LogDamage: Error, Equatable, Sendable, CustomStringConvertible {
    /// The hash chain breaks at `seq` (an event altered, deleted, inserted or swapped after the fact).
    case chainBroken(path: String, seq: Int64, problem: ChainProblem)
    /// `PRAGMA quick_check` / `integrity_check` found damage; `findings` are SQLite's own lines, which
    /// name the damaged table or index (e.g. `row 7 missing from index events_id_block`).
    case structure(path: String, findings: [String])
    /// SQLite refused the file: `code` is `corrupt` (11), `cantOpen` (14), `notADatabase` (26) or an
    /// I/O error such as `ioErrorShortRead` (522, the file was cut short).
    case file(path: String, code: SQLiteResultCode, message: String)

    /// The damaged file.
    public var path: String {
        switch self {
        case let .chainBroken(path, _, _), let .structure(path, _), let .file(path, _, _): return path
        }
    }

    /// The first seq known to be bad (chain breaks only; structural damage has no seq).
    public var firstBadSeq: Int64? {
        if case let .chainBroken(_, seq, _) = self { return seq }
        return nil
    }

    /// What to do about it, for messages.
    static let remedy = "请停止服务，从最近的备份恢复该文件（gonggu restore，见 docs/OPERATIONS.md）"
    static let remedyEnglish = "stop the service and restore this file from the latest backup (gonggu restore, "
        + "see docs/OPERATIONS.md)"

    public var description: String {
        switch self {
        case let .chainBroken(path, seq, problem):
            return "日志哈希链断裂：\(path) 第 \(seq) 条起不可信（\(problem.chineseDescription)），\(Self.remedy) / "
                + "log hash chain broken: \(path), first bad seq \(seq): \(problem); \(Self.remedyEnglish)"
        case let .structure(path, findings):
            let shown = findings.prefix(3).joined(separator: "; ")
            return "日志文件结构损坏：\(path)（\(shown)），\(Self.remedy) / "
                + "log file structure damaged: \(path): \(shown); \(Self.remedyEnglish)"
        case let .file(path, code, message):
            let (zh, en) = Self.explain(code)
            return "\(zh)：\(path)，\(Self.remedy) / \(en): \(path) (SQLite \(code.rawValue): \(message)); "
                + Self.remedyEnglish
        }
    }

    private static func explain(_ code: SQLiteResultCode) -> (String, String) {
        if code == .ioErrorShortRead { return ("日志文件被截短", "log file cut short") }
        switch code.primary {
        case .corrupt: return ("日志文件已损坏", "log file damaged")
        case .notADatabase: return ("该文件不是 SQLite 数据库（已损坏或不是日志）", "not a database file (damaged, or not a log)")
        case .cantOpen: return ("无法打开日志文件（不存在、无权限或文件夹不可用）", "cannot open the log file (missing, no permission)")
        default: return ("读取日志文件时出错", "I/O error reading the log file")
        }
    }

    /// `error` as a `LogDamage` of the file at `path` when it is a SQLite error that means file
    /// damage (corrupt, not a database, cannot open, I/O errors other than a full or read-only disk);
    /// otherwise `error` unchanged.
    public static func classify(_ error: Error, path: String) -> Error {
        guard let e = error as? SQLiteError else { return error }
        switch e.code.primary {
        case .corrupt, .notADatabase, .cantOpen, .ioError:
            return LogDamage.file(path: path, code: e.code, message: e.message ?? "\(e.code)")
        default:
            return error
        }
    }
}

extension ChainProblem {
    /// The problem in Chinese, for operators.
    public var chineseDescription: String {
        switch self {
        case .hashMismatch: return "哈希不符，记录或其哈希被改动"
        case let .seqGap(found): return "序号缺失，下一条为第 \(found) 条，记录被删除"
        case let .malformedRow(reason): return "记录格式错误：\(reason)"
        case let .duplicateID(first): return "事件编号与第 \(first) 条重复"
        }
    }
}

/// Which of SQLite's own checks to run (see `EventLog.checkStructure`).
public enum StructureCheck: String, Sendable {
    /// `PRAGMA quick_check`: "does not verify UNIQUE constraints and does not verify that index content
    /// matches table content. By skipping UNIQUE and index consistency checks, quick_check is able to
    /// run faster." Every page is still read and its B-tree structure checked. For service start.
    case quick = "quick_check"
    /// `PRAGMA integrity_check`: also checks that every index matches its table. For `gonggu log verify`.
    case full = "integrity_check"
}

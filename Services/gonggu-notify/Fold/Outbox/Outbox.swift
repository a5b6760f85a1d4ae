import GongguCore
import GongguEvents

/// Daily outbox files for recipients without a live client: CSV (UTF-8 with BOM, Chinese headers,
/// RFC 4180, so Excel opens it as is) and JSON Lines (one wire notification message per line).
/// Pure functions: the edge writes the bytes to `<recipient>-<YYYY-MM-DD>.csv` / `.jsonl`.
public enum Outbox {
    /// The two file formats.
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case jsonl
    }

    /// One file to write.
    public struct File: Equatable, Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    /// CSV column headers, in order. The office keeps 通知编号 as it is, fills in 处理结果 (its note, optional)
    /// and 处理日期 (the day it handled the notification), and returns the file: `gonggu import FILE
    /// --kind receipt` acknowledges each filled-in row (docs/OPERATIONS.md, "The outbox round trip").
    public static let csvHeaders = [
        "通知编号", "类型", "性质", "区划代码", "户编号", "标题", "内容", "生成日期", "来源事件编号", "督办原通知编号",
        "问题编号", resultHeader, dateHeader,
    ]

    /// The column the office fills in with what it did (empty when written).
    public static let resultHeader = "处理结果"
    /// The column the office fills in with the day it handled the notification (empty when written).
    public static let dateHeader = "处理日期"

    /// UTF-8 byte order mark: without it Excel reads the file as the local code page and garbles Chinese.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `<recipient>-<YYYY-MM-DD>.<csv|jsonl>`. Recipient ids are restricted by the directory to
    /// letters, digits, `-`, `_`, `.` (no leading dot), so the name never leaves the outbox folder.
    public static func fileName(recipient: String, date: String, format: Format) -> String {
        "\(recipient)-\(date).\(format.rawValue)"
    }

    /// The CSV file: BOM, header line, one line per notification (处理结果 and 处理日期 empty), CRLF line ends.
    public static func csv(_ notifications: [NotificationCreated]) -> [UInt8] {
        var out = byteOrderMark
        appendRow(csvHeaders, to: &out)
        for n in notifications {
            appendRow(
                [
                    n.notificationID, NotifyEventTypes.label(n.sourceType),
                    n.kind == NotificationCreated.escalation ? "督办" : "通知", n.region, text(n.householdID),
                    text(n.title), text(n.summary), n.created, n.sourceEventID, n.escalationOf ?? "",
                    text(n.findingID ?? ""), "", "",
                ], to: &out)
        }
        return out
    }

    /// The JSON Lines file: each line the wire `notification` message (with its full source payload).
    public static func jsonLines(_ notifications: [NotificationCreated]) -> [UInt8] {
        var out: [UInt8] = []
        for n in notifications {
            out.append(contentsOf: RecipientMessage.notification(n).encoded())
            out.append(0x0A)
        }
        return out
    }

    /// Both files of `recipient` for business date `date`.
    public static func files(recipient: String, date: String, notifications: [NotificationCreated]) -> [File] {
        [
            File(name: fileName(recipient: recipient, date: date, format: .csv), bytes: csv(notifications)),
            File(name: fileName(recipient: recipient, date: date, format: .jsonl), bytes: jsonLines(notifications)),
        ]
    }

    /// One field quoted per RFC 4180: fields with a comma, quote, CR or LF are enclosed in quotes and
    /// quotes doubled.
    public static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Free text defused against spreadsheet formulas (OWASP CSV injection): a leading `=`, `+`, `-`,
    /// `@`, tab or CR gets an apostrophe, which Excel shows as text and does not evaluate.
    static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    private static func appendRow(_ fields: [String], to out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array(csvField(f).utf8))
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}

extension NotifyFold {
    /// The outbox of `recipient` for business date `date`: its unacknowledged notifications created
    /// on or before that date, as CSV and JSON Lines files.
    public func outbox(for recipient: String, date: String) -> [Outbox.File] {
        let items = pending(for: recipient).filter { $0.created <= date }
        return Outbox.files(recipient: recipient, date: date, notifications: items)
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation in the pure modules).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}

/// Why one value or record was refused: a stable code and a Chinese explanation of what is wrong
/// and how to fix it. `field` is the header as written in the file; the line prefix is added when
/// the `RecordRejected` payload is made. Never carries an ID number.
public struct Rejection: Error, Equatable, Sendable {
    /// Stable machine code, e.g. `id.checksum`.
    public let code: String
    /// Header of the field at fault as written in the file, or empty for whole-record problems.
    public var field: String
    /// Chinese text: what is wrong and how to fix it (without the line/field prefix).
    public let reason: String

    public init(_ code: String, field: String = "", _ reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    /// The full Chinese reason naming line and field, as stored in `RecordRejected.reason`.
    public func message(line: Int) -> String {
        let place = line > 0 ? "第\(line)行" : "提交的记录"
        return field.isEmpty ? "\(place)：\(reason)" : "\(place)「\(field)」：\(reason)"
    }

    /// The full Chinese reason for a workbook row: sheet, row, field and cell (`B17`), when known.
    public func message(sheet: String, line: Int, cell: String?) -> String {
        let place = "工作表“\(sheet)”第\(line)行"
        guard !field.isEmpty else { return "\(place)：\(reason)" }
        return cell.map { "\(place)「\(field)」（单元格\($0)）：\(reason)" } ?? "\(place)「\(field)」：\(reason)"
    }
}

/// The advice repeated by every Excel-damage message.
enum ExcelAdvice {
    static let textColumn =
        "请在 Excel 中把该列设置为“文本”格式（或在数字前加英文单引号），从原始数据重新填入后再另存为 CSV；不要直接保存被 Excel 改动过的数字。"
}

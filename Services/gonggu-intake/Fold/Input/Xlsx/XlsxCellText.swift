/// A workbook cell as the text a CSV export would hold, so workbook rows pass the same field
/// validation as CSV records.
///
/// Numbers are where Excel damages identifiers. An integer with at most 15 digits (what Excel keeps
/// exactly) becomes its digit text: a household number `1001`, a region code `222401100201`. A
/// longer integer has already lost digits in the double that stores it (an 18-digit resident ID
/// keeps ~16), so it becomes Excel's scientific form (`2.20102E+17`), which every identifier field
/// refuses with the same reason as for a CSV export; a code that lost its leading zeros is refused
/// as in CSV, by its length.
enum XlsxCellText {
    static func text(_ value: XlsxValue) -> String {
        switch value {
        case .text(let s): return s
        case .boolean(let b): return b ? "1" : "0"
        case .date(let d): return d
        case .error(let e): return e
        case .number(let raw): return number(raw)
        }
    }

    /// The text of a number cell's `<v>`.
    static func number(_ raw: String) -> String {
        guard let v = Double(raw), v.isFinite else { return raw }
        let magnitude = Swift.abs(v)
        if v == v.rounded(.towardZero) {
            if magnitude < 1e15 { return String(Int64(v)) }
            return scientific(v)
        }
        return raw.contains("E") || raw.contains("e") ? String(v) : raw
    }

    /// Excel's General display of a large integer: up to 6 significant digits (`2.20102E+17`).
    static func scientific(_ v: Double) -> String {
        var exponent = 0
        var m = Swift.abs(v)
        while m >= 10 {
            m /= 10
            exponent += 1
        }
        var digits = String(Int64((m * 100_000).rounded()))
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
        return (v < 0 ? "-" : "") + mantissa + "E+" + String(exponent)
    }
}

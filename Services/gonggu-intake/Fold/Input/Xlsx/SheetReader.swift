/// One cell's value as the sheet stores it (ECMA-376 §18.3.1.4, `c@t`).
public enum XlsxValue: Equatable, Sendable {
    /// A shared (`t="s"`), inline (`t="inlineStr"`) or formula (`t="str"`) string.
    case text(String)
    /// A number as written in `<v>` (also a formula's cached number).
    case number(String)
    /// `t="b"`.
    case boolean(Bool)
    /// A number shown with a date format, or `t="d"`: `YYYY-MM-DD` (Excel's fictitious 1900-02-29
    /// stays as written, and is refused by date validation).
    case date(String)
    /// `t="e"`: `#N/A`, `#VALUE!` …
    case error(String)
}

/// A cell with a value; empty cells are not listed.
public struct XlsxCell: Equatable, Sendable {
    /// Zero-based column (A = 0).
    public let column: Int
    public let value: XlsxValue
}

/// A row as the sheet numbers it (1-based), with its cells in column order.
public struct XlsxRow: Equatable, Sendable {
    public let number: Int
    public let cells: [XlsxCell]
}

/// Reads `xl/worksheets/sheetN.xml` (`<sheetData><row><c><v>|<is><t>`) into rows as the scanner
/// hears them: each finished row is appended to `rows`, which the caller takes and empties between
/// pieces, so only the rows of one piece are held. Attributes and values are read as bytes.
struct SheetReader: XMLScanner.Delegate {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    /// Rows finished and not yet taken.
    var rows: [XlsxRow] = []
    /// A shared-string index beyond the table, if one was met.
    private(set) var missingSharedString: Int?

    private enum CellType { case number, shared, inline, formula, boolean, error, date }

    private var rowNumber = 0
    private var cells: [XlsxCell] = []
    private var column = -1
    private var type = CellType.number
    private var style = 0
    private var inCell = false, inValue = false, inInline = false, inText = false, inPhonetic = false
    private var value: [UInt8] = []

    init(sharedStrings: [String], dateStyles: [Bool], date1904: Bool) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    mutating func start(_ name: XMLName, _ a: XMLAttributes) {
        switch name {
        case "c":
            // One pass over the attributes (r, t, s), the hot path of a sheet.
            var r: Int?
            var t = CellType.number
            var s = 0
            a.forEach { name, v in
                guard name.bytes.count == 1 else { return }
                switch name.bytes[0] {
                case UInt8(ascii: "r"): r = Self.reference(v)?.column
                case UInt8(ascii: "t"): t = Self.cellType(v)
                case UInt8(ascii: "s"): s = Self.number(v) ?? 0
                default: break
                }
            }
            column = r ?? column + 1
            type = t
            style = s
            value.removeAll(keepingCapacity: true)
            inCell = true
        case "v": inValue = true
        case "row":
            rowNumber = a.int("r") ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            column = -1
            inCell = false
        case "is": inInline = true
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    mutating func end(_ name: XMLName) {
        switch name {
        case "v": inValue = false
        case "c":
            // A value is a cell's only inside `<c>…</c>` (a stray `</c>` or `<v>` is ignored).
            if inCell, let v = cellValue() { cells.append(XlsxCell(column: column, value: v)) }
            inCell = false
        case "row": rows.append(XlsxRow(number: rowNumber, cells: cells))
        case "is": inInline = false
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inValue || (inInline && inText && !inPhonetic) { value.append(contentsOf: bytes) }
    }

    /// A non-negative decimal integer of at most 18 digits.
    private static func number(_ v: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !v.isEmpty, v.count <= 18 else { return nil }
        var n = 0
        for c in v {
            guard c >= 48, c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }

    private static func cellType(_ t: UnsafeBufferPointer<UInt8>) -> CellType {
        let name = XMLName(t)
        switch name {
        case "s": return .shared
        case "inlineStr": return .inline
        case "str": return .formula
        case "b": return .boolean
        case "e": return .error
        case "d": return .date
        default: return .number
        }
    }

    /// The value bytes without leading and trailing ASCII blanks.
    private func trimmedRange() -> Range<Int> {
        var s = 0, e = value.count
        while s < e, XMLScanner.isSpace(value[s]) { s += 1 }
        while e > s, XMLScanner.isSpace(value[e - 1]) { e -= 1 }
        return s..<e
    }

    private mutating func cellValue() -> XlsxValue? {
        switch type {
        case .shared:
            let r = trimmedRange()
            guard !r.isEmpty, r.count <= 18 else { return nil }
            var i = 0
            for k in r {
                let c = value[k]
                guard c >= 48, c <= 57 else { return nil }
                i = i * 10 + Int(c - 48)
            }
            guard i < sharedStrings.count else {
                missingSharedString = missingSharedString ?? i
                return nil
            }
            return sharedStrings[i].isEmpty ? nil : .text(sharedStrings[i])
        case .inline, .formula:
            return value.isEmpty ? nil : .text(String(decoding: value, as: UTF8.self))
        case .boolean:
            let r = trimmedRange()
            let t = value[r]
            return .boolean(t.elementsEqual("1".utf8) || t.elementsEqual("true".utf8))
        case .error:
            return .error(String(decoding: value, as: UTF8.self))
        case .date:
            return value.isEmpty ? nil : .date(String(decoding: value.prefix(10), as: UTF8.self))
        case .number:
            let r = trimmedRange()
            guard !r.isEmpty else { return nil }
            let t = String(decoding: value[r], as: UTF8.self)
            if style < dateStyles.count, dateStyles[style], let serial = Double(t), serial >= 1,
                let date = Self.date(serial: serial, date1904: date1904)
            {
                return .date(date)
            }
            return .number(t)
        }
    }

    /// `YYYY-MM-DD` of an Excel serial day (the time of day is dropped). In the 1900 system day 1 is
    /// 1900-01-01 and day 60 is Excel's fictitious 1900-02-29 (kept for Lotus 1-2-3 compatibility);
    /// in the 1904 system day 0 is 1904-01-01.
    static func date(serial: Double, date1904: Bool) -> String? {
        guard serial < 2_958_466 else { return nil }  // after 9999-12-31
        let whole = Int(serial.rounded(.down))
        if !date1904, whole == 60 { return "1900-02-29" }
        // Days since 1970-01-01: 1899-12-30 is −25569; before day 60 the fictitious day is not counted.
        let days = date1904 ? whole - 24107 : (whole < 60 ? whole - 25568 : whole - 25569)
        let (y, m, d) = CivilDate.date(days: days)
        return CivilDate.format(y, m, d)
    }

    /// A cell reference (`B17`, `$AB$3`) as a zero-based column and a 1-based row.
    static func reference(_ r: String) -> (column: Int, row: Int)? {
        var r = r
        return r.withUTF8 { reference($0) }
    }

    /// A cell reference given as bytes.
    static func reference(_ r: UnsafeBufferPointer<UInt8>) -> (column: Int, row: Int)? {
        var column = 0, row = 0, letters = 0
        for u in r where u != UInt8(ascii: "$") {
            if u >= 65, u <= 90, row == 0, letters < 4 {
                column = column * 26 + Int(u - 64)
                letters += 1
            } else if u >= 48, u <= 57, row < 1 << 40 {
                row = row * 10 + Int(u - 48)
            } else {
                return nil
            }
        }
        guard letters > 0, letters <= 3 else { return nil }
        return (column - 1, row)
    }
}

/// Spreadsheet column names, as the reader reports cells and the simulator's writer names them.
public enum XlsxColumn {
    /// Column letters of a zero-based column (0 → A, 27 → AB).
    public static func letters(_ column: Int) -> String {
        var n = column + 1
        var s: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            s.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(s)
    }
}

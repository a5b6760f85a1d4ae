import GongguCore

/// CSV files for Excel: UTF-8 with a byte-order mark (so Excel detects the encoding), CRLF line ends,
/// Chinese headers, fields quoted when needed. Resident IDs in case lists are masked.
enum CSVRenderer {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func file(headers: [String], rows: [[String]]) -> [UInt8] {
        var out = CSVBytes()
        out.line(headers)
        for r in rows { out.line(r) }
        return out.bytes
    }

    static let caseHeaders = ["指标", "单位", "区划代码", "户编号", "身份证号（脱敏）", "日期", "天数", "说明", "事件编号"]

    /// The case list of one indicator: one line per household, person, finding or notification.
    static func cases(_ indicator: Indicator, _ list: [Case]) -> [UInt8] {
        var out = CSVBytes()
        out.bytes.reserveCapacity(list.count * 160)
        out.line(caseHeaders)
        // The first two fields are the same on every line: rendered once.
        var first = CSVBytes()
        first.field(indicator.label)
        first.field(indicator.unit)
        let prefix = Array(first.bytes.dropFirst(bom.count))
        for c in list {
            out.startLine(with: prefix)
            out.field(c.region)
            out.field(c.householdID)
            out.field(c.personID.map(PersonalDataMask.maskID) ?? "")
            out.field(c.date)
            out.field(c.days.map(String.init) ?? "")
            out.field(c.detail)
            out.separate()
            for (k, e) in c.events.enumerated() {
                if k > 0 { out.bytes.append(0x20) }
                out.hex(e)
            }
            out.endLine()
        }
        return out.bytes
    }

    /// File name of an indicator's case list.
    static func caseFile(_ indicator: Indicator) -> String { "明细-\(indicator.id).csv" }
}

/// A CSV file being written as UTF-8 bytes (with the BOM): fields are scanned and copied as bytes, so
/// case lists of a million lines stay cheap.
struct CSVBytes {
    var bytes: [UInt8] = CSVRenderer.bom
    private var atLineStart = true

    mutating func line(_ fields: [String]) {
        for f in fields { field(f) }
        endLine()
    }

    /// Starts a line with fields already rendered (by `field`, from the start of a line).
    mutating func startLine(with fields: [UInt8]) {
        bytes.append(contentsOf: fields)
        atLineStart = false
    }

    /// Writes the separator before a field (none at the start of a line).
    mutating func separate() {
        if !atLineStart { bytes.append(UInt8(ascii: ",")) }
        atLineStart = false
    }

    /// Appends one field, quoted when it holds a comma, quote or line break. A leading `=`, `+`, `@`, or
    /// `-` not followed by digits, would make Excel evaluate the cell: it gets a `'` prefix.
    mutating func field(_ s: String) {
        // Native strings are contiguous UTF-8: scanned and copied in one piece when nothing is special.
        let plain: Bool? = s.utf8.withContiguousStorageIfAvailable { u in
            if let f = u.first, f == 0x3D || f == 0x2B || f == 0x40 || f == 0x2D { return false }
            for b in u where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return false }
            separate()
            bytes.append(contentsOf: u)
            return true
        }
        if plain == true { return }
        separate()
        if let f = s.utf8.first, f == 0x3D || f == 0x2B || f == 0x40
            || (f == 0x2D && s.utf8.count > 1 && !s.utf8.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        {
            CSVField.append(("'" + s).utf8, to: &bytes)
        } else {
            CSVField.append(s.utf8, to: &bytes)
        }
    }

    /// Appends an event id as 32 lowercase hex digits.
    mutating func hex(_ id: EventID) {
        for half in [id.high, id.low] {
            for shift in stride(from: 60, through: 0, by: -4) {
                bytes.append(Self.hexDigits[Int(half >> UInt64(shift) & 0xF)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func endLine() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        atLineStart = true
    }
}

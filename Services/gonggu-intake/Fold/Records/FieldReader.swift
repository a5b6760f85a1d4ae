import GongguCore

/// Typed, validated access to the fields of one record. Values are UTF-8 byte ranges in the
/// parser's buffer (no string per field unless the payload needs one). Every getter names the
/// field, as headed in the file, in the rejection it throws.
///
/// Every value a builder reads is also noted, normalised, in `content` (slot, length, bytes):
/// the payload is a function of exactly these values, so their hash is the record's fingerprint
/// whatever the spelling, column order, encoding, file or line.
struct FieldReader {
    let base: UnsafePointer<UInt8>
    /// Per slot: value range in `base`, or start < 0 when the field is absent.
    let starts: [Int]
    let ends: [Int]
    /// Per slot: the header as written in the file (or the JSON key), else the preferred Chinese name.
    let headers: [String]
    /// Per slot: whether the field is required (precomputed: building a `FieldSpec` allocates).
    let required: [Bool]
    let policy: RegionPolicy
    var scratch: [UInt8] = []
    /// Normalised values read so far, for the fingerprint.
    var content: [UInt8] = []
    /// The notifier's answer about a notification a receipt names (`IntakeContext.receiptLookup`).
    var receipts: ReceiptLookup?
    /// Business day (China calendar) the import was received: receipts may not be dated later.
    var receivedDay = Int.max

    @inline(__always) func raw(_ slot: Int) -> Bytes {
        let s = starts[slot]
        guard s >= 0 else { return Bytes(start: base, count: 0) }
        return Bytes(start: base + s, count: ends[slot] - s)
    }

    /// The trimmed value, or nil when absent or blank.
    @inline(__always) func value(_ slot: Int) -> Bytes? {
        let v = ByteText.trim(raw(slot))
        return v.isEmpty ? nil : v
    }

    func header(_ slot: Int) -> String { headers[slot] }

    private func missing(_ slot: Int) -> Rejection {
        Rejection("value.missing", field: headers[slot], "必填项为空。请填写后重新报送。")
    }

    /// The trimmed value of a field that must not be blank (the caller notes its normalised form).
    func required<F: KindField>(_ f: F) throws(Rejection) -> Bytes {
        guard let v = value(f.rawValue) else { throw missing(f.rawValue) }
        return v
    }

    // MARK: Fingerprint content

    /// Notes a normalised value: slot, 16-bit length, bytes.
    mutating func note<C: Collection>(_ slot: Int, _ bytes: C) where C.Element == UInt8 {
        let n = min(bytes.count, 0xFFFF)
        content.append(UInt8(truncatingIfNeeded: slot))
        content.append(UInt8(truncatingIfNeeded: n >> 8))
        content.append(UInt8(truncatingIfNeeded: n))
        content.append(contentsOf: bytes.prefix(n))
    }

    mutating func note(_ slot: Int, _ string: String) {
        var s = string
        s.withUTF8 { note(slot, $0) }
    }

    mutating func note(_ slot: Int, int: Int) {
        var digits: [UInt8] = []
        swap(&digits, &scratch)
        digits.removeAll(keepingCapacity: true)
        appendDecimal(int, to: &digits)
        if int < 0 { digits.insert(UInt8(ascii: "-"), at: 0) }
        note(slot, digits)
        swap(&digits, &scratch)
    }

    /// Runs a validator on a present value, naming the field in its rejection; nil when blank and
    /// optional.
    @inline(__always)
    private func check<T>(_ slot: Int, _ body: (Bytes) throws(Rejection) -> T) throws(Rejection) -> T? {
        guard let v = value(slot) else {
            if required[slot] { throw missing(slot) }
            return nil
        }
        do {
            return try body(v)
        } catch {
            var e = error
            e.field = headers[slot]
            throw e
        }
    }

    // MARK: Typed getters

    mutating func text<F: KindField>(_ f: F, maxCharacters: Int = 200) throws(Rejection) -> String {
        let s = try check(f.rawValue) { v throws(Rejection) in
            let s = ByteText.string(v)
            if v.count > maxCharacters, s.count > maxCharacters {
                throw Rejection("text.too_long", "内容过长（超过\(maxCharacters)个字）。请精简后重新填写。")
            }
            return s
        }
        guard let s else { return "" }
        note(f.rawValue, s)
        return s
    }

    mutating func optionalText<F: KindField>(_ f: F, maxCharacters: Int = 200) throws(Rejection) -> String? {
        let s = try text(f, maxCharacters: maxCharacters)
        return s.isEmpty ? nil : s
    }

    /// An identifier of a household, project or document: trimmed, apostrophe removed, full-width
    /// digits made ASCII; scientific notation is refused (Excel already lost digits).
    mutating func key<F: KindField>(_ f: F) throws(Rejection) -> String {
        let slot = f.rawValue
        guard let v = value(slot) else { throw missing(slot) }
        ByteText.cleanCode(v, into: &scratch)
        if ByteText.isScientific(scratch) {
            throw Rejection(
                "key.excel_scientific", field: headers[slot],
                "编号被 Excel 显示成了科学计数法，后几位数字已经丢失。" + ExcelAdvice.textColumn)
        }
        guard scratch.count <= 64 else {
            throw Rejection("key.too_long", field: headers[slot], "编号过长（超过64个字符）。请核对后重新填写。")
        }
        note(slot, scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    mutating func personID<F: KindField>(_ f: F) throws(Rejection) -> ResidentID? {
        let slot = f.rawValue
        guard let v = value(slot) else {
            if required[slot] { throw missing(slot) }
            return nil
        }
        let id: ResidentID
        do {
            id = try ResidentID.parse(v, scratch: &scratch)
        } catch {
            var e = error
            e.field = headers[slot]
            throw e
        }
        // The converted flag is part of the payload, so of the fingerprint.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: id.value.utf8)
        scratch.append(id.converted ? 1 : 0)
        note(slot, scratch)
        return id
    }

    /// A 12-digit region code in the configured area; with `prefixAllowed`, a jurisdiction prefix
    /// of 2, 4, 6 or 9 digits is accepted too.
    mutating func region<F: KindField>(_ f: F, prefixAllowed: Bool = false) throws(Rejection) -> String? {
        let slot = f.rawValue
        guard let v = value(slot) else {
            if required[slot] { throw missing(slot) }
            return nil
        }
        ByteText.cleanCode(v, into: &scratch)
        let field = headers[slot]
        if ByteText.isScientific(scratch) {
            throw Rejection(
                "region.excel_scientific", field: field,
                "区划代码被 Excel 显示成了科学计数法，数字已经丢失。" + ExcelAdvice.textColumn)
        }
        guard ByteText.allDigits(scratch) else {
            throw Rejection("region.characters", field: field, "区划代码只能由数字组成。请填写12位统计用区划代码。")
        }
        let okLength = scratch.count == 12 || (prefixAllowed && [2, 4, 6, 9].contains(scratch.count))
        guard okLength else {
            throw Rejection(
                "region.length", field: field,
                "区划代码应为12位统计用区划代码（省2位+市2位+县2位+乡镇3位+村3位），实际为\(scratch.count)位。"
                    + "请补全到村级代码；如前面的0丢失，请把该列设置为文本格式后重新填写。")
        }
        let code = String(decoding: scratch, as: UTF8.self)
        guard policy.allows(code) else {
            throw Rejection(
                "region.province", field: field,
                "区划代码不属于本系统配置的省份或地区（\(policy.provincePrefixes.joined(separator: "、"))）。请核对区划代码。")
        }
        note(slot, scratch)
        return code
    }

    mutating func date<F: KindField>(_ f: F) throws(Rejection) -> DayText? { try day(f, DateText.date) }
    mutating func month<F: KindField>(_ f: F) throws(Rejection) -> DayText? { try day(f, DateText.month) }
    mutating func year<F: KindField>(_ f: F) throws(Rejection) -> Int? { try number(f, NumberText.year) }
    mutating func fen<F: KindField>(_ f: F) throws(Rejection) -> Int? { try number(f, NumberText.fen) }
    mutating func count<F: KindField>(_ f: F) throws(Rejection) -> Int? { try number(f, NumberText.count) }

    /// A date or month `parse` reads, noted as its text (`YYYY-MM-DD`, `YYYY-MM`).
    @inline(__always)
    private mutating func day<F: KindField>(_ f: F, _ parse: (Bytes) throws(Rejection) -> DayText)
        throws(Rejection) -> DayText?
    {
        let d = try check(f.rawValue, parse)
        if let d { note(f.rawValue, d.text) }
        return d
    }

    /// A whole number `parse` reads (year, amount in fen, count), noted as its decimal digits.
    @inline(__always)
    private mutating func number<F: KindField>(_ f: F, _ parse: (Bytes) throws(Rejection) -> Int)
        throws(Rejection) -> Int?
    {
        let n = try check(f.rawValue, parse)
        if let n { note(f.rawValue, int: n) }
        return n
    }

    mutating func choice<F: KindField, V>(_ f: F, _ table: EnumTable<V>) throws(Rejection) -> V? {
        let e = try check(f.rawValue) { v throws(Rejection) in
            guard let entry = table.entry(v) else {
                throw Rejection("enum.invalid", "填写的“\(Self.shown(v))”不是可识别的取值。可填写：\(table.allowed)。")
            }
            return entry
        }
        guard let e else { return nil }
        note(f.rawValue, CollectionOfOne(e.1))
        return e.0
    }

    /// A yes/no flag; blank means no unless the field is required.
    mutating func flag<F: KindField>(_ f: F) throws(Rejection) -> Bool {
        let b = try check(f.rawValue) { v throws(Rejection) in
            guard let value = Enums.flag.lookup(v) else {
                throw Rejection("flag.invalid", "填写的“\(Self.shown(v))”不是“是”或“否”。可填写：\(Enums.flag.allowed)。")
            }
            return value
        } ?? false
        // Blank and "no" give the same payload, so the same content.
        if b { note(f.rawValue, CollectionOfOne(UInt8(1))) }
        return b
    }

    /// A list of enumeration values separated by 、 , ， ; ； | or spaces.
    mutating func list<F: KindField>(_ f: F, _ table: EnumTable<String>) throws(Rejection) -> [String] {
        let values: [String] = try check(f.rawValue) { v throws(Rejection) -> [String] in
            var out: [String] = []
            let text = ByteText.string(v)
            let parts = text.split(whereSeparator: { "、,，;；| ".contains($0) })
            for part in parts {
                var p = String(part)
                let found = p.withUTF8 { table.lookup($0) }
                guard let value = found else {
                    throw Rejection(
                        "enum.invalid",
                        "填写的“\(Self.shown(Array(part.utf8)))”不是可识别的取值。可填写：\(table.allowed)，多项用“、”分隔。")
                }
                if !out.contains(value) { out.append(value) }
            }
            return out
        } ?? []
        if !values.isEmpty { note(f.rawValue, values.joined(separator: ",")) }
        return values
    }

    /// A value quoted back in a message: short, and never a long digit run (could be an ID).
    static func shown<C: Collection>(_ v: C) -> String where C.Element == UInt8 {
        PersonalDataMask.maskText(String(String(decoding: Array(v), as: UTF8.self).prefix(20)))
    }
}

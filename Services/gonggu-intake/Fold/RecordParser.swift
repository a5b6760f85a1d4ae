import GongguCore
import GongguEvents

/// Turns the records of one kind, from one source, into outcomes. Format-neutral: the CSV and
/// JSON Lines readers hand it field values; `parseJSONRecord` serves single records submitted
/// over the network.
public struct RecordParser {
    public let context: IntakeContext
    /// The fields of the kind, in slot order.
    public let fields: [FieldSpec]
    /// Normalised header name → slot.
    private let aliases: [String: Int]
    private let regionSlot: Int?
    private let required: [Bool]
    /// Per slot: free text (`FieldSpec.freeText`).
    private let freeText: [Bool]
    /// Per CSV column: its slot, or −1 for an ignored column.
    private var columnSlots: [Int] = []
    /// Per slot: header as written in the file, else the preferred Chinese name.
    private var slotHeaders: [String]
    private var starts: [Int]
    private var ends: [Int]
    /// `{"file":"<source>","line":` — the start of every spliced source object.
    private let sourceHead: [UInt8]
    private let kindBytes: [UInt8]
    /// JSON key → slot (−1 unknown), cached across records.
    private var keyCache: [String: Int] = [:]
    private var scratch: [UInt8] = []
    private var content: [UInt8] = []
    /// For a workbook: the sheet's name and, per slot, its zero-based column (−1 absent), so a
    /// rejection names the cell.
    var sheet: (name: String, columns: [Int])?
    /// Version byte, kind, 0x1F: starts every fingerprint's content.
    private let fingerprintHead: [UInt8]

    /// Version of the fingerprint scheme, its first byte; a new scheme (other normalisation) must
    /// change it.
    public static let fingerprintVersion: UInt8 = 1

    /// Largest raw record text kept in a rejection (characters beyond are cut, with a note).
    static let maxRawBytes = 64 * 1024

    public init(context: IntakeContext) {
        self.context = context
        fields = context.kind.fields
        var map: [String: Int] = [:]
        for (slot, spec) in fields.enumerated() {
            for name in spec.allNames { map[HeaderName.normalise(name)] = slot }
        }
        aliases = map
        regionSlot = fields.firstIndex { $0.name == "region" }
        required = fields.map(\.required)
        freeText = fields.map(\.freeText)
        slotHeaders = fields.map(\.chinese)
        starts = [Int](repeating: -1, count: fields.count)
        ends = starts
        var w = JSONWriter()
        w.beginObject()
        w.field("file", context.source)
        w.key("line")
        sourceHead = w.bytes
        kindBytes = Array(context.kind.rawValue.utf8)
        scratch.reserveCapacity(64)
        content.reserveCapacity(512)
        fingerprintHead = [Self.fingerprintVersion] + kindBytes + [0x1F]
    }

    /// The slot a header (or JSON key) names, if any.
    public func slot(forHeader header: String) -> Int? { aliases[HeaderName.normalise(header)] }

    // MARK: CSV

    /// Binds the CSV header. Unknown columns are ignored; a column naming a field twice or a
    /// missing required column refuses the whole file.
    mutating func bindHeader(_ headers: [String]) throws(IntakeFileError) {
        columnSlots = []
        var seen = [Int](repeating: -1, count: fields.count)
        for (col, header) in headers.enumerated() {
            let trimmed = HeaderName.trimmed(header)
            guard let slot = aliases[HeaderName.normalise(header)] else {
                columnSlots.append(-1)
                continue
            }
            if seen[slot] >= 0 {
                throw IntakeFileError(
                    .duplicateColumn,
                    "表头中“\(slotHeaders[slot])”和“\(trimmed)”都表示\(fields[slot].chinese)（\(fields[slot].name)），"
                        + "无法确定使用哪一列。请删除多余的一列后重新导入。", line: 1)
            }
            seen[slot] = col
            slotHeaders[slot] = trimmed
            columnSlots.append(slot)
        }
        let missing = fields.indices.filter { fields[$0].required && seen[$0] < 0 }
        if !missing.isEmpty {
            let names = missing.map { "\(fields[$0].chinese)（\(fields[$0].name)）" }.joined(separator: "、")
            throw IntakeFileError(
                .missingColumns,
                "文件缺少必需的列：\(names)。请在表头（第1行）加入这些列后重新导入；列名可用中文或英文，"
                    + "可用的列名见导入说明。整个文件未导入。", line: 1)
        }
    }

    /// The outcome of one CSV record: `data` holds the unescaped field values back to back,
    /// `fieldEnds` where each ends.
    mutating func csvOutcome(
        data: UnsafeBufferPointer<UInt8>, fieldEnds: [Int], line: Int, raw: () -> String
    ) -> IntakeOutcome {
        for s in starts.indices { starts[s] = -1 }
        var start = 0
        let n = min(fieldEnds.count, columnSlots.count)
        for col in 0..<n {
            let slot = columnSlots[col]
            if slot >= 0 {
                starts[slot] = start
                ends[slot] = fieldEnds[col]
            }
            start = fieldEnds[col]
        }
        if fieldEnds.count > columnSlots.count {
            let extraStart = fieldEnds[columnSlots.count - 1]
            let extras = ByteText.trim(UnsafeBufferPointer(rebasing: data[extraStart..<data.count]))
            if !extras.isEmpty {
                let rejection = Rejection(
                    "record.columns",
                    "本行有\(fieldEnds.count)列，比表头多\(fieldEnds.count - columnSlots.count)列，"
                        + "通常是某个值里含有英文逗号却没有加引号。请检查该行，或用 Excel 重新另存为 CSV。")
                return reject(rejection, line: line, raw: raw(), base: data.baseAddress)
            }
        }
        return finish(base: data.baseAddress, line: line, raw: raw)
    }

    // MARK: JSON

    /// The outcome of one JSON object (one line of a JSON Lines file, or one network submission).
    /// `overrides` replace or add fields by canonical name (e.g. the authenticated `bureau` of a
    /// decision), whatever the object says.
    public mutating func parseJSONRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, line: Int, overrides: [String: String] = [:]
    ) -> IntakeOutcome {
        var keys: [String] = []
        var values: [UInt8] = []
        var valueEnds: [Int] = []
        values.reserveCapacity(bytes.count + 64)
        let raw = { String(decoding: bytes, as: UTF8.self) }
        do throws(Rejection) {
            try FlatJSON.parse(bytes, keys: &keys, values: &values, ends: &valueEnds)
        } catch {
            return reject(error, line: line, raw: raw(), base: nil)
        }
        for s in starts.indices {
            starts[s] = -1
            slotHeaders[s] = fields[s].chinese
        }
        var start = 0
        for (i, key) in keys.enumerated() {
            defer { start = valueEnds[i] }
            let slot: Int
            if let cached = keyCache[key] {
                slot = cached
            } else {
                slot = aliases[HeaderName.normalise(key)] ?? -1
                if keyCache.count < 1024 { keyCache[key] = slot }
            }
            guard slot >= 0 else { continue }
            if starts[slot] >= 0 {
                let rejection = Rejection(
                    "json.duplicate_field", field: key,
                    "与“\(slotHeaders[slot])”重复，都表示\(fields[slot].chinese)（\(fields[slot].name)）。请只保留一个。")
                return reject(rejection, line: line, raw: raw(), base: nil)
            }
            starts[slot] = start
            ends[slot] = valueEnds[i]
            slotHeaders[slot] = key
        }
        for (name, value) in overrides {
            guard let slot = fields.firstIndex(where: { $0.name == name }) else { continue }
            starts[slot] = values.count
            values.append(contentsOf: Array(value.utf8))
            ends[slot] = values.count
        }
        return values.withUnsafeBufferPointer { v in finish(base: v.baseAddress, line: line, raw: raw) }
    }

    /// Parses one JSON record submitted over the network.
    public static func parseJSONRecord(
        _ bytes: [UInt8], context: IntakeContext, line: Int = 1, overrides: [String: String] = [:]
    ) -> IntakeOutcome {
        var parser = RecordParser(context: context)
        return bytes.withUnsafeBufferPointer { parser.parseJSONRecord($0, line: line, overrides: overrides) }
    }

    // MARK: Outcomes

    private mutating func finish(base: UnsafePointer<UInt8>?, line: Int, raw: () -> String) -> IntakeOutcome {
        var empty: UInt8 = 0
        return withUnsafePointer(to: &empty) { fallback in
            var reader = FieldReader(
                base: base ?? fallback, starts: starts, ends: ends, headers: slotHeaders, required: required,
                policy: context.regionPolicy)
            // Lend the buffers (swap, not copy, so their capacity is reused without copy-on-write).
            swap(&reader.scratch, &scratch)
            swap(&reader.content, &content)
            defer {
                swap(&reader.scratch, &scratch)
                swap(&reader.content, &content)
            }
            reader.content.removeAll(keepingCapacity: true)
            if context.kind == .receipt {
                reader.receipts = context.receiptLookup
                reader.receivedDay = BusinessCalendar.day(of: context.receivedAt)
            }
            reader.content.append(contentsOf: fingerprintHead)
            do throws(Rejection) {
                try checkCharacters(reader)
                var built = try FactBuilders.build(context.kind, &reader)
                return accept(&built, content: reader.content, line: line)
            } catch {
                return reject(error, line: line, raw: raw(), base: base ?? fallback)
            }
        }
    }

    /// Refuses a control or invisible character in any present field, before a builder reads it
    /// (`ValueCharacters`): every field, also those the kind only notes, names it the same way.
    private func checkCharacters(_ reader: FieldReader) throws(Rejection) {
        for slot in starts.indices where starts[slot] >= 0 {
            guard let v = reader.value(slot), var rejection = ValueCharacters.check(v, freeText: freeText[slot]) else {
                continue
            }
            rejection.field = slotHeaders[slot]
            throw rejection
        }
    }

    private func accept(_ b: inout BuiltFact, content: [UInt8], line: Int) -> IntakeOutcome {
        var hasher = SHA256(compressor: context.compressor)
        content.withUnsafeBytes { hasher.update(raw: $0) }
        let fingerprint = hasher.finalize()
        var payload: [UInt8] = []
        swap(&payload, &b.payloadPrefix)
        payload.append(contentsOf: sourceHead)
        appendDecimal(line, to: &payload)
        payload.append(UInt8(ascii: "}"))
        payload.append(UInt8(ascii: "}"))
        let event = Event(
            id: Self.eventID(fingerprint), type: b.type, version: b.version, subject: b.subject, region: b.region,
            occurredAt: CivilDate.chinaMidnight(days: b.days), correlation: context.importID, payload: payload)
        return .accepted(event, fingerprint: fingerprint, correctionKey: b.correctionKey)
    }

    /// The event id of an accepted record: the first 16 bytes of its fingerprint (what
    /// `EventID(bytes:)` computes, without its generic per-byte iteration on the hot path).
    static func eventID(_ fingerprint: [UInt8]) -> EventID {
        fingerprint.withUnsafeBytes { raw in
            EventID(
                high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// A rejection event. Its region is the record's own when that is readable, so it reaches the
    /// right county; otherwise the policy's default region.
    func reject(_ r: Rejection, line: Int, raw: String, base: UnsafePointer<UInt8>?) -> IntakeOutcome {
        var region = context.regionPolicy.defaultRegion
        if let base, let slot = regionSlot, starts[slot] >= 0 {
            let reader = FieldReader(
                base: base, starts: starts, ends: ends, headers: slotHeaders, required: required,
                policy: context.regionPolicy)
            var scratch: [UInt8] = []
            let v = reader.raw(slot)
            ByteText.cleanCode(v, into: &scratch)
            let code = String(decoding: scratch, as: UTF8.self)
            if scratch.count == 12, ByteText.allDigits(scratch), context.regionPolicy.allows(code) { region = code }
        }
        var kept = raw
        if raw.utf8.count > Self.maxRawBytes {
            kept = String(decoding: Array(raw.utf8.prefix(Self.maxRawBytes)), as: UTF8.self) + "…（以下省略）"
        }
        let payload = RecordRejected(
            kind: context.kind.rawValue, file: context.source, line: line, field: r.field,
            reason: reasonText(r, line: line), code: r.code, raw: kept)
        let event = Event(
            payload, id: EventID.derived(from: context.importID, "rejected|\(context.source)", index: line),
            subject: context.source, region: region, occurredAt: context.receivedAt, correlation: context.importID)
        return .rejected(event)
    }
}

extension RecordParser {
    /// The stored reason: with sheet and cell for a workbook row.
    func reasonText(_ r: Rejection, line: Int) -> String {
        guard let sheet else { return r.message(line: line) }
        var cell: String?
        if let slot = slotHeaders.firstIndex(of: r.field), slot < sheet.columns.count, sheet.columns[slot] >= 0 {
            cell = XlsxColumn.letters(sheet.columns[slot]) + String(line)
        }
        return r.message(sheet: sheet.name, line: line, cell: cell)
    }

    /// The column bound to each slot by the last header (−1 for a slot no column names).
    var slotColumns: [Int] {
        var columns = [Int](repeating: -1, count: fields.count)
        for (col, slot) in columnSlots.enumerated() where slot >= 0 { columns[slot] = col }
        return columns
    }
}

@inline(__always)
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    var v = max(value, 0)
    var width = 1
    var p = 10
    while v >= p, width < 19 {
        width += 1
        p = p &* 10
    }
    let end = out.count + width
    out.append(contentsOf: repeatElement(UInt8(48), count: width))
    for i in stride(from: end - 1, through: end - width, by: -1) {
        out[i] = UInt8(48 + v % 10)
        v /= 10
    }
}

extension HeaderName {
    /// A header as shown back to staff: trimmed, without a BOM.
    static func trimmed(_ header: String) -> String {
        var s = Substring(header)
        while let f = s.unicodeScalars.first, f == "\u{FEFF}" || f == " " || f == "\t" || f == "\u{3000}" {
            s = Substring(s.unicodeScalars.dropFirst())
        }
        while let l = s.unicodeScalars.last, l == " " || l == "\t" || l == "\u{3000}" || l == "\r" {
            s = Substring(s.unicodeScalars.dropLast())
        }
        return String(s)
    }
}

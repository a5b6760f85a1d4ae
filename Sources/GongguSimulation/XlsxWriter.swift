import GongguIntake

/// A minimal Office Open XML workbook writer for the simulator's output (`gonggu simulate --format
/// xlsx`) and the benchmarks: one or more sheets of text cells held as shared strings (as Excel
/// writes them), in a ZIP whose parts are DEFLATE-compressed (fixed Huffman codes, greedy LZ77).
/// Not a general writer: no styles beyond the default, no numbers, no formulas. The tests' fixtures
/// come from independent writers (openpyxl, LibreOffice), never from this.
public struct XlsxWriter {
    private var sheets: [(name: String, xml: [UInt8])] = []
    private var strings: [String] = []
    private var stringIndex: [String: Int] = [:]

    public init() {}

    /// Adds a sheet; each row's cells go to columns A, B, …; an empty string leaves the cell out.
    public mutating func addSheet(name: String, rows: [[String]]) {
        var xml: [UInt8] = []
        xml.reserveCapacity(rows.count * 200)
        xml += Array(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"\(Self.main)\"><sheetData>"
                .utf8)
        for (r, row) in rows.enumerated() {
            let number = String(r + 1)
            xml += Array("<row r=\"\(number)\">".utf8)
            for (c, text) in row.enumerated() where !text.isEmpty {
                let index: Int
                if let i = stringIndex[text] {
                    index = i
                } else {
                    index = strings.count
                    stringIndex[text] = index
                    strings.append(text)
                }
                xml += Array("<c r=\"\(XlsxColumn.letters(c))\(number)\" t=\"s\"><v>\(index)</v></c>".utf8)
            }
            xml += Array("</row>".utf8)
        }
        xml += Array("</sheetData></worksheet>".utf8)
        sheets.append((name, xml))
    }

    /// The workbook file's bytes.
    public func bytes() -> [UInt8] {
        var zip = ZipWriter()
        var types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        types += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        types += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(Self.ct)sheet.main+xml\"/>"
        for i in sheets.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"\(Self.ct)worksheet+xml\"/>"
        }
        types += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(Self.ct)sharedStrings+xml\"/>"
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(Self.ct)styles+xml\"/></Types>"
        zip.add("[Content_Types].xml", Array(types.utf8))
        zip.add(
            "_rels/.rels",
            Array(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(Self.pr)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(Self.or)officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>").utf8))
        var workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        workbook += "<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.or.dropLast())\"><sheets>"
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(Self.pr)\">"
        for (i, s) in sheets.enumerated() {
            workbook += "<sheet name=\"\(Self.escape(s.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(Self.or)worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        let n = sheets.count
        rels += "<Relationship Id=\"rId\(n + 1)\" Type=\"\(Self.or)sharedStrings\" Target=\"sharedStrings.xml\"/>"
        rels += "<Relationship Id=\"rId\(n + 2)\" Type=\"\(Self.or)styles\" Target=\"styles.xml\"/></Relationships>"
        zip.add("xl/workbook.xml", Array(workbook.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(rels.utf8))
        for (i, s) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", s.xml) }
        var shared: [UInt8] = Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"\(Self.main)\" "
                + "count=\"\(strings.count)\" uniqueCount=\"\(strings.count)\">").utf8)
        for s in strings { shared += Array("<si><t xml:space=\"preserve\">\(Self.escape(s))</t></si>".utf8) }
        shared += Array("</sst>".utf8)
        zip.add("xl/sharedStrings.xml", shared)
        zip.add(
            "xl/styles.xml",
            Array(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"\(Self.main)\">"
                    + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                    + "<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
                    + "<borders count=\"1\"><border/></borders>"
                    + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                    + "<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>"
                    + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
                    + "</styleSheet>").utf8))
        return zip.finish()
    }

    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let pr = "http://schemas.openxmlformats.org/package/2006/relationships"
    private static let or = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    private static let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."

    /// Text as XML character data: `&`, `<`, `>`, `"` escaped; control characters other than tab and
    /// newline (not allowed in XML 1.0) dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if c.value < 0x20, c != "\t", c != "\n", c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// A ZIP archive written in memory: DEFLATE entries, local headers, central directory, end record.
struct ZipWriter {
    private var out: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ data: [UInt8]) {
        let compressed = Deflater.compress(data)
        let crc = CRC32.checksum(data)
        let offset = out.count
        let nameBytes = Array(name.utf8)
        // Local header: version 20, flag bit 11 (UTF-8 names), method 8, no time (1980-01-01).
        put32(&out, 0x0403_4B50)
        put16(&out, 20); put16(&out, 0x0800); put16(&out, 8); put16(&out, 0); put16(&out, 0x21)
        put32(&out, crc); put32(&out, UInt32(compressed.count)); put32(&out, UInt32(data.count))
        put16(&out, nameBytes.count); put16(&out, 0)
        out += nameBytes
        out += compressed
        put32(&directory, 0x0201_4B50)
        put16(&directory, 20); put16(&directory, 20); put16(&directory, 0x0800); put16(&directory, 8)
        put16(&directory, 0); put16(&directory, 0x21)
        put32(&directory, crc); put32(&directory, UInt32(compressed.count)); put32(&directory, UInt32(data.count))
        put16(&directory, nameBytes.count); put16(&directory, 0); put16(&directory, 0)
        put16(&directory, 0); put16(&directory, 0); put32(&directory, 0); put32(&directory, UInt32(offset))
        directory += nameBytes
        count += 1
    }

    mutating func finish() -> [UInt8] {
        let start = out.count
        out += directory
        put32(&out, 0x0605_4B50)
        put16(&out, 0); put16(&out, 0); put16(&out, count); put16(&out, count)
        put32(&out, UInt32(directory.count)); put32(&out, UInt32(start)); put16(&out, 0)
        return out
    }

    private func put16(_ b: inout [UInt8], _ v: Int) {
        b.append(UInt8(v & 0xFF))
        b.append(UInt8((v >> 8) & 0xFF))
    }

    private func put32(_ b: inout [UInt8], _ v: UInt32) {
        for k in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }
}

/// DEFLATE compression (RFC 1951) in one fixed-Huffman block with greedy LZ77 matching over a
/// 32 KiB window (one hash-head per 3-byte prefix, up to 16 candidates along the chain).
enum Deflater {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.out.reserveCapacity(input.count / 3 + 64)
        w.put(1, 1)  // BFINAL
        w.put(1, 2)  // BTYPE = 01, fixed Huffman
        let n = input.count
        let hashBits = 15
        var head = [Int32](repeating: -1, count: 1 << hashBits)
        var chain = [Int32](repeating: -1, count: 1 << 15)
        input.withUnsafeBufferPointer { b in
            @inline(__always) func hash(_ i: Int) -> Int {
                (Int(b[i]) << 10 ^ Int(b[i + 1]) << 5 ^ Int(b[i + 2])) & ((1 << hashBits) - 1)
            }
            var i = 0
            while i < n {
                var bestLength = 0, bestDistance = 0
                if i + 2 < n {
                    let h = hash(i)
                    var candidate = Int(head[h])
                    var tries = 16
                    while candidate >= 0, i - candidate <= 32768, tries > 0 {
                        var l = 0
                        let limit = min(258, n - i)
                        while l < limit, b[candidate + l] == b[i + l] { l += 1 }
                        if l > bestLength {
                            bestLength = l
                            bestDistance = i - candidate
                            if l == limit { break }
                        }
                        let next = Int(chain[candidate & 0x7FFF])
                        if next >= candidate { break }
                        candidate = next
                        tries -= 1
                    }
                }
                let step = bestLength >= 3 ? bestLength : 1
                if bestLength >= 3 {
                    w.length(bestLength)
                    w.distance(bestDistance)
                } else {
                    w.literal(Int(b[i]))
                }
                for k in stride(from: i, to: min(i + step, n - 2), by: 1) {
                    let h = hash(k)
                    chain[k & 0x7FFF] = head[h]
                    head[h] = Int32(k)
                }
                i += step
            }
        }
        w.literal(256)
        w.flush()
        return w.out
    }

    private struct BitWriter {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var count = 0

        mutating func put(_ value: Int, _ bits: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        /// A Huffman code, most significant bit first.
        mutating func code(_ code: Int, _ bits: Int) {
            var r = 0
            for k in 0..<bits where code & (1 << k) != 0 { r |= 1 << (bits - 1 - k) }
            put(r, bits)
        }

        mutating func literal(_ v: Int) {
            switch v {
            case 0..<144: code(0x30 + v, 8)
            case 144..<256: code(0x190 + v - 144, 9)
            case 256..<280: code(v - 256, 7)
            default: code(0xC0 + v - 280, 8)
            }
        }

        mutating func length(_ length: Int) {
            var li = 28
            while Inflate.lengthBase[li] > length { li -= 1 }
            literal(257 + li)
            put(length - Inflate.lengthBase[li], Inflate.lengthExtra[li])
        }

        mutating func distance(_ distance: Int) {
            var di = 29
            while Inflate.distanceBase[di] > distance { di -= 1 }
            code(di, 5)
            put(distance - Inflate.distanceBase[di], Inflate.distanceExtra[di])
        }

        mutating func flush() {
            if count > 0 { out.append(UInt8(truncatingIfNeeded: buffer)) }
            buffer = 0
            count = 0
        }
    }
}

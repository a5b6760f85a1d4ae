#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An Office Open XML workbook (`.xlsx`, `.xlsm`) opened for reading one sheet's cells: the sheet
/// list from `xl/workbook.xml` (names → relationship ids, and `date1904`), the sheet parts from
/// `xl/_rels/workbook.xml.rels`, shared strings from `xl/sharedStrings.xml` and the date formats
/// from `xl/styles.xml` (ECMA-376 Part 1, §18.2, §18.4, §18.8).
public struct XlsxWorkbook {
    /// A sheet as listed in the workbook, in tab order.
    public struct Sheet: Equatable, Sendable {
        public let name: String
        /// The part holding its cells, e.g. `xl/worksheets/sheet1.xml`.
        public let path: String
    }

    /// Why a workbook cannot be read; `XlsxMessages` says it in Chinese for staff.
    public enum Failure: Error, Equatable, Sendable {
        /// An old Excel 97–2003 file (OLE2 compound document, magic D0 CF 11 E0), or an encrypted
        /// workbook, which Excel also writes as a compound document.
        case legacyOrEncrypted
        /// The ZIP container is damaged or not supported.
        case zip(ZipArchive.Failure)
        /// A required part is missing (e.g. `xl/workbook.xml`, or a sheet's part).
        case missingPart(String)
        /// A part is not well-formed XML.
        case malformedPart(String)
        /// No sheet has the name (or 1-based number) asked for.
        case noSuchSheet(String, available: [String])
        /// The workbook lists no sheets.
        case noSheets
    }

    public let sheets: [Sheet]
    /// Whether serial dates count from 1904-01-01 (`<workbookPr date1904="1"/>`).
    public let date1904: Bool
    let sharedStrings: [String]
    /// Per cell style index (`s`): whether its number format shows a date.
    let dateStyles: [Bool]
    private let zip: ZipArchive

    /// Opens a workbook from its bytes.
    public init(_ bytes: [UInt8]) throws(Failure) {
        if Array(bytes.prefix(4)) == [0xD0, 0xCF, 0x11, 0xE0] { throw .legacyOrEncrypted }
        let zip: ZipArchive
        do {
            zip = try ZipArchive(bytes)
        } catch {
            throw .zip(error)
        }
        try self.init(zip: zip)
    }

    /// Opens the workbook in the file open as `fileDescriptor` (`size` bytes), read by offset: only
    /// the ZIP directory, the small parts and the shared strings are held in memory. The descriptor
    /// must stay open while the workbook is read; it is not closed.
    public init(fileDescriptor: Int32, size: Int) throws(Failure) {
        let zip: ZipArchive
        do {
            zip = try ZipArchive(fileDescriptor: fileDescriptor, size: size)
        } catch .notZip {
            var magic = [UInt8](repeating: 0, count: 4)
            if pread(fileDescriptor, &magic, 4, 0) == 4, magic == [0xD0, 0xCF, 0x11, 0xE0] { throw .legacyOrEncrypted }
            throw .zip(.notZip)
        } catch {
            throw .zip(error)
        }
        try self.init(zip: zip)
    }

    private init(zip: ZipArchive) throws(Failure) {
        self.zip = zip
        var rootRels = Relationships()
        if let rels = try Self.part(zip, "_rels/.rels") { try Self.parse(rels, "_rels/.rels", &rootRels) }
        let workbookPath = rootRels.officeDocument.map { Self.resolve($0, base: "") } ?? "xl/workbook.xml"
        guard let workbookBytes = try Self.part(zip, workbookPath) else { throw .missingPart(workbookPath) }
        var workbook = WorkbookPart()
        try Self.parse(workbookBytes, workbookPath, &workbook)
        let dir = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let relsPath = (dir.isEmpty ? "" : dir + "/") + "_rels/" + String(workbookPath.split(separator: "/").last ?? "")
            + ".rels"
        guard let relsBytes = try Self.part(zip, relsPath) else { throw .missingPart(relsPath) }
        var rels = Relationships()
        try Self.parse(relsBytes, relsPath, &rels)
        var sheets: [Sheet] = []
        for (name, id) in workbook.sheets {
            guard let target = rels.targets[id] else { throw .missingPart("\(relsPath)#\(id)") }
            sheets.append(Sheet(name: name, path: Self.resolve(target, base: dir)))
        }
        self.sheets = sheets
        date1904 = workbook.date1904
        var strings = SharedStringsPart()
        if let target = rels.sharedStrings {
            let path = Self.resolve(target, base: dir)
            guard let bytes = try Self.part(zip, path) else { throw .missingPart(path) }
            try Self.parse(bytes, path, &strings)
        }
        sharedStrings = strings.strings
        var styles = StylesPart()
        if let target = rels.styles, let bytes = try Self.part(zip, Self.resolve(target, base: dir)) {
            try Self.parse(bytes, Self.resolve(target, base: dir), &styles)
        }
        dateStyles = styles.cellFormats.map { styles.isDate($0) }
    }

    /// The sheet named `selector`, else the sheet with that 1-based number, else (nil) the first.
    public func sheet(_ selector: String?) throws(Failure) -> Sheet {
        guard let first = sheets.first else { throw .noSheets }
        guard let selector, !selector.isEmpty else { return first }
        if let s = sheets.first(where: { $0.name == selector }) { return s }
        if let n = Int(selector), n >= 1, n <= sheets.count { return sheets[n - 1] }
        throw .noSuchSheet(selector, available: sheets.map(\.name))
    }

    /// The rows of `sheet`, each with its cells in column order (gaps are absent cells), all at once.
    public func rows(_ sheet: Sheet) throws(Failure) -> [XlsxRow] {
        let stream = try rowStream(sheet)
        var rows: [XlsxRow] = []
        while let row = try stream.next() { rows.append(row) }
        return rows
    }

    /// The rows of `sheet` one by one, as its part is inflated and scanned (streaming).
    public func rowStream(_ sheet: Sheet) throws(Failure) -> RowStream {
        guard let entry = zip.entry(sheet.path) else { throw .missingPart(sheet.path) }
        do {
            return RowStream(
                path: sheet.path, entry: try zip.stream(entry),
                reader: SheetReader(sharedStrings: sharedStrings, dateStyles: dateStyles, date1904: date1904))
        } catch {
            throw .zip(error)
        }
    }

    /// A sheet's rows, read a chunk of the part at a time: memory holds one inflated chunk and the
    /// rows finished in it, whatever the size of the sheet.
    public final class RowStream {
        private let path: String
        private let entry: ZipArchive.EntryStream
        private var scanner = XMLScanner()
        private var reader: SheetReader
        private var taken = 0
        private var ended = false

        fileprivate init(path: String, entry: ZipArchive.EntryStream, reader: SheetReader) {
            self.path = path
            self.entry = entry
            self.reader = reader
        }

        /// The next row, or nil after the last.
        public func next() throws(Failure) -> XlsxRow? {
            while taken == reader.rows.count {
                if ended { return nil }
                reader.rows.removeAll(keepingCapacity: true)
                taken = 0
                let chunk: UnsafeBufferPointer<UInt8>?
                do {
                    chunk = try entry.next()
                } catch {
                    throw .zip(error)
                }
                do {
                    try scanner.feed(chunk ?? UnsafeBufferPointer(start: nil, count: 0), final: chunk == nil, &reader)
                } catch {
                    throw .malformedPart(path)
                }
                if chunk == nil { ended = true }
                if let missing = reader.missingSharedString { throw .missingPart("xl/sharedStrings.xml#\(missing)") }
            }
            taken += 1
            return reader.rows[taken - 1]
        }
    }

    private static func part(_ zip: ZipArchive, _ path: String) throws(Failure) -> [UInt8]? {
        do {
            return try zip.data(named: path)
        } catch {
            throw .zip(error)
        }
    }

    private static func parse<D: XMLScanner.Delegate>(_ bytes: [UInt8], _ path: String, _ d: inout D) throws(Failure) {
        do {
            try XMLScanner.scan(bytes, &d)
        } catch {
            throw .malformedPart(path)
        }
    }

    /// A relationship target made a part name: absolute (`/xl/…`) or relative to `base`.
    static func resolve(_ target: String, base: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = base.split(separator: "/").map(String.init)
        for p in target.split(separator: "/") {
            if p == ".." {
                _ = parts.popLast()
            } else if p != "." {
                parts.append(String(p))
            }
        }
        return parts.joined(separator: "/")
    }
}

/// `_rels/*.rels`: relationship id → target, and the targets of the types intake needs.
private struct Relationships: XMLScanner.Delegate {
    var targets: [String: String] = [:]
    var officeDocument: String?
    var sharedStrings: String?
    var styles: String?

    mutating func start(_ name: XMLName, _ a: XMLAttributes) {
        guard name == "Relationship", let id = a["Id"], let target = a["Target"] else { return }
        targets[id] = target
        let type = a["Type"] ?? ""
        if type.hasSuffix("/officeDocument") { officeDocument = target }
        if type.hasSuffix("/sharedStrings") { sharedStrings = target }
        if type.hasSuffix("/styles") { styles = target }
    }
    mutating func end(_ name: XMLName) {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/workbook.xml`: sheet names with their relationship ids, and the date system.
private struct WorkbookPart: XMLScanner.Delegate {
    var sheets: [(String, String)] = []
    var date1904 = false

    mutating func start(_ name: XMLName, _ a: XMLAttributes) {
        if name == "sheet", let sheetName = a["name"], let id = a["id"] { sheets.append((sheetName, id)) }
        if name == "workbookPr", let v = a["date1904"] { date1904 = v == "1" || v == "true" }
    }
    mutating func end(_ name: XMLName) {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, rich-text runs joined, phonetic runs (`<rPh>`) left out.
private struct SharedStringsPart: XMLScanner.Delegate {
    var strings: [String] = []
    private var current: [UInt8] = []
    private var inItem = false, inText = false, inPhonetic = false

    mutating func start(_ name: XMLName, _ a: XMLAttributes) {
        switch name {
        case "si": inItem = true; current.removeAll(keepingCapacity: true)
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }
    mutating func end(_ name: XMLName) {
        switch name {
        case "si": inItem = false; strings.append(String(decoding: current, as: UTF8.self))
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inItem, inText, !inPhonetic { current.append(contentsOf: bytes) }
    }
}

/// `xl/styles.xml`: custom number formats and, per cell format (`cellXfs/xf`), its number format id.
private struct StylesPart: XMLScanner.Delegate {
    var formats: [Int: String] = [:]
    var cellFormats: [Int] = []
    private var inCellXfs = false

    mutating func start(_ name: XMLName, _ a: XMLAttributes) {
        if name == "numFmt", let id = a.int("numFmtId") { formats[id] = a["formatCode"] ?? "" }
        if name == "cellXfs" { inCellXfs = true }
        if name == "xf", inCellXfs { cellFormats.append(a.int("numFmtId") ?? 0) }
    }
    mutating func end(_ name: XMLName) {
        if name == "cellXfs" { inCellXfs = false }
    }
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// Built-in date and time formats (ECMA-376 §18.8.30, with the CJK ids 27–36 and 50–58), or a
    /// custom code with a date or time letter outside quotes and brackets.
    func isDate(_ id: Int) -> Bool {
        if let code = formats[id] { return Self.codeShowsDate(code) }
        return (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    static func codeShowsDate(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": if !inQuote { inBracket = true }
            case "]": if !inQuote { inBracket = false }
            case "y", "m", "d", "h", "s":
                if !inQuote, !inBracket { return true }
            default: break
            }
        }
        return false
    }
}

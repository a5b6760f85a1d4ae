#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongguCore

/// Reads one file of one record kind and yields an outcome per record, streaming: the file is
/// read in chunks (1 MiB by default) and only the unfinished record is kept between chunks, so
/// memory stays flat for any file size. A workbook (format `xlsx`) is read by offset, since its ZIP
/// directory sits at the end (from a pipe it is first copied to an unlinked temporary file); its
/// shared strings are held in memory and the chosen sheet is inflated and scanned a chunk at a time
/// (`IntakeReader+Xlsx.swift`).
///
/// ```swift
/// let reader = try IntakeReader(path: path, context: context)
/// while let outcome = try reader.next() { … }
/// reader.summary  // read, accepted, rejected (the service adds duplicates)
/// ```
/// A file-level problem (unreadable, missing columns, undecodable bytes, runaway quote) throws
/// `IntakeFileError`; outcomes already returned stay valid, nothing after it is read.
public final class IntakeReader {
    public let context: IntakeContext
    public let format: RecordFormat
    /// Counts so far.
    public private(set) var summary = ImportSummary()

    let fd: Int32
    private let ownsDescriptor: Bool
    private var chunk: [UInt8]
    private var decoder: StreamDecoder
    var parser: RecordParser
    private var csv = CSVScanner()
    private var lines = LineScanner()
    private var eof = false
    private var headerBound = false
    private var decodeFailure: StreamDecoder.Failure?
    private var failed: IntakeFileError?
    /// Workbooks: the sheet asked for (name or 1-based number; nil = the first), and its rows once read.
    let sheetSelector: String?
    var workbookRows: XlsxRows?

    /// Opens `path`. `format` defaults to a guess from the file name.
    public convenience init(
        path: String, context: IntakeContext, format: RecordFormat? = nil, encoding: TextEncoding = .auto,
        chunkSize: Int = 1 << 20, sheet: String? = nil
    ) throws(IntakeFileError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IntakeFileError(.unreadable, "无法打开文件“\(context.source)”（\(Self.errnoText())）。请确认文件存在且有读取权限。")
        }
        self.init(
            fileDescriptor: fd, ownsDescriptor: true, context: context,
            format: format ?? RecordFormat.guess(fileName: path), encoding: encoding, chunkSize: chunkSize,
            sheet: sheet)
    }

    /// Reads from an open descriptor (a file, a pipe); it is not closed. `sheet` picks a workbook's
    /// sheet by name or 1-based number (default: the first).
    public convenience init(
        fileDescriptor: Int32, context: IntakeContext, format: RecordFormat, encoding: TextEncoding = .auto,
        chunkSize: Int = 1 << 20, sheet: String? = nil
    ) {
        self.init(
            fileDescriptor: fileDescriptor, ownsDescriptor: false, context: context, format: format,
            encoding: encoding, chunkSize: chunkSize, sheet: sheet)
    }

    private init(
        fileDescriptor: Int32, ownsDescriptor: Bool, context: IntakeContext, format: RecordFormat,
        encoding: TextEncoding, chunkSize: Int, sheet: String?
    ) {
        sheetSelector = sheet
        fd = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.context = context
        self.format = format
        chunk = [UInt8](repeating: 0, count: max(chunkSize, 16))
        decoder = StreamDecoder(encoding)
        parser = RecordParser(context: context)
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The encoding in use (`.auto` until the first non-ASCII bytes decided it; a pure-ASCII
    /// file stays `.auto`, which reads the same in every supported encoding).
    public var encoding: TextEncoding { decoder.encoding }

    /// The next outcome, or nil at the end of the file.
    public func next() throws(IntakeFileError) -> IntakeOutcome? {
        if let failed { throw failed }
        do {
            let outcome: IntakeOutcome?
            switch format {
            case .csv: outcome = try nextCSV()
            case .jsonLines: outcome = try nextJSONLine()
            case .xlsx: outcome = try nextWorkbookRow()
            }
            if let outcome { summary.count(outcome) }
            return outcome
        } catch {
            failed = error
            throw error
        }
    }

    /// Calls `body` for every outcome.
    public func forEach(_ body: (IntakeOutcome) throws -> Void) throws {
        while let outcome = try next() { try body(outcome) }
    }

    private func nextCSV() throws(IntakeFileError) -> IntakeOutcome? {
        while true {
            switch try csv.next(final: eof) {
            case .record:
                if !headerBound {
                    let headers = csv.data.withUnsafeBufferPointer { d in
                        csv.fieldEnds.indices.map { i in
                            String(decoding: d[(i == 0 ? 0 : csv.fieldEnds[i - 1])..<csv.fieldEnds[i]], as: UTF8.self)
                        }
                    }
                    try parser.bindHeader(headers)
                    headerBound = true
                    continue
                }
                let line = csv.recordLine
                let ends = csv.fieldEnds
                return csv.data.withUnsafeBufferPointer { d in
                    parser.csvOutcome(data: d, fieldEnds: ends, line: line, raw: { csv.rawText() })
                }
            case .needMore:
                try fill(lineAtEnd: { csv.lineAtEnd() })
            case .end:
                if !headerBound {
                    throw IntakeFileError(.empty, "文件“\(context.source)”是空的，没有表头行。请确认导出的文件内容。")
                }
                return nil
            }
        }
    }

    private func nextJSONLine() throws(IntakeFileError) -> IntakeOutcome? {
        while true {
            if let outcome = try lines.next(final: eof, { bytes, line in parser.parseJSONRecord(bytes, line: line) }) {
                return outcome
            }
            if eof { return nil }
            try fill(lineAtEnd: { lines.lineAtEnd() })
        }
    }

    /// Reads and decodes the next chunk; sets `eof` at the end of input.
    private func fill(lineAtEnd: () -> Int) throws(IntakeFileError) {
        if let decodeFailure { throw fileError(decodeFailure, line: lineAtEnd()) }
        let n = try readChunk(into: &chunk)
        if n == 0 { eof = true }
        let format = self.format
        decodeFailure = chunk.withUnsafeBufferPointer { c in
            decoder.decode(UnsafeBufferPointer(rebasing: c[0..<n]), final: n == 0) { bytes in
                if format == .csv { csv.append(bytes) } else { lines.append(bytes) }
            }
        }
        if decodeFailure != nil { eof = false }
    }

    /// Reads the next chunk of the input into `buffer` (again when interrupted): its length, 0 at the end.
    func readChunk(into buffer: inout [UInt8]) throws(IntakeFileError) -> Int {
        var n = 0
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        } while n < 0 && errno == EINTR
        guard n >= 0 else {
            throw IntakeFileError(.unreadable, "读取文件“\(context.source)”时出错（\(Self.errnoText())）。请重新导入。")
        }
        return n
    }

    private func fileError(_ f: StreamDecoder.Failure, line: Int) -> IntakeFileError {
        let advice = "请确认文件编码：用 Excel 时选择“另存为 → CSV UTF-8（逗号分隔）”，或用 WPS/记事本另存为 UTF-8 后重新导入；"
            + "如确为 GB18030/GBK 编码，请在导入时指定编码。"
        switch f {
        case .invalid(let e):
            return IntakeFileError(.encoding, "文件第\(line)行含有不符合 \(e.display) 编码的字节，无法识别。" + advice, line: line)
        case .truncated(let e):
            return IntakeFileError(.encoding, "文件在第\(line)行末尾被截断，最后一个字不完整（\(e.display)）。" + advice, line: line)
        case .unavailable:
            return IntakeFileError(.encoding, "本机的 C 库不支持 GB18030 转换（缺少 iconv 的 GB18030 模块），无法读取该文件。请联系管理员。")
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The chosen sheet's row stream and where reading stands.
struct XlsxRows {
    let sheet: String
    let rows: XlsxWorkbook.RowStream
    /// The temporary copy of a workbook that came through a pipe (kept open while rows are read).
    let spool: SpoolFile?
    var headerBound = false
    var columnCount = 0
    /// Buffers of the row being handed to the parser, kept for the next row.
    var data: [UInt8] = []
    var ends: [Int] = []
}

/// An unlinked temporary file holding a workbook read from a pipe; closed when released.
final class SpoolFile {
    let fd: Int32
    let size: Int
    init(fd: Int32, size: Int) {
        self.fd = fd
        self.size = size
    }
    deinit { close(fd) }
}

extension IntakeReader {
    /// Largest workbook read (compressed). A ZIP's directory is at its end, so a workbook is read by
    /// offset: a file in place, a pipe (the import socket) after copying it to an unlinked temporary
    /// file (in `$TMPDIR`, else `/tmp`); only if no temporary file can be made is it held in memory.
    static let maxWorkbookBytes = 256 << 20

    /// The next workbook row's outcome. The first non-empty row is the header; empty rows are
    /// skipped; a row's line is its row number in Excel, and rejections name sheet and cell.
    func nextWorkbookRow() throws(IntakeFileError) -> IntakeOutcome? {
        if workbookRows == nil { workbookRows = try openWorkbook() }
        guard var state = workbookRows else { return nil }
        defer { workbookRows = state }
        while true {
            let row: XlsxRow
            do {
                guard let r = try state.rows.next() else { break }
                row = r
            } catch {
                throw XlsxMessages.fileError(error, file: context.source)
            }
            if !state.headerBound {
                if row.cells.allSatisfy({ Self.isBlank(XlsxCellText.text($0.value)) }) { continue }
                let width = (row.cells.last?.column ?? -1) + 1
                var headers = [String](repeating: "", count: width)
                for cell in row.cells where cell.column < width { headers[cell.column] = XlsxCellText.text(cell.value) }
                try parser.bindHeader(headers)
                parser.sheet = (state.sheet, parser.slotColumns)
                state.headerBound = true
                state.columnCount = width
                continue
            }
            // The row as CSV fields: one byte buffer and the end of each field (reused between rows),
            // each cell's text made once; cells past the header's width only count for blankness.
            let n = state.columnCount
            var data = state.data
            var ends = state.ends
            state.data = []
            state.ends = []
            data.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            defer {
                state.data = data
                state.ends = ends
            }
            var blank = true
            var inOrder = true
            var last = -1
            for cell in row.cells {
                if cell.column <= last { inOrder = false }
                last = cell.column
            }
            if inOrder {
                for cell in row.cells {
                    let text = XlsxCellText.text(cell.value)
                    if blank, !Self.isBlank(text) { blank = false }
                    guard cell.column < n else { continue }
                    while ends.count < cell.column { ends.append(data.count) }
                    data.append(contentsOf: text.utf8)
                    ends.append(data.count)
                }
                while ends.count < n { ends.append(data.count) }
            } else {
                var values = [String](repeating: "", count: n)
                for cell in row.cells {
                    let text = XlsxCellText.text(cell.value)
                    if blank, !Self.isBlank(text) { blank = false }
                    if cell.column < n { values[cell.column] = text }
                }
                for v in values {
                    data.append(contentsOf: v.utf8)
                    ends.append(data.count)
                }
            }
            if blank { continue }
            let line = row.number
            return data.withUnsafeBufferPointer { d in
                parser.csvOutcome(data: d, fieldEnds: ends, line: line, raw: { Self.rawRow(Self.fields(row, n)) })
            }
        }
        if !state.headerBound {
            throw IntakeFileError(
                .empty, "工作簿“\(context.source)”的工作表“\(state.sheet)”是空的，没有表头行。请确认选择的工作表（--sheet）。")
        }
        return nil
    }

    /// Whether a cell's text is empty or only blanks (as `HeaderName.trimmed` counts them).
    static func isBlank(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        // Anything but an ASCII blank or the lead byte of U+3000 or U+FEFF starts a non-blank text.
        if first != 0x20, first != 0x09, first != 0x0D, first != 0xE3, first != 0xEF { return false }
        return HeaderName.trimmed(text).isEmpty
    }

    /// The texts of the first `count` columns of `row` (empty where it has no cell).
    static func fields(_ row: XlsxRow, _ count: Int) -> [String] {
        var values = [String](repeating: "", count: count)
        for cell in row.cells where cell.column < count { values[cell.column] = XlsxCellText.text(cell.value) }
        return values
    }

    /// The row as a CSV line, for the rejects file.
    static func rawRow(_ values: [String]) -> String {
        values.map { v in
            v.contains(",") || v.contains("\"") || v.contains("\n")
                ? "\"" + v.replacingQuotes() + "\"" : v
        }.joined(separator: ",")
    }

    private func openWorkbook() throws(IntakeFileError) -> XlsxRows {
        let name = context.source
        var st = stat()
        var spool: SpoolFile?
        var whole: [UInt8]?
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            spool = try spoolToTemporaryFile()
            if spool == nil { whole = try readWhole() }
        }
        let workbook: XlsxWorkbook
        do {
            if let whole {
                workbook = try XlsxWorkbook(whole)
            } else if let spool {
                workbook = try XlsxWorkbook(fileDescriptor: spool.fd, size: spool.size)
            } else {
                workbook = try XlsxWorkbook(fileDescriptor: fd, size: Int(st.st_size))
            }
            let sheet = try workbook.sheet(sheetSelector)
            return XlsxRows(sheet: sheet.name, rows: try workbook.rowStream(sheet), spool: spool)
        } catch {
            throw XlsxMessages.fileError(error, file: name)
        }
    }

    private func tooLarge() -> IntakeFileError {
        IntakeFileError(
            .workbook,
            "工作簿“\(context.source)”超过\(Self.maxWorkbookBytes >> 20)MB，无法导入。请把数据分成几个较小的工作簿，"
                + "或另存为 CSV UTF-8 后导入。")
    }

    /// Copies the rest of `fd` to an unlinked temporary file; nil when none can be made.
    private func spoolToTemporaryFile() throws(IntakeFileError) -> SpoolFile? {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((dir + "/gonggu-workbook-XXXXXX").utf8CString)
        let tmp = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard tmp >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let file = SpoolFile(fd: tmp, size: 0)
        var size = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try readChunk(into: &buffer)
            if n == 0 { break }
            size += n
            if size > Self.maxWorkbookBytes { throw tooLarge() }
            var done = 0
            while done < n {
                let w = buffer.withUnsafeBytes { write(tmp, $0.baseAddress! + done, n - done) }
                if w < 0, errno == EINTR { continue }
                guard w > 0 else {
                    throw IntakeFileError(
                        .unreadable, "无法暂存工作簿“\(context.source)”（\(Self.errnoText())，临时目录 \(dir)）。请检查磁盘空间后重新导入。")
                }
                done += w
            }
        }
        return SpoolFile(fd: dup(file.fd), size: size)
    }

    private func readWhole() throws(IntakeFileError) -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try readChunk(into: &buffer)
            if n == 0 { return all }
            all.append(contentsOf: buffer[0..<n])
            if all.count > Self.maxWorkbookBytes { throw tooLarge() }
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in self {
            if c == "\"" { out.append("\"") }
            out.append(c)
        }
        return out
    }
}

/// Chinese messages for workbooks that cannot be read.
enum XlsxMessages {
    static func fileError(_ e: XlsxWorkbook.Failure, file: String) -> IntakeFileError {
        let resave = "请用 Excel 或 WPS 打开后“另存为 → Excel 工作簿（*.xlsx）”再导入，或另存为 CSV UTF-8。"
        switch e {
        case .legacyOrEncrypted:
            return IntakeFileError(
                .legacyExcel,
                "文件“\(file)”是旧版 Excel 97-2003 工作簿（.xls），或是设置了打开密码的工作簿，无法直接导入。"
                    + "请用 Excel 或 WPS 打开，取消密码（如有），“另存为 → Excel 工作簿（*.xlsx）”后重新导入。")
        case .zip(.encrypted):
            return IntakeFileError(
                .encryptedWorkbook, "工作簿“\(file)”已加密或设置了密码（encrypted or password-protected workbook），无法读取。"
                    + "请取消密码后另存为 .xlsx 再导入。")
        case .zip(.notZip), .zip(.corrupt), .zip(.checksum):
            return IntakeFileError(.workbook, "文件“\(file)”不是完整的 .xlsx 工作簿（文件已损坏或不完整）。" + resave)
        case .zip(.zip64):
            return IntakeFileError(.workbook, "工作簿“\(file)”使用了 ZIP64 格式（超过4GB的大文件格式），暂不支持。" + resave)
        case .zip(.unsupportedMethod):
            return IntakeFileError(.workbook, "工作簿“\(file)”使用了不支持的压缩方式。" + resave)
        case .zip(.tooLarge(let part)):
            return IntakeFileError(
                .workbook, "工作簿“\(file)”中的“\(part)”解压后过大（超过512MB或压缩比异常），疑似压缩炸弹，已拒绝导入。"
                    + "请把数据分成几个较小的工作簿，或另存为 CSV UTF-8 后导入。")
        case .missingPart(let part):
            return IntakeFileError(
                .workbook, "工作簿“\(file)”缺少必需的部分“\(part)”（如共享字符串表或工作表），文件不完整。" + resave)
        case .malformedPart(let part):
            return IntakeFileError(.workbook, "工作簿“\(file)”中的“\(part)”不是有效的 XML，文件已损坏。" + resave)
        case .noSheets:
            return IntakeFileError(.workbook, "工作簿“\(file)”中没有工作表。" + resave)
        case .noSuchSheet(let name, let available):
            let list = available.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "，")
            return IntakeFileError(
                .noSuchSheet, "工作簿“\(file)”中没有名为或序号为“\(name)”的工作表。现有的工作表：\(list)。请用 --sheet 指定其中之一。")
        }
    }
}

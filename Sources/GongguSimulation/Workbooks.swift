#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongguCore
import GongguIntake

/// How `Simulator.write` hands the offices' tables over: CSV files (each in its office's encoding),
/// or Excel workbooks (`--format xlsx`), as county offices keep them. JSON Lines files stay JSON Lines.
public enum SimulatedFormat: String, Sendable, CaseIterable {
    case csv
    case xlsx
}

extension Simulator {
    /// The name a simulated file has in `format` (`survey.csv` → `survey.xlsx`).
    public static func fileName(_ file: SimulatedFile, format: SimulatedFormat) -> String {
        guard format == .xlsx, file.name.hasSuffix(".csv") else { return file.name }
        return String(file.name.dropLast(4)) + ".xlsx"
    }

    /// Rewrites the CSV file `name` in `directory` (written in `encoding`) as a one-sheet workbook
    /// with the same rows, removes the CSV, and returns, per CSV line a record starts on, the
    /// workbook row that holds it (the header is row 1), so ground-truth lines can be mapped.
    static func convertToWorkbook(
        directory: String, name: String, encoding: SimulatedEncoding, sheet: String
    ) throws -> [Int: Int] {
        let path = directory + "/" + name
        var bytes = try FileBytes(path: path).bytes
        if encoding == .gb18030 { bytes = try Self.utf8(fromGB18030: bytes) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let (rows, startLines) = Self.csvRecords(bytes)
        var lineToRow: [Int: Int] = [:]
        for (i, line) in startLines.enumerated() { lineToRow[line] = i + 1 }
        var writer = XlsxWriter()
        writer.addSheet(name: sheet, rows: rows)
        let out = writer.bytes()
        let target = directory + "/" + String(name.dropLast(4)) + ".xlsx"
        guard let f = fopen(target, "wb") else { throw SimulationError("cannot create \(target)") }
        let written = out.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        guard written == out.count else { throw SimulationError("cannot write \(target)") }
        unlink(path)
        return lineToRow
    }

    /// Records of the simulator's own CSV (comma, double quotes with `""`, CRLF or LF), with the
    /// physical line each starts on.
    static func csvRecords(_ b: [UInt8]) -> (rows: [[String]], lines: [Int]) {
        var rows: [[String]] = []
        var lines: [Int] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1, recordLine = 1
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < b.count, b[i + 1] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == 10 { line += 1 }
                    field.append(c)
                }
            } else if c == UInt8(ascii: "\"") {
                quoted = true
            } else if c == UInt8(ascii: ",") {
                endField()
            } else if c == 10 || c == 13 {
                if c == 13, i + 1 < b.count, b[i + 1] == 10 { i += 1 }
                endField()
                rows.append(fields)
                lines.append(recordLine)
                fields.removeAll()
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            rows.append(fields)
            lines.append(recordLine)
        }
        return (rows, lines)
    }

    static func utf8(fromGB18030 bytes: [UInt8]) throws -> [UInt8] {
        let h = iconv_open("UTF-8", "GB18030")
        guard h != iconv_t(bitPattern: -1) else { throw SimulationError("iconv has no GB18030 → UTF-8 conversion") }
        defer { iconv_close(h) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let ok = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { outp -> Int in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inp.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inp.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outp.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outp.count
                let r = iconv(h, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 ? -1 : outp.count - outLeft
            }
        }
        guard ok >= 0 else { throw SimulationError("GB18030 file does not convert to UTF-8") }
        return Array(output[0..<ok])
    }
}

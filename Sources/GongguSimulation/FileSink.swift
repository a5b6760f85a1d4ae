import GongguCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a file's bytes are encoded on disk.
public enum SimulatedEncoding: String, Sendable {
    case utf8
    /// UTF-8 starting with the byte order mark, as Excel writes "CSV UTF-8".
    case utf8BOM
    /// GB18030, as older Windows offices export.
    case gb18030
}

/// A buffered, append-only file of records (CSV lines or JSON lines). Rows are built in UTF-8 in the
/// buffer and flushed at record boundaries, so a GB18030 conversion never splits a character.
/// Counts records and keeps the line number of the next record.
final class FileSink {
    let name: String
    let encoding: SimulatedEncoding
    private let file: UnsafeMutablePointer<FILE>
    private var converter: iconv_t?
    var buffer: [UInt8] = []
    /// Data records written (the header is not a record).
    private(set) var records = 0
    /// Physical line of the next record (the header is line 1 for CSV).
    private(set) var nextLine = 1

    init(directory: String, name: String, encoding: SimulatedEncoding) throws {
        self.name = name
        self.encoding = encoding
        guard let f = fopen(directory + "/" + name, "wb") else {
            throw SimulationError("cannot create \(directory)/\(name): \(String(cString: strerror(errno)))")
        }
        file = f
        if encoding == .gb18030 {
            let h = iconv_open("GB18030", "UTF-8")
            guard h != iconv_t(bitPattern: -1) else {
                fclose(f)
                throw SimulationError("iconv has no UTF-8 → GB18030 conversion on this system")
            }
            converter = h
        }
        if encoding == .utf8BOM { buffer += [0xEF, 0xBB, 0xBF] }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// Writes the CSV header line (line 1).
    func header(_ names: [String]) {
        for (i, n) in names.enumerated() {
            if i > 0 { buffer.append(44) }
            buffer.append(contentsOf: n.utf8)
        }
        buffer.append(contentsOf: [13, 10])
        nextLine = 2
    }

    /// Ends the record being built in `buffer` (the caller appended its fields); returns its line.
    @discardableResult
    func endRecord(crlf: Bool = true) -> Int {
        if crlf { buffer.append(13) }
        buffer.append(10)
        records += 1
        nextLine += 1
        if buffer.count >= 1 << 20 { flush() }
        return nextLine - 1
    }

    // MARK: Field helpers (CSV)

    func field(_ s: String, first: Bool = false) {
        if !first { buffer.append(44) }
        var s = s
        s.withUTF8 { CSVField.append($0, to: &buffer) }
    }

    func int(_ v: Int) {
        buffer.append(44)
        appendInt(v)
    }

    func appendInt(_ v: Int) {
        if v < 0 {
            buffer.append(45)
            appendInt(-v)
            return
        }
        if v >= 10 { appendInt(v / 10) }
        buffer.append(UInt8(48 + v % 10))
    }

    /// An amount in yuan with two decimals.
    func yuan(_ fen: Int) {
        buffer.append(44)
        appendInt(fen / 100)
        buffer.append(46)
        buffer.append(UInt8(48 + (fen % 100) / 10))
        buffer.append(UInt8(48 + fen % 10))
    }

    /// `YYYY-MM-DD` of a day number.
    func date(_ day: Int) {
        buffer.append(44)
        appendDate(day)
    }

    func appendDate(_ day: Int) {
        let (y, m, d) = civil(day)
        appendPadded(y, 4, &buffer)
        buffer.append(45)
        appendPadded(m, 2, &buffer)
        buffer.append(45)
        appendPadded(d, 2, &buffer)
    }

    /// `YYYY-MM` of a month number.
    func month(_ m: Int) {
        buffer.append(44)
        appendPadded(m / 12, 4, &buffer)
        buffer.append(45)
        appendPadded(m % 12 + 1, 2, &buffer)
    }

    func flag(_ b: Bool) { field(b ? "是" : "否") }

    // MARK: Output

    func flush() {
        guard !buffer.isEmpty else { return }
        if let converter {
            // GB18030 needs at most 4 bytes per character, UTF-8 at least 1 (ASCII stays 1:1, CJK 3 → 2).
            let need = buffer.count * 2 + 16
            var out = [UInt8](repeating: 0, count: need)
            var produced = 0
            buffer.withUnsafeMutableBytes { inRaw in
                out.withUnsafeMutableBytes { outRaw in
                    var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var inLeft = inRaw.count
                    var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = outRaw.count
                    let r = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
                    precondition(r != -1 && inLeft == 0, "GB18030 conversion failed")
                    produced = outRaw.count - outLeft
                }
            }
            _ = out.withUnsafeBytes { fwrite($0.baseAddress, 1, produced, file) }
        } else {
            _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        guard fclose(file) == 0 else { throw SimulationError("cannot write \(name)") }
    }
}

/// A problem writing the simulated files.
public struct SimulationError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// Civil date of a day number (days since 1970-01-01).
@inline(__always)
func civil(_ day: Int) -> (Int, Int, Int) {
    let date = BusinessCalendar.date(ofDay: day)
    return (date.year, date.month, date.day)
}

/// Day number of a civil date.
@inline(__always)
func dayOf(_ y: Int, _ m: Int, _ d: Int) -> Int { BusinessCalendar.dayNumber(year: y, month: m, day: d) }

/// Month number (year × 12 + month − 1).
@inline(__always)
func monthOf(_ y: Int, _ m: Int) -> Int { y * 12 + m - 1 }

/// An incremental RFC 4180 CSV scanner over decoded UTF-8: quoted fields with commas, line breaks
/// and doubled quotes; CRLF, LF (and a lone CR) end records; blank records are skipped. Bytes are
/// appended as they arrive; only the unfinished tail is kept, so memory stays flat however long
/// the file. A record's line is the physical line where it starts (the header is line 1).
struct CSVScanner {
    private var buf: [UInt8] = []
    private var pos = 0
    /// Physical line at `pos`.
    private var line = 1
    /// Field values of the last record, unescaped, back to back.
    private(set) var data: [UInt8] = []
    /// End offset in `data` of each field of the last record.
    private(set) var fieldEnds: [Int] = []
    /// Line where the last record started.
    private(set) var recordLine = 0
    private var rawStart = 0
    private var rawEnd = 0
    /// Longest record accepted before the file is refused (a stray quote would otherwise swallow
    /// the rest of the file into one field).
    let maxRecordBytes: Int

    init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
        data.reserveCapacity(1024)
        fieldEnds.reserveCapacity(64)
    }

    enum Step { case record, needMore, end }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if pos > 0 {
            buf.removeSubrange(0..<pos)
            pos = 0
        }
        buf.append(contentsOf: bytes)
    }

    /// The raw text of the last record (without its line break), for rejections.
    func rawText() -> String { String(decoding: buf[rawStart..<rawEnd], as: UTF8.self) }

    /// The physical line at the end of what has been buffered (where decoding stopped).
    func lineAtEnd() -> Int { line + buf[pos...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }

    /// Scans the next non-blank record.
    mutating func next(final: Bool) throws(IntakeFileError) -> Step {
        while true {
            if pos >= buf.count { return final ? .end : .needMore }
            let b = buf
            let r = b.withUnsafeBufferPointer { scan($0, from: pos, final: final) }
            switch r {
            case let .complete(end, rawEnd, newlines):
                recordLine = line
                rawStart = pos
                self.rawEnd = rawEnd
                pos = end
                line += newlines
                if isBlank() { continue }
                return .record
            case .incomplete(let inQuotes):
                if final {
                    // Only reachable inside quotes: an unquoted tail completes at end of input.
                    precondition(inQuotes)
                    throw IntakeFileError(
                        .unterminatedQuote,
                        "从第\(line)行开始的带引号的值一直没有结束（缺少配对的英文双引号）。"
                            + "请检查该行的引号，或用 Excel 重新另存为 CSV 后再导入。", line: line)
                }
                if buf.count - pos > maxRecordBytes {
                    throw IntakeFileError(
                        .recordTooLong,
                        "从第\(line)行开始的记录超过\(maxRecordBytes / 1024)KB，通常是某个英文双引号没有配对、把后面的行都并进了一个值。"
                            + "请检查该行附近的引号后重新导入。", line: line)
                }
                return .needMore
            }
        }
    }

    private func isBlank() -> Bool {
        for c in data where c != 0x20 && c != 0x09 { return false }
        return true
    }

    private enum ScanResult {
        case complete(end: Int, rawEnd: Int, newlines: Int)
        case incomplete(inQuotes: Bool)
    }

    private mutating func scan(_ p: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool) -> ScanResult {
        data.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        let n = p.count
        var i = start
        var newlines = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        while true {
            if i < n, p[i] == quote {
                i += 1
                while true {
                    var j = i
                    while j < n, p[j] != quote {
                        if p[j] == lf { newlines += 1 }
                        j += 1
                    }
                    data.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                    if j >= n { return .incomplete(inQuotes: true) }
                    if j + 1 < n, p[j + 1] == quote {
                        data.append(quote)
                        i = j + 2
                        continue
                    }
                    // A quote as the last byte may be the first of a doubled pair: wait for more.
                    if j + 1 >= n, !final { return .incomplete(inQuotes: true) }
                    i = j + 1
                    break
                }
            }
            // Unquoted value, or what follows a closing quote (kept, leniently).
            var j = i
            while j < n {
                let c = p[j]
                if c == comma || c == lf || c == cr { break }
                j += 1
            }
            data.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
            fieldEnds.append(data.count)
            if j >= n {
                return final ? .complete(end: n, rawEnd: n, newlines: newlines) : .incomplete(inQuotes: false)
            }
            if p[j] == comma {
                i = j + 1
                continue
            }
            if p[j] == cr {
                if j + 1 < n {
                    return .complete(end: p[j + 1] == lf ? j + 2 : j + 1, rawEnd: j, newlines: newlines + 1)
                }
                return final ? .complete(end: j + 1, rawEnd: j, newlines: newlines + 1) : .incomplete(inQuotes: false)
            }
            return .complete(end: j + 1, rawEnd: j, newlines: newlines + 1)
        }
    }
}

/// Splits decoded UTF-8 into lines for JSON Lines, keeping only the unfinished tail.
struct LineScanner {
    private var buf: [UInt8] = []
    private var pos = 0
    private var line = 0
    private(set) var lineStart = 0
    private(set) var lineEnd = 0
    private(set) var recordLine = 0
    let maxRecordBytes: Int

    init(maxRecordBytes: Int = 1 << 20) { self.maxRecordBytes = maxRecordBytes }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if pos > 0 {
            buf.removeSubrange(0..<pos)
            pos = 0
        }
        buf.append(contentsOf: bytes)
    }

    func lineAtEnd() -> Int { line + 1 + buf[pos...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }

    /// The next non-blank line, run through `body` while its bytes are valid.
    mutating func next<T>(final: Bool, _ body: (UnsafeBufferPointer<UInt8>, Int) -> T) throws(IntakeFileError) -> T? {
        while true {
            if pos >= buf.count { return nil }
            guard let nl = buf[pos...].firstIndex(of: 0x0A) ?? (final ? buf.count : nil) else {
                if buf.count - pos > maxRecordBytes {
                    throw IntakeFileError(
                        .recordTooLong,
                        "第\(line + 1)行超过\(maxRecordBytes / 1024)KB，不像一条记录。请检查文件是否为 JSON Lines 格式（每行一个对象）。",
                        line: line + 1)
                }
                return nil
            }
            line += 1
            var end = nl
            if end > pos, buf[end - 1] == 0x0D { end -= 1 }
            let start = pos
            pos = min(nl + 1, buf.count)
            if buf[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            recordLine = line
            lineStart = start
            lineEnd = end
            let current = line
            return buf.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end]), current) }
        }
    }
}

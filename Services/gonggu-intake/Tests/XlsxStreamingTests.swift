import Foundation
import GongguCore
import XCTest

@testable import GongguIntake

/// The streaming pieces of workbook intake: DEFLATE fed and drained in small pieces against zlib and
/// the gzip tool at several levels, the XML scanner fed at every split, and ZIP bombs refused while
/// inflating with bounded output.
final class XlsxStreamingTests: XCTestCase {
    /// Inflates `compressed` with its input handed over `inputPiece` bytes at a time and the output
    /// taken in chunks of `chunkSize`.
    static func inflate(_ compressed: [UInt8], inputPiece: Int, chunkSize: Int) throws -> [UInt8] {
        var at = 0
        let stream = InflateStream(chunkSize: chunkSize) { () -> ArraySlice<UInt8> in
            let k = min(inputPiece, compressed.count - at)
            defer { at += k }
            return compressed[at..<(at + k)]
        }
        var out: [UInt8] = []
        while let chunk = try stream.next() {
            XCTAssertLessThanOrEqual(chunk.count, max(chunkSize, 1024) + 257, "a chunk passes its size by one match at most")
            out.append(contentsOf: chunk)
        }
        XCTAssertEqual(stream.produced, out.count)
        // Every compressed byte was consumed (the count the ZIP ratio cap divides by), however the
        // pieces were sliced.
        XCTAssertEqual(stream.consumed, compressed.count, "consumed, pieces of \(inputPiece)")
        return out
    }

    func testZlibLevelsFedInPieces() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("in.bin")
        try Data(InflateTests.sample).write(to: input)
        let cases: [(String, String)] = [
            ("level 0 (stored)", "zlib.compressobj(0, zlib.DEFLATED, -15)"),
            ("level 1", "zlib.compressobj(1, zlib.DEFLATED, -15)"),
            ("level 6", "zlib.compressobj(6, zlib.DEFLATED, -15)"),
            ("level 9", "zlib.compressobj(9, zlib.DEFLATED, -15)"),
            ("fixed", "zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_FIXED)"),
            ("dynamic, small window", "zlib.compressobj(6, zlib.DEFLATED, -9)"),
        ]
        for (name, make) in cases {
            let compressed = try InflateTests.python(
                "import sys,zlib; d=open('\(input.path)','rb').read(); c=\(make); "
                    + "sys.stdout.buffer.write(c.compress(d)+c.flush())")
            for (piece, chunk) in [(1, 1024), (7, 4096), (4096, 1 << 16), (compressed.count, 1 << 18)] {
                let out = try Self.inflate(compressed, inputPiece: piece, chunkSize: chunk)
                XCTAssertTrue(out == InflateTests.sample, "\(name), input pieces of \(piece), chunks of \(chunk)")
            }
        }
    }

    /// Files compressed by the `gzip` tool at levels 1, 6 and 9 (a raw DEFLATE body between a
    /// 10-byte header and an 8-byte CRC-32/size trailer; `-n` leaves out the name and time).
    func testGzipToolLevels() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("sample.bin")
        // Long enough that distances reach back the whole 32 KiB window.
        let text = Array(String(repeating: "巩固拓展脱贫攻坚成果 survey,2024,是,否\n", count: 3000).utf8)
        let data = text + InflateTests.sample
        try Data(data).write(to: input)
        for level in [1, 6, 9] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/gzip")
            p.arguments = ["-\(level)", "-n", "-c", input.path]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let gz = Array(pipe.fileHandleForReading.readDataToEndOfFile())
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            XCTAssertEqual(Array(gz[0..<3]), [0x1F, 0x8B, 0x08])
            XCTAssertEqual(gz[3], 0, "no optional header fields with -n")
            let body = Array(gz[10..<(gz.count - 8)])
            let out = try Self.inflate(body, inputPiece: 333, chunkSize: 1 << 12)
            XCTAssertTrue(out == data, "gzip -\(level)")
            let t = gz.count - 8
            let crc = UInt32(gz[t]) | UInt32(gz[t + 1]) << 8 | UInt32(gz[t + 2]) << 16 | UInt32(gz[t + 3]) << 24
            let size = UInt32(gz[t + 4]) | UInt32(gz[t + 5]) << 8 | UInt32(gz[t + 6]) << 16 | UInt32(gz[t + 7]) << 24
            XCTAssertEqual(CRC32.checksum(out), crc, "gzip -\(level)")
            XCTAssertEqual(Int(size), data.count)
        }
    }

    func testTruncatedStreamFedInPiecesFails() throws {
        let good = try InflateTests.python(
            "import sys,zlib; c=zlib.compressobj(6, zlib.DEFLATED, -15); "
                + "sys.stdout.buffer.write(c.compress(b'gonggu ' * 20000 + bytes(range(256)) * 50)+c.flush())")
        for cut in [1, 2, good.count / 3, good.count - 1] {
            XCTAssertThrowsError(try Self.inflate(Array(good.prefix(cut)), inputPiece: 5, chunkSize: 1024)) { error in
                XCTAssertEqual(error as? Inflate.Failure, .truncated, "cut at \(cut)")
            }
        }
    }

    /// A part scanned whole and fed in pieces of every size gives the same events.
    func testScannerFedAtEverySplit() throws {
        let xml = Array(
            ("<?xml version=\"1.0\"?>\n<!-- a comment > with a bracket --><x:worksheet xmlns:x=\"ns\">"
                + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>巩&amp;固 &#x4E00;&lt;</t></is></c>"
                + "<c r='B1' s=\"3\"><v>45366</v></c></row><row r=\"2\"><c r=\"C2\" t=\"s\"><v>0</v></c>"
                + "<c r=\"D2\"><v><![CDATA[1<2]]></v></c></row></sheetData></x:worksheet>\n").utf8)
        var whole = Recorder()
        try XMLScanner.scan(xml, &whole)
        XCTAssertTrue(whole.events.contains("text:巩&固 一<"), "\(whole.events)")
        XCTAssertTrue(whole.events.contains("start:c[r=B1,s=3,t=]"), "\(whole.events)")
        XCTAssertTrue(whole.events.contains("text:1<2"), "\(whole.events)")
        for size in 1...40 {
            var r = Recorder()
            var scanner = XMLScanner()
            var i = 0
            try xml.withUnsafeBufferPointer { b in
                while i < b.count {
                    let k = min(size, b.count - i)
                    try scanner.feed(UnsafeBufferPointer(rebasing: b[i..<(i + k)]), final: i + k == b.count, &r)
                    i += k
                }
            }
            XCTAssertEqual(r.joinedText, whole.joinedText, "pieces of \(size)")
            XCTAssertEqual(r.tags, whole.tags, "pieces of \(size)")
        }
        // Unfinished markup at the end is an error, in pieces as whole.
        var r = Recorder()
        var scanner = XMLScanner()
        try Array("<row r=\"1\"><c r=\"A".utf8).withUnsafeBufferPointer { b in
            XCTAssertThrowsError(try scanner.feed(b, final: true, &r))
        }
    }

    struct Recorder: XMLScanner.Delegate {
        var events: [String] = []
        mutating func start(_ name: XMLName, _ a: XMLAttributes) {
            let n = String(decoding: name.bytes, as: UTF8.self)
            events.append("start:\(n)[r=\(a["r"] ?? ""),s=\(a["s"] ?? ""),t=\(a["t"] ?? "")]")
        }
        mutating func end(_ name: XMLName) { events.append("end:" + String(decoding: name.bytes, as: UTF8.self)) }
        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
            events.append("text:" + String(decoding: bytes, as: UTF8.self))
        }
        /// Text runs may arrive split; tags may not.
        var tags: [String] { events.filter { !$0.hasPrefix("text:") } }
        var joinedText: String { events.filter { $0.hasPrefix("text:") }.map { String($0.dropFirst(5)) }.joined() }
    }

    // MARK: ZIP bombs

    /// A copy of the survey fixture whose `part` inflates to 1 GiB of `0` characters from about
    /// 1 MiB, written by Python's zlib in 1 MiB pieces (Python never holds the 1 GiB); its central
    /// directory and local header declare `declared` bytes (default: the truth).
    static func bomb(declared: Int? = nil, part: String = "xl/worksheets/sheet1.xml") throws -> [UInt8] {
        var bytes = try bombs[part] ?? writeBomb(part: part)
        bombs[part] = bytes
        if let declared {
            // Rewrite the uncompressed size in the last central directory entry and its local header.
            var cd = bytes.count - 22
            while !(bytes[cd] == 0x50 && bytes[cd + 1] == 0x4B && bytes[cd + 2] == 1 && bytes[cd + 3] == 2) { cd -= 1 }
            let local = Int(ZipArchive.u32(bytes, cd + 42))
            for k in 0..<4 {
                bytes[cd + 24 + k] = UInt8(truncatingIfNeeded: declared >> (8 * k))
                bytes[local + 22 + k] = bytes[cd + 24 + k]
            }
        }
        return bytes
    }

    nonisolated(unsafe) private static var bombs: [String: [UInt8]] = [:]

    private static func writeBomb(part: String) throws -> [UInt8] {
        try InflateTests.python(
            """
            import io, struct, sys, zlib, zipfile
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            crc, body = 0, []
            head = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            body.append(c.compress(head)); crc = zlib.crc32(head, crc)
            zeros = b'0' * (1 << 20)
            for _ in range(1024):
                body.append(c.compress(zeros)); crc = zlib.crc32(zeros, crc)
            body.append(c.flush())
            data = b''.join(body)
            size = len(head) + (1 << 30)
            declared = size
            src = zipfile.ZipFile('\(try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/xlsx/survey.xlsx", withExtension: nil)).path)')
            b = io.BytesIO()
            z = zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED)
            for i in src.infolist():
                if i.filename != '\(part)': z.writestr(i.filename, src.read(i))
            z.close()
            out = bytearray(b.getvalue())
            # Append the bomb entry by hand: local header, data, then a new central directory.
            eocd = out.rfind(b'PK\\x05\\x06')
            cd_off, = struct.unpack('<I', out[eocd+16:eocd+20]); cd_size, = struct.unpack('<I', out[eocd+12:eocd+16])
            count, = struct.unpack('<H', out[eocd+10:eocd+12])
            cd = bytes(out[cd_off:cd_off+cd_size]); body_end = cd_off
            name = b'\(part)'
            local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0x21, crc, len(data), declared, len(name), 0) + name
            entry = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc, len(data), declared,
                                len(name), 0, 0, 0, 0, 0, body_end) + name
            new = bytes(out[:body_end]) + local + data
            cd_start = len(new)
            new += cd + entry
            new += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count + 1, count + 1, len(cd) + len(entry), cd_start, 0)
            sys.stdout.buffer.write(new)
            """)
    }

    /// Drains `entry`, counting what it handed out before refusing.
    static func drain(_ zip: ZipArchive, _ name: String) -> (bytes: Int, error: ZipArchive.Failure?) {
        var total = 0
        do {
            let stream = try zip.stream(XCTUnwrap(zip.entry(name)))
            while let chunk = try stream.next() { total += chunk.count }
        } catch let e as ZipArchive.Failure {
            return (total, e)
        } catch {
            return (total, nil)
        }
        return (total, nil)
    }

    func testGigabyteEntryRefusedWhileInflating() throws {
        let sheet = "xl/worksheets/sheet1.xml"
        // Declared truthfully (1 GiB): over the 512 MiB entry cap, refused before inflating a byte.
        let honest = try Self.bomb()
        XCTAssertLessThan(honest.count, 2 << 20, "a 1 GiB part in about a megabyte")
        let zip = try ZipArchive(honest)
        XCTAssertEqual(zip.entry(sheet)?.uncompressedSize, (1 << 30) + 64)
        let h = Self.drain(zip, sheet)
        XCTAssertEqual(h.error, .tooLarge(sheet))
        XCTAssertEqual(h.bytes, 0)

        // Declaring 100 MB (under the cap, and a plausible 100:1 ratio on paper): the ratio is
        // checked on what actually inflates, so it stops after the first chunks, not at 100 MB.
        let lying = try Self.bomb(declared: 100_000_000)
        let l = Self.drain(try ZipArchive(lying), sheet)
        XCTAssertEqual(l.error, .tooLarge(sheet))
        XCTAssertLessThanOrEqual(l.bytes, 2 << 20, "refused after at most 2 MiB of output")

        // Declaring 1 KiB: inflating stops at the declared size.
        let small = try Self.bomb(declared: 1024)
        let s = Self.drain(try ZipArchive(small), sheet)
        XCTAssertEqual(s.error, .tooLarge(sheet))
        XCTAssertLessThanOrEqual(s.bytes, 1 << 18)

        // Through intake, from a file and from a pipe: the Chinese refusal, no rows.
        let dir = try temporaryDirectory()
        for (name, bytes) in [("honest.xlsx", honest), ("lying.xlsx", lying)] {
            let path = dir.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let context = IntakeContext(kind: .survey, source: name, importID: EventID.derived(name), receivedAt: 0)
            let reader = try IntakeReader(path: path, context: context)
            XCTAssertThrowsError(try reader.next()) { error in
                let e = error as? IntakeFileError
                XCTAssertEqual(e?.code, .workbook, name)
                XCTAssertTrue(e?.message.contains("疑似压缩炸弹") ?? false, e?.message ?? "\(error)")
            }
            XCTAssertEqual(reader.summary.read, 0)
            var fds: [Int32] = [0, 0]
            XCTAssertEqual(pipe(&fds), 0)
            let writer = Thread {
                bytes.withUnsafeBytes { p in
                    var done = 0
                    while done < p.count {
                        let n = write(fds[1], p.baseAddress! + done, p.count - done)
                        if n <= 0 { break }
                        done += n
                    }
                }
                close(fds[1])
            }
            writer.start()
            let piped = IntakeReader(fileDescriptor: fds[0], context: context, format: .xlsx)
            XCTAssertThrowsError(try piped.next()) { error in
                XCTAssertTrue((error as? IntakeFileError)?.message.contains("疑似压缩炸弹") ?? false, "\(error)")
            }
            close(fds[0])
        }
    }

    /// The bomb in the shared strings, which are read whole into memory: stopped the same way.
    func testBombInSharedStringsRefused() throws {
        let part = "xl/sharedStrings.xml"
        let bytes = try Self.bomb(declared: 100_000_000, part: part)
        let l = Self.drain(try ZipArchive(bytes), part)
        XCTAssertEqual(l.error, .tooLarge(part))
        XCTAssertLessThanOrEqual(l.bytes, 2 << 20)
        XCTAssertThrowsError(try XlsxWorkbook(bytes)) { error in
            XCTAssertEqual(error as? XlsxWorkbook.Failure, .zip(.tooLarge(part)))
        }
    }

    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}

import Foundation
import XCTest

@testable import GongguIntake

/// The ZIP reader against archives written by Python's `zipfile` (an independent writer).
final class ZipArchiveTests: XCTestCase {
    /// An archive made by `zipfile` in Python; `body` is Python run with `z` open for writing.
    static func pythonZip(_ body: String, options: String = "") throws -> [UInt8] {
        try InflateTests.python(
            "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w'\(options))\n\(body)\nz.close()\n"
                + "sys.stdout.buffer.write(b.getvalue())")
    }

    func testStoredAndDeflatedEntries() throws {
        let bytes = try Self.pythonZip(
            "z.writestr('a.txt', 'stored text', compress_type=zipfile.ZIP_STORED)\n"
                + "z.writestr('xl/b.xml', '<x>' + '巩固' * 5000 + '</x>', compress_type=zipfile.ZIP_DEFLATED, "
                + "compresslevel=9)\nz.writestr('empty', b'', compress_type=zipfile.ZIP_DEFLATED)\n"
                + "z.comment = b'a trailing comment'")
        XCTAssertTrue(ZipArchive.looksLikeZip(bytes))
        let zip = try ZipArchive(bytes)
        XCTAssertEqual(zip.entries.map(\.name), ["a.txt", "xl/b.xml", "empty"])
        XCTAssertEqual(zip.entries.map(\.method), [0, 8, 8])
        XCTAssertEqual(try zip.data(named: "a.txt").map { String(decoding: $0, as: UTF8.self) }, "stored text")
        let b = try XCTUnwrap(try zip.data(named: "xl/b.xml"))
        XCTAssertEqual(String(decoding: b, as: UTF8.self), "<x>" + String(repeating: "巩固", count: 5000) + "</x>")
        XCTAssertEqual(try zip.data(named: "empty"), [])
        XCTAssertNil(try zip.data(named: "missing"))
    }

    func testNotZipAndCorruptData() throws {
        XCTAssertThrowsError(try ZipArchive(Array("身份证号,姓名\n".utf8))) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .notZip)
        }
        var bytes = try Self.pythonZip(
            "z.writestr('a.txt', 'hello hello hello hello', compress_type=zipfile.ZIP_STORED)")
        let zip = try ZipArchive(bytes)
        XCTAssertNotNil(try zip.data(named: "a.txt"))
        // Flip one stored data byte: the CRC-32 no longer matches.
        let at = 30 + "a.txt".utf8.count + 3
        bytes[at] ^= 0x20
        XCTAssertThrowsError(try ZipArchive(bytes).data(named: "a.txt")) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .checksum("a.txt"))
        }
    }

    func testEncryptedEntryRefused() throws {
        var bytes = try Self.pythonZip("z.writestr('xl/workbook.xml', '<workbook/>')")
        // Set general-purpose bit 0 in the local header and the central directory entry.
        bytes[6] |= 1
        let cd = try XCTUnwrap(Self.find([0x50, 0x4B, 0x01, 0x02], in: bytes))
        bytes[cd + 8] |= 1
        let zip = try ZipArchive(bytes)
        XCTAssertTrue(zip.entries[0].isEncrypted)
        XCTAssertThrowsError(try zip.data(named: "xl/workbook.xml")) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .encrypted("xl/workbook.xml"))
        }
    }

    func testZip64Refused() throws {
        // A ZIP64 extra field on a small entry: the central directory still holds the real sizes,
        // so the entry is readable.
        let small = try Self.pythonZip("with z.open('big', 'w', force_zip64=True) as f: f.write(b'x' * 100)")
        XCTAssertEqual(try ZipArchive(small).data(named: "big"), [UInt8](repeating: UInt8(ascii: "x"), count: 100))
        // Sizes only ZIP64 records can hold: refused.
        var bytes = try Self.pythonZip("z.writestr('a', 'abc')")
        let cd = try XCTUnwrap(Self.find([0x50, 0x4B, 0x01, 0x02], in: bytes))
        for k in 20..<28 { bytes[cd + k] = 0xFF }
        XCTAssertThrowsError(try ZipArchive(bytes)) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .zip64)
        }
        // More than 65535 entries: a ZIP64 end of central directory record.
        let many = try Self.pythonZip("for i in range(65536): z.writestr('e%d' % i, b'')")
        XCTAssertThrowsError(try ZipArchive(many)) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .zip64)
        }
    }

    func testBombRefusedBySizeAndRatio() throws {
        let bytes = try Self.pythonZip(
            "z.writestr('xl/worksheets/sheet1.xml', bytes(30_000_000), compress_type=zipfile.ZIP_DEFLATED)")
        // Declared 30 MB from ~30 KB: over 200:1.
        XCTAssertThrowsError(try ZipArchive(bytes).data(named: "xl/worksheets/sheet1.xml")) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .tooLarge("xl/worksheets/sheet1.xml"))
        }
        // Over the per-entry cap.
        XCTAssertThrowsError(try ZipArchive(bytes, maxEntrySize: 1 << 20, maxRatio: 100_000).data(
            named: "xl/worksheets/sheet1.xml")
        ) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .tooLarge("xl/worksheets/sheet1.xml"))
        }
        // A lying directory (declares 1 KiB): inflating stops at the declared size, not at 30 MB.
        var lying = bytes
        let cd = try XCTUnwrap(Self.find([0x50, 0x4B, 0x01, 0x02], in: lying))
        lying[cd + 24] = 0x00
        lying[cd + 25] = 0x04
        lying[cd + 26] = 0
        lying[cd + 27] = 0
        XCTAssertThrowsError(try ZipArchive(lying).data(named: "xl/worksheets/sheet1.xml")) { error in
            XCTAssertEqual(error as? ZipArchive.Failure, .tooLarge("xl/worksheets/sheet1.xml"))
        }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where Array(bytes[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

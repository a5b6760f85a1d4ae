import Foundation
import XCTest

@testable import GongguIntake

/// DEFLATE and CRC-32 against what Python's zlib (the reference implementation) produces.
final class InflateTests: XCTestCase {
    /// Runs `/usr/bin/python3` with `script`, which writes bytes to stdout.
    static func python(_ script: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["python": script]) }
        return Array(data)
    }

    /// A sample with repeats, runs and noise, so every block kind and long distances occur.
    static let sample: [UInt8] = {
        var bytes: [UInt8] = []
        var x: UInt32 = 12345
        for i in 0..<200_000 {
            x = x &* 1_103_515_245 &+ 12345
            if i % 7000 < 3000 {
                bytes.append(UInt8(ascii: "a") + UInt8(i % 26))
            } else if i % 7000 < 5000 {
                bytes.append(UInt8(truncatingIfNeeded: x >> 16))
            } else {
                bytes.append(Array("巩固拓展残疾人脱贫攻坚成果,".utf8)[i % 40])
            }
        }
        return bytes
    }()

    func testCRC32KnownValues() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        var crc = CRC32()
        crc.update(Array("1234".utf8))
        crc.update(Array("56789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }

    func testZlibLevelsAndStrategies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inflate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.bin")
        try Data(Self.sample).write(to: input)
        // level 0 = stored blocks, Z_FIXED = fixed Huffman only, the others dynamic Huffman.
        let cases: [(String, String)] = [
            ("level 0", "zlib.compressobj(0, zlib.DEFLATED, -15)"),
            ("level 1", "zlib.compressobj(1, zlib.DEFLATED, -15)"),
            ("level 6", "zlib.compressobj(6, zlib.DEFLATED, -15)"),
            ("level 9", "zlib.compressobj(9, zlib.DEFLATED, -15)"),
            ("fixed", "zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_FIXED)"),
            ("huffman only", "zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_HUFFMAN_ONLY)"),
            ("rle", "zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)"),
        ]
        for (name, make) in cases {
            let compressed = try Self.python(
                "import sys,zlib; d=open('\(input.path)','rb').read(); c=\(make); "
                    + "sys.stdout.buffer.write(c.compress(d)+c.flush())")
            let out = try Inflate.inflate(compressed)
            XCTAssertEqual(out.count, Self.sample.count, name)
            XCTAssertTrue(out == Self.sample, name)
            XCTAssertEqual(CRC32.checksum(out), UInt32(try Self.python(
                "import sys,zlib; sys.stdout.write(str(zlib.crc32(open('\(input.path)','rb').read())))"
            ).reduce("") { $0 + String(UnicodeScalar($1)) })!, name)
        }
    }

    func testGzipMemberBody() throws {
        // gzip wraps raw DEFLATE after a 10-byte header (no name: mtime 0, no FNAME); 8-byte trailer.
        let gz = try Self.python(
            "import sys,gzip; sys.stdout.buffer.write(gzip.compress(b'hello hello hello gonggu ' * 50, 9, mtime=0))")
        XCTAssertEqual(Array(gz[0..<2]), [0x1F, 0x8B])
        let body = Array(gz[10..<(gz.count - 8)])
        let out = try Inflate.inflate(body)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), String(repeating: "hello hello hello gonggu ", count: 50))
        let crc = UInt32(gz[gz.count - 8]) | UInt32(gz[gz.count - 7]) << 8 | UInt32(gz[gz.count - 6]) << 16
            | UInt32(gz[gz.count - 5]) << 24
        XCTAssertEqual(CRC32.checksum(out), crc)
    }

    func testLimitStopsWhileInflating() throws {
        let bomb = try Self.python(
            "import sys,zlib; c=zlib.compressobj(9, zlib.DEFLATED, -15); "
                + "sys.stdout.buffer.write(c.compress(bytes(20_000_000))+c.flush())")
        XCTAssertLessThan(bomb.count, 100_000)
        XCTAssertThrowsError(try Inflate.inflate(bomb, limit: 1 << 20)) { error in
            XCTAssertEqual(error as? Inflate.Failure, .tooLarge)
        }
        var checked = 0
        XCTAssertThrowsError(
            try Inflate.inflate(bomb) { consumed, produced throws(Inflate.Failure) in
                checked += 1
                if produced > 4 << 20, produced / max(consumed, 1) > 200 { throw .tooLarge }
            }
        ) { error in XCTAssertEqual(error as? Inflate.Failure, .tooLarge) }
        XCTAssertGreaterThan(checked, 10)
    }

    func testCorruptAndTruncatedStreams() throws {
        let good = try Self.python(
            "import sys,zlib; c=zlib.compressobj(6, zlib.DEFLATED, -15); "
                + "sys.stdout.buffer.write(c.compress(b'abcdefghij' * 1000)+c.flush())")
        XCTAssertThrowsError(try Inflate.inflate(Array(good.prefix(good.count / 2)))) { error in
            XCTAssertEqual(error as? Inflate.Failure, .truncated)
        }
        // Block type 3 (bits 1,1 after BFINAL) is reserved.
        XCTAssertThrowsError(try Inflate.inflate([0x07, 0x00])) { error in
            guard case .corrupt = error as? Inflate.Failure else { return XCTFail("\(error)") }
        }
        // Stored block whose NLEN is not the complement of LEN.
        XCTAssertThrowsError(try Inflate.inflate([0x01, 0x05, 0x00, 0x00, 0x00])) { error in
            guard case .corrupt = error as? Inflate.Failure else { return XCTFail("\(error)") }
        }
        // Fixed block starting with a back-reference (distance beyond the output).
        XCTAssertThrowsError(try Inflate.inflate([0x03, 0x02, 0x00, 0x00])) { error in
            XCTAssertNotNil(error as? Inflate.Failure)
        }
    }
}

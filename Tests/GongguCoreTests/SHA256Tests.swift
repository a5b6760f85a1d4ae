import XCTest

@testable import GongguCore

/// FIPS 180-4 example vectors (NIST "SHA256.pdf" examples and the one-million-'a' vector).
final class SHA256Tests: XCTestCase {
    static let vectors: [(message: [UInt8], digest: String)] = [
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array(repeating: UInt8(ascii: "a"), count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    func testFIPSVectors() {
        for (message, digest) in Self.vectors {
            XCTAssertEqual(SHA256.hash(message).hexString, digest, "\(message.count) bytes")
        }
        XCTAssertEqual(SHA256.hash("abc").hexString, Self.vectors[0].digest)
    }

    func testIncrementalUpdatesSplitAtEveryOffset() {
        for (message, digest) in Self.vectors where message.count < 1_000 {
            for split in 0...message.count {
                var h = SHA256()
                h.update(message[..<split])
                h.update(message[split...])
                XCTAssertEqual(h.finalize().hexString, digest, "split at \(split)")
            }
        }
        // Every split of a message long enough to cross block and padding boundaries (0…200 bytes).
        let long = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for length in [55, 56, 63, 64, 65, 119, 120, 128, 200] {
            let message = Array(long.prefix(length))
            let whole = SHA256.hash(message)
            for split in 0...length {
                var h = SHA256()
                h.update(message[..<split])
                h.update(message[split...])
                XCTAssertEqual(h.finalize(), whole, "length \(length) split \(split)")
            }
            var bytewise = SHA256()
            for b in message { bytewise.update([b]) }
            XCTAssertEqual(bytewise.finalize(), whole, "length \(length) byte by byte")
        }
    }

    func testMillionAInChunksAndFinalizeInto() {
        var h = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 { h.update(chunk) }
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { h.finalize(into: $0) }
        XCTAssertEqual(out.hexString, Self.vectors[3].digest)
    }

    func testNonContiguousCollection() {
        XCTAssertEqual(SHA256.hash("abc".utf8).hexString, Self.vectors[0].digest)
        XCTAssertEqual(SHA256.hash(Array("abc".utf8).lazy.map { $0 }).hexString, Self.vectors[0].digest)
    }

    func testHexRoundTrip() {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff]
        XCTAssertEqual(bytes.hexString, "0001abff")
        XCTAssertEqual([UInt8](hexString: "0001ABff"), bytes)
        XCTAssertNil([UInt8](hexString: "abc"))
        XCTAssertNil([UInt8](hexString: "zz"))
    }
}

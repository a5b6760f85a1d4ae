import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// The two SHA-256 engines of the chain — the x86 SHA extensions (GongguSHANI) and the Swift one in
/// GongguCore — against the FIPS 180-4 examples and each other, and a log written by either verified by
/// either. Hardware cases are skipped, naming the reason, on a CPU without SHA-NI (they never pass
/// silently there).
final class SHA256EngineTests: StoreTestCase {
    /// FIPS 180-4 example messages (NIST CSRC "Examples with Intermediate Values").
    static let vectors: [(name: String, message: [UInt8], digest: String)] = [
        ("abc", Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("448-bit, two blocks", Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("empty", [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("one million 'a'", Array(repeating: UInt8(ascii: "a"), count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    private func requireHardware() throws {
        guard SHA256Engine.hardwareAvailable else {
            throw XCTSkip("this CPU lacks SHA-NI or SSE4.1 (CPUID leaf 7 EBX bit 29, leaf 1 ECX bit 19), or is not x86-64")
        }
    }

    private static func digest(_ engine: SHA256Engine, _ message: [UInt8], pieces: [Int] = []) -> String {
        var h = SHA256Engine.hasher(engine)
        var start = 0
        for size in pieces where start < message.count {
            let end = min(message.count, start + size)
            h.update(message[start..<end])
            start = end
        }
        h.update(message[start...])
        return h.finalize().hexString
    }

    func testSoftwareEngineMeetsTheFIPSVectors() {
        for v in Self.vectors {
            XCTAssertEqual(Self.digest(.software, v.message), v.digest, v.name)
        }
    }

    func testHardwareEngineMeetsTheFIPSVectors() throws {
        try requireHardware()
        for v in Self.vectors {
            XCTAssertEqual(Self.digest(.hardware, v.message), v.digest, v.name)
            // The same bytes fed in uneven pieces (partial blocks, several blocks in one call).
            XCTAssertEqual(Self.digest(.hardware, v.message, pieces: [1, 63, 2, 130, 7]), v.digest, "\(v.name), in pieces")
        }
    }

    /// Every length 0…300 (the padding's one-block and two-block cases, the chain step's 32 + message),
    /// random bytes from a fixed seed, whole and split at a random point.
    func testHardwareAndSoftwareAgreeOnEveryLengthUpTo300() throws {
        try requireHardware()
        var rng = SplitMix64(seed: 0x5348_414e_4924)
        for length in 0...300 {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let split = length == 0 ? 0 : Int(rng.next() % UInt64(length + 1))
            let software = Self.digest(.software, message)
            XCTAssertEqual(Self.digest(.hardware, message), software, "length \(length)")
            XCTAssertEqual(Self.digest(.hardware, message, pieces: [split]), software, "length \(length) split at \(split)")
            XCTAssertEqual(Self.digest(.software, message, pieces: [split]), software, "length \(length) split at \(split)")
        }
    }

    func testTheChoice() {
        XCTAssertEqual(SHA256Engine.choose(environment: nil, cpuHasSHANI: true).engine, .hardware)
        XCTAssertEqual(SHA256Engine.choose(environment: "auto", cpuHasSHANI: true).engine, .hardware)
        XCTAssertEqual(SHA256Engine.choose(environment: nil, cpuHasSHANI: false).engine, .software)
        XCTAssertEqual(SHA256Engine.choose(environment: "software", cpuHasSHANI: true).engine, .software)
        let odd = SHA256Engine.choose(environment: "sha-ni", cpuHasSHANI: false)
        XCTAssertEqual(odd.engine, .software, "only auto and software are read; anything else is software")
        XCTAssertTrue(odd.reason.contains("GONGGU_SHA256=sha-ni"), odd.reason)
        // The process's choice follows the same rule.
        let env = ProcessInfo.processInfo.environment[SHA256Engine.environmentVariable]
        XCTAssertEqual(
            SHA256Engine.selected.engine,
            SHA256Engine.choose(environment: env, cpuHasSHANI: SHA256Engine.hardwareAvailable).engine)
    }

    /// A log appended with one engine verifies with the other (`verify`, what `gonggu log verify` runs),
    /// in small batches hashed inline and large ones hashed on the second
    /// thread; its stored hashes are `CanonicalEncoding.chainHash`'s.
    func testALogWrittenByEitherEngineVerifiesWithEither() throws {
        try requireHardware()
        for (writer, checker) in [(SHA256Engine.hardware, SHA256Engine.software), (.software, .hardware)] {
            let log = try makeLog("written-by-\(writer).sqlite")
            log.chainEngine = writer
            var start = 0
            for batch in [1, 7, 300, 1_000] {
                try log.append(sampleEvents(batch, from: start), recordedAt: 1_000)
                start += batch
            }
            log.chainEngine = checker
            guard case let .intact(count, head) = try log.verify() else {
                return XCTFail("written with \(writer), verify with \(checker): \(try log.verify())")
            }
            XCTAssertEqual(count, 1_308)
            XCTAssertEqual(head, try log.headHash)
            var previous = CanonicalEncoding.genesis
            var scratch: [UInt8] = []
            for e in try log.read(after: 0, limit: 2_000) {
                previous = CanonicalEncoding.chainHash(previous: previous, event: e, scratch: &scratch)
            }
            XCTAssertEqual(previous, head, "written with \(writer): the chain is SHA-256's")
        }
    }
}

/// A small seeded generator (SplitMix64), so the random lengths are the same in every run.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A follower chains its upstream's hash forward over each consumed event (`ServiceHost`'s anchors, the
/// `throughHash` of its markers) with the process's engine: the same hashes as the log's own chain.
final class ChainHashEngineTests: StoreTestCase {
    func testChainHashOnEitherEngineIsTheLogsChain() throws {
        guard SHA256Engine.hardwareAvailable else {
            throw XCTSkip("this CPU lacks SHA-NI or SSE4.1 (CPUID leaf 7 EBX bit 29, leaf 1 ECX bit 19), or is not x86-64")
        }
        let log = try makeLog()
        let recorded = try log.append(sampleEvents(300), recordedAt: 1_700_000_000_000)
        var soft = CanonicalEncoding.genesis, hard = CanonicalEncoding.genesis
        var scratch: [UInt8] = []
        for e in recorded {
            soft = CanonicalEncoding.chainHash(previous: soft, event: e, scratch: &scratch)
            hard = CanonicalEncoding.chainHash(
                previous: hard, event: e, scratch: &scratch, hasher: SHA256Engine.hasher(.hardware))
            XCTAssertEqual(hard, soft, "seq \(e.seq)")
        }
        XCTAssertEqual(hard, try log.headHash)
    }
}

import Foundation
import GongguCore
import GongguStore

/// `gonggu-bench sha`: the SHA-256 in GongguCore against the version it replaced (`LegacySHA256`)
/// and against the x86 SHA extensions (GongguSHANI through `SHA256Engine.hardware`, when the CPU has
/// them), side by side in one run: each first checked against the FIPS 180-4 example vectors, then
/// bulk throughput and the log's chain step (32-byte previous hash + 450-byte message). Each figure
/// is the best of five alternating runs, so all see the same machine state.
enum SHABench {
    static let vectors: [(message: [UInt8], digest: String)] = [
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array(repeating: UInt8(ascii: "a"), count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    static func run() throws -> [BenchRow] {
        for (message, digest) in vectors {
            guard SHA256.hash(message).hexString == digest else { throw StoreBenchError("SHA256 fails a FIPS vector") }
            var legacy = LegacySHA256()
            legacy.update(message)
            guard legacy.finalize().hexString == digest else { throw StoreBenchError("LegacySHA256 fails a FIPS vector") }
            if hardware {
                var h = HardwareSHA256()
                h.update(message)
                guard h.finalize().hexString == digest else { throw StoreBenchError("SHA-NI fails a FIPS vector") }
            }
        }
        var new = (bulk: 0.0, chain: 0.0), old = (bulk: 0.0, chain: 0.0), ni = (bulk: 0.0, chain: 0.0)
        for _ in 0..<5 {
            let n = rates(SHA256.self), o = rates(LegacySHA256.self)
            new = (max(new.bulk, n.bulk), max(new.chain, n.chain))
            old = (max(old.bulk, o.bulk), max(old.chain, o.chain))
            if hardware {
                let h = rates(HardwareSHA256.self)
                ni = (max(ni.bulk, h.bulk), max(ni.chain, h.chain))
            }
        }
        let note = "FIPS 180-4 vectors pass for \(hardware ? "all three" : "both"); best of 5 alternating runs"
        let engine = SHA256Engine.selected
        var rows: [BenchRow] = []
        if hardware {
            rows += [
                BenchRow(name: "SHA-256 bulk, SHA-NI", value: ni.bulk, unit: "MB/s", note: "GongguSHANI, same input"),
                BenchRow(name: "SHA-256 bulk, SHA-NI / current", value: ni.bulk / new.bulk, unit: "ratio", note: ""),
                BenchRow(name: "SHA-256 chain, SHA-NI", value: ni.chain, unit: "hashes/s", note: "GongguSHANI"),
                BenchRow(name: "SHA-256 chain, SHA-NI / current", value: ni.chain / new.chain, unit: "ratio", note: ""),
            ]
        }
        rows.append(BenchRow(
            name: "SHA-256 engine of the log's chain", value: engine.engine == .hardware ? 1 : 0, unit: "1 = SHA-NI",
            note: "\(engine.engine.rawValue): \(engine.reason)\(hardware ? "" : "; no SHA-NI rows: the CPU lacks it")"))
        return [
            BenchRow(name: "SHA-256 bulk, current (Swift)", value: new.bulk, unit: "MB/s", note: "64 MiB in 1 MiB updates; \(note)"),
            BenchRow(name: "SHA-256 bulk, legacy", value: old.bulk, unit: "MB/s", note: "LegacySHA256, same input"),
            BenchRow(name: "SHA-256 bulk, current / legacy", value: new.bulk / old.bulk, unit: "ratio", note: ""),
            BenchRow(name: "SHA-256 chain, current (Swift)", value: new.chain, unit: "hashes/s",
                     note: "32-byte previous hash + 450-byte message, as in the log's chain"),
            BenchRow(name: "SHA-256 chain, legacy", value: old.chain, unit: "hashes/s", note: "LegacySHA256"),
            BenchRow(name: "SHA-256 chain, current / legacy", value: new.chain / old.chain, unit: "ratio", note: ""),
        ] + rows
    }

    private static var hardware: Bool { SHA256Engine.hardwareAvailable }

    private static func rates<H: BenchHasher>(_: H.Type) -> (bulk: Double, chain: Double) {
        let block = [UInt8](repeating: 0x61, count: 1 << 20)
        var start = DispatchTime.now().uptimeNanoseconds
        var hasher = H()
        for _ in 0..<64 { hasher.update(block) }
        var digest = hasher.finalize()
        let bulk = 64 * 1_048_576 / elapsed(start) / 1e6
        let message = [UInt8](repeating: 0x62, count: 450)
        let rounds = 200_000
        start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            var h = H()
            h.update(digest)
            h.update(message)
            digest = h.finalize()
        }
        let chain = Double(rounds) / elapsed(start)
        return (bulk, digest.isEmpty ? 0 : chain)
    }

    private static func elapsed(_ start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// What `SHABench` needs of a SHA-256 implementation.
protocol BenchHasher {
    init()
    mutating func update(_ bytes: [UInt8])
    mutating func finalize() -> [UInt8]
}

extension SHA256: BenchHasher {}

/// `SHA256` on the x86 SHA extensions (call only when `SHA256Engine.hardwareAvailable`).
struct HardwareSHA256: BenchHasher {
    private var hasher = SHA256Engine.hasher(.hardware)
    init() {}
    mutating func update(_ bytes: [UInt8]) { hasher.update(bytes) }
    mutating func finalize() -> [UInt8] { hasher.finalize() }
}
extension LegacySHA256: BenchHasher {}

import Foundation
import GongguCore
import GongguStore

/// `gonggu-bench sha`: the Swift SHA-256 in GongguCore against the x86 SHA extensions (GongguSHANI
/// through `SHA256Engine.hardware`, when the CPU has them), side by side in one run: each first checked
/// against the FIPS 180-4 example vectors, then bulk throughput and the log's chain step (32-byte
/// previous hash + 450-byte message). Each figure is the best of five alternating runs, so both see the
/// same machine state; the rates are those `gonggu-bench backbone` reports (`shaRates`, StoreBench.swift).
/// (The SHA-256 before the current one is compared as an older `gonggu-bench` binary, not kept here.)
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
        let engines: [SHA256Engine] = hardware ? [.software, .hardware] : [.software]
        for (message, digest) in vectors {
            for engine in engines {
                var h = SHA256Engine.hasher(engine)
                h.update(message)
                guard h.finalize().hexString == digest else {
                    throw StoreBenchError("SHA-256 (\(engine.rawValue)) fails a FIPS vector")
                }
            }
        }
        var swift = (bulk: 0.0, chain: 0.0), ni = (bulk: 0.0, chain: 0.0)
        for _ in 0..<5 {
            let s = shaRates(.software)
            swift = (max(swift.bulk, s.bulk), max(swift.chain, s.chain))
            if hardware {
                let h = shaRates(.hardware)
                ni = (max(ni.bulk, h.bulk), max(ni.chain, h.chain))
            }
        }
        let note = "FIPS 180-4 vectors pass for \(hardware ? "both" : "it"); best of 5 alternating runs"
        var rows = [
            BenchRow(name: "SHA-256 bulk, Swift", value: swift.bulk, unit: "MB/s", note: "64 MiB in 1 MiB updates; \(note)"),
            BenchRow(name: "SHA-256 chain, Swift", value: swift.chain, unit: "hashes/s",
                     note: "32-byte previous hash + 450-byte message, as in the log's chain"),
        ]
        if hardware {
            rows += [
                BenchRow(name: "SHA-256 bulk, SHA-NI", value: ni.bulk, unit: "MB/s", note: "GongguSHANI, same input"),
                BenchRow(name: "SHA-256 bulk, SHA-NI / Swift", value: ni.bulk / swift.bulk, unit: "ratio", note: ""),
                BenchRow(name: "SHA-256 chain, SHA-NI", value: ni.chain, unit: "hashes/s", note: "GongguSHANI"),
                BenchRow(name: "SHA-256 chain, SHA-NI / Swift", value: ni.chain / swift.chain, unit: "ratio", note: ""),
            ]
        }
        let engine = SHA256Engine.selected
        rows.append(BenchRow(
            name: "SHA-256 engine of the log's chain", value: engine.engine == .hardware ? 1 : 0, unit: "1 = SHA-NI",
            note: "\(engine.engine.rawValue): \(engine.reason)\(hardware ? "" : "; no SHA-NI rows: the CPU lacks it")"))
        return rows
    }

    private static var hardware: Bool { SHA256Engine.hardwareAvailable }
}

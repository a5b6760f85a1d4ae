import Foundation
import GongguCore
import GongguStore

/// `gonggu-bench startup [--events N]`: what starting only on a sound log costs
/// (docs/RELIABILITY.md, "Start only on a sound log").
/// One log of N events (300-byte payloads, as `TransportBench.sampleEvents`), then, each on its own:
/// the replay as before, the replay verifying the chain in the same pass (what a service now does),
/// `quick_check` (also run at start), a separate `verify()` walk and `integrity_check` (what
/// `gonggu log verify` runs), for comparison. Two bodies: an empty one (the reader thread is the
/// bottleneck, so the hashing shows fully) and one that parses each payload (a stand-in for a fold).
enum StartupBench {
    static func run(events n: Int, directory: String) throws -> [BenchRow] {
        let path = directory + "/startup.log.sqlite"
        do {
            let log = try EventLog(path: path, stream: "bench", synchronous: .off)
            var next = 0
            while next < n {
                let count = min(100_000, n - next)
                let chunk = TransportBench.sampleEvents(count).map { e -> Event in
                    var e = e
                    e.id = EventID.derived("startup|\(next)|\(e.seq)")
                    return e
                }
                try log.append(chunk, recordedAt: 1_700_000_000_000)
                next += count
            }
        }
        let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        func timed(_ body: () throws -> Void) rethrows -> Double {
            let start = Date()
            try body()
            return Date().timeIntervalSince(start)
        }
        var rows: [BenchRow] = []
        var sink = 0
        let note = "\(n) events, \(Int(size / 1_048_576)) MiB"
        let plain = try timed { try log.forEach { sink &+= $0.payload.count } }
        let verified = try timed { try log.forEach(verifyingChain: true) { sink &+= $0.payload.count } }
        rows.append(BenchRow(name: "replay, empty body", value: plain, unit: "s", note: note))
        rows.append(BenchRow(
            name: "replay verifying the chain, empty body", value: verified, unit: "s",
            note: String(format: "+%.0f %%", (verified / plain - 1) * 100)))
        let parse: (Event) throws -> Void = { e in
            if case .object(let fields) = try JSONValue.parse(e.payload) { sink &+= fields.count }
        }
        let plainFold = try timed { try log.forEach(parse) }
        let verifiedFold = try timed { try log.forEach(verifyingChain: true, parse) }
        rows.append(BenchRow(name: "replay, payload parsed (fold stand-in)", value: plainFold, unit: "s", note: note))
        rows.append(BenchRow(
            name: "replay verifying the chain, payload parsed", value: verifiedFold, unit: "s",
            note: String(format: "+%.0f %%", (verifiedFold / plainFold - 1) * 100)))
        let quick = try timed { _ = try log.checkStructure(.quick) }
        rows.append(BenchRow(name: "PRAGMA quick_check (at start)", value: quick, unit: "s", note: note))
        let walk = try timed { _ = try log.verify() }
        rows.append(BenchRow(name: "verify() as a separate pass", value: walk, unit: "s", note: "gonggu log verify"))
        let integrity = try timed { _ = try log.checkStructure(.full) }
        rows.append(BenchRow(name: "PRAGMA integrity_check", value: integrity, unit: "s", note: "gonggu log verify"))
        if sink == 42 { print("") }
        return rows
    }
}

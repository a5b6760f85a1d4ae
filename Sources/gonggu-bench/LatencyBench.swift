import Dispatch
import Foundation
import GongguCore
import GongguStore
import GongguTransport

/// `gonggu-bench latency`: append(FULL) → publish → receive at 5,000 events/s, for several settings
/// of the writer side by side in one run (rounds interleaved), on the disk and on tmpfs (/dev/shm),
/// so that the disk's fsync tail and the tail of our code can be told apart.
enum LatencyBench {
    /// One setting of the writer under test.
    struct Variant {
        var name: String
        var checkpoint: WALCheckpointing
        var indexing: Bool
        /// A folder on tmpfs instead of the disk.
        var tmpfs: Bool
    }

    /// Percentiles of one run, in milliseconds.
    struct Figures {
        var count = 0
        var p50 = 0.0, p99 = 0.0, p999 = 0.0, max = 0.0
        /// Due → `append` returned (queueing behind the previous commit + the commit itself).
        var commitP99 = 0.0
        /// `append`'s own duration.
        var appendP99 = 0.0, appendMax = 0.0
        /// `append` returned → received by the subscriber (publish, loopback, decode).
        var deliveryP99 = 0.0
        /// Due → the producer thread awake and calling `append` for it (the thread's scheduling: a
        /// service waiting for input wakes the same way).
        var wakeP99 = 0.0
        /// The machine's 1-minute load average at the end of the run.
        var load = 0.0
    }

    static func loadAverage() -> Double {
        var l = [Double](repeating: 0, count: 3)
        return getloadavg(&l, 3) > 0 ? l[0] : .nan
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        TransportBench.percentile(sorted, p)
    }

    /// Runs `seconds` at `rate` with `variant` in `directory` (a log of its own), subscriber on `port`.
    static func run(variant: Variant, rate: Int, seconds: Double, directory: String, port: Int) throws -> Figures {
        let path = directory + "/latency.log.sqlite"
        func removeLog() {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
                try? FileManager.default.removeItem(atPath: LogIndex.path(forLog: path) + suffix)
            }
        }
        removeLog()
        let figures: Figures
        do {
            let log = try EventLog(
                path: path, stream: "latency", synchronous: .full, checkpoint: variant.checkpoint,
                indexing: variant.indexing)
            let publisher = try EventPublisher(stream: "latency", endpoint: "tcp://127.0.0.1:\(port)")
            defer { publisher.close() }
            let total = Int(Double(rate) * seconds)
            var wakes: [Double] = []
            let committedAt = UnsafeMutablePointer<UInt64>.allocate(capacity: total + 1)
            committedAt.initialize(repeating: 0, count: total + 1)
            defer { committedAt.deallocate() }
            let receivedAt = UnsafeMutablePointer<UInt64>.allocate(capacity: total + 1)
            receivedAt.initialize(repeating: 0, count: total + 1)
            defer { receivedAt.deallocate() }
            let received = ReceivedTable(receivedAt)
            let done = try TransportBench.follow(publisher, port: port, total: total) {
                for e in $0 { received.set(Int(e.seq), DispatchTime.now().uptimeNanoseconds) }
            }
            let template = TransportBench.sampleEvents(total)
            let interval = 1.0 / Double(rate)
            let start = DispatchTime.now().uptimeNanoseconds
            func due(_ n: Int) -> UInt64 { start + UInt64(Double(n) * interval * 1e9) }
            var next = 0
            var appendTimes: [Double] = []
            while next < total {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now >= due(next) else {
                    usleep(UInt32(min(1_000, (due(next) - now) / 1_000)))
                    continue
                }
                var upTo = next
                while upTo < total && due(upTo) <= now { upTo += 1 }
                let batch = template[next..<upTo].map { e -> Event in
                    var e = e
                    e.seq = 0
                    return e
                }
                let appendStart = DispatchTime.now().uptimeNanoseconds
                // The first event of the batch came due earliest: how late the thread got to it.
                wakes.append(Double(appendStart - due(next)) / 1e6)
                let recorded = try log.append(batch, recordedAt: Int64(Date().timeIntervalSince1970 * 1000))
                let committed = DispatchTime.now().uptimeNanoseconds
                appendTimes.append(Double(committed - appendStart) / 1e6)
                for e in recorded { committedAt[Int(e.seq)] = committed }
                try publisher.publish(recorded)
                next = upTo
            }
            done.wait()
            var total_: [Double] = [], commit: [Double] = [], delivery: [Double] = []
            total_.reserveCapacity(total)
            for n in 0..<total {
                let seq = n + 1
                let r = received.get(seq)
                guard r > 0 else { continue }
                total_.append(Double(r - due(n)) / 1e6)
                commit.append(Double(committedAt[seq] - due(n)) / 1e6)
                delivery.append(Double(r - committedAt[seq]) / 1e6)
            }
            total_.sort()
            commit.sort()
            delivery.sort()
            appendTimes.sort()
            wakes.sort()
            figures = Figures(
                count: total_.count, p50: percentile(total_, 0.5), p99: percentile(total_, 0.99),
                p999: percentile(total_, 0.999), max: total_.last ?? .nan, commitP99: percentile(commit, 0.99),
                appendP99: percentile(appendTimes, 0.99), appendMax: appendTimes.last ?? .nan,
                deliveryP99: percentile(delivery, 0.99), wakeP99: percentile(wakes, 0.99), load: loadAverage())
        }
        removeLog()
        return figures
    }

    /// The log's defaults on the disk: the setting `gonggu-bench backbone` measures.
    static let backbone = Variant(name: "checkpoint in commit, indexer on", checkpoint: .inCommit, indexing: true, tmpfs: false)

    /// The settings compared: SQLite's checkpoint in the commit with the sidecar indexer (main before
    /// this change), the indexer off, the checkpoint thread, both; each on disk and on tmpfs.
    static let variants: [Variant] = [
        backbone,
        Variant(name: "checkpoint in commit, indexer off", checkpoint: .inCommit, indexing: false, tmpfs: false),
        Variant(name: "checkpoint thread, indexer on", checkpoint: .background, indexing: true, tmpfs: false),
        Variant(name: "checkpoint thread, indexer off", checkpoint: .background, indexing: false, tmpfs: false),
        Variant(name: "checkpoint in commit, indexer on", checkpoint: .inCommit, indexing: true, tmpfs: true),
        Variant(name: "checkpoint thread, indexer on", checkpoint: .background, indexing: true, tmpfs: true),
    ]

    /// `rounds` rounds, each running every variant once (interleaved, so the machine's load falls on
    /// all of them alike), plus the disk's own fdatasync figures once a round.
    static func rows(rounds: Int, seconds: Double, directory: String, rate: Int = 5000) throws -> [BenchRow] {
        let shm = "/dev/shm/gonggu-bench-latency-\(getpid())"
        let haveShm = (try? FileManager.default.createDirectory(atPath: shm, withIntermediateDirectories: true)) != nil
        defer { try? FileManager.default.removeItem(atPath: shm) }
        var rows: [BenchRow] = []
        var port = 17_320
        for round in 1...rounds {
            for v in variants {
                if v.tmpfs && !haveShm { continue }
                port += 1
                let f = try run(
                    variant: v, rate: rate, seconds: seconds, directory: v.tmpfs ? shm : directory, port: port)
                rows.append(BenchRow(
                    name: "r\(round) \(v.tmpfs ? "tmpfs" : "disk"), \(v.name): p50 / p99 / p99.9 / max",
                    value: f.p99, unit: "ms (p99)",
                    note: String(
                        format: "%.2f / %.2f / %.2f / %.2f; due→committed p99 %.2f (producer awake late p99 %.2f), append p99 %.2f max %.2f, committed→received p99 %.2f; %d events; load %.1f",
                        f.p50, f.p99, f.p999, f.max, f.commitP99, f.wakeP99, f.appendP99, f.appendMax, f.deliveryP99,
                        f.count, f.load)))
            }
            let sync = try TransportBench.fsyncLatency(directory: directory, count: 500)
            rows.append(BenchRow(
                name: "r\(round) disk, fdatasync of an 8 KiB write: p50", value: sync.p50, unit: "ms",
                note: String(format: "p99 %.2f ms, max %.2f ms, 500 syncs", sync.p99, sync.max)))
        }
        return rows
    }
}

/// Receive times by seq, written by the subscriber thread, read after it finished.
final class ReceivedTable: @unchecked Sendable {
    let times: UnsafeMutablePointer<UInt64>
    init(_ times: UnsafeMutablePointer<UInt64>) { self.times = times }
    func set(_ seq: Int, _ t: UInt64) { times[seq] = t }
    func get(_ seq: Int) -> UInt64 { times[seq] }
}

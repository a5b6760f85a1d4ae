import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguStore

/// `gonggu-bench investigate`, second part: the sidecar index behind the head (docs/LOG_INDEX.md,
/// "A lagging index") over the province logs just written:
/// - how far each sidecar got when its writer closed (the close lets the indexer catch up, bounded);
/// - a rebuild of the intake sidecar, 20,000 events per transaction (before) and `LogIndex.bulkBatch`
///   (now), same log, one after the other;
/// - the first `replay --subject` with an unindexed tail of `EventLog.defaultTailScanLimit` events in
///   every log (scanned, nothing written), and the one after it;
/// - the first query with no sidecar at all (the whole log indexed first, as after a restore).
enum IndexLagBench {
    static let services = [Service.intake, .verify, .risk].map(\.rawValue)

    static func logPath(_ directory: String, _ s: String) -> String { "\(directory)/\(s).log.sqlite" }

    /// Seq the sidecar of `s` covers, and the log's head.
    static func coverage(_ directory: String, _ s: String) throws -> (through: Int64, head: Int64) {
        let log = try SQLiteDatabase(path: logPath(directory, s), readOnly: true)
        let head = try log.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0
        let sidecarPath = LogIndex.path(forLog: logPath(directory, s))
        guard FileManager.default.fileExists(atPath: sidecarPath) else { return (0, Int64(head)) }
        let sidecar = try SQLiteDatabase(path: sidecarPath, readOnly: true)
        let through = try sidecar.scalarInt("SELECT indexed_through FROM index_meta") ?? 0
        return (Int64(through), Int64(head))
    }

    /// Makes the sidecar of `s` claim to cover only up to `head - lag` (its meta row moved back, with
    /// the chain hash stored there): what a writer stopped `lag` events ahead of its indexer leaves.
    static func moveBack(_ directory: String, _ s: String, lag: Int64) throws {
        let log = try SQLiteDatabase(path: logPath(directory, s), readOnly: true)
        let head = Int64(try log.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0)
        let through = max(0, head - lag)
        let hash = try log.prepare("SELECT hash FROM events WHERE seq = ?")
        try hash.bind(through, at: 1)
        let bytes: [UInt8]? = try hash.step() ? hash.bytes(at: 0) : nil
        let sidecar = try SQLiteDatabase(path: LogIndex.path(forLog: logPath(directory, s)), readOnly: false)
        try sidecar.prepare("UPDATE index_meta SET indexed_through = ?, through_hash = ?").run([through, bytes])
    }

    static func removeSidecar(_ directory: String, _ s: String) {
        let p = LogIndex.path(forLog: logPath(directory, s))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + suffix) }
    }

    /// One `replay --subject` as the CLI runs it: logs opened afresh, milliseconds.
    static func query(_ directory: String, subject: String) throws -> (ms: Double, events: Int) {
        let t = Date()
        let logs = try LogSet(paths: [directory])
        let n = try Replay.collect(ReplayFilter(subject: subject), logs: logs).count
        return (Date().timeIntervalSince(t) * 1000, n)
    }

    /// The row saying how far each sidecar got when the writers had closed (call right after).
    static func coverageRow(directory: String, closeSeconds: Double) throws -> BenchRow {
        var lag: Int64 = 0
        let text = try services.map { s -> String in
            let c = try coverage(directory, s)
            lag += c.head - c.through
            return "\(s) \(c.through)/\(c.head)"
        }
        return BenchRow(
            name: "unindexed events when the writers had closed", value: Double(lag), unit: "events",
            note: "indexed/head: " + text.joined(separator: ", ")
                + String(format: "; the closes took %.1f s (each lets its indexer catch up for up to 5 s)", closeSeconds))
    }

    /// CPU seconds of the calling thread (the rebuild runs in it): on a loaded machine the wall
    /// clock mostly measures the wait for a core.
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func run(directory: String, subjects: [String]) throws -> [BenchRow] {
        var rows: [BenchRow] = []

        // Rebuild of the intake sidecar: the former transaction size, then the current one.
        let intake = try EventLog(path: logPath(directory, Service.intake.rawValue), stream: nil, readOnly: true)
        let head = try intake.lastSeq
        var cpu = threadCPU()
        let before = try intake.rebuildIndex(batch: 20_000, asBefore: true)
        let beforeCPU = threadCPU() - cpu
        cpu = threadCPU()
        let now = try intake.rebuildIndex(batch: LogIndex.bulkBatch)
        let nowCPU = threadCPU() - cpu
        rows.append(BenchRow(
            name: "intake sidecar rebuilt, 20,000 events a transaction, 32 MiB cache, syncs and checkpoints (before)", value: before,
            unit: "s", note: String(format: "%d events; CPU %.1f s", head, beforeCPU)))
        rows.append(BenchRow(
            name: "intake sidecar rebuilt, \(LogIndex.bulkBatch) events a transaction, 128 MiB cache, bulk (now)",
            value: now, unit: "s",
            note: String(format: "%.2f × before; CPU %.1f s, %.2f × before", now / before, nowCPU, nowCPU / beforeCPU)))

        // A lag of the scan limit in every log: the first query scans it, writes nothing.
        let lag = EventLog.defaultTailScanLimit
        for s in services { try moveBack(directory, s, lag: lag) }
        let first = try query(directory, subject: subjects[0])
        let second = try query(directory, subject: subjects[1])
        let still = try coverage(directory, Service.intake.rawValue)
        rows.append(BenchRow(
            name: "first replay --subject, \(lag)-event unindexed tail in each log", value: first.ms, unit: "ms",
            note: "\(first.events) events; tail scanned, sidecar left at \(still.through)/\(still.head)"))
        rows.append(BenchRow(
            name: "second replay --subject, same tails", value: second.ms, unit: "ms", note: "\(second.events) events"))

        // No sidecar at all: the first query indexes each whole log first.
        for s in services { removeSidecar(directory, s) }
        let rebuilt = try query(directory, subject: subjects[2])
        let after = try query(directory, subject: subjects[3])
        rows.append(BenchRow(
            name: "first replay --subject, no sidecar (each log indexed first)", value: rebuilt.ms, unit: "ms",
            note: "\(rebuilt.events) events; 25.5 s for 1.3M events before (BENCHMARKS.md)"))
        rows.append(BenchRow(
            name: "next replay --subject", value: after.ms, unit: "ms", note: "\(after.events) events"))
        return rows
    }
}

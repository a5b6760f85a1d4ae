import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguStore

/// `gonggu-bench investigate`, second part: the sidecar index behind the head (docs/LOG_INDEX.md,
/// "A lagging index") over the province logs just written:
/// - how far each sidecar got when its writer closed (the close lets the indexer catch up, bounded);
/// - a rebuild of the intake sidecar, 20,000 events per transaction (before, logs up to 1.5M events),
///   `LogIndex.bulkBatch` (main) and in one pass (now), same log, one after the other;
/// - the catch-up of a tail of three quarters of the intake log, main's path and the one pass;
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

    /// Cuts the sidecar of `s` back to covering seq `through` only (rows beyond deleted, meta moved
    /// with the chain hash stored there), then VACUUMs it: a compact sidecar as an indexer stopped
    /// at `through` leaves it. Not timed.
    static func cutBack(_ directory: String, _ s: String, to through: Int64) throws {
        let log = try SQLiteDatabase(path: logPath(directory, s), readOnly: true)
        let hash = try log.prepare("SELECT hash FROM events WHERE seq = ?")
        try hash.bind(through, at: 1)
        let bytes: [UInt8]? = try hash.step() ? hash.bytes(at: 0) : nil
        let sidecar = try SQLiteDatabase(path: LogIndex.path(forLog: logPath(directory, s)), readOnly: false)
        try sidecar.transaction {
            for t in ["ids", "subjects", "persons"] { try sidecar.prepare("DELETE FROM \(t) WHERE seq > ?").run([through]) }
            try sidecar.prepare("UPDATE index_meta SET indexed_through = ?, through_hash = ?").run([through, bytes])
        }
        try sidecar.execute("VACUUM")
        _ = try sidecar.scalarText("PRAGMA wal_checkpoint(TRUNCATE)")
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
                + String(format: "; the closes took %.1f s (each lets its indexer catch up for up to 1 s)", closeSeconds)
                + "; sidecar WALs before the closes: " + lastProvinceSidecarWAL)
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

        // Rebuild of the intake sidecar: 20,000 events a transaction (up to 1.5M events: beyond, it
        // takes too long to wait for), `LogIndex.bulkBatch` a transaction (1e5fb77…131e38c), one pass.
        let intake = try EventLog(path: logPath(directory, Service.intake.rawValue), stream: nil, readOnly: true)
        let head = try intake.lastSeq
        var cpu = threadCPU()
        if head <= 1_500_000 {
            let before = try intake.rebuildIndex(batch: 20_000, asBefore: true)
            rows.append(BenchRow(
                name: "intake sidecar rebuilt, 20,000 events a transaction, 32 MiB cache, syncs and checkpoints (before)",
                value: before, unit: "s", note: String(format: "%d events; CPU %.1f s", head, threadCPU() - cpu)))
        }
        cpu = threadCPU()
        let batched = try intake.rebuildIndex(batch: LogIndex.bulkBatch, onePass: false)
        let batchedCPU = threadCPU() - cpu
        cpu = threadCPU()
        let onePass = try intake.rebuildIndex(batch: LogIndex.bulkBatch)
        let onePassCPU = threadCPU() - cpu
        rows.append(BenchRow(
            name: "intake sidecar rebuilt, \(LogIndex.bulkBatch) events a transaction, 128 MiB cache, bulk (main)",
            value: batched, unit: "s", note: String(format: "%d events; CPU %.1f s", head, batchedCPU)))
        rows.append(BenchRow(
            name: "intake sidecar rebuilt in one pass (TEMP table, each key table filled in key order)",
            value: onePass, unit: "s",
            note: String(
                format: "%.2f × main; CPU %.1f s, %.2f × main", onePass / batched, onePassCPU, onePassCPU / batchedCPU)))

        // A long tail: the sidecar covers the first quarter of the intake log, the catch-up indexes
        // the other three quarters (as after a bulk import that starved the indexer); the main path
        // (transactions of `LogIndex.bulkBatch`) and the one pass, each from the same cut-back state.
        let indexed = head / 4
        var tail: [(seconds: Double, cpu: Double)] = []
        for onePass in [false, true] {
            try cutBack(directory, Service.intake.rawValue, to: indexed)
            let tool = try EventLog(path: logPath(directory, Service.intake.rawValue), stream: nil, readOnly: true)
            tool.onePassAbove = onePass ? LogIndex.onePassThreshold : .max
            let began = Date()
            cpu = threadCPU()
            guard try tool.updateIndex() == head else { throw StoreBenchError("catch-up did not reach the head") }
            tail.append((Date().timeIntervalSince(began), threadCPU() - cpu))
        }
        rows.append(BenchRow(
            name: "intake long-tail catch-up, \(LogIndex.bulkBatch) events a transaction (main)", value: tail[0].seconds,
            unit: "s", note: String(format: "%d events indexed, %d already; CPU %.1f s", head - indexed, indexed, tail[0].cpu)))
        rows.append(BenchRow(
            name: "intake long-tail catch-up in one pass (now, the tools' path)", value: tail[1].seconds, unit: "s",
            note: String(
                format: "%.2f × main; CPU %.1f s, %.2f × main", tail[1].seconds / tail[0].seconds, tail[1].cpu,
                tail[1].cpu / tail[0].cpu)))

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

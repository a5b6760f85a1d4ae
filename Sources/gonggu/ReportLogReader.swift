import Dispatch
import Foundation
import GongguCore
import GongguReport
import GongguStore

/// Reads the four service logs of a data folder (as `PipelineLauncher` lays them out:
/// `<dir>/<service>.log.sqlite`) into a `ReportFold`, up to a cut-off seq per log.
///
/// Each log is read in one read transaction (one snapshot: the cut-off, its chain hash and the events
/// are consistent even while the service appends), with the fold's event types and time window
/// applied in SQL so rows the fold would ignore are never decoded. The logs are read on up to two
/// threads, one fold each, and the folds are joined (`ReportFold.absorb`).
struct ReportLogReader {
    /// How the cut-off of each log is chosen.
    enum Cutoff {
        /// The head of each log at reading time.
        case head
        /// Explicit seqs (a log missing from the map is read to its head).
        case seqs([ReportLog: Int64])
        /// The prefix of each log recorded before this instant: the first event recorded at or after
        /// it ends the prefix.
        case recordedBefore(Timestamp)
    }

    let directory: String

    func path(_ log: ReportLog) -> String { "\(directory)/\(log.rawValue).log.sqlite" }

    /// Folds every log and returns the fold and the cut-offs used.
    func read(year: Int, region: String, cutoff: Cutoff) throws -> (ReportFold, [LogCut]) {
        for log in ReportLog.allCases where !FileManager.default.fileExists(atPath: path(log)) {
            throw CommandFailure("no \(log.rawValue) log at \(path(log))", code: 66)
        }
        let logs = ReportLog.allCases
        let results = ResultBox(count: logs.count)
        // Intake is by far the largest log: it gets a thread of its own, the three others share one.
        let groups: [[Int]] = [[0], [1, 2, 3]]
        DispatchQueue.concurrentPerform(iterations: groups.count) { g in
            for i in groups[g] {
                var fold = ReportFold(year: year, regionPrefix: region)
                do {
                    let cut = try readLog(logs[i], into: &fold, cutoff: cutoff)
                    results.set(i, .success((fold, cut)))
                } catch {
                    results.set(i, .failure(error))
                }
            }
        }
        var fold = ReportFold(year: year, regionPrefix: region)
        var cuts: [LogCut] = []
        for (i, log) in logs.enumerated() {
            let (f, cut) = try results.get(i).get()
            fold.absorb(f, log: log)
            cuts.append(cut)
        }
        return (fold, cuts)
    }

    private func readLog(_ log: ReportLog, into fold: inout ReportFold, cutoff: Cutoff) throws -> LogCut {
        // Opening through EventLog checks that the file is a log of this stream.
        _ = try EventLog(path: path(log), stream: log.rawValue, readOnly: true)
        let db = try SQLiteDatabase(path: path(log), readOnly: true)
        try db.execute("BEGIN DEFERRED")
        defer { try? db.execute("ROLLBACK") }
        let head = try db.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0
        var cut = head
        switch cutoff {
        case .head:
            break
        case let .seqs(map):
            if let s = map[log] {
                guard s >= 0, s <= head else {
                    throw CommandFailure("--upto \(log.rawValue)=\(s): the log has only \(head) events", code: 65)
                }
                cut = s
            }
        case let .recordedBefore(t):
            let s = try db.prepare("SELECT seq FROM events WHERE recorded_at >= ?1 ORDER BY seq LIMIT 1")
            try s.bind(t, at: 1)
            if try s.step() { cut = s.int64(at: 0) - 1 }
            s.reset()
        }
        var hash = ""
        if cut > 0 {
            let s = try db.prepare("SELECT hash FROM events WHERE seq = ?1")
            try s.bind(cut, at: 1)
            if try s.step() { hash = (s.bytes(at: 0) ?? []).hexString }
            s.reset()
        }
        let statement = try db.prepare(query(log))
        try statement.bind(cut, at: 1)
        let period = ReportPeriod(year: fold.period.year)
        try statement.bind(period.start, at: 2)
        try statement.bind(period.end, at: 3)
        while try statement.step() {
            fold.apply(try Self.event(statement), from: log)
        }
        return LogCut(log: log, cutoffSeq: cut, chainHash: hash)
    }

    /// The rows the fold may use: its types, and for intake the business-time window (facts up to
    /// the year's end; payments and decisions inside the year).
    private func query(_ log: ReportLog) -> String {
        func list(_ types: [String]) -> String { types.map { "'\($0)'" }.joined(separator: ",") }
        var sql = "SELECT seq, id, type, version, subject, region, occurred_at, recorded_at, payload FROM events "
            + "WHERE seq <= ?1 AND type IN (\(list(ReportFold.types(of: log))))"
        if log == .intake {
            sql += " AND occurred_at < ?3 AND (type NOT IN (\(list(ReportFold.inYearOnlyTypes))) OR occurred_at >= ?2)"
        } else {
            sql += " AND ?2 IS NOT NULL AND ?3 IS NOT NULL"
        }
        return sql + " ORDER BY seq"
    }

    private static func event(_ s: Statement) throws -> Event {
        let seq = s.int64(at: 0)
        // The id's 16 bytes read in place (big-endian halves), as the store's own row decoder does.
        let raw = s.rawBytes(at: 1)
        guard raw.count == 16, let base = raw.baseAddress else {
            throw CommandFailure("malformed event id at seq \(seq)")
        }
        let id = EventID(
            high: UInt64(bigEndian: base.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        return Event(
            seq: seq, id: id, type: s.string(at: 2) ?? "", version: Int(s.int64(at: 3)),
            subject: s.string(at: 4) ?? "", region: s.string(at: 5) ?? "", occurredAt: s.int64(at: 6),
            recordedAt: s.int64(at: 7), payload: s.bytes(at: 8) ?? [])
    }
}

/// Results of the reading threads, one slot per log.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<(ReportFold, LogCut), any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<(ReportFold, LogCut), any Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    func get(_ i: Int) -> Result<(ReportFold, LogCut), any Error> {
        lock.lock()
        defer { lock.unlock() }
        return slots[i] ?? .failure(CommandFailure("log not read"))
    }
}

import Foundation
import GongguCore
import GongguHarness
import GongguReport
import GongguStore

/// Reads the four service logs of a data folder (as `PipelineLauncher` lays them out:
/// `<dir>/<service>.log.sqlite`) into a `ReportFold`, up to a cut-off seq per log.
///
/// Each log's cut-off seq and chain hash are read in one read transaction; the rows up to the cut-off
/// (committed before it was read, never changed since) are then read with the fold's event types and
/// time window applied in SQL so rows the fold would ignore are never decoded. The three small logs
/// (one task) and intake's log in four seq ranges (one task each) are folded on the available cores,
/// one fold per task, and the folds are joined in log order (`ReportFold.absorb`).
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
    ///
    /// The cut-off of each log is fixed first (one short read transaction each); then intake's rows up
    /// to its cut-off are folded in four seq ranges (`ReportFold.segment`, joined in log order: the same
    /// result as one pass) and the three small logs in one more task, on the available cores.
    func read(year: Int, region: String, cutoff: Cutoff) throws -> (ReportFold, [LogCut]) {
        for log in ReportLog.allCases where !FileManager.default.fileExists(atPath: path(log)) {
            throw CommandFailure("no \(log.rawValue) log at \(path(log))", exit: .noInput)
        }
        let logs = ReportLog.allCases
        let cuts = try logs.map { try self.cut($0, cutoff: cutoff) }
        // Seq ranges (after, through] to fold: the three small logs first (one task), then intake's in
        // four equal parts, so the two threads end close together whatever the parts cost.
        let intake = cuts[logs.firstIndex(of: .intake)!].cutoffSeq
        var ranges: [(log: ReportLog, after: Int64, through: Int64, segment: Bool)] = []
        for (i, log) in logs.enumerated() where log != .intake { ranges.append((log, 0, cuts[i].cutoffSeq, false)) }
        let parts: Int64 = 4
        for k in 0..<parts { ranges.append((.intake, intake * k / parts, intake * (k + 1) / parts, k > 0)) }
        let small = ranges.count - Int(parts)
        let groups: [[Int]] = [Array(0..<small)] + (small..<ranges.count).map { [$0] }
        // The groups are consecutive runs of `ranges`, so their results joined are in range order.
        let results = inParallel(groups.count) { g in
            groups[g].map { i -> Result<ReportFold, any Error> in
                let r = ranges[i]
                var fold = r.segment
                    ? ReportFold.segment(year: year, regionPrefix: region)
                    : ReportFold(year: year, regionPrefix: region)
                return Result { try readRange(r.log, after: r.after, through: r.through, into: &fold); return fold }
            }
        }.joined()
        var fold = ReportFold(year: year, regionPrefix: region)
        for (r, result) in zip(ranges, results) { fold.absorb(try result.get(), log: r.log) }
        return (fold, cuts)
    }

    /// The cut-off seq of `log` and the chain hash stored at it.
    private func cut(_ log: ReportLog, cutoff: Cutoff) throws -> LogCut {
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
                    throw CommandFailure("--upto \(log.rawValue)=\(s): the log has only \(head) events", exit: .dataError)
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
        return LogCut(log: log, cutoffSeq: cut, chainHash: hash)
    }

    /// Folds the rows of `log` with seq in (after, through]. Those rows were committed before the
    /// cut-off was read and a log never changes them, so any later read transaction sees the same rows.
    private func readRange(_ log: ReportLog, after: Int64, through: Int64, into fold: inout ReportFold) throws {
        guard through > after else { return }
        let db = try SQLiteDatabase(path: path(log), readOnly: true)
        try db.execute("BEGIN DEFERRED")
        defer { try? db.execute("ROLLBACK") }
        let statement = try db.prepare(query(log))
        try statement.bind(through, at: 1)
        let period = fold.period
        try statement.bind(fold.inYearOnlyFrom, at: 2)
        try statement.bind(period.end, at: 3)
        try statement.bind(after, at: 4)
        let types = TypeNames(ReportFold.types(of: log))
        while try statement.step() {
            fold.apply(try Self.event(statement, types), from: log)
        }
    }

    /// The rows the fold may use: its types, and for intake the business-time window (facts up to
    /// the year's end; payments and decisions from `ReportFold.inYearOnlyFrom`, 1 December before the year).
    private func query(_ log: ReportLog) -> String {
        func list(_ types: [String]) -> String { types.map { "'\($0)'" }.joined(separator: ",") }
        var sql = "SELECT seq, id, type, version, subject, region, occurred_at, recorded_at, payload FROM events "
            + "WHERE seq <= ?1 AND seq > ?4 AND type IN (\(list(ReportFold.types(of: log))))"
        if log == .intake {
            sql += " AND occurred_at < ?3 AND (type NOT IN (\(list(ReportFold.inYearOnlyTypes))) OR occurred_at >= ?2)"
        } else {
            sql += " AND ?2 IS NOT NULL AND ?3 IS NOT NULL"
        }
        return sql + " ORDER BY seq"
    }

    /// The row as an event for the fold. The subject is not read (no tally uses it: households are
    /// named in the payloads) and the type is one of the fold's own strings, so a row costs no string
    /// allocation besides the payload's.
    private static func event(_ s: Statement, _ types: TypeNames) throws -> Event {
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
            seq: seq, id: id, type: types.name(s.rawBytes(at: 2)) ?? s.string(at: 2) ?? "",
            version: Int(s.int64(at: 3)),
            subject: "", region: s.string(at: 5) ?? "", occurredAt: s.int64(at: 6),
            recordedAt: s.int64(at: 7), payload: s.bytes(at: 8) ?? [])
    }
}

/// The event types a fold reads, matched against a row's bytes without building a string.
private struct TypeNames {
    let names: [(bytes: [UInt8], name: String)]

    init(_ types: [String]) { names = types.map { (Array($0.utf8), $0) } }

    func name(_ raw: UnsafeRawBufferPointer) -> String? {
        for n in names where n.bytes.count == raw.count && n.bytes.elementsEqual(raw) { return n.name }
        return nil
    }
}

import CSQLite
import Foundation
import GongguCore
import GongguEvents
import GongguStore

/// Event log benchmarks (the log of docs/ARCHITECTURE.md; the store's goals):
/// raw SQLite insert baseline vs `EventLog.append` with the same rows, batches and pragmas;
/// replay with typed payload decoding; chain verification; SHA-256 throughput.
///
/// Each append measurement runs three times, alternating baseline and log so both see the same
/// machine state; the best run of each counts. On a CPU with SHA-NI the log append runs twice per
/// round, the chain on SHA-NI (the process's engine) and on the Swift SHA-256 (the engine before).
func runStoreBenchmarks(events: Int, directory: String) throws -> [BenchRow] {
    let batch = Int(ProcessInfo.processInfo.environment["GONGGU_BENCH_BATCH"] ?? "") ?? 50_000
    let sample = StoreBenchData.events(count: events)
    let payloadBytes = sample.reduce(0) { $0 + $1.payload.count } / max(1, sample.count)
    let recordedAt: Timestamp = 1_767_225_600_000
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

    var rawBest = RawInsert(rate: 0, cpuMicros: 0), logBest = 0.0, oldBest = 0.0, indexLag = Double.infinity
    var logCPU = 0.0
    // The log append with the chain on the Swift SHA-256, when the process's engine is SHA-NI.
    let compareSoftware = SHA256Engine.selected.engine == .hardware
    var softwareBest = 0.0, softwareCPU = 0.0
    var bareFull = RawInsert(rate: 0, cpuMicros: 0), bareOff = RawInsert(rate: 0, cpuMicros: 0)
    var logPath = ""
    for run in 0..<3 {
        let rawPath = "\(directory)/bench-raw-\(run).sqlite"
        logPath = "\(directory)/bench-log-\(run).sqlite"
        let oldPath = "\(directory)/bench-old-\(run).sqlite"
        for p in [rawPath, logPath, oldPath] { StoreBenchData.remove(p) }
        rawBest = rawBest.better(try rawInsertRate(sample, path: rawPath, batch: batch))
        StoreBenchData.remove(rawPath)
        let appended = try logAppendRate(sample, path: logPath, batch: batch, recordedAt: recordedAt)
        if appended.rate > logBest { logCPU = appended.cpuMicros }
        logBest = max(logBest, appended.rate)
        indexLag = min(indexLag, appended.indexLag)
        if run < 2 { StoreBenchData.remove(logPath) }
        if compareSoftware {
            let softwarePath = "\(directory)/bench-log-software-\(run).sqlite"
            StoreBenchData.remove(softwarePath)
            let software = try logAppendRate(
                sample, path: softwarePath, batch: batch, recordedAt: recordedAt, engine: .software)
            if software.rate > softwareBest { softwareCPU = software.cpuMicros }
            softwareBest = max(softwareBest, software.rate)
            StoreBenchData.remove(softwarePath)
        }
        oldBest = max(
            oldBest, try logAppendRate(sample, path: oldPath, batch: batch, recordedAt: recordedAt, oldSchema: true).rate)
        StoreBenchData.remove(oldPath)
        // The ceilings: the same inserts into the events table alone, with and without fsync.
        bareFull = bareFull.better(try rawInsertRate(sample, path: rawPath, batch: batch, keeping: []))
        StoreBenchData.remove(rawPath)
        bareOff = bareOff.better(try rawInsertRate(sample, path: rawPath, batch: batch, keeping: [], synchronous: "OFF"))
        StoreBenchData.remove(rawPath)
    }
    // What each index adds on its own (one run each, synchronous=FULL, the other two dropped).
    var indexRows: [BenchRow] = []
    for index in secondaryIndexes {
        let alone = try rawInsertRate(sample, path: "\(directory)/bench-index.sqlite", batch: batch, keeping: [index])
        StoreBenchData.remove("\(directory)/bench-index.sqlite")
        indexRows.append(BenchRow(
            name: "cost of \(index) alone", value: alone.cpuMicros - bareFull.cpuMicros, unit: "µs of CPU per row",
            note: "raw insert with only this secondary index: \(format(alone.cpuMicros)) µs per row,"
                + " \(Int(alone.rate)) events/s; minus the no-index ceiling"))
    }

    let log = try EventLog(path: logPath, stream: "bench", readOnly: true)
    var replayBest = 0.0, verifyBest = 0.0
    for _ in 0..<3 {
        replayBest = max(replayBest, try replayRate(log, expected: events))
        verifyBest = max(verifyBest, try verifyRate(log, expected: events))
    }
    StoreBenchData.remove(logPath)
    let sha = shaRates()

    let setting = "\(events) events, batches of \(batch), ~\(payloadBytes)-byte JSON payloads, WAL, synchronous=FULL"
    let engine = SHA256Engine.selected
    var softwareRows: [BenchRow] = []
    if compareSoftware {
        softwareRows = [
            BenchRow(name: "log append, chain on the Swift SHA-256", value: softwareBest, unit: "events/s",
                     note: "the same, chain hashed by GongguCore's SHA256 (the engine before SHA-NI);"
                        + " inserting thread \(format(softwareCPU)) µs of CPU per row"),
            BenchRow(name: "log append, Swift SHA-256 / ceiling", value: softwareBest / bareFull.rate, unit: "ratio",
                     note: String(format: "SHA-NI / Swift SHA-256: %.2f", logBest / max(softwareBest, 1))),
        ]
    }
    return [
        BenchRow(name: "raw SQLite insert, old schema", value: rawBest.rate, unit: "events/s",
                 note: "prepared INSERT of the same row bytes with the blocked id, subject and person indexes of"
                    + " logs before the sidecar index; \(setting); \(format(rawBest.cpuMicros)) µs of CPU per row"),
        BenchRow(name: "log append, old schema", value: oldBest, unit: "events/s",
                 note: "EventLog.append into a log given the three blocked indexes (on the commit path, as before"
                    + " the sidecar index), indexer off; \(setting)"),
        BenchRow(name: "log append", value: logBest, unit: "events/s",
                 note: "EventLog.append (seq, hash chain, duplicate-id fingerprints, group commit), no secondary"
                    + " index; the sidecar indexer thread running; \(setting); inserting thread"
                    + " \(format(logCPU)) µs of CPU per row (the chain step on the hashing thread);"
                    + " chain on \(engine.engine.rawValue) (\(engine.reason))"),
        BenchRow(name: "sidecar index caught up after the last append", value: indexLag, unit: "s",
                 note: "the indexer trails the head at the lowest priority; look-ups scan the tail meanwhile"),
        BenchRow(name: "log append / ceiling (no index, FULL)", value: logBest / bareFull.rate, unit: "ratio",
                 note: String(format: "goal ≥ 0.6; old schema %.2f", oldBest / bareFull.rate)),
        BenchRow(name: "log append / raw SQLite old schema", value: logBest / rawBest.rate, unit: "ratio",
                 note: "acceptance ≥ 0.7"),
    ] + softwareRows + [
        BenchRow(name: "ceiling: raw SQLite insert, no secondary index", value: bareFull.rate, unit: "events/s",
                 note: "the same inserts into the events table alone (rowid key, no secondary index);"
                    + " synchronous=FULL; \(format(bareFull.cpuMicros)) µs of CPU per row"),
        BenchRow(name: "ceiling: same, synchronous=OFF", value: bareOff.rate, unit: "events/s",
                 note: "no index and no fsync: SQLite's single-writer CPU ceiling for these rows;"
                    + " \(format(bareOff.cpuMicros)) µs of CPU per row"),
    ] + indexRows + [
        BenchRow(name: "replay + decode", value: replayBest, unit: "events/s",
                 note: "EventLog.forEach + DisabilityRecorded decode via JSONReader, \(events) events"),
        // not a service name: the chain walk
        BenchRow(name: "verify", value: verifyBest, unit: "events/s", note: "hash chain walk, \(events) events"),
        BenchRow(name: "SHA-256 bulk", value: sha.bulk, unit: "MB/s", note: "64 MiB in 1 MiB updates"),
        BenchRow(name: "SHA-256 chain step", value: sha.chain, unit: "hashes/s",
                 note: "32-byte previous hash + 450-byte message, as in the log's chain; Swift SHA-256"),
    ] + (SHA256Engine.hardwareAvailable ? [
        BenchRow(name: "SHA-256 bulk, SHA-NI", value: sha.hardwareBulk, unit: "MB/s", note: "same input"),
        BenchRow(name: "SHA-256 chain step, SHA-NI", value: sha.hardwareChain, unit: "hashes/s",
                 note: String(format: "%.2f × the Swift SHA-256", sha.hardwareChain / sha.chain)),
    ] : [])
}

/// The secondary indexes of logs before the sidecar index (`EventLogSchema.legacyIndexes`): new logs have none.
private let secondaryIndexes = ["events_id_block", "events_subject_block", "events_person_key_block"]
private let blockedIndexSQL = [
    "CREATE UNIQUE INDEX events_id_block ON events(seq >> 17, id)",
    "CREATE INDEX events_subject_block ON events(seq >> 17, subject, seq)",
    "CREATE INDEX events_person_key_block ON events(seq >> 17, person, seq) WHERE person IS NOT NULL",
]

/// A raw insert run: events per second (wall clock) and the inserting thread's CPU time per row.
private struct RawInsert {
    var rate: Double
    var cpuMicros: Double

    /// The faster of two runs.
    func better(_ other: RawInsert) -> RawInsert { other.rate > rate ? other : self }
}

/// Inserts the rows through the C API alone: one prepared statement, bytes laid out in advance and
/// bound with SQLITE_STATIC, one transaction per batch. The schema comes from `EventLog` itself
/// (tables, indexes, triggers), and the pragmas are the log writer's. `keeping`, if given, names the
/// secondary indexes to keep, the others being dropped first (none kept: the events table and its
/// rowid alone, what no layout of indexes can beat); `synchronous` replaces the log's FULL.
private func rawInsertRate(
    _ events: [Event], path: String, batch: Int, keeping: Set<String>? = nil, synchronous: String = "FULL"
) throws -> RawInsert {
    do {  // creates the schema (and the old schema's indexes asked for), then closes
        let log = try EventLog(path: path, stream: "bench-raw", indexing: false)
        let kept = keeping ?? Set(secondaryIndexes)
        try log.withDatabase { db in
            for (name, sql) in zip(secondaryIndexes, blockedIndexSQL) where kept.contains(name) { try db.execute(sql) }
        }
    }
    struct Row {
        let id: [UInt8], type: [UInt8], subject: [UInt8], region: [UInt8]
        let version: Int64, occurred: Int64, correlation: [UInt8]?, person: [UInt8]
    }
    let rows = events.map { e in
        Row(id: e.id.bytes, type: Array(e.type.utf8), subject: Array(e.subject.utf8), region: Array(e.region.utf8),
            version: Int64(e.version), occurred: e.occurredAt, correlation: e.correlation?.bytes,
            person: Array(((try? e.decode(DisabilityRecorded.self))?.personID ?? "").utf8))
    }
    let hash = [UInt8](repeating: 0xab, count: 32)
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
        throw StoreBenchError("cannot open \(path)")
    }
    defer { sqlite3_close_v2(db) }
    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw StoreBenchError("\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }
    try exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous); PRAGMA cache_size = -65536")
    sqlite3_busy_timeout(db, 5_000)
    var stmt: OpaquePointer?
    let sql = """
        INSERT INTO events(seq, id, type, version, subject, region, occurred_at, recorded_at, causation, \
        correlation, payload, hash, person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
        throw StoreBenchError("prepare: \(String(cString: sqlite3_errmsg(db)))")
    }
    defer { sqlite3_finalize(stmt) }
    let statik = gonggu_sqlite_static()
    let correlationBytes = rows.flatMap { $0.correlation ?? [UInt8](repeating: 0, count: 16) }
    let correlations = UnsafeMutableRawPointer.allocate(byteCount: max(1, correlationBytes.count), alignment: 8)
    defer { correlations.deallocate() }
    correlationBytes.withUnsafeBytes { correlations.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = threadCPUSeconds()
    var i = 0
    while i < rows.count {
        try exec("BEGIN IMMEDIATE")
        for j in i..<min(rows.count, i + batch) {
            let r = rows[j]
            let rc: Int32 = r.id.withUnsafeBytes { id in
                r.type.withUnsafeBytes { type in
                    r.subject.withUnsafeBytes { subject in
                        r.region.withUnsafeBytes { region in
                            events[j].payload.withUnsafeBytes { payload in
                                hash.withUnsafeBytes { h in r.person.withUnsafeBytes { person in
                                    sqlite3_bind_text(stmt, 13, person.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                      Int32(person.count), statik)
                                    sqlite3_bind_int64(stmt, 1, Int64(j + 1))
                                    sqlite3_bind_blob(stmt, 2, id.baseAddress, 16, statik)
                                    sqlite3_bind_text(stmt, 3, type.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                      Int32(type.count), statik)
                                    sqlite3_bind_int64(stmt, 4, r.version)
                                    sqlite3_bind_text(stmt, 5, subject.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                      Int32(subject.count), statik)
                                    sqlite3_bind_text(stmt, 6, region.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                      Int32(region.count), statik)
                                    sqlite3_bind_int64(stmt, 7, r.occurred)
                                    sqlite3_bind_int64(stmt, 8, 1_767_225_600_000)
                                    sqlite3_bind_null(stmt, 9)
                                    if r.correlation != nil {
                                        sqlite3_bind_blob(stmt, 10, correlations + j * 16, 16, statik)
                                    } else {
                                        sqlite3_bind_null(stmt, 10)
                                    }
                                    sqlite3_bind_blob(stmt, 11, payload.baseAddress, Int32(payload.count), statik)
                                    sqlite3_bind_blob(stmt, 12, h.baseAddress, 32, statik)
                                    let rc = sqlite3_step(stmt)
                                    sqlite3_reset(stmt)
                                    return rc
                                } }
                            }
                        }
                    }
                }
            }
            guard rc == SQLITE_DONE else { throw StoreBenchError("insert: \(String(cString: sqlite3_errmsg(db)))") }
        }
        try exec("COMMIT")
        i += batch
    }
    let rate = Double(rows.count) / seconds(since: start)
    return RawInsert(rate: rate, cpuMicros: (threadCPUSeconds() - cpuStart) * 1e6 / Double(rows.count))
}

/// CPU time of the calling thread (user + system), in seconds.
private func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Appends `events` in batches: events per second, and how long after the last append the sidecar
/// index covered them all. `oldSchema`: the log is given the blocked indexes of logs before the sidecar index
/// (kept by SQLite on every insert) and no indexer runs.
private func logAppendRate(
    _ events: [Event], path: String, batch: Int, recordedAt: Timestamp, oldSchema: Bool = false,
    engine: SHA256Engine? = nil
) throws -> (rate: Double, indexLag: Double, cpuMicros: Double) {
    let log = try EventLog(path: path, stream: "bench", synchronous: .full, indexing: !oldSchema)
    if let engine { log.chainEngine = engine }
    if oldSchema {
        try log.withDatabase { db in for sql in blockedIndexSQL { try db.execute(sql) } }
    }
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = threadCPUSeconds()
    var i = 0
    while i < events.count {
        try log.append(Array(events[i..<min(events.count, i + batch)]), recordedAt: recordedAt)
        i += batch
    }
    let rate = Double(events.count) / seconds(since: start)
    let cpu = (threadCPUSeconds() - cpuStart) * 1e6 / Double(events.count)
    guard try log.lastSeq == Int64(events.count) else { throw StoreBenchError("append lost events") }
    if oldSchema { return (rate, 0, cpu) }
    let appended = DispatchTime.now().uptimeNanoseconds
    guard log.waitForIndex(through: Int64(events.count), timeout: 600) else {
        throw StoreBenchError("the sidecar index did not catch up")
    }
    return (rate, seconds(since: appended), cpu)
}

private func replayRate(_ log: EventLog, expected: Int) throws -> Double {
    var count = 0, grades = 0
    let start = DispatchTime.now().uptimeNanoseconds
    try log.forEach(after: 0) { event in
        let fact = try event.decode(DisabilityRecorded.self)
        grades &+= fact.grade
        count += 1
    }
    let rate = Double(count) / seconds(since: start)
    guard count == expected, grades > 0 else { throw StoreBenchError("replay read \(count) events") }
    return rate
}

private func verifyRate(_ log: EventLog, expected: Int) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try log.verify()
    let rate = Double(expected) / seconds(since: start)
    guard case let .intact(count, _) = result, count == Int64(expected) else {
        throw StoreBenchError("verify: \(result)")
    }
    return rate
}

/// Bulk and chain-step rates of the Swift SHA-256, and of SHA-NI when the CPU has it (else 0).
private func shaRates() -> (bulk: Double, chain: Double, hardwareBulk: Double, hardwareChain: Double) {
    let software = shaRates(.software)
    let hardware = SHA256Engine.hardwareAvailable ? shaRates(.hardware) : (bulk: 0, chain: 0)
    return (software.bulk, software.chain, hardware.bulk, hardware.chain)
}

func shaRates(_ engine: SHA256Engine) -> (bulk: Double, chain: Double) {
    let block = [UInt8](repeating: 0x61, count: 1 << 20)
    var start = DispatchTime.now().uptimeNanoseconds
    var hasher = SHA256Engine.hasher(engine)
    for _ in 0..<64 { hasher.update(block) }
    var digest = hasher.finalize()
    let bulk = 64 * 1_048_576 / seconds(since: start) / 1e6
    let message = [UInt8](repeating: 0x62, count: 450)
    let rounds = 200_000
    start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<rounds {
        var h = SHA256Engine.hasher(engine)
        h.update(digest)
        h.update(message)
        digest = h.finalize()
    }
    let chain = Double(rounds) / seconds(since: start)
    return (bulk, digest.isEmpty ? 0 : chain)
}

private func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct StoreBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Synthetic benchmark events: `DisabilityRecorded` facts with valid synthetic resident IDs.
enum StoreBenchData {
    static func events(count: Int) -> [Event] { events(range: 0..<count) }

    static func events(range: Range<Int>) -> [Event] {
        let regions = ["220102001001", "220203004002", "220322101003", "222401100004", "220722200005"]
        let correlation = EventID.derived("bench-import")
        return range.map { i in
            let id = residentID(index: i)
            let household = "HH\(220_000_000 + i / 3)"
            var fact = DisabilityRecorded(
                personID: id, householdID: household, name: "张三丰", birthDate: birthDate(index: i),
                gender: i % 2 == 0 ? "F" : "M", cardNumber: id + "\(i % 7 + 1)\(i % 4 + 1)",
                category: DisabilityCategory(rawValue: i % 7 + 1)!, grade: i % 4 + 1, labour: .weak, surveyYear: 2025,
                source: SourceRef(file: "2025-survey-changchun.csv", line: i + 2))
            fact.needsLongTermCare = i % 3 == 0
            fact.pensionEnrolled = true
            return Event(
                fact, id: EventID.derived("bench|\(i)"), subject: household, region: regions[i % regions.count],
                occurredAt: 1_735_660_800_000 + Int64(i), correlation: correlation)
        }
    }

    static func birthDate(index i: Int) -> String {
        "\(1950 + i % 50)-0\(i % 9 + 1)-1\(i % 9)"
    }

    /// A GB 11643 resident ID with a valid check character.
    static func residentID(index i: Int) -> String {
        let seq = String(i % 1000)
        let birth = "\(1950 + i % 50)0\(i % 9 + 1)1\(i % 9)"
        let body = "220102" + birth + String(repeating: "0", count: 3 - seq.count) + seq
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

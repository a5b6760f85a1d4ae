import CSQLite
import Foundation
import GongguCore

/// Look-ups of a log without secondary indexes (`IndexLayout.sidecar`): a seek in the sidecar index
/// (`LogIndex`) for what it covers, plus a scan of the log's tail beyond that.
extension EventLog {
    /// The sidecar connection and the seq it covers for this log (0 and nil when it is missing or
    /// belongs to another log or another history). A read-only log first brings the sidecar up to
    /// the head when this process may write it (the investigator tools); the writer's own indexer
    /// thread does that for the writer. Caller holds `lock`.
    func sidecarView() -> (db: SQLiteDatabase?, through: Int64) {
        do {
            if sidecar == nil {
                let sidecarPath = LogIndex.path(forLog: path)
                if isReadOnly, LogIndex.mayWrite(logPath: path) {
                    sidecar = try LogIndex.openWritable(logPath: path, create: true)
                    sidecarWritable = true
                } else if FileManager.default.fileExists(atPath: sidecarPath) {
                    sidecar = try SQLiteDatabase(path: sidecarPath, readOnly: true)
                } else {
                    return (nil, 0)
                }
            }
            guard let sidecar else { return (nil, 0) }
            // A sidecar of an earlier layout: a process that may write it rebuilds it (from empty,
            // below); any other reader answers from the log until the writer's indexer has.
            if !sidecarLayoutChecked {
                if try !LogIndex.hasCurrentLayout(sidecar) {
                    guard sidecarWritable else {
                        self.sidecar = nil
                        return (nil, 0)
                    }
                    try LogIndex.prepare(sidecar)
                }
                sidecarLayoutChecked = true
            }
            var state = try sidecarState()
            var matching = try state.map(matchesLog) ?? false
            // Up to date already (the common case), or a tail short enough to scan (a writer's
            // indexer a little behind, or stopped behind): no write transaction on the sidecar, the
            // look-up scans the tail. A longer tail is indexed first, in large transactions, its
            // progress told to `indexProgress` (the CLI prints it).
            if isReadOnly && sidecarWritable {
                let head = try readHead().seq
                let through = matching ? state?.indexedThrough ?? 0 : 0
                if head - through > tailScanLimit {
                    let from = through
                    let report = Self.indexProgress
                    report?(IndexProgress(path: path, from: from, through: from, head: head))
                    try LogIndex.catchUp(
                        sidecar: sidecar, log: db, logID: logID, onePassAbove: onePassAbove
                    ) { seq in
                        report?(IndexProgress(path: self.path, from: from, through: seq, head: head))
                    }
                    state = try sidecarState()
                    matching = try state.map(matchesLog) ?? false
                }
            }
            guard let state, matching else { return (nil, 0) }
            return (sidecar, state.indexedThrough)
        } catch {
            // A sidecar that cannot be read or written: the look-up scans the log instead.
            sidecar = nil
            sidecarStatements = [:]
            sidecarWritable = false
            sidecarLayoutChecked = false
            return (nil, 0)
        }
    }

    /// A cached prepared statement on the sidecar (caller holds `lock`; reset it after use).
    private func sidecarStatement(_ sql: String) throws -> Statement? {
        guard let sidecar else { return nil }
        return try sidecar.statement(sql, cachedIn: &sidecarStatements)
    }

    /// The sidecar's record of itself, nil if it has none (yet).
    private func sidecarState() throws -> LogIndex.State? {
        guard let sidecar else { return nil }
        if sidecarStatements[LogIndex.selectMeta] == nil, try sidecar.scalarInt(LogIndex.hasMeta) != 1 { return nil }
        guard let s = try sidecarStatement(LogIndex.selectMeta) else { return nil }
        defer { s.reset() }
        guard try s.step(), let id = s.string(at: 0) else { return nil }
        return LogIndex.State(logID: id, indexedThrough: s.int64(at: 1), throughHash: s.bytes(at: 2) ?? [])
    }

    /// `LogIndex.matches` through the log's cached statement.
    private func matchesLog(_ state: LogIndex.State) throws -> Bool {
        guard state.logID == logID else { return false }
        if state.indexedThrough == 0 { return true }
        let s = try statement(EventLogSchema.selectHashAt)
        defer { s.reset() }
        try s.bind(state.indexedThrough, at: 1)
        guard try s.step() else { return false }
        return s.bytes(at: 0) == state.throughHash
    }

    /// Runs the sidecar look-up `sql` (?1 the block, ?2 the key) once per block up to `view.through`,
    /// oldest block first, and hands each row whose seq (column `seqColumn`) is ≤ `through` to `row`.
    private func eachSidecarRow(
        _ view: (db: SQLiteDatabase?, through: Int64), _ sql: String, seqColumn: Int32 = 0,
        bind: (Statement) throws -> Void, row: (Statement) throws -> Void
    ) throws {
        guard view.db != nil, view.through > 0, let s = try sidecarStatement(sql) else { return }
        defer { s.reset() }
        // Bindings outlive `reset`: only the block changes from one seek to the next.
        try bind(s)
        for block in LogIndex.blocks(through: view.through) {
            s.reset()
            try s.bind(block, at: 1)
            while try s.step() {
                if s.int64(at: seqColumn) <= view.through { try row(s) }
            }
        }
    }

    /// The seqs the sidecar lists for `sql` with `key`, up to `through`, in log order.
    private func sidecarSeqs(
        _ view: (db: SQLiteDatabase?, through: Int64), _ sql: String, key: (Statement) throws -> Void
    ) throws -> [Int64] {
        var seqs: [Int64] = []
        try eachSidecarRow(view, sql, bind: key) { seqs.append($0.int64(at: 0)) }
        return seqs
    }

    /// The event at `seq` (caller holds `lock`).
    private func event(at seq: Int64, _ decoder: inout EventRowDecoder) throws -> Event? {
        let s = try statement(LogIndex.eventAt)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        guard try s.step() else { return nil }
        return try decoder.decode(s)
    }

    /// `event(id:)` through the sidecar: the newest event with the id (the tail first).
    func sidecarEvent(id raw: [UInt8]) throws -> Event? {
        // One read transaction on the log, so the tail and the indexed part are of one snapshot.
        let own = !db.isInTransaction
        if own { try db.execute("BEGIN DEFERRED") }
        defer { if own { db.rollbackIfNeeded() } }
        let view = sidecarView()
        var decoder = EventRowDecoder()
        let tail = try statement(LogIndex.tailByID)
        defer { tail.reset() }
        try tail.bind(view.through, at: 1)
        try tail.bind(raw, at: 2)
        var found: Event?
        while try tail.step() { found = try decoder.decode(tail) }
        if let found { return found }
        guard let seq = try sidecarSeqs(view, LogIndex.seqsByID, key: { try $0.bind(raw, at: 2) }).last else { return nil }
        return try event(at: seq, &decoder)
    }

    /// `events(subject:)` through the sidecar, in log order.
    func sidecarEvents(subject: String) throws -> [Event] {
        let own = !db.isInTransaction
        if own { try db.execute("BEGIN DEFERRED") }
        defer { if own { db.rollbackIfNeeded() } }
        let view = sidecarView()
        var decoder = EventRowDecoder()
        var out: [Event] = []
        for seq in try sidecarSeqs(view, LogIndex.seqsBySubject, key: { try $0.bind(subject, at: 2) }) {
            if let e = try event(at: seq, &decoder) { out.append(e) }
        }
        let tail = try statement(LogIndex.tailBySubject)
        defer { tail.reset() }
        try tail.bind(view.through, at: 1)
        try tail.bind(subject, at: 2)
        while try tail.step() { out.append(try decoder.decode(tail)) }
        return out
    }

    /// `households(ofPerson:)` through the sidecar: subjects in order of their first fact.
    func sidecarHouseholds(ofPerson personID: String) throws -> [String] {
        let own = !db.isInTransaction
        if own { try db.execute("BEGIN DEFERRED") }
        defer { if own { db.rollbackIfNeeded() } }
        let view = sidecarView()
        var out: [String] = []
        try eachSidecarRow(view, LogIndex.subjectsByPerson, seqColumn: 1, bind: { try $0.bind(personID, at: 2) }) { s in
            if let subject = s.string(at: 0), !out.contains(subject) { out.append(subject) }
        }
        let tail = try statement(LogIndex.tailByPerson)
        defer { tail.reset() }
        try tail.bind(view.through, at: 1)
        try tail.bind(personID, at: 2)
        while try tail.step() {
            if let subject = tail.string(at: 0), !out.contains(subject) { out.append(subject) }
        }
        return out
    }

    /// Whether the log holds an event with id `raw` (16 bytes) below seq `before`: sidecar seek plus
    /// tail scan. Caller holds `lock`; used to confirm a fingerprint hit before refusing a duplicate,
    /// inside the transaction that inserts the batch from seq `before` on.
    func recordsID(_ raw: [UInt8], before: Int64) throws -> Bool {
        let view = sidecarView()
        if try !sidecarSeqs(view, LogIndex.seqsByID, key: { try $0.bind(raw, at: 2) }).isEmpty { return true }
        let tail = try statement(LogIndex.tailHasID)
        defer { tail.reset() }
        try tail.bind(view.through, at: 1)
        try tail.bind(raw, at: 2)
        try tail.bind(before, at: 3)
        return try tail.step()
    }

    /// Writer, at a graceful stop: lets the indexer bring the sidecar up to the head for at most
    /// `seconds` (a writer stopped right after a burst leaves no long tail for the investigators'
    /// first query), then stops it; later appends are indexed by the next writer or a tool. Returns
    /// whether the sidecar covers the head (true for a log without an indexer: nothing to wait for).
    @discardableResult
    public func finishIndexing(within seconds: TimeInterval) -> Bool {
        guard let indexer else { return true }
        return indexer.stop(grace: seconds)
    }

    /// Waits until the writer's indexer has the sidecar through `seq` (tests, benchmarks, tools
    /// that want the tail short). False on timeout or for a log without an indexer.
    @discardableResult
    public func waitForIndex(through seq: Int64, timeout: TimeInterval = 60) -> Bool {
        indexer?.wait(through: seq, timeout: timeout) ?? false
    }

    /// Brings the sidecar index up to the head now, in the caller's thread (the investigator tools'
    /// catch-up, also for a writer opened without its indexer). Returns the seq it covers.
    /// A tail longer than `onePassAbove` in one pass.
    @discardableResult
    public func updateIndex() throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        guard indexLayout == .sidecar else { return try lastSeq }
        guard let sidecarDB = try LogIndex.openWritable(logPath: path, create: true) else { return 0 }
        return try LogIndex.catchUp(sidecar: sidecarDB, log: db, logID: logID, onePassAbove: onePassAbove)
    }

    /// Removes the sidecar index and builds it again from the log, `batch` events per sidecar
    /// transaction, in the caller's thread; returns the seconds it took. For a read-only log whose
    /// sidecar no other process has open (a writer's indexer would rebuild it anyway): `gonggu-bench`
    /// times the former transaction size (20,000) against the current one (`LogIndex.bulkBatch`).
    /// `asBefore`: as before the bulk catch-up: 32 MiB page cache, every commit `synchronous = NORMAL`
    /// with the automatic checkpoints (pass `batch: 20_000` for the former transaction size too).
    /// `onePass`: a tail longer than `onePassAbove` in one pass (what the tools do);
    /// false: in transactions of `batch` (the catch-up before the one pass).
    public func rebuildIndex(batch: Int = LogIndex.bulkBatch, asBefore: Bool = false, onePass: Bool = true) throws
        -> TimeInterval
    {
        lock.lock()
        defer { lock.unlock() }
        sidecarStatements = [:]
        sidecar = nil
        sidecarWritable = false
        sidecarLayoutChecked = false
        let sidecarPath = LogIndex.path(forLog: path)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sidecarPath + suffix) }
        guard let sidecarDB = try LogIndex.openWritable(logPath: path, create: true) else { return 0 }
        let began = Date()
        try LogIndex.catchUp(
            sidecar: sidecarDB, log: db, logID: logID, batch: batch, cacheKiB: asBefore ? nil : LogIndex.bulkCacheKiB,
            bulkAbove: asBefore ? .max : LogIndex.bulkThreshold,
            onePassAbove: onePass && !asBefore ? onePassAbove : nil)
        return Date().timeIntervalSince(began)
    }
}

/// How far a tool's catch-up of a sidecar index has got (`EventLog.indexProgress`).
public struct IndexProgress: Sendable {
    /// The log's path.
    public var path: String
    /// The seq the sidecar covered when the catch-up began, the seq it covers now, the log's head.
    public var from: Int64
    public var through: Int64
    public var head: Int64

    /// For the operator: Chinese first, the English beside it.
    public var message: String {
        let name = (path as NSString).lastPathComponent
        let done = max(0, through - from), total = max(1, head - from)
        let percent = Int(Double(done) * 100 / Double(total))
        return "正在补建日志索引 \(name)：\(done)/\(head - from) 个事件（\(percent)%）"
            + " / indexing the log's sidecar: \(done) of \(head - from) events"
    }
}

extension EventLog {
    /// Unindexed tail (events beyond the sidecar's `indexed_through`) that a read-only look-up scans
    /// rather than indexing first. Scanning reads every row of the tail (≈ 40 ms per 100,000 intake
    /// events from the page cache, see `gonggu-bench investigate`); indexing a long tail first costs
    /// more once, and the next look-ups none. Per log: `tailScanLimit`.
    public static let defaultTailScanLimit: Int64 = 100_000

    /// How long a service's graceful stop lets the indexer catch up (`finishIndexing(within:)`): short,
    /// a stop must stay quick (a tail left behind is scanned or indexed by the first look-up).
    public static let indexStopGrace: TimeInterval = 1

    /// Told how a read-only log's catch-up of a long unindexed tail progresses (after each sidecar
    /// transaction), for the CLI to print; nil: nobody is told.
    public static var indexProgress: (@Sendable (IndexProgress) -> Void)? {
        get { progressBox.get() }
        set { progressBox.set(newValue) }
    }
    private static let progressBox = ProgressBox()
}

/// The handler of `EventLog.indexProgress`, behind a lock.
private final class ProgressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var handler: (@Sendable (IndexProgress) -> Void)?
    func get() -> (@Sendable (IndexProgress) -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        return handler
    }
    func set(_ h: (@Sendable (IndexProgress) -> Void)?) {
        lock.lock()
        handler = h
        lock.unlock()
    }
}

/// Fingerprints (64 bits) of every id a writer's log holds: an append looks each new id up here and
/// only on a hit asks the log exactly (`EventLog.recordsID`), so refusing a duplicate id costs no
/// index on the commit path. Loaded on a thread of its own when the writer opens the log (from the
/// sidecar's id table as far as it matches, then the log's tail), so opening does not wait for it;
/// the first append does. Kept as a `FingerprintSet` (≈ 4.3 bytes an event).
final class IDFingerprints: @unchecked Sendable {
    private let condition = NSCondition()
    private var loaded = false
    private var loadError: (any Error)?
    private var set = FingerprintSet()

    static func of(_ id: EventID) -> UInt64 { id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15) }

    static func of(raw p: UnsafeRawBufferPointer) -> UInt64 {
        let high = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let low = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return high ^ (low &* 0x9E37_79B9_7F4A_7C15)
    }

    init(logPath: String, logID: String) {
        let thread = Thread { [self] in load(logPath: logPath, logID: logID) }
        thread.name = "gonggu.eventlog.ids"
        thread.start()
    }

    private func load(logPath: String, logID: String) {
        var fresh = FingerprintSet()
        do {
            let log = try SQLiteDatabase(path: logPath, readOnly: true)
            try log.execute("BEGIN DEFERRED")
            defer { log.rollbackIfNeeded() }
            var through: Int64 = 0
            // Arrays sized for the whole log up front: no doubling while they fill.
            let head = try log.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0
            fresh = FingerprintSet(expected: Int(head))
            let sidecarPath = LogIndex.path(forLog: logPath)
            if FileManager.default.fileExists(atPath: sidecarPath),
                let sidecar = try? SQLiteDatabase(path: sidecarPath, readOnly: true),
                let state = try? LogIndex.state(sidecar), (try? LogIndex.matches(state, logID: logID, log: log)) == true
            {
                try sidecar.execute("BEGIN DEFERRED")
                defer { sidecar.rollbackIfNeeded() }
                let s = try sidecar.prepare("SELECT id FROM ids")
                while try s.step() {
                    let raw = s.rawBytes(at: 0)
                    if raw.count == 16 { fresh.appendUnsorted(Self.of(raw: raw)) }
                }
                through = state.indexedThrough
            }
            let s = try log.prepare("SELECT id FROM events WHERE seq > ?")
            try s.bind(through, at: 1)
            while try s.step() {
                let raw = s.rawBytes(at: 0)
                if raw.count == 16 { fresh.appendUnsorted(Self.of(raw: raw)) }
            }
            fresh.finishBulk()
        } catch {
            condition.lock()
            loadError = error
            loaded = true
            condition.broadcast()
            condition.unlock()
            return
        }
        condition.lock()
        set = fresh
        loaded = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the load (for the destructor: the thread's connections close before the writer's).
    func stop() {
        condition.lock()
        while !loaded { condition.wait() }
        condition.unlock()
    }

    /// Runs `body` with the loaded set, after the load (rethrows its failure).
    func withSet<T>(_ body: (inout FingerprintSet) throws -> T) throws -> T {
        condition.lock()
        defer { condition.unlock() }
        while !loaded { condition.wait() }
        if let loadError { throw loadError }
        return try body(&set)
    }
}

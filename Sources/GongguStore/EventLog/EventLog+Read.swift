import Dispatch
import GongguCore

extension EventLog {
    /// Up to `limit` events with seq greater than `seq`, in log order.
    public func read(after seq: Int64, limit: Int) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectAfter)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        try s.bind(Int64(max(0, limit)), at: 2)
        return try collect(s)
    }

    /// Up to `limit` events with seq greater than `seq` whose type starts with `typePrefix` and whose
    /// region starts with `regionPrefix` (nil: any), in log order. For subscribers that take a subset
    /// of a stream and reconcile it by replay (docs/PROTOCOL.md §2.1).
    public func read(after seq: Int64, limit: Int, typePrefix: String?, regionPrefix: String?) throws -> [Event] {
        try read(after: seq, limit: limit, exactType: nil, typePrefix: typePrefix, regionPrefix: regionPrefix)
    }

    /// Like `read(after:limit:typePrefix:regionPrefix:)` with a ZeroMQ-style topic prefix over
    /// `<type>/<region>`: `"Risk"` takes every type starting with `Risk`; `"RiskFeedback/"` takes
    /// exactly that type; `"RiskFeedback/2201"` that type in regions starting with `2201`.
    public func read(after seq: Int64, limit: Int, topicPrefix: String) throws -> [Event] {
        guard let slash = topicPrefix.firstIndex(of: "/") else {
            return try read(after: seq, limit: limit, typePrefix: topicPrefix.isEmpty ? nil : topicPrefix,
                            regionPrefix: nil)
        }
        let region = String(topicPrefix[topicPrefix.index(after: slash)...])
        return try read(
            after: seq, limit: limit, exactType: String(topicPrefix[..<slash]), typePrefix: nil,
            regionPrefix: region.isEmpty ? nil : region)
    }

    private func read(
        after seq: Int64, limit: Int, exactType: String?, typePrefix: String?, regionPrefix: String?
    ) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectFiltered)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        try s.bind(exactType, at: 2)
        try s.bind(typePrefix, at: 3)
        try s.bind(regionPrefix, at: 4)
        try s.bind(Int64(max(0, limit)), at: 5)
        return try collect(s)
    }

    /// Calls `body` with every committed event after `seq`, in log order: the fast path for
    /// replaying a log into a fold.
    ///
    /// Rows are read and decoded on a second thread through a connection of their own, one chunk
    /// ahead of `body`, so reading and the caller's work (typically decoding payloads and folding)
    /// overlap on two cores. The walk sees one snapshot: events committed after it starts are not
    /// included (follow with `read(after:limit:)`). `body` may use this log meanwhile.
    ///
    /// With `verifyingChain`, the reading thread also checks every row against the hash chain (seqs
    /// without gaps, each stored hash equal to SHA-256(stored hash before ‖ canonical bytes)), from the
    /// stored hash of the event at `seq` on (genesis for 0), in the same pass: `body` never sees an
    /// event from the first bad one on, and the walk then throws `LogDamage.chainBroken` naming it.
    /// SQLite errors meaning file damage are then thrown as `LogDamage.file`. (Duplicate ids across
    /// index blocks are left to `verify()`.)
    public func forEach(after seq: Int64 = 0, verifyingChain: Bool = false, _ body: (Event) throws -> Void) throws {
        guard verifyingChain else { return try forEach(after: seq, checker: nil, body) }
        do {
            try forEach(after: seq, checker: ChainChecker(path: path, after: seq, previous: []), body)
        } catch {
            throw LogDamage.classify(error, path: path)
        }
    }

    private func forEach(after seq: Int64, checker: ChainChecker?, _ body: (Event) throws -> Void) throws {
        let connection = try SQLiteDatabase(path: path, readOnly: true)
        try connection.execute("BEGIN DEFERRED")
        defer { connection.rollbackIfNeeded() }
        let sql = checker == nil ? EventLogSchema.selectAll : EventLogSchema.selectAllWithHash
        let statement = try connection.prepare(sql)
        try statement.bind(seq, at: 1)
        if let checker, seq > 0 {
            let anchor = try connection.prepare(EventLogSchema.selectHashAt)
            try anchor.bind(seq, at: 1)
            guard try anchor.step(), let hash = anchor.bytes(at: 0), hash.count == 32 else {
                throw LogDamage.chainBroken(path: path, seq: seq, problem: .malformedRow("anchor row missing"))
            }
            checker.previous = hash
            checker.chunk.clear(previous: hash)
        } else if let checker {
            checker.previous = CanonicalEncoding.genesis
            checker.chunk.clear(previous: CanonicalEncoding.genesis)
        }
        let reader = ReplayReader(statement: statement)
        reader.checker = checker
        let chunks = [ReplayChunk(), ReplayChunk()]
        let filled = DispatchSemaphore(value: 0)
        reader.fill(chunks[0])
        var current = 0
        while true {
            let chunk = chunks[current]
            let next = chunks[current ^ 1]
            let more = !chunk.finished
            if more {
                hashQueue.async {
                    reader.fill(next)
                    filled.signal()
                }
            }
            do {
                for event in chunk.events { try body(event) }
            } catch {
                if more { filled.wait() }
                throw error
            }
            if let error = chunk.error { throw error }
            guard more else { return }
            filled.wait()
            current ^= 1
        }
    }

    /// The event with id `id`, if recorded: one index seek per block, newest block first (the
    /// events people ask about are mostly recent); for a log without secondary indexes, the tail
    /// beyond the sidecar index first, then one seek in the sidecar (`LogIndex`).
    public func event(id: EventID) throws -> Event? {
        lock.lock()
        defer { lock.unlock() }
        var raw = [UInt8](repeating: 0, count: 16)
        raw.withUnsafeMutableBytes { storeID(id, at: $0.baseAddress!) }
        if indexLayout == .sidecar { return try sidecarEvent(id: raw) }
        var decoder = EventRowDecoder()
        var found: Event?
        try eachBlock(indexLayout.selectByID, newestFirst: true, bind: { try $0.bind(raw, at: 2) }) { s in
            found = try decoder.decode(s)
            return false
        }
        return found
    }

    /// Every event about `subject` (a household or person key), in log order, through the subject
    /// index (one seek per block), or the sidecar index plus the tail it does not cover yet.
    public func events(subject: String) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        if indexLayout == .sidecar { return try sidecarEvents(subject: subject) }
        var out: [Event] = []
        var decoder = EventRowDecoder()
        try eachBlock(indexLayout.selectBySubject, bind: { try $0.bind(subject, at: 2) }) { s in
            out.append(try decoder.decode(s))
            return true
        }
        return out
    }

    private func collect(_ s: Statement) throws -> [Event] {
        var out: [Event] = []
        var decoder = EventRowDecoder()
        while try s.step() { out.append(try decoder.decode(s)) }
        return out
    }
}

/// Events read ahead by `forEach`'s reading thread.
final class ReplayChunk: @unchecked Sendable {
    static let capacity = 256
    var events: [Event] = []
    /// The statement has no more rows.
    var finished = false
    var error: (any Error)?

    init() { events.reserveCapacity(Self.capacity) }
}

/// Steps `forEach`'s statement; used by one thread at a time (the semaphore hand-over orders them).
final class ReplayReader: @unchecked Sendable {
    let statement: Statement
    var decoder = EventRowDecoder()
    /// Set for a replay that verifies the chain as it reads.
    var checker: ChainChecker?

    init(statement: Statement) { self.statement = statement }

    func fill(_ chunk: ReplayChunk) {
        chunk.events.removeAll(keepingCapacity: true)
        do {
            while chunk.events.count < ReplayChunk.capacity {
                guard try statement.step() else {
                    chunk.finished = true
                    break
                }
                if let checker {
                    guard try checker.add(statement, decoder: &decoder, to: &chunk.events) else {
                        chunk.finished = true
                        break
                    }
                } else {
                    chunk.events.append(try decoder.decode(statement))
                }
            }
            try checker?.finish(&chunk.events)
        } catch {
            // A verifying walk hands on no row it has not hashed.
            if checker != nil, !(error is LogDamage) { chunk.events.removeAll() }
            chunk.error = error
            chunk.finished = true
        }
    }
}

import CSQLite
import GongguCore

extension EventLog {
    /// Runs SQLite's own check of the file (`quick_check` or `integrity_check`) and returns what it
    /// found: empty when the file is sound, else SQLite's lines, which name the damaged table or index.
    /// At most 100 lines. Errors meaning file damage are thrown as `LogDamage.file`.
    public func checkStructure(_ check: StructureCheck) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        do {
            let s = try db.prepare("PRAGMA \(check.rawValue)(100)")
            var lines: [String] = []
            while try s.step() { lines.append(s.string(at: 0) ?? "") }
            return lines == ["ok"] ? [] : lines
        } catch {
            throw LogDamage.classify(error, path: path)
        }
    }

    /// The stored hash of the event at `seq` (genesis for 0): where a verified walk after `seq` starts.
    /// Caller holds `lock`.
    func storedHash(at seq: Int64) throws -> [UInt8] {
        guard seq > 0 else { return CanonicalEncoding.genesis }
        let s = try statement(EventLogSchema.selectHashAt)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        guard try s.step(), let hash = s.bytes(at: 0), hash.count == 32 else {
            throw LogDamage.chainBroken(
                path: path, seq: seq, problem: .malformedRow("row missing or its hash is not 32 bytes"))
        }
        return hash
    }

    /// Up to `limit` events after `seq`, each checked against the hash chain: seqs without gaps and
    /// every stored hash equal to SHA-256(stored hash before ‖ canonical bytes). `anchor` is the
    /// stored hash of the event at `seq` when the caller has verified it (nil: read from the file).
    /// Returns the events and the stored hash of the last one (the anchor of the next call).
    /// - Throws: `LogDamage.chainBroken` naming the first bad seq when it is the first one asked for;
    ///   a break further on ends the batch before it (the next read then throws).
    public func readVerified(
        after seq: Int64, limit: Int, anchor: [UInt8]?
    ) throws -> (events: [Event], head: [UInt8]) {
        let read = try readVerifiedChain(after: seq, limit: limit, anchor: anchor)
        return (read.events, read.head)
    }

    /// `readVerified`, also returning the chain it checked: the hash at `seq` it started from (`anchor`,
    /// or the stored one) followed by the stored hash of each event returned, 32 bytes each
    /// (`(events.count + 1) × 32`). Each is the chain hash through its event from that start, so a
    /// consumer whose own anchor at `seq` equals the first need not hash the events again.
    public func readVerifiedChain(
        after seq: Int64, limit: Int, anchor: [UInt8]?
    ) throws -> (events: [Event], head: [UInt8], chain: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        do {
            let previous = try anchor ?? storedHash(at: seq)
            let s = try statement(EventLogSchema.selectAfterWithHash)
            defer { s.reset() }
            try s.bind(seq, at: 1)
            try s.bind(Int64(max(0, limit)), at: 2)
            let checker = ChainChecker(path: path, after: seq, previous: previous)
            checker.keepsChain = true
            var events: [Event] = []
            var decoder = EventRowDecoder()
            while try s.step() {
                guard try checker.add(s, decoder: &decoder, to: &events) else { break }
            }
            do {
                try checker.finish(&events)
            } catch is LogDamage where !events.isEmpty {
                // The sound events before the break are handed on; the next read, from the bad seq, throws.
                return (events, checker.previous, checker.chain)
            }
            return (events, checker.previous, checker.chain)
        } catch {
            throw LogDamage.classify(error, path: path)
        }
    }
}

/// Checks rows read in seq order against the hash chain, a chunk at a time (`VerifyChunk` holds
/// their canonical bytes). Used by the verified replay and `readVerified`.
final class ChainChecker: @unchecked Sendable {
    let path: String
    let chunk = VerifyChunk()
    /// The next seq expected.
    var expected: Int64
    /// The stored hash of the last row verified.
    var previous: [UInt8]
    /// A gap or malformed row met while reading, reported once the rows before it are checked.
    private var stop: LogDamage?
    /// Whether `finish` keeps the hashes it checked in `chain` (a bounded read; not the replay's walk).
    var keepsChain = false
    /// With `keepsChain`: the starting hash, then the stored hash of every row checked sound.
    private(set) var chain: [UInt8] = []

    init(path: String, after seq: Int64, previous: [UInt8]) {
        self.path = path
        expected = seq + 1
        self.previous = previous
        chunk.clear(previous: previous)
        chain = previous
    }

    /// Decodes the current row of `s` (selected with the columns and the hash) into `events`. Returns
    /// false when the walk must stop (a gap or malformed row; `finish` throws it).
    func add(_ s: Statement, decoder: inout EventRowDecoder, to events: inout [Event]) throws -> Bool {
        let seq = sqlite3_column_int64(s.handle, 0)
        guard seq == expected else {
            stop = .chainBroken(path: path, seq: expected, problem: .seqGap(found: seq))
            return false
        }
        do {
            let event = try decoder.decode(s)
            try chunk.add(row: s, seq: seq)
            events.append(event)
        } catch let EventLogError.malformedRow(_, reason) {
            stop = .chainBroken(path: path, seq: seq, problem: .malformedRow(reason))
            return false
        }
        expected += 1
        return true
    }

    /// Hashes the rows added since the last call; drops from `events` (whose last `chunk.count`
    /// elements are those rows) every row from the first bad one on, and throws the first damage.
    func finish(_ events: inout [Event]) throws {
        if chunk.count > 0 {
            if let i = chunk.firstFailure(in: 0..<chunk.count) {
                events.removeLast(chunk.count - i)
                if i > 0 { previous = Array(chunk.stored[(i - 1) * 32..<i * 32]) }
                if keepsChain { chain += chunk.stored[0..<i * 32] }
                throw LogDamage.chainBroken(path: path, seq: chunk.seqs[i], problem: .hashMismatch)
            }
            if keepsChain { chain += chunk.stored }
            previous = chunk.lastStoredHash!
            chunk.clear(previous: previous)
        }
        if let stop { throw stop }
    }
}

import CSQLite
import Dispatch
import GongguCore

/// What is wrong at the first bad position of a log's hash chain.
public enum ChainProblem: Equatable, Sendable, CustomStringConvertible {
    /// The stored hash differs from SHA-256(previous hash ‖ canonical bytes): the row (or its hash)
    /// was altered after it was recorded.
    case hashMismatch
    /// The expected seq is missing; the next row present has seq `found` (a deleted row).
    case seqGap(found: Int64)
    /// The row cannot be decoded into an event (e.g. an id that is not 16 bytes).
    case malformedRow(String)
    /// The row's id is already the id of the event at seq `first` (ids must be unique in a log;
    /// the blocked id index refuses a duplicate only within one block, see `EventLogSchema`).
    case duplicateID(first: Int64)

    public var description: String {
        switch self {
        case .hashMismatch: return "hash mismatch (the event or its hash was altered)"
        case let .seqGap(found): return "seq gap (next row present has seq \(found))"
        case let .malformedRow(reason): return "malformed row (\(reason))"
        case let .duplicateID(first): return "duplicate id (the event at seq \(first) has the same id)"
        }
    }
}

/// The outcome of walking a log's hash chain.
public enum LogVerification: Equatable, Sendable {
    /// Every event chains correctly: `count` events, ending with `headHash`.
    case intact(count: Int64, headHash: [UInt8])
    /// The chain breaks at `seq`; the `verified` events before it are intact.
    case broken(seq: Int64, problem: ChainProblem, verified: Int64)

    /// Whether the chain is intact.
    public var isIntact: Bool { if case .intact = self { return true } else { return false } }
}

extension EventLog {
    /// Rows read before a chunk is handed to the hashing thread.
    static let verifyChunk = 512

    /// Walks the whole chain from genesis: checks that seqs run 1, 2, 3 … without gaps and that each
    /// stored hash equals SHA-256(previous hash ‖ canonical bytes of the row).
    ///
    /// Detects any row altered, inserted or deleted after the fact, also with the triggers dropped
    /// (e.g. by the `sqlite3` CLI), and an id used twice. It cannot detect a tail cut off after the
    /// last remaining event or a chain rewritten wholesale; compare `headHash` with a copy published
    /// elsewhere for that.
    /// Reading and hashing overlap on two threads.
    public func verify() throws -> LogVerification {
        lock.lock()
        defer { lock.unlock() }
        // One read transaction, so a concurrent writer's commits do not shift the walk.
        try db.execute("BEGIN DEFERRED")
        defer { db.rollbackIfNeeded() }
        let s = try db.prepare(EventLogSchema.selectForVerify)
        // Each row is checked against the *stored* hash of the row before it, so rows can be checked
        // independently and in parallel; by induction from genesis, all rows passing is the same as
        // the recomputed chain matching, and the first failing row is the same too.
        let chunks = [VerifyChunk(engine: chainEngine), VerifyChunk(engine: chainEngine)]
        var current = 0
        let done = DispatchSemaphore(value: 0)
        var pending: (chunk: VerifyChunk, job: VerifyJob, mainFailure: Int?)?
        var previous = CanonicalEncoding.genesis
        var expected: Int64 = 1
        var verified: Int64 = 0
        var failedSeq: Int64?
        var stop: (seq: Int64, problem: ChainProblem)?
        // The first 8 bytes of every id, for the duplicate check of the blocked layout and of logs
        // without an id index (a suspect prefix is then looked up by one scan of the log).
        var prefixes: [UInt64] = []
        let checkIDs = indexLayout != .plain

        /// Waits for the worker's part of the pending chunk; records its outcome.
        func finishPending() {
            guard let p = pending else { return }
            done.wait()
            pending = nil
            if let i = p.mainFailure ?? p.job.firstFailure {
                failedSeq = p.chunk.seqs[i]
                verified += Int64(i)
            } else {
                verified += Int64(p.chunk.count)
            }
        }

        var more = true
        while more {
            let chunk = chunks[current]
            chunk.clear(previous: previous)
            while chunk.count < Self.verifyChunk {
                guard try s.step() else {
                    more = false
                    break
                }
                let seq = sqlite3_column_int64(s.handle, 0)
                if seq != expected {
                    stop = (expected, .seqGap(found: seq))
                    more = false
                    break
                }
                do {
                    try chunk.add(row: s, seq: seq)
                } catch let EventLogError.malformedRow(_, reason) {
                    stop = (seq, .malformedRow(reason))
                    more = false
                    break
                }
                if checkIDs { prefixes.append(s.rawBytes(at: 1).loadUnaligned(as: UInt64.self)) }
                expected += 1
            }
            previous = chunk.lastStoredHash ?? previous
            finishPending()
            if failedSeq != nil || chunk.count == 0 { break }
            // The reading thread checks the first ~30 % of the chunk itself (it also reads), the
            // helper the rest: about even work on two cores.
            let split = chunk.count * 3 / 10
            let job = VerifyJob(chunk: chunk, range: split..<chunk.count)
            hashQueue.async {
                job.run()
                done.signal()
            }
            pending = (chunk, job, chunk.firstFailure(in: 0..<split))
            current ^= 1
        }
        finishPending()

        if let failedSeq { return .broken(seq: failedSeq, problem: .hashMismatch, verified: verified) }
        if let stop { return .broken(seq: stop.seq, problem: stop.problem, verified: verified) }
        if let duplicate = try firstDuplicateID(prefixes: &prefixes, lastSeq: verified) {
            return .broken(
                seq: duplicate.seq, problem: .duplicateID(first: duplicate.first), verified: duplicate.seq - 1)
        }
        return .intact(count: verified, headHash: previous)
    }

    /// The earliest event whose id an earlier event already has, from the sorted 8-byte id
    /// prefixes of the whole log: each prefix seen twice is looked up through the id index (a range
    /// seek per block) to compare whole ids. Caller holds `lock` inside verify's read transaction.
    private func firstDuplicateID(prefixes: inout [UInt64], lastSeq: Int64) throws -> (seq: Int64, first: Int64)? {
        prefixes.sort()
        var suspects: [UInt64] = []
        var i = 1
        while i < prefixes.count {
            if prefixes[i] == prefixes[i - 1], suspects.last != prefixes[i] { suspects.append(prefixes[i]) }
            i += 1
        }
        guard !suspects.isEmpty else { return nil }
        var found: (seq: Int64, first: Int64)?
        for prefix in suspects {
            // The prefix was loaded in native byte order from the id's first 8 bytes: store it back.
            let head = withUnsafeBytes(of: prefix) { Array($0) }
            var firstSeq: [[UInt8]: Int64] = [:]
            try eachBlock(indexLayout.selectIDRange, lastSeq: lastSeq, bind: { s in
                try s.bind(head + [UInt8](repeating: 0, count: 8), at: 2)
                try s.bind(head + [UInt8](repeating: 0xff, count: 8), at: 3)
            }) { s in
                let seq = s.int64(at: 0), id = s.bytes(at: 1) ?? []
                if let first = firstSeq[id] {
                    if seq < (found?.seq ?? .max) { found = (seq, first) }
                } else {
                    firstSeq[id] = seq
                }
                return true
            }
        }
        return found
    }

}

/// Canonical bytes and stored hashes of consecutive rows, filled by the reading thread.
final class VerifyChunk: @unchecked Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var seqs: [Int64] = []
    /// 32 bytes per row; a stored hash of another length never matches (its flag is false).
    var stored: [UInt8] = []
    var storedValid: [Bool] = []
    /// The SHA-256 engine that recomputes the hashes.
    let engine: SHA256Engine

    init(engine: SHA256Engine = SHA256Engine.selected.engine) { self.engine = engine }

    var count: Int { seqs.count }

    /// The stored hash of the row before the chunk's first row (genesis before seq 1).
    var previous = CanonicalEncoding.genesis

    func clear(previous: [UInt8]) {
        self.previous = previous
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        seqs.removeAll(keepingCapacity: true)
        stored.removeAll(keepingCapacity: true)
        storedValid.removeAll(keepingCapacity: true)
    }

    /// The stored hash of the chunk's last row, if it has rows.
    var lastStoredHash: [UInt8]? { count == 0 ? nil : Array(stored[(count - 1) * 32..<count * 32]) }

    /// The index of the first row in `range` whose stored hash is not SHA-256(stored hash of the
    /// row before ‖ its canonical bytes). Reads only; safe to run on two threads over two ranges.
    func firstFailure(in range: Range<Int>) -> Int? {
        var computed = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return bytes.withUnsafeBytes { bytes in
            stored.withUnsafeBytes { stored in
                previous.withUnsafeBytes { first in
                    withUnsafeMutableBytes(of: &computed) { out in
                        for i in range {
                            var h = SHA256Engine.hasher(engine)
                            let before = i == 0 ? first : UnsafeRawBufferPointer(rebasing: stored[(i - 1) * 32..<i * 32])
                            h.update(raw: before)
                            let start = i == 0 ? 0 : ends[i - 1]
                            h.update(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<ends[i]]))
                            h.finalize(into: out)
                            guard storedValid[i], out.elementsEqual(stored[(i * 32)..<(i * 32 + 32)]) else { return i }
                        }
                        return nil
                    }
                }
            }
        }
    }

    /// Appends the canonical bytes of the current row of `s` (selected with `selectForVerify`),
    /// written straight from the column memory in `CanonicalEncoding`'s layout, and its stored hash.
    /// The row's size is known from its columns, so the buffer grows once and each field is copied in
    /// place (appending field by field cost about twice as much per row).
    func add(row s: Statement, seq: Int64) throws {
        let h = s.handle
        let id = try idColumn(s, 1, seq: seq, required: true)
        let type = s.rawText(at: 2), subject = s.rawText(at: 4), region = s.rawText(at: 5)
        let causation = try idColumn(s, 8, seq: seq, required: false)
        let correlation = try idColumn(s, 9, seq: seq, required: false)
        let payload = s.rawBytes(at: 10)
        let texts = (min(type.count, Self.string16Max), min(subject.count, Self.string16Max), min(region.count, Self.string16Max))
        let size = 8 + 16 + (2 + texts.0) + 4 + (2 + texts.1) + (2 + texts.2) + 8 + 8 + 16 + 16 + 4 + payload.count
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { buffer in
            var at = start
            func put(_ raw: UnsafeRawBufferPointer, _ n: Int) {
                if n > 0 { (buffer.baseAddress! + at).copyMemory(from: raw.baseAddress!, byteCount: n) }
                at += n
            }
            func putU64(_ v: UInt64) { buffer.storeBytes(of: v.bigEndian, toByteOffset: at, as: UInt64.self); at += 8 }
            func putU32(_ v: UInt32) { buffer.storeBytes(of: v.bigEndian, toByteOffset: at, as: UInt32.self); at += 4 }
            func putString16(_ raw: UnsafeRawBufferPointer, _ n: Int) {
                buffer.storeBytes(of: UInt16(n).bigEndian, toByteOffset: at, as: UInt16.self)
                at += 2
                put(raw, n)
            }
            // A NULL id (no causation or correlation) stays the zero id the buffer was filled with.
            func putID(_ raw: UnsafeRawBufferPointer?) { if let raw { put(raw, 16) } else { at += 16 } }
            putU64(UInt64(bitPattern: seq))
            putID(id)
            putString16(type, texts.0)
            putU32(UInt32(truncatingIfNeeded: sqlite3_column_int64(h, 3)))
            putString16(subject, texts.1)
            putString16(region, texts.2)
            putU64(UInt64(bitPattern: sqlite3_column_int64(h, 6)))
            putU64(UInt64(bitPattern: sqlite3_column_int64(h, 7)))
            putID(causation)
            putID(correlation)
            putU32(UInt32(truncatingIfNeeded: payload.count))
            put(payload, payload.count)
        }
        ends.append(bytes.count)
        seqs.append(seq)
        let storedHash = s.rawBytes(at: 11)
        if storedHash.count == 32 {
            stored.append(contentsOf: storedHash)
            storedValid.append(true)
        } else {
            stored.append(contentsOf: repeatElement(0, count: 32))
            storedValid.append(false)
        }
    }

    private static let string16Max = Int(UInt16.max)

    /// An id column: 16 bytes, or nil for NULL (no causation/correlation), written as the zero id.
    private func idColumn(_ s: Statement, _ column: Int32, seq: Int64, required: Bool) throws -> UnsafeRawBufferPointer? {
        if s.isNull(at: column) {
            if required { throw EventLogError.malformedRow(seq: seq, reason: "id is NULL") }
            return nil
        }
        let raw = s.rawBytes(at: column)
        guard raw.count == 16 else {
            throw EventLogError.malformedRow(seq: seq, reason: "id column \(column) is not 16 bytes")
        }
        return raw
    }
}

/// Checks a range of a chunk's rows on the helper thread.
final class VerifyJob: @unchecked Sendable {
    let chunk: VerifyChunk
    let range: Range<Int>
    /// Index of the first failing row in `range`; read after the job's completion signal.
    var firstFailure: Int?

    init(chunk: VerifyChunk, range: Range<Int>) {
        self.chunk = chunk
        self.range = range
    }

    func run() { firstFailure = chunk.firstFailure(in: range) }
}

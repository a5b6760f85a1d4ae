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

    public var description: String {
        switch self {
        case .hashMismatch: return "hash mismatch (the event or its hash was altered)"
        case let .seqGap(found): return "seq gap (next row present has seq \(found))"
        case let .malformedRow(reason): return "malformed row (\(reason))"
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
    /// (e.g. by the `sqlite3` CLI). It cannot detect a tail cut off after the last remaining event or
    /// a chain rewritten wholesale; compare `headHash` with a copy published elsewhere for that.
    /// Reading and hashing overlap on two threads.
    public func verify() throws -> LogVerification {
        lock.lock()
        defer { lock.unlock() }
        // One read transaction, so a concurrent writer's commits do not shift the walk.
        try db.execute("BEGIN DEFERRED")
        defer { db.rollbackIfNeeded() }
        let s = try db.prepare(EventLogSchema.selectForVerify)
        let state = VerifyState()
        var buffers = [VerifyChunk(), VerifyChunk()]
        var current = 0
        let done = DispatchSemaphore(value: 0)
        var inFlight = false
        var expected: Int64 = 1
        var stop: (seq: Int64, problem: ChainProblem)?

        var more = true
        while more {
            let chunk = buffers[current]
            chunk.clear()
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
                expected += 1
            }
            if inFlight {
                done.wait()
                inFlight = false
            }
            if state.failedSeq != nil { break }
            let job = VerifyJob(chunk: chunk, state: state)
            hashQueue.async {
                job.run()
                done.signal()
            }
            inFlight = true
            current ^= 1
        }
        if inFlight { done.wait() }

        if let failed = state.failedSeq { return .broken(seq: failed, problem: .hashMismatch, verified: state.count) }
        if let stop { return .broken(seq: stop.seq, problem: stop.problem, verified: state.count) }
        return .intact(count: state.count, headHash: state.previous)
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

    var count: Int { seqs.count }

    func clear() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        seqs.removeAll(keepingCapacity: true)
        stored.removeAll(keepingCapacity: true)
        storedValid.removeAll(keepingCapacity: true)
    }

    /// Appends the canonical bytes of the current row of `s` (selected with `selectForVerify`),
    /// written straight from the column memory in `CanonicalEncoding`'s layout, and its stored hash.
    func add(row s: Statement, seq: Int64) throws {
        let h = s.handle
        appendU64(UInt64(bitPattern: seq))
        try appendID(s, 1, seq: seq, required: true)
        appendString16(s.rawText(at: 2))
        appendU32(UInt32(truncatingIfNeeded: sqlite3_column_int64(h, 3)))
        appendString16(s.rawText(at: 4))
        appendString16(s.rawText(at: 5))
        appendU64(UInt64(bitPattern: sqlite3_column_int64(h, 6)))
        appendU64(UInt64(bitPattern: sqlite3_column_int64(h, 7)))
        try appendID(s, 8, seq: seq, required: false)
        try appendID(s, 9, seq: seq, required: false)
        let payload = s.rawBytes(at: 10)
        appendU32(UInt32(truncatingIfNeeded: payload.count))
        bytes.append(contentsOf: payload)
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

    private func appendU64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    private func appendU32(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }

    private func appendString16(_ raw: UnsafeRawBufferPointer) {
        let n = min(raw.count, Int(UInt16.max))
        withUnsafeBytes(of: UInt16(n).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<n]))
    }

    /// An id column: 16 bytes; NULL (no causation/correlation) is written as the zero id.
    private func appendID(_ s: Statement, _ column: Int32, seq: Int64, required: Bool) throws {
        if s.isNull(at: column) {
            if required { throw EventLogError.malformedRow(seq: seq, reason: "id is NULL") }
            bytes.append(contentsOf: repeatElement(0, count: 16))
            return
        }
        let raw = s.rawBytes(at: column)
        guard raw.count == 16 else {
            throw EventLogError.malformedRow(seq: seq, reason: "id column \(column) is not 16 bytes")
        }
        bytes.append(contentsOf: raw)
    }
}

/// The chain state carried from chunk to chunk; touched only by the hashing thread while a job runs
/// and by the reading thread after waiting for it.
final class VerifyState: @unchecked Sendable {
    var previous = CanonicalEncoding.genesis
    var count: Int64 = 0
    /// The seq of the first row whose stored hash differs from the computed one.
    var failedSeq: Int64?
}

struct VerifyJob: @unchecked Sendable {
    let chunk: VerifyChunk
    let state: VerifyState

    func run() {
        guard state.failedSeq == nil else { return }
        var computed = [UInt8](repeating: 0, count: 32)
        chunk.bytes.withUnsafeBytes { bytes in
            chunk.stored.withUnsafeBytes { stored in
                computed.withUnsafeMutableBytes { out in
                    var start = 0
                    for i in 0..<chunk.count {
                        var h = SHA256()
                        state.previous.withUnsafeBytes { h.update(raw: $0) }
                        h.update(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<chunk.ends[i]]))
                        h.finalize(into: out)
                        start = chunk.ends[i]
                        let same = chunk.storedValid[i] && out.elementsEqual(stored[(i * 32)..<(i * 32 + 32)])
                        guard same else {
                            state.failedSeq = chunk.seqs[i]
                            return
                        }
                        state.previous.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(out)) }
                        state.count += 1
                    }
                }
            }
        }
    }
}

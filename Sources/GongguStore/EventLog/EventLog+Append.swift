import CSQLite
import Dispatch
import GongguCore

extension EventLog {
    /// Batches at least this long hash on `hashQueue` while the caller's thread inserts.
    static let pipelineThreshold = 256
    /// Events hashed between two hand-overs to the inserting thread, at least.
    static let hashChunk = 64

    /// Events hashed between two hand-overs for a batch of `n`: a 64th of the batch (the inserting
    /// thread idles for the first chunk only), within 64…4,096. Each hand-over on which the inserting
    /// thread has caught up puts it to sleep, and on a loaded machine waking it costs a scheduler
    /// slice: with 64-event chunks a batch of 50,000 slept ~780 times.
    static func hashChunk(batch n: Int) -> Int { min(max(hashChunk, n / 64), 4_096) }

    /// Appends `events` in one transaction (group commit) and returns them as recorded.
    ///
    /// Assigns each event its seq (last seq + 1, + 2, …), `recordedAt` and chain hash
    /// (`CanonicalEncoding` chain over seq, id, every envelope field and the payload). `within`, if
    /// given, runs inside the same transaction after the inserts, so side tables (de-duplication
    /// fingerprints, consumer cursors) commit atomically with the events. On any error — a failing
    /// `within`, a duplicate id, `SQLITE_FULL` — the transaction rolls back completely and the log is
    /// as it was, ready for the next append. The events are durable (per `Synchronous`) when this
    /// returns; tell nobody about them before.
    ///
    /// Cost: SHA-256 of each event dominates; for large batches it runs on a second thread, one
    /// chunk ahead of the inserts, so hashing and SQLite overlap on two cores.
    @discardableResult
    public func append(
        _ events: [Event], recordedAt: Timestamp, within: ((SQLiteDatabase) throws -> Void)? = nil
    ) throws -> [Event] {
        var recorded = events
        try append(&recorded, recordedAt: recordedAt, within: within)
        return recorded
    }

    /// `append(_:recordedAt:within:)` numbering the caller's batch in place, so that a batch it owns
    /// is not copied (a copy costs a retain and a release of each event's strings and payload): on
    /// return `events` are as recorded. On a throw they have their seq and `recordedAt` as given
    /// (a zero causation or correlation may read as none).
    public func append(
        _ events: inout [Event], recordedAt: Timestamp, within: ((SQLiteDatabase) throws -> Void)? = nil
    ) throws {
        lock.lock()
        defer { lock.unlock() }
        guard !isReadOnly else { throw EventLogError.readOnly }
        try Self.validate(events)
        if events.isEmpty && within == nil { return }

        var given: [(seq: Int64, recordedAt: Timestamp)] = []
        given.reserveCapacity(events.count)
        let first = writerLastSeq + 1
        for i in events.indices {
            given.append((events[i].seq, events[i].recordedAt))
            events[i].seq = first + Int64(i)
            events[i].recordedAt = recordedAt
            // The canonical form writes "none" as the zero id; store it as NULL so reads agree.
            if events[i].causation == .zero { events[i].causation = nil }
            if events[i].correlation == .zero { events[i].correlation = nil }
        }
        do {
            try appendNumbered(events, first: first, within: within)
        } catch {
            for i in events.indices {
                events[i].seq = given[i].seq
                events[i].recordedAt = given[i].recordedAt
            }
            throw error
        }
    }

    /// Inserts `recorded` (numbered from `first`) in one transaction; see `append`. Caller holds `lock`.
    private func appendNumbered(
        _ recorded: [Event], first: Int64, within: ((SQLiteDatabase) throws -> Void)?
    ) throws {
        let n = recorded.count
        let hashes = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 32, alignment: 8)
        defer { hashes.deallocate() }
        let persons = UnsafeMutablePointer<PersonSpan>.allocate(capacity: max(n, 1))
        defer { persons.deallocate() }
        let chunk = Self.hashChunk(batch: n)
        let chunks = (n + chunk - 1) / chunk
        let pipelined = n >= Self.pipelineThreshold
        let ready = DispatchSemaphore(value: 0)
        // The hashing thread also screens the ids against the fingerprints. On SHA-NI (well under a µs
        // an event) it finds each event's person key too, so the inserting thread, the slower of the
        // two, only binds and steps; on the Swift SHA-256 (≈ 2 µs) the inserting thread finds them.
        let screening = indexLayout == .sidecar ? fingerprints : nil
        let hashingFindsPersons = !pipelined || chainEngine == .hardware
        let job = HashJob(
            events: recorded, previous: writerHeadHash, output: hashes, persons: hashingFindsPersons ? persons : nil,
            chunk: chunk, engine: chainEngine, screening: screening)
        if pipelined {
            hashQueue.async { job.run(signalling: ready) }
        } else {
            job.run(signalling: nil)
        }

        var chunksTaken = 0
        do {
            try db.transaction(.immediate) {
                let insert = try statement(EventLogSchema.insertEvent)
                defer {
                    insert.reset()
                    insert.clearBindings()
                }
                for c in 0..<chunks {
                    if pipelined {
                        ready.wait()
                        chunksTaken += 1
                    }
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        let person = hashingFindsPersons ? persons[i] : PersonSpan.of(recorded[i])
                        try insertRow(recorded[i], hash: hashes + i * 32, person: person, insert)
                    }
                }
                // Every chunk is in: the screen is complete. A refused batch rolls back whole.
                if let screen = job.screen { try refuseDuplicateIDs(recorded, screen: screen, before: first) }
                try within?(db)
            }
        } catch {
            // The hashing thread writes into `hashes`: let it finish before the memory is freed.
            if pipelined { while chunksTaken < chunks { ready.wait(); chunksTaken += 1 } }
            throw error
        }
        if n > 0 {
            writerLastSeq += Int64(n)
            writerHeadHash = [UInt8](UnsafeRawBufferPointer(start: hashes + (n - 1) * 32, count: 32))
            if let screen = job.screen {
                try fingerprints?.withSet { set in for f in screen.fingerprints { set.insert(f) } }
            }
            indexer?.notify(head: writerLastSeq)
        }
    }

    /// Refuses a batch holding an id the log already has, or one id twice, the way the unique id
    /// index of older logs did (`SQLiteError` with `constraintUnique`): from the hashing thread's
    /// screen, a fingerprint hit being confirmed exactly (`recordsID`: sidecar seek + tail scan below
    /// `first`, the batch's own rows being in the open transaction) before refusing.
    private func refuseDuplicateIDs(_ batch: [Event], screen: IDScreen, before first: Int64) throws {
        if let error = screen.error { throw error }
        var refused = screen.repeated
        for i in screen.suspects where refused.map({ i < $0 }) ?? true {
            var raw = [UInt8](repeating: 0, count: 16)
            raw.withUnsafeMutableBytes { storeID(batch[i].id, at: $0.baseAddress!) }
            if try recordsID(raw, before: first) {
                refused = i
                break
            }
        }
        if let refused { throw Self.duplicate(index: refused) }
    }

    /// The error of a refused duplicate id: the code the unique id index of older logs raised.
    static func duplicate(index: Int) -> SQLiteError {
        SQLiteError(
            code: .constraintUnique, message: "UNIQUE constraint failed: events.id (event \(index) of the batch)",
            sql: nil)
    }

    /// Rejects events the canonical encoding could not represent exactly (its string lengths are
    /// 16-bit and its version 32-bit), so every stored event hashes what is stored.
    static func validate(_ events: [Event]) throws {
        for (i, e) in events.enumerated() {
            func fail(_ reason: String) -> EventLogError { .invalidEvent(index: i, reason: reason) }
            if e.type.isEmpty { throw fail("empty type") }
            if e.type.utf8.count > Int(UInt16.max) { throw fail("type longer than 65535 bytes") }
            if e.subject.utf8.count > Int(UInt16.max) { throw fail("subject longer than 65535 bytes") }
            if e.region.utf8.count > Int(UInt16.max) { throw fail("region longer than 65535 bytes") }
            if e.version < 0 || e.version > Int(UInt32.max) { throw fail("version out of range") }
            if e.payload.count > CanonicalEncoding.maxPayload { throw fail("payload larger than 1 MiB") }
        }
    }

    /// Binds one event and steps the insert. Ids and texts are copied into `rowScratch` and bound
    /// with `SQLITE_STATIC`, the payload, hash and person key (a span of the payload found by the
    /// hashing thread) are bound in place: no allocation per row.
    @inline(__always)
    private func insertRow(_ e: Event, hash: UnsafeRawPointer, person: PersonSpan, _ insert: Statement) throws {
        let s = insert.handle
        var type = e.type, subject = e.subject, region = e.region
        let typeCount = type.utf8.count, subjectCount = subject.utf8.count, regionCount = region.utf8.count
        rowScratch.reserveText(typeCount + subjectCount + regionCount)
        let ids = rowScratch.ids, text = rowScratch.text
        copyUTF8(&type, to: text)
        copyUTF8(&subject, to: text + typeCount)
        copyUTF8(&region, to: text + typeCount + subjectCount)
        storeID(e.id, at: ids)
        var ok = sqlite3_bind_int64(s, 1, e.seq) == SQLITE_OK
        ok = ok && sqlite3_bind_blob(s, 2, ids, 16, sqliteStatic) == SQLITE_OK
        ok = ok && sqlite3_bind_text(
            s, 3, text.assumingMemoryBound(to: CChar.self), Int32(typeCount), sqliteStatic) == SQLITE_OK
        ok = ok && sqlite3_bind_int64(s, 4, Int64(e.version)) == SQLITE_OK
        ok = ok && sqlite3_bind_text(
            s, 5, (text + typeCount).assumingMemoryBound(to: CChar.self), Int32(subjectCount), sqliteStatic
        ) == SQLITE_OK
        ok = ok && sqlite3_bind_text(
            s, 6, (text + typeCount + subjectCount).assumingMemoryBound(to: CChar.self), Int32(regionCount),
            sqliteStatic) == SQLITE_OK
        ok = ok && sqlite3_bind_int64(s, 7, e.occurredAt) == SQLITE_OK
        ok = ok && sqlite3_bind_int64(s, 8, e.recordedAt) == SQLITE_OK
        if let c = e.causation {
            storeID(c, at: ids + 16)
            ok = ok && sqlite3_bind_blob(s, 9, ids + 16, 16, sqliteStatic) == SQLITE_OK
        } else {
            ok = ok && sqlite3_bind_null(s, 9) == SQLITE_OK
        }
        if let c = e.correlation {
            storeID(c, at: ids + 32)
            ok = ok && sqlite3_bind_blob(s, 10, ids + 32, 16, sqliteStatic) == SQLITE_OK
        } else {
            ok = ok && sqlite3_bind_null(s, 10) == SQLITE_OK
        }
        ok = ok && sqlite3_bind_blob(s, 12, hash, 32, sqliteStatic) == SQLITE_OK
        guard ok else { throw db.error(SQLITE_MISUSE, sql: insert.sql) }
        try e.payload.withUnsafeBytes { payload in
            // A zero-length blob needs a non-null pointer, else SQLite stores NULL.
            let base = payload.baseAddress ?? UnsafeRawPointer(ids)
            guard sqlite3_bind_blob(s, 11, base, Int32(payload.count), sqliteStatic) == SQLITE_OK else {
                throw db.error(SQLITE_MISUSE, sql: insert.sql)
            }
            let bound: Int32
            switch person.offset {
            case PersonSpan.none:
                bound = sqlite3_bind_null(s, 13)
            case PersonSpan.escaped:
                // A key with escapes (never written by Gonggu): decode it here, SQLite copies it.
                let text = PersonSpan.decoded(payload) ?? ""
                bound = sqlite3_bind_text(s, 13, text, -1, sqliteTransient)
            default:
                bound = sqlite3_bind_text(
                    s, 13, (base + Int(person.offset)).assumingMemoryBound(to: CChar.self), person.count, sqliteStatic)
            }
            guard bound == SQLITE_OK else { throw db.error(SQLITE_MISUSE, sql: insert.sql) }
            let rc = sqlite3_step(s)
            sqlite3_reset(s)
            if rc != SQLITE_DONE { throw db.error(rc, sql: insert.sql) }
        }
    }
}

/// Copies the UTF-8 bytes of `s` to `destination` (native strings are not copied before that).
@inline(__always)
func copyUTF8(_ s: inout String, to destination: UnsafeMutableRawPointer) {
    s.withUTF8 { utf8 in
        if let base = utf8.baseAddress { destination.copyMemory(from: base, byteCount: utf8.count) }
    }
}

/// Writes an id as 16 big-endian bytes.
@inline(__always)
func storeID(_ id: EventID, at p: UnsafeMutableRawPointer) {
    p.storeBytes(of: id.high.bigEndian, toByteOffset: 0, as: UInt64.self)
    p.storeBytes(of: id.low.bigEndian, toByteOffset: 8, as: UInt64.self)
}

/// Computes the chain hashes of a batch in order into `output` (32 bytes per event) and, given
/// `persons`, each event's person key (`PersonSpan`) there, signalling after each chunk so the
/// inserting thread can follow one chunk behind. Given `screening`, it also screens the batch's ids
/// (`IDScreen`), complete when the last chunk is signalled.
///
/// Thread safety: `events` and `previous` are immutable; each output slot is written once by the
/// hashing thread before the semaphore signal that hands it over (the signal/wait pair orders it),
/// `screen` before the last signal. The fingerprint set is only read here, under its lock; the writer
/// adds to it after the commit, once every chunk was taken.
final class HashJob: @unchecked Sendable {
    let events: [Event]
    let previous: [UInt8]
    let output: UnsafeMutableRawPointer
    let persons: UnsafeMutablePointer<PersonSpan>?
    let chunk: Int
    let engine: SHA256Engine
    let screening: IDFingerprints?
    /// The screen of the batch's ids; set before the last chunk is handed over (nil without `screening`).
    private(set) var screen: IDScreen?

    init(
        events: [Event], previous: [UInt8], output: UnsafeMutableRawPointer, persons: UnsafeMutablePointer<PersonSpan>?,
        chunk: Int, engine: SHA256Engine, screening: IDFingerprints?
    ) {
        self.events = events
        self.previous = previous
        self.output = output
        self.persons = persons
        self.chunk = chunk
        self.engine = engine
        self.screening = screening
    }

    func run(signalling ready: DispatchSemaphore?) {
        if let screening {
            var screen = IDScreen(expected: events.count)
            do {
                try screening.withSet { set in hashAll(signalling: ready, screen: &screen, set: set) }
            } catch {
                // The fingerprints did not load (nothing hashed yet): the batch is refused with that error.
                screen.error = error
                hashAll(signalling: ready, screen: &screen, set: nil)
            }
            self.screen = screen
        } else {
            var none = IDScreen(expected: 0)
            hashAll(signalling: ready, screen: &none, set: nil)
        }
        if let ready, !events.isEmpty { ready.signal() }
    }

    /// Hashes every event (and finds its person key), screening its id when given the `set`; signals
    /// after each chunk but the last (`run` signals that one once the screen is stored).
    private func hashAll(signalling ready: DispatchSemaphore?, screen: inout IDScreen, set: FingerprintSet?) {
        var scratch = [UInt8]()
        scratch.reserveCapacity(1024)
        for i in events.indices {
            if i == 0 {
                previous.withUnsafeBytes { prev in
                    ChainHash.hash(
                        events[i], previous: prev.baseAddress!, into: output, scratch: &scratch, engine: engine)
                }
            } else {
                ChainHash.hash(
                    events[i], previous: output + (i - 1) * 32, into: output + i * 32, scratch: &scratch, engine: engine)
            }
            persons?[i] = PersonSpan.of(events[i])
            if let set { screen.add(index: i, of: events, set: set) }
            if let ready, (i + 1) % chunk == 0 && i != events.count - 1 { ready.signal() }
        }
    }
}

/// What the hashing thread learns of a batch's ids: each id's fingerprint (`IDFingerprints.of`), the
/// events whose fingerprint the log's set holds (suspects, to be confirmed exactly), and the first
/// event repeating an earlier id of the batch.
struct IDScreen {
    var fingerprints: [UInt64] = []
    var suspects: [Int] = []
    var repeated: Int?
    var error: (any Error)?
    private var inBatch: [UInt64: Int] = [:]

    init(expected: Int) {
        fingerprints.reserveCapacity(expected)
        inBatch.reserveCapacity(expected)
    }

    mutating func add(index i: Int, of batch: [Event], set: FingerprintSet) {
        let f = IDFingerprints.of(batch[i].id)
        if let j = inBatch[f] {
            if repeated == nil, batch[j].id == batch[i].id { repeated = i }
        } else {
            inBatch[f] = i
        }
        if set.contains(f) { suspects.append(i) }
        fingerprints.append(f)
    }
}

/// The log's chain hash without allocation: SHA-256(previous ‖ canonical bytes), the same value as
/// `CanonicalEncoding.chainHash`, on `engine` (the log's `chainEngine`; by default the process's
/// `SHA256Engine`, SHA-NI when the CPU has it).
enum ChainHash {
    static func hash(
        _ event: Event, previous: UnsafeRawPointer, into out: UnsafeMutableRawPointer, scratch: inout [UInt8],
        engine: SHA256Engine = SHA256Engine.selected.engine
    ) {
        scratch.removeAll(keepingCapacity: true)
        CanonicalEncoding.append(event, to: &scratch)
        var h = SHA256Engine.hasher(engine)
        h.update(raw: UnsafeRawBufferPointer(start: previous, count: 32))
        scratch.withUnsafeBytes { h.update(raw: $0) }
        h.finalize(into: UnsafeMutableRawBufferPointer(start: out, count: 32))
    }
}

/// Where the person key of a membership fact lies in its payload: the bytes of the top-level
/// `personID` string value (between its quotes), the value of the log's `person` column
/// (`EventLogSchema.personTypes`). Found with `JSONReader`, stopping at the key.
struct PersonSpan {
    /// Byte offset of the value in the payload, or `none` / `escaped`.
    var offset: Int32
    var count: Int32

    /// Not a membership fact, no text `personID`, or a payload `JSONReader` does not read.
    static let none: Int32 = -1
    /// A `personID` string with escapes: its bytes are not its value, `decoded` gives it.
    static let escaped: Int32 = -2

    static func of(_ event: Event) -> PersonSpan {
        guard EventLogSchema.personTypes.contains(event.type) else { return PersonSpan(offset: none, count: 0) }
        return event.payload.withUnsafeBytes { find($0) }
    }

    private struct Found: Error { let span: PersonSpan }

    static func find(_ payload: UnsafeRawBufferPointer) -> PersonSpan {
        var reader = JSONReader(payload)
        do {
            try reader.readObject { r, key in
                guard key == "personID" else { return try r.skipValue() }
                var start = r.offset
                while start < payload.count, [0x20, 0x09, 0x0a, 0x0d].contains(payload[start]) { start += 1 }
                _ = try r.readString()
                // The raw value sits between the quotes when it has no escape.
                var span = PersonSpan(offset: Int32(start + 1), count: Int32(r.offset - start - 2))
                if payload[start] != UInt8(ascii: "\"") { span = PersonSpan(offset: none, count: 0) }
                else if UnsafeRawBufferPointer(rebasing: payload[(start + 1)..<(r.offset - 1)])
                    .contains(UInt8(ascii: "\\")) { span = PersonSpan(offset: escaped, count: 0) }
                throw Found(span: span)
            }
        } catch let found as Found {
            return found.span
        } catch {}
        return PersonSpan(offset: none, count: 0)
    }

    /// The decoded `personID` of a payload whose key has escapes.
    static func decoded(_ payload: UnsafeRawBufferPointer) -> String? {
        var reader = JSONReader(payload)
        var value: String?
        try? reader.readObject { r, key in
            if key == "personID", value == nil, (try? r.readNullIfPresent()) == false { value = try r.readString() }
            else { try r.skipValue() }
        }
        return value
    }
}

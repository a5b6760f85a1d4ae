import GongguCore

/// The ids of the records intake holds, compact and fast to load (docs/RELIABILITY.md, "Snapshots of
/// fold state"): a record's event id is its 128-bit fingerprint (the first 16 bytes of a SHA-256), so
/// the set is kept as those 16 bytes each — where a `Set<EventID>` took 21–43 (load factor ≤ 0.75,
/// and both tables held while it grows) — in 65,536 sorted arrays keyed by the top 16 bits.
///
/// Each array holds n / 65,536 ids (≈ 170, 2.7 KB, at the 11 million of a 1,000,000-person log): a
/// look-up starts where the id's bits predict it (`UniformSearch`), usually in the right cache line,
/// and an insert moves half of one small array. The arrays grow by an eighth at a time, so the set
/// never holds a second copy of itself. (It was 256 arrays, each with a `Set` of recent additions
/// merged in at an eighth of its size: a binary search of arrays of 43,000 ids cost a cache miss a
/// step, about 1 µs an insert at that size, on intake's loop thread.)
///
/// Its snapshot form is the ids sorted, 16 bytes each, big-endian: written and read as raw bytes,
/// and the digest (SHA-256 of exactly those bytes) is the same function of the same form whether the
/// set was rebuilt by a full replay or read from a snapshot.
public struct RecordIDSet: Sendable {
    private static let partitionBits = 16
    private var sorted: [[EventID]]
    public private(set) var count = 0

    public init() {
        sorted = Array(repeating: [], count: 1 << Self.partitionBits)
    }

    @inline(__always) private static func partition(_ id: EventID) -> Int {
        Int(truncatingIfNeeded: id.high >> UInt64(64 - partitionBits))
    }

    /// The index of the first id of `ids` (partition `id`'s array) not below `id`.
    @inline(__always) private static func lowerBound(_ id: EventID, in ids: [EventID]) -> Int {
        let fraction = UInt32(truncatingIfNeeded: id.high >> UInt64(32 - partitionBits))
        return ids.withUnsafeBufferPointer { UniformSearch.lowerBound(in: $0, fraction: fraction) { $0 < id } }
    }

    public func contains(_ id: EventID) -> Bool {
        let ids = sorted[Self.partition(id)]
        let i = Self.lowerBound(id, in: ids)
        return i < ids.count && ids[i] == id
    }

    /// Adds `id`; false if it was held already.
    @discardableResult
    public mutating func insert(_ id: EventID) -> Bool {
        let p = Self.partition(id)
        let i = Self.lowerBound(id, in: sorted[p])
        let n = sorted[p].count
        if i < n && sorted[p][i] == id { return false }
        // Grown by an eighth, not doubled: the slack stays a few percent of the set.
        if n == sorted[p].capacity { sorted[p].reserveCapacity(n + max(4, n >> 3)) }
        sorted[p].insert(id, at: i)
        count += 1
        return true
    }

    /// Removes `id`; false if it was not held.
    @discardableResult
    public mutating func remove(_ id: EventID) -> Bool {
        let p = Self.partition(id)
        let i = Self.lowerBound(id, in: sorted[p])
        guard i < sorted[p].count, sorted[p][i] == id else { return false }
        sorted[p].remove(at: i)
        count -= 1
        return true
    }

    /// Calls `body` with the ids of each partition in order, sorted, as 16 big-endian bytes each (the
    /// snapshot form, and what the digest hashes).
    public func forEachSortedChunk(_ body: (UnsafeRawBufferPointer) -> Void) {
        var chunk: [UInt64] = []
        for ids in sorted {
            chunk.removeAll(keepingCapacity: true)
            chunk.reserveCapacity(ids.count * 2)
            for id in ids {
                chunk.append(id.high.bigEndian)
                chunk.append(id.low.bigEndian)
            }
            chunk.withUnsafeBytes { body($0) }
        }
    }

    /// SHA-256 of the ids sorted, 16 bytes each big-endian (intake's state digest).
    public var digest: String {
        var h = SHA256()
        forEachSortedChunk { h.update(raw: $0) }
        return h.finalize().hexString
    }

    /// The snapshot form: the ids sorted, 16 bytes each, big-endian.
    public func encoded(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + count * 16)
        forEachSortedChunk { out.append(contentsOf: $0) }
    }

    /// Reads the snapshot form (`bytes.count` a multiple of 16, ids strictly increasing) and returns the
    /// set and the SHA-256 of the bytes (its digest).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (RecordIDSet, digest: String) {
        guard bytes.count % 16 == 0 else { throw SnapshotStateError("record ids: length not a multiple of 16") }
        let n = bytes.count / 16
        var set = RecordIDSet()
        // Partition boundaries first (ids sorted: each partition is one run), so each array is made once.
        var previous: EventID?
        var start = 0
        var p = 0
        let partitions = 1 << partitionBits
        while start < n || p < partitions {
            var end = start
            var ids: [EventID] = []
            while end < n {
                let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: end * 16, as: UInt64.self))
                guard Int(truncatingIfNeeded: high >> UInt64(64 - partitionBits)) == p else { break }
                end += 1
            }
            ids.reserveCapacity(end - start)
            for k in start..<end {
                let id = EventID(
                    high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: k * 16, as: UInt64.self)),
                    low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: k * 16 + 8, as: UInt64.self)))
                if let q = previous, !(q < id) { throw SnapshotStateError("record ids: not strictly increasing") }
                previous = id
                ids.append(id)
            }
            guard p < partitions else { throw SnapshotStateError("record ids: not strictly increasing") }
            set.sorted[p] = ids
            start = end
            p += 1
        }
        set.count = n
        var h = SHA256()
        h.update(raw: bytes)
        return (set, h.finalize().hexString)
    }
}

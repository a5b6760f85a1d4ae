import GongguCore

/// The ids of the records intake holds, compact and fast to load (docs/RELIABILITY.md, "Snapshots of
/// fold state"): a record's event id is its 128-bit fingerprint (the first 16 bytes of a SHA-256), so
/// the set is kept as those 16 bytes each, in 256 sorted arrays by the first byte — 16 bytes a record
/// where a `Set<EventID>` took 21–43 (load factor ≤ 0.75, and both tables held while it grows) — plus,
/// per array, a small `Set` of ids added since it was last merged (merged once it reaches an eighth of
/// the array, so a merge copies one array of 256, never the whole set at once).
///
/// Its snapshot form is the ids sorted, 16 bytes each, big-endian: written and read as raw bytes,
/// and the digest (SHA-256 of exactly those bytes) is the same function of the same form whether the
/// set was rebuilt by a full replay or read from a snapshot.
public struct RecordIDSet: Sendable {
    private static let partitions = 256
    private var sorted: [[EventID]]
    private var added: [Set<EventID>]
    public private(set) var count = 0

    public init() {
        sorted = Array(repeating: [], count: Self.partitions)
        added = Array(repeating: [], count: Self.partitions)
    }

    @inline(__always) private static func partition(_ id: EventID) -> Int { Int(truncatingIfNeeded: id.high >> 56) }

    public func contains(_ id: EventID) -> Bool {
        let p = Self.partition(id)
        return added[p].contains(id) || Self.index(of: id, in: sorted[p]) != nil
    }

    /// Adds `id`; false if it was held already.
    @discardableResult
    public mutating func insert(_ id: EventID) -> Bool {
        let p = Self.partition(id)
        guard Self.index(of: id, in: sorted[p]) == nil, added[p].insert(id).inserted else { return false }
        count += 1
        if added[p].count >= max(64, sorted[p].count >> 3) { merge(p) }
        return true
    }

    /// Removes `id`; false if it was not held.
    @discardableResult
    public mutating func remove(_ id: EventID) -> Bool {
        let p = Self.partition(id)
        if added[p].remove(id) != nil {
            count -= 1
            return true
        }
        guard let i = Self.index(of: id, in: sorted[p]) else { return false }
        sorted[p].remove(at: i)
        count -= 1
        return true
    }

    private static func index(of id: EventID, in ids: [EventID]) -> Int? {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let m = ids[mid]
            if m == id { return mid }
            if m < id { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Merges the ids added to partition `p` into its sorted array. The merge set gives back its
    /// table: kept, the 256 tables stayed at their largest (≈ 33 MiB at 11 million ids) between merges.
    private mutating func merge(_ p: Int) {
        sorted[p] = Self.merged(sorted[p], added[p])
        added[p] = []
    }

    private static func merged(_ base: [EventID], _ extra: Set<EventID>) -> [EventID] {
        guard !extra.isEmpty else { return base }
        let more = extra.sorted()
        var out: [EventID] = []
        out.reserveCapacity(base.count + more.count)
        var i = 0, j = 0
        while i < base.count && j < more.count {
            if base[i] < more[j] {
                out.append(base[i])
                i += 1
            } else {
                out.append(more[j])
                j += 1
            }
        }
        out.append(contentsOf: base[i...])
        out.append(contentsOf: more[j...])
        return out
    }

    /// Calls `body` with the ids of each partition in order, sorted, as 16 big-endian bytes each (the
    /// snapshot form, and what the digest hashes).
    public func forEachSortedChunk(_ body: (UnsafeRawBufferPointer) -> Void) {
        var chunk: [UInt64] = []
        for p in 0..<Self.partitions {
            let ids = Self.merged(sorted[p], added[p])
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
        while start < n || p < partitions {
            var end = start
            var ids: [EventID] = []
            while end < n {
                let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: end * 16, as: UInt64.self))
                guard Int(truncatingIfNeeded: high >> 56) == p else { break }
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

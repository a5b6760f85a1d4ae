import GongguCore

/// The id fingerprints of a writer's log (`IDFingerprints`), compact: 48 of a fingerprint's 64 bits,
/// kept as 65,536 sorted arrays of 32-bit values keyed by the top 16 bits — about 4.3 bytes an event
/// (47 MiB for the 11 million events of a 1,000,000-person intake log), where a `Set<UInt64>` took 8
/// bytes a bucket at a load factor of at most 0.75 (128 MiB at that size, 192 MiB while it grew, both
/// tables held at once).
///
/// A member answers `contains` for every fingerprint that agrees with it in those 48 bits, so a hit
/// is only a suspicion, as it always was: the writer confirms it exactly before refusing
/// (`EventLog.recordsID`). Fingerprints of random ids meet in 48 bits about once in 2^48 / n look-ups
/// (for n = 11 million, one false suspicion in 25 million appends).
///
/// Each array holds n / 65,536 values (≈ 170 at 11 million): an insert is a search from where the value
/// predicts and a move of half of one small array, and the arrays grow by an eighth at a time, so the
/// set never holds a second copy of itself.
struct FingerprintSet {
    static let partitionBits = 16
    private var partitions: [[UInt32]]
    private(set) var count = 0

    /// An empty set; `expected` (the number of fingerprints about to be loaded, if known) sizes the
    /// arrays up front, so a load does not double them as they fill.
    init(expected: Int = 0) {
        partitions = Array(repeating: [], count: 1 << Self.partitionBits)
        // Worth it only for a large log: 65,536 small arrays cost ≈ 3 MiB of headers alone.
        if expected >= 1 << (Self.partitionBits + 3) {
            let each = expected >> Self.partitionBits + expected >> (Self.partitionBits + 3) + 4
            for p in partitions.indices { partitions[p].reserveCapacity(each) }
        }
    }

    @inline(__always) private static func split(_ f: UInt64) -> (partition: Int, value: UInt32) {
        (Int(truncatingIfNeeded: f >> 48), UInt32(truncatingIfNeeded: f >> 16))
    }

    /// The first index of `values` whose value is not below `v`. The values are bits of SHA-256
    /// fingerprints, spread evenly: the search starts where `v` predicts (`UniformSearch`), one or two
    /// cache lines instead of a miss at nearly every step of a binary search.
    @inline(__always) private static func lowerBound(_ v: UInt32, in values: [UInt32]) -> Int {
        values.withUnsafeBufferPointer { UniformSearch.lowerBound(in: $0, fraction: v) { $0 < v } }
    }

    /// Whether a fingerprint agreeing with `f` in its 48 kept bits is held.
    func contains(_ f: UInt64) -> Bool {
        let (p, v) = Self.split(f)
        let values = partitions[p]
        let i = Self.lowerBound(v, in: values)
        return i < values.count && values[i] == v
    }

    /// Adds `f`; false if a fingerprint agreeing with it in its 48 kept bits was held already.
    @discardableResult
    mutating func insert(_ f: UInt64) -> Bool {
        let (p, v) = Self.split(f)
        let i = Self.lowerBound(v, in: partitions[p])
        if i < partitions[p].count && partitions[p][i] == v { return false }
        let n = partitions[p].count
        // Grown by an eighth, not doubled: the slack stays a few percent of the set.
        if n == partitions[p].capacity { partitions[p].reserveCapacity(n + max(4, n >> 3)) }
        partitions[p].insert(v, at: i)
        count += 1
        return true
    }

    /// Adds `f` to a set being loaded (`IDFingerprints`) without an insert each: appended to its
    /// array, in any order, repeats allowed. Call `finishBulk` before any look-up or insert.
    mutating func appendUnsorted(_ f: UInt64) {
        let (p, v) = Self.split(f)
        partitions[p].append(v)
    }

    /// Sorts every array, drops repeats and trims capacity beyond an eighth; recounts.
    mutating func finishBulk() {
        count = 0
        for p in partitions.indices where !partitions[p].isEmpty {
            partitions[p].sort()
            var kept = 1
            partitions[p].withUnsafeMutableBufferPointer { b in
                for i in 1..<b.count where b[i] != b[kept - 1] {
                    b[kept] = b[i]
                    kept += 1
                }
            }
            partitions[p].removeLast(partitions[p].count - kept)
            if partitions[p].capacity > kept + kept >> 3 + 4 {
                // A fresh buffer of the size needed (`Array(array)` would share the old one).
                partitions[p] = partitions[p].withUnsafeBufferPointer { old in
                    [UInt32](unsafeUninitializedCapacity: kept) { b, n in
                        _ = b.initialize(from: old)
                        n = kept
                    }
                }
            }
            count += kept
        }
    }

    /// Bytes held by the arrays' elements (capacity, not count), for tests and figures.
    var elementBytes: Int { partitions.reduce(0) { $0 + $1.capacity } * MemoryLayout<UInt32>.stride }
}

/// The stored chain hashes a reader checked in one unbroken walk of a log: the hash at `base`, then
/// one per following seq, 32 bytes each. Each is the chain hash through its event from the hash at
/// `base`, so a consumer whose own chain agrees at one seq of the window agrees at every later one
/// without hashing the events again.
struct VerifiedChainWindow {
    /// The seq of the first hash kept.
    private(set) var base: Int64 = 0
    private var hashes: [UInt8] = []
    /// Hashes before this index are forgotten (dropped in bulk once they are half the buffer).
    private var dropped = 0
    /// Hashes the window holds at most; past it the oldest half goes (a consumer that never asks).
    let capacity: Int

    init(capacity: Int = 1 << 20) { self.capacity = capacity }

    /// The seq of the last hash kept (`base - 1` when empty).
    var last: Int64 { base + Int64((hashes.count - dropped) / 32) - 1 }

    /// Takes the chain of one verified read after `after`: `chain` holds the hash at `after`, then one
    /// per event read. It continues the window when the read started at its last seq with that hash.
    mutating func add(after: Int64, chain: [UInt8]) {
        precondition(chain.count >= 32 && chain.count % 32 == 0, "a verified chain holds whole hashes")
        if after == last, hashes.count - dropped >= 32, hashes[(hashes.count - 32)...].elementsEqual(chain[0..<32]) {
            hashes += chain[32...]
        } else {
            base = after
            hashes = chain
            dropped = 0
        }
        if hashes.count - dropped > capacity * 32 { forget(before: last - Int64(capacity / 2)) }
    }

    /// The hash at `seq`, if kept.
    func hash(at seq: Int64) -> ArraySlice<UInt8>? {
        guard seq >= base, seq <= last else { return nil }
        let i = dropped + Int(seq - base) * 32
        return hashes[i..<i + 32]
    }

    /// Forgets the hashes of seqs before `seq`.
    mutating func forget(before seq: Int64) {
        guard seq > base else { return }
        let n = min(Int(seq - base), (hashes.count - dropped) / 32)
        dropped += n * 32
        base += Int64(n)
        if dropped * 2 >= hashes.count {
            hashes.removeFirst(dropped)
            dropped = 0
        }
    }

    /// The hashes at `start` and `end` when both are kept; forgets those before `end`.
    mutating func take(start: Int64, end: Int64) -> (start: [UInt8], end: [UInt8])? {
        defer { forget(before: end) }
        guard start < end, let a = hash(at: start), let b = hash(at: end) else { return nil }
        return (Array(a), Array(b))
    }
}

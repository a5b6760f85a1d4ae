/// The checksum of a snapshot file: XXH64 (seed 0) of the header line and the state, as specified in
/// xxHash's `doc/xxhash_spec.md` ("XXH64 Algorithm Description").
///
/// It guards against damage — a file cut short, a flipped byte — not against someone who can write the
/// data folder (who could rewrite the log as well). A damaged file passes it with probability 2⁻⁶⁴.
/// It replaced SHA-256 (format 2): SHA-256 runs at ≈ 285 MB/s in Swift here, so checking the 300 MB
/// state of a follower at province scale cost a second of every start; XXH64 runs at several GB/s.
/// What the state is, is still checked against the fold's own digest after loading.
public enum SnapshotChecksum {
    fileprivate static let p1: UInt64 = 11_400_714_785_074_694_791
    fileprivate static let p2: UInt64 = 14_029_467_366_897_019_727
    fileprivate static let p3: UInt64 = 1_609_587_929_392_839_161
    fileprivate static let p4: UInt64 = 9_650_029_242_287_828_579
    fileprivate static let p5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always) fileprivate static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) fileprivate static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        rotl(acc &+ lane &* p2, 31) &* p1
    }

    @inline(__always) fileprivate static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    /// XXH64 of `bytes` with seed 0 (one piece of a `Stream`).
    public static func xxh64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var stream = Stream()
        stream.update(bytes)
        return stream.finish()
    }

    /// `h` as 16 lowercase hex digits.
    fileprivate static func hexDigits(_ h: UInt64) -> String {
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// XXH64 of `bytes`, as 16 lowercase hex digits (the trailer of a snapshot file).
    public static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        hexDigits(bytes.withUnsafeBytes { xxh64($0) })
    }
}

extension SnapshotChecksum {
    /// XXH64 (seed 0) of bytes given in pieces, equal to `xxh64` of them joined: a snapshot is
    /// checksummed as it is written, without its state held whole in memory.
    public struct Stream {
        private var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
        private var total = 0
        /// Bytes not yet a whole 32-byte stripe.
        private var pending: [UInt8] = []

        public init() { pending.reserveCapacity(32) }

        @inline(__always) private mutating func stripe(_ bytes: UnsafeRawBufferPointer, _ at: Int) {
            @inline(__always) func word(_ o: Int) -> UInt64 {
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at + o, as: UInt64.self))
            }
            v1 = round(v1, word(0))
            v2 = round(v2, word(8))
            v3 = round(v3, word(16))
            v4 = round(v4, word(24))
        }

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            total += bytes.count
            var i = 0
            if !pending.isEmpty {
                let take = min(32 - pending.count, bytes.count)
                pending.append(contentsOf: bytes[0..<take])
                i = take
                guard pending.count == 32 else { return }
                let full = pending
                full.withUnsafeBytes { stripe($0, 0) }
                pending.removeAll(keepingCapacity: true)
            }
            while i + 32 <= bytes.count {
                stripe(bytes, i)
                i += 32
            }
            if i < bytes.count { pending.append(contentsOf: bytes[i...]) }
        }

        public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

        public func finish() -> UInt64 {
            var h: UInt64
            if total >= 32 {
                h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
                h = merge(h, v1)
                h = merge(h, v2)
                h = merge(h, v3)
                h = merge(h, v4)
            } else {
                h = p5
            }
            h = h &+ UInt64(total)
            return pending.withUnsafeBytes { bytes -> UInt64 in
                let n = bytes.count
                var i = 0
                while i + 8 <= n {
                    h ^= round(0, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                    h = rotl(h, 27) &* p1 &+ p4
                    i += 8
                }
                if i + 4 <= n {
                    let w = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                    h ^= UInt64(w) &* p1
                    h = rotl(h, 23) &* p2 &+ p3
                    i += 4
                }
                while i < n {
                    h ^= UInt64(bytes[i]) &* p5
                    h = rotl(h, 11) &* p1
                    i += 1
                }
                h ^= h >> 33
                h = h &* p2
                h ^= h >> 29
                h = h &* p3
                h ^= h >> 32
                return h
            }
        }

        /// `finish` as 16 lowercase hex digits.
        public func hex() -> String { hexDigits(finish()) }
    }
}

import GongguCore

/// The SHA-256 Gonggu used before the current one (rounds unrolled by eight, schedule in a 64-word stack
/// buffer, constants loaded from an array), kept only so `gonggu-bench sha` shows old and new side by side.
struct LegacySHA256: Sendable {
    /// A 32-byte digest.
    typealias Digest = [UInt8]

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a, h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19
    /// A partial block waiting for more input, inline (64 bytes).
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes used in `block` (always < 64 after `update` returns).
    private var blockCount = 0
    private var totalLength: UInt64 = 0

    init() {}

    /// The digest of `bytes` in one call.
    static func hash<C: Collection>(_ bytes: C) -> Digest where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the UTF-8 bytes of `string`.
    static func hash(_ string: String) -> Digest { hash(Array(string.utf8)) }

    /// Feeds more bytes.
    mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ update(raw: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update(raw: $0) }
    }

    /// Feeds more bytes from raw memory.
    mutating func update(raw: UnsafeRawBufferPointer) {
        guard raw.count > 0, let src = raw.baseAddress else { return }
        totalLength &+= UInt64(raw.count)
        var offset = 0
        if blockCount > 0 {
            let take = min(64 - blockCount, raw.count)
            let used = blockCount
            withUnsafeMutableBytes(of: &block) {
                $0.baseAddress!.advanced(by: used).copyMemory(from: src, byteCount: take)
            }
            blockCount += take
            offset = take
            guard blockCount == 64 else { return }
            var full = block
            withUnsafeBytes(of: &full) { compress($0.baseAddress!, blocks: 1) }
            blockCount = 0
        }
        let whole = (raw.count - offset) / 64
        if whole > 0 {
            compress(src + offset, blocks: whole)
            offset += whole * 64
        }
        let rest = raw.count - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.copyMemory(from: src + offset, byteCount: rest) }
            blockCount = rest
        }
    }

    /// Pads, processes the last block(s) and returns the digest.
    mutating func finalize() -> Digest {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            finalize(into: UnsafeMutableRawBufferPointer(out))
            count = 32
        }
    }

    /// Pads, processes the last block(s) and writes the 32-byte digest to `out` (no allocation).
    /// `out` must hold at least 32 bytes.
    mutating func finalize(into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32, "SHA256.finalize(into:) needs 32 bytes")
        let bitLength = totalLength &* 8
        let used = blockCount
        withUnsafeMutableBytes(of: &block) { b in
            b[used] = 0x80
            for i in (used + 1)..<64 { b[i] = 0 }
        }
        if used >= 56 {
            var full = block
            withUnsafeBytes(of: &full) { compress($0.baseAddress!, blocks: 1) }
            block = (0, 0, 0, 0, 0, 0, 0, 0)
        }
        block.7 = bitLength.bigEndian
        var last = block
        withUnsafeBytes(of: &last) { compress($0.baseAddress!, blocks: 1) }
        blockCount = 0
        let words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian, h4.bigEndian, h5.bigEndian,
                     h6.bigEndian, h7.bigEndian)
        withUnsafeBytes(of: words) { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 32) }
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// One round; the caller rotates the roles of the eight working variables instead of moving them.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
        _ h: inout UInt32, _ kw: UInt32
    ) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
        d &+= t1
        h = t1 &+ t2
    }

    /// Processes `blocks` consecutive 64-byte blocks starting at `data`.
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        var a0 = h0, b0 = h1, c0 = h2, d0 = h3, e0 = h4, f0 = h5, g0 = h6, h0v = h7
        Self.k.withUnsafeBufferPointer { kBuf in
            let k = kBuf.baseAddress!
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuf in
                let w = wBuf.baseAddress!
                for n in 0..<blocks {
                    let p = data + n * 64
                    for i in 0..<16 {
                        w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                    }
                    for i in 16..<64 {
                        let w15 = w[i - 15], w2 = w[i - 2]
                        let s0 = Self.rotr(w15, 7) ^ Self.rotr(w15, 18) ^ (w15 >> 3)
                        let s1 = Self.rotr(w2, 17) ^ Self.rotr(w2, 19) ^ (w2 >> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }
                    var a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, h = h0v
                    var i = 0
                    while i < 64 {
                        Self.round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                        Self.round(h, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
                        Self.round(g, h, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
                        Self.round(f, g, h, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
                        Self.round(e, f, g, &h, a, b, c, &d, k[i + 4] &+ w[i + 4])
                        Self.round(d, e, f, &g, h, a, b, &c, k[i + 5] &+ w[i + 5])
                        Self.round(c, d, e, &f, g, h, a, &b, k[i + 6] &+ w[i + 6])
                        Self.round(b, c, d, &e, f, g, h, &a, k[i + 7] &+ w[i + 7])
                        i += 8
                    }
                    a0 &+= a; b0 &+= b; c0 &+= c; d0 &+= d; e0 &+= e; f0 &+= f; g0 &+= g; h0v &+= h
                }
            }
        }
        h0 = a0; h1 = b0; h2 = c0; h3 = d0; h4 = e0; h5 = f0; h6 = g0; h7 = h0v
    }
}

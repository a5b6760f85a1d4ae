/// SHA-256 (FIPS 180-4), written in Swift so the core has no C dependency.
///
/// Used for the event log's hash chain, record fingerprints for de-duplication and the hashes of
/// archived files. Incremental: feed bytes with `update`, then `finalize`.
///
/// Performance notes (the hash chain hashes every event on append and on verify): the partial
/// block lives inline in the struct (no heap allocation per hasher); the compression function
/// (`compressUnrolled`) has all 64 rounds written out with literal constants, the working variables
/// renamed instead of moved and the message schedule kept in sixteen local words, computed as the
/// rounds need it. Measured against the previous version (rounds unrolled by eight, a 64-word
/// schedule buffer, constants loaded from an array) by `gonggu-bench sha`.
///
/// The compression function can be handed in (`init(compressor:)`): the core imports nothing, so a
/// hardware one (GongguSHANI, chosen per CPU by GongguStore's `SHA256Engine`) comes from above; the
/// default is the Swift one here.
public struct SHA256: Sendable {
    /// A 32-byte digest.
    public typealias Digest = [UInt8]

    /// A compression function: processes `blocks` consecutive 64-byte blocks at the second argument
    /// into the eight state words H0…H7 at the first (host order). A C function pointer: no context,
    /// nothing retained per hasher.
    public typealias Compressor = @convention(c) (UnsafeMutablePointer<UInt32>, UnsafeRawPointer, Int) -> Void

    /// The eight working hash words H0…H7.
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    private var state: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// A partial block waiting for more input, inline (64 bytes).
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes used in `block` (always < 64 after `update` returns).
    private var blockCount = 0
    private var totalLength: UInt64 = 0
    /// nil: the Swift compression function (`compressUnrolled`).
    private let compressor: Compressor?

    public init() { compressor = nil }

    /// A hasher whose blocks go through `compressor` (nil: the Swift one). The caller vouches that
    /// `compressor` computes the SHA-256 compression function and can run on this CPU.
    public init(compressor: Compressor?) { self.compressor = compressor }

    /// The digest of `bytes` in one call.
    public static func hash<C: Collection>(_ bytes: C) -> Digest where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> Digest { hash(Array(string.utf8)) }

    /// Feeds more bytes.
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ update(raw: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update(raw: $0) }
    }

    /// Feeds more bytes from raw memory.
    public mutating func update(raw: UnsafeRawBufferPointer) {
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
    public mutating func finalize() -> Digest {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            finalize(into: UnsafeMutableRawBufferPointer(out))
            count = 32
        }
    }

    /// Pads, processes the last block(s) and writes the 32-byte digest to `out` (no allocation).
    /// `out` must hold at least 32 bytes.
    public mutating func finalize(into out: UnsafeMutableRawBufferPointer) {
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
        let words = (state.0.bigEndian, state.1.bigEndian, state.2.bigEndian, state.3.bigEndian,
                     state.4.bigEndian, state.5.bigEndian, state.6.bigEndian, state.7.bigEndian)
        withUnsafeBytes(of: words) { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 32) }
    }

    @inline(__always)
    static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    @inline(__always)
    static func sigma0(_ x: UInt32) -> UInt32 { rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3) }

    @inline(__always)
    static func sigma1(_ x: UInt32) -> UInt32 { rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10) }

    /// One round; the caller rotates the roles of the eight working variables instead of moving them.
    @inline(__always)
    static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
        _ h: inout UInt32, _ kw: UInt32
    ) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
        d &+= t1
        h = t1 &+ t2
    }

    /// Processes `blocks` consecutive 64-byte blocks starting at `data` (see `compressUnrolled`).
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        if let compressor {
            // A tuple of eight UInt32 is laid out as eight consecutive words.
            withUnsafeMutableBytes(of: &state) { compressor($0.baseAddress!.assumingMemoryBound(to: UInt32.self), data, blocks) }
        } else {
            Self.compressUnrolled(&state, data, blocks: blocks)
        }
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal rendering (digests, ids).
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lowercase or uppercase hexadecimal; nil when malformed.
    public init?(hexString: String) {
        let chars = Array(hexString.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }
}

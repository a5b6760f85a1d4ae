#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// `InflateStream` decodes incrementally: compressed bytes are pulled from a source as they are
/// needed and the output is handed out in chunks (256 KiB by default), keeping only the 32 KiB
/// window between them, so an entry of any size is inflated in constant memory. Huffman codes are
/// decoded through one lookup table per code (indexed by the next `maxLength` bits), not bit by bit.
/// `Inflate.inflate` is the whole-buffer form.
///
/// `limit` bounds the output: inflating stops with `.tooLarge` as soon as a chunk passes it, so a
/// ZIP bomb is refused while it is being inflated, never after.
public enum Inflate {
    /// Why a DEFLATE stream could not be decoded.
    public enum Failure: Error, Equatable, Sendable {
        /// The input ended inside a block.
        case truncated
        /// Block type 3, a bad stored-block length, an impossible code set or a distance too far back.
        case corrupt(String)
        /// The output would pass the caller's limit.
        case tooLarge
    }

    /// Inflates raw DEFLATE data (no zlib or gzip wrapper). `limit` is the largest output allowed;
    /// `check`, called every 64 KiB of output with the input consumed and the output so far, may
    /// throw to stop (a compression-ratio cap).
    public static func inflate(
        _ input: [UInt8], limit: Int = Int.max, expectedSize: Int = 0,
        check: (_ consumed: Int, _ produced: Int) throws(Failure) -> Void = { _, _ throws(Failure) in }
    ) throws(Failure) -> [UInt8] {
        var given = false
        let stream = InflateStream(limit: limit, chunkSize: 1 << 16) { () -> ArraySlice<UInt8> in
            if given { return [] }
            given = true
            return input[...]
        }
        var out: [UInt8] = []
        out.reserveCapacity(min(max(expectedSize, input.count * 3), limit, 1 << 26))
        while let chunk = try stream.next() {
            out.append(contentsOf: chunk)
            try check(stream.consumed, stream.produced)
        }
        return out
    }

    /// A canonical Huffman code as a lookup table: the next `maxLength` input bits (least
    /// significant first, as DEFLATE packs codes) index an entry `symbol << 4 | length`; 0 marks a
    /// bit pattern no code starts with (an incomplete code set).
    struct Huffman {
        var table: [UInt32]
        var maxLength: Int

        /// Builds the code from code lengths; nil for an over-subscribed set. An incomplete set is
        /// allowed (a single distance code is legal).
        init?(lengths: [Int]) {
            var counts = [Int](repeating: 0, count: 16)
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= counts[len]
                if left < 0 { return nil }
            }
            maxLength = 0
            for len in 1..<16 where counts[len] > 0 { maxLength = len }
            table = [UInt32](repeating: 0, count: 1 << maxLength)
            // First code of each length (RFC 1951 §3.2.2), then each symbol's bit-reversed code
            // fills every table slot whose low bits it is.
            var next = [Int](repeating: 0, count: 16)
            var code = 0
            for len in 1..<16 {
                code = (code + counts[len - 1]) << 1
                next[len] = code
            }
            for (symbol, len) in lengths.enumerated() where len != 0 {
                let c = next[len]
                next[len] += 1
                var reversed = 0
                for k in 0..<len where c & (1 << k) != 0 { reversed |= 1 << (len - 1 - k) }
                let entry = UInt32(symbol) << 4 | UInt32(len)
                var slot = reversed
                while slot < table.count {
                    table[slot] = entry
                    slot += 1 << len
                }
            }
        }

        static let fixedLiteral: Huffman = {
            var lengths = [Int](repeating: 8, count: 288)
            for i in 144..<256 { lengths[i] = 9 }
            for i in 256..<280 { lengths[i] = 7 }
            return Huffman(lengths: lengths)!
        }()
        static let fixedDistance = Huffman(lengths: [Int](repeating: 5, count: 30))!
    }

    // RFC 1951 §3.2.5 length and distance codes (the simulator's deflater writes with the same tables).
    public static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    public static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    public static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    public static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// Order of the code-length code lengths in a dynamic block header.
    static let lengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
}

/// Incremental DEFLATE decoding: `next()` returns the next chunk of output (valid until the next
/// call; up to `chunkSize` bytes, or up to 257 more when a back-reference ends it) or nil at the end
/// of the stream. `source` is asked for more compressed bytes whenever the
/// decoder runs out; it returns an empty slice at the end of the input.
public final class InflateStream {
    private static let window = 1 << 15

    private var core: Core
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private let chunkSize: Int
    private let limit: Int
    private var finished = false

    /// Output bytes produced so far.
    public private(set) var produced = 0
    /// Compressed bytes consumed so far (fetched from the source, less what is still buffered).
    public var consumed: Int { core.fetched - (core.input.endIndex - core.pos) - core.bitCount / 8 }

    public init(
        limit: Int = Int.max, chunkSize: Int = 1 << 18,
        source: @escaping () throws(Inflate.Failure) -> ArraySlice<UInt8>
    ) {
        self.limit = limit
        self.chunkSize = max(chunkSize, 1 << 10)
        capacity = Self.window + self.chunkSize + 512
        buffer = .allocate(capacity: capacity)
        core = Core(source: source)
    }

    deinit { buffer.deallocate() }

    /// The next chunk of output, or nil when the last block has ended.
    public func next() throws(Inflate.Failure) -> UnsafeBufferPointer<UInt8>? {
        if finished { return nil }
        // Keep the last 32 KiB (the longest distance back) at the front.
        if core.n > Self.window {
            memmove(buffer, buffer + (core.n - Self.window), Self.window)
            core.n = Self.window
        }
        let start = core.n
        var c = core
        defer { core = c }
        try c.run(buffer, until: start + chunkSize)
        let count = c.n - start
        produced += count
        if produced > limit { throw .tooLarge }
        if count == 0 && c.done {
            finished = true
            return nil
        }
        return UnsafeBufferPointer(start: buffer + start, count: count)
    }

    /// The decoder's state between chunks; `run` works on a local copy (no exclusivity checks).
    private struct Core {
        let source: () throws(Inflate.Failure) -> ArraySlice<UInt8>
        var input: ArraySlice<UInt8> = []
        var pos = 0
        var fetched = 0
        var inputEnded = false
        var bitBuf: UInt64 = 0
        var bitCount = 0
        /// Bytes in the output buffer (window + this chunk so far).
        var n = 0
        enum Mode { case header, stored(Int), codes }
        var mode = Mode.header
        var last = false
        var done = false
        var lit = Inflate.Huffman.fixedLiteral
        var dist = Inflate.Huffman.fixedDistance

        init(source: @escaping () throws(Inflate.Failure) -> ArraySlice<UInt8>) {
            self.source = source
        }

        /// Fetches more input; false at its end.
        mutating func fetch() throws(Inflate.Failure) -> Bool {
            if inputEnded { return false }
            let more = try source()
            if more.isEmpty {
                inputEnded = true
                return false
            }
            input = more
            pos = more.startIndex
            fetched += more.count
            return true
        }

        /// Fills the bit buffer to at least `need` bits when the input allows; the count it has.
        @inline(__always) mutating func fill(_ need: Int) throws(Inflate.Failure) -> Int {
            while bitCount < need {
                if pos == input.endIndex {
                    if try !fetch() { return bitCount }
                }
                if input.endIndex - pos >= 8 {
                    // Eight bytes in one load; as many whole bytes as fit are taken. The bits above
                    // `bitCount` then hold the next input bytes (loading them again ORs the same
                    // bits), or zeros: that invariant is what makes this safe.
                    let word = input.withUnsafeBytes {
                        $0.loadUnaligned(fromByteOffset: pos - input.startIndex, as: UInt64.self)
                    }
                    bitBuf |= UInt64(littleEndian: word) << UInt64(bitCount)
                    let k = (63 - bitCount) >> 3
                    pos += k
                    bitCount += k << 3
                    continue
                }
                // Whole bytes while they fit.
                while bitCount <= 56, pos < input.endIndex {
                    bitBuf |= UInt64(input[pos]) << UInt64(bitCount)
                    pos += 1
                    bitCount += 8
                }
            }
            return bitCount
        }

        @inline(__always) mutating func bits(_ need: Int) throws(Inflate.Failure) -> Int {
            if need == 0 { return 0 }
            if bitCount < need, try fill(need) < need { throw .truncated }
            let v = Int(truncatingIfNeeded: bitBuf & ((1 << UInt64(need)) - 1))
            bitBuf >>= UInt64(need)
            bitCount -= need
            return v
        }

        @inline(__always) mutating func decode(_ h: Inflate.Huffman) throws(Inflate.Failure) -> Int {
            if bitCount < h.maxLength { _ = try fill(h.maxLength) }
            let entry = h.table[Int(truncatingIfNeeded: bitBuf & ((1 << UInt64(h.maxLength)) - 1))]
            let len = Int(entry & 15)
            if len == 0 {
                if bitCount < h.maxLength { throw .truncated }
                throw .corrupt("invalid Huffman code")
            }
            if len > bitCount { throw .truncated }
            bitBuf >>= UInt64(len)
            bitCount -= len
            return Int(entry >> 4)
        }

        mutating func run(_ out: UnsafeMutablePointer<UInt8>, until high: Int) throws(Inflate.Failure) {
            while n < high {
                switch mode {
                case .header:
                    if last {
                        done = true
                        return
                    }
                    last = try bits(1) == 1
                    switch try bits(2) {
                    case 0:
                        // Stored: skip to a byte boundary, then LEN and NLEN.
                        let drop = bitCount % 8
                        bitBuf >>= UInt64(drop)
                        bitCount -= drop
                        let len = try bits(16)
                        let nlen = try bits(16)
                        guard len == ~nlen & 0xFFFF else { throw .corrupt("stored block length") }
                        mode = .stored(len)
                    case 1:
                        lit = Inflate.Huffman.fixedLiteral
                        dist = Inflate.Huffman.fixedDistance
                        mode = .codes
                    case 2:
                        try dynamicTables()
                        mode = .codes
                    default: throw .corrupt("block type 3")
                    }
                case .stored(var left):
                    // Bytes still in the bit buffer first, then straight from the input.
                    while left > 0, n < high, bitCount >= 8 {
                        out[n] = UInt8(truncatingIfNeeded: bitBuf)
                        bitBuf >>= 8
                        bitCount -= 8
                        n += 1
                        left -= 1
                    }
                    // The bit buffer's look-ahead covers bytes copied straight from the input below.
                    if bitCount == 0 { bitBuf = 0 }
                    while left > 0, n < high {
                        if pos == input.endIndex, try !fetch() { throw .truncated }
                        let k = min(left, high - n, input.endIndex - pos)
                        input.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) in
                            (out + n).update(from: p.baseAddress! + (pos - input.startIndex), count: k)
                        }
                        n += k
                        pos += k
                        left -= k
                    }
                    mode = left == 0 ? .header : .stored(left)
                case .codes:
                    try codes(out, until: high)
                }
            }
        }

        mutating func codes(_ out: UnsafeMutablePointer<UInt8>, until high: Int) throws(Inflate.Failure) {
            while n < high {
                let symbol = try decode(lit)
                if symbol < 256 {
                    out[n] = UInt8(truncatingIfNeeded: symbol)
                    n += 1
                    continue
                }
                if symbol == 256 {
                    mode = .header
                    return
                }
                let li = symbol - 257
                guard li < 29 else { throw .corrupt("length symbol") }
                let length = Inflate.lengthBase[li] + (try bits(Inflate.lengthExtra[li]))
                let di = try decode(dist)
                guard di < 30 else { throw .corrupt("distance symbol") }
                let distance = Inflate.distanceBase[di] + (try bits(Inflate.distanceExtra[di]))
                guard distance <= n else { throw .corrupt("distance too far back") }
                var from = out + (n - distance)
                var to = out + n
                if distance >= length {
                    to.update(from: from, count: length)
                } else {
                    for _ in 0..<length {
                        to.pointee = from.pointee
                        to += 1
                        from += 1
                    }
                }
                n += length
            }
        }

        mutating func dynamicTables() throws(Inflate.Failure) {
            let nlen = try bits(5) + 257
            let ndist = try bits(5) + 1
            let ncode = try bits(4) + 4
            guard nlen <= 286, ndist <= 30 else { throw .corrupt("too many codes") }
            var codeLengths = [Int](repeating: 0, count: 19)
            for i in 0..<ncode { codeLengths[Inflate.lengthOrder[i]] = try bits(3) }
            guard let lencode = Inflate.Huffman(lengths: codeLengths) else { throw .corrupt("code-length code") }
            var lengths: [Int] = []
            lengths.reserveCapacity(nlen + ndist)
            while lengths.count < nlen + ndist {
                let symbol = try decode(lencode)
                if symbol < 16 {
                    lengths.append(symbol)
                    continue
                }
                var value = 0
                var repeatCount: Int
                if symbol == 16 {
                    guard let previous = lengths.last else { throw .corrupt("repeat with no previous length") }
                    value = previous
                    repeatCount = 3 + (try bits(2))
                } else if symbol == 17 {
                    repeatCount = 3 + (try bits(3))
                } else {
                    repeatCount = 11 + (try bits(7))
                }
                guard lengths.count + repeatCount <= nlen + ndist else { throw .corrupt("too many lengths") }
                lengths.append(contentsOf: repeatElement(value, count: repeatCount))
            }
            guard lengths[256] != 0 else { throw .corrupt("no end-of-block code") }
            guard let l = Inflate.Huffman(lengths: Array(lengths[0..<nlen])),
                let d = Inflate.Huffman(lengths: Array(lengths[nlen...]))
            else { throw .corrupt("over-subscribed code") }
            lit = l
            dist = d
        }
    }
}

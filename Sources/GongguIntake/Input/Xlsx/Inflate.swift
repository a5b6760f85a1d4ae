/// A DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks, over a whole
/// compressed buffer. Canonical Huffman codes are decoded the way zlib's `puff.c` does (counts
/// per length and symbols in code order), which is simple and needs no tables beyond 320 entries.
///
/// `limit` bounds the output: inflating stops with `.tooLarge` as soon as it would pass it, so a
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
        try withoutActuallyEscaping(check) { (check) throws(Failure) -> [UInt8] in
            var state = State(input: input, limit: limit, check: check)
            state.out.reserveCapacity(min(max(expectedSize, input.count * 3), limit, 1 << 26))
            var last = false
            repeat {
                last = try state.bits(1) == 1
                switch try state.bits(2) {
                case 0: try state.stored()
                case 1: try state.codes(Huffman.fixedLiteral, Huffman.fixedDistance)
                case 2:
                    let (lit, dist) = try state.dynamicTables()
                    try state.codes(lit, dist)
                default: throw .corrupt("block type 3")
                }
            } while !last
            return state.out
        }
    }

    /// A canonical Huffman code: how many codes of each length (1…15) and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        /// Builds the code from code lengths; nil for an over-subscribed set. An incomplete set is
        /// allowed (a single distance code is legal).
        init?(lengths: [Int]) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for l in lengths { counts[l] += 1 }
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= counts[len]
                if left < 0 { return nil }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = symbol
                offsets[l] += 1
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

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// Order of the code-length code lengths in a dynamic block header.
    private static let lengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private struct State {
        let input: [UInt8]
        let limit: Int
        let check: (Int, Int) throws(Failure) -> Void
        var out: [UInt8] = []
        var pos = 0
        var bitBuf: UInt32 = 0
        var bitCount = 0
        var nextCheck = 1 << 16

        init(input: [UInt8], limit: Int, check: @escaping (Int, Int) throws(Failure) -> Void) {
            self.input = input
            self.limit = limit
            self.check = check
        }

        @inline(__always) mutating func bits(_ need: Int) throws(Failure) -> Int {
            while bitCount < need {
                guard pos < input.count else { throw .truncated }
                bitBuf |= UInt32(input[pos]) << UInt32(bitCount)
                pos += 1
                bitCount += 8
            }
            let v = Int(bitBuf & ((1 << UInt32(need)) - 1))
            bitBuf >>= UInt32(need)
            bitCount -= need
            return v
        }

        mutating func grew() throws(Failure) {
            if out.count > limit { throw .tooLarge }
            if out.count >= nextCheck {
                nextCheck = out.count + (1 << 16)
                try check(pos, out.count)
            }
        }

        mutating func stored() throws(Failure) {
            bitBuf = 0
            bitCount = 0
            guard pos + 4 <= input.count else { throw .truncated }
            let len = Int(input[pos]) | Int(input[pos + 1]) << 8
            let nlen = Int(input[pos + 2]) | Int(input[pos + 3]) << 8
            guard len == ~nlen & 0xFFFF else { throw .corrupt("stored block length") }
            pos += 4
            guard pos + len <= input.count else { throw .truncated }
            if out.count + len > limit { throw .tooLarge }
            out.append(contentsOf: input[pos..<pos + len])
            pos += len
            try grew()
        }

        mutating func decode(_ h: Huffman) throws(Failure) -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try bits(1)
                let count = h.counts[len]
                if code - count < first { return h.symbols[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw .corrupt("invalid Huffman code")
        }

        mutating func codes(_ lit: Huffman, _ dist: Huffman) throws(Failure) {
            while true {
                let symbol = try decode(lit)
                if symbol < 256 {
                    out.append(UInt8(symbol))
                    if out.count >= nextCheck || out.count > limit { try grew() }
                    continue
                }
                if symbol == 256 { return }
                let li = symbol - 257
                guard li < 29 else { throw .corrupt("length symbol") }
                let length = Inflate.lengthBase[li] + (try bits(Inflate.lengthExtra[li]))
                let di = try decode(dist)
                guard di < 30 else { throw .corrupt("distance symbol") }
                let distance = Inflate.distanceBase[di] + (try bits(Inflate.distanceExtra[di]))
                guard distance <= out.count else { throw .corrupt("distance too far back") }
                if out.count + length > limit { throw .tooLarge }
                let start = out.count - distance
                for k in 0..<length { out.append(out[start + k]) }
                if out.count >= nextCheck { try grew() }
            }
        }

        mutating func dynamicTables() throws(Failure) -> (Huffman, Huffman) {
            let nlen = try bits(5) + 257
            let ndist = try bits(5) + 1
            let ncode = try bits(4) + 4
            guard nlen <= 286, ndist <= 30 else { throw .corrupt("too many codes") }
            var codeLengths = [Int](repeating: 0, count: 19)
            for i in 0..<ncode { codeLengths[Inflate.lengthOrder[i]] = try bits(3) }
            guard let lencode = Huffman(lengths: codeLengths) else { throw .corrupt("code-length code") }
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
            guard let lit = Huffman(lengths: Array(lengths[0..<nlen])),
                let dist = Huffman(lengths: Array(lengths[nlen...]))
            else { throw .corrupt("over-subscribed code") }
            return (lit, dist)
        }
    }
}

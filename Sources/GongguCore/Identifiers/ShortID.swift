/// A short id (a household id, …) as a fold keeps it in memory: an id of 1 to 21 ASCII letters, digits
/// and `-` is packed in two words, 6 bits a character (values 1–63, 0 past the end) — a Swift `String`
/// holds at most 15 bytes inline, so 600,000 household ids of 16–21 characters would otherwise be
/// 600,000 heap strings of 64 bytes each; any other id is kept as its text. `text` gives back exactly
/// the id it was made from.
///
/// Equality is the ids' equality: a packed id is equal only to the same packed id, and no other text
/// can equal it (`String` compares by canonical equivalence, and nothing but those ASCII characters
/// themselves is canonically equivalent to ASCII letters, digits or `-`).
public enum ShortID: Hashable, Sendable {
    /// The characters as one 128-bit number (`high` the upper word), character `i` at bits `6i` to `6i + 5`.
    case packed(low: UInt64, high: UInt64)
    case text(String)

    public init(_ id: String) {
        self = Self.packed(id) ?? .text(id)
    }

    /// The 6-bit code of a byte (`0`–`9` 1–10, `A`–`Z` 11–36, `a`–`z` 37–62, `-` 63), 0 for any other.
    @inline(__always)
    private static func code(_ b: UInt8) -> UInt64 {
        if b &- UInt8(ascii: "0") < 10 { return UInt64(b &- UInt8(ascii: "0")) + 1 }
        if b &- UInt8(ascii: "A") < 26 { return UInt64(b &- UInt8(ascii: "A")) + 11 }
        if b &- UInt8(ascii: "a") < 26 { return UInt64(b &- UInt8(ascii: "a")) + 37 }
        return b == UInt8(ascii: "-") ? 63 : 0
    }

    private static func character(_ c: UInt64) -> UInt8 {
        switch c {
        case 1...10: return UInt8(ascii: "0") + UInt8(c - 1)
        case 11...36: return UInt8(ascii: "A") + UInt8(c - 11)
        case 37...62: return UInt8(ascii: "a") + UInt8(c - 37)
        default: return UInt8(ascii: "-")
        }
    }

    /// Over the id's contiguous UTF-8 (`withUTF8`): iterating `utf8` cost about 1,000 instructions a
    /// household id, on every fact the risk monitor applies (`gonggu-bench risk`, fold throughput).
    private static func packed(_ id: String) -> ShortID? {
        var id = id
        return id.withUTF8 { bytes -> ShortID? in
            let n = bytes.count
            guard n >= 1, n <= 21 else { return nil }
            var low: UInt64 = 0, high: UInt64 = 0
            for i in 0..<n {
                let c = code(bytes[i])
                guard c != 0 else { return nil }
                let bit = 6 * i
                if bit < 64 { low |= c << UInt64(bit) }
                if bit + 6 > 64 { high |= bit >= 64 ? c << UInt64(bit - 64) : c >> UInt64(64 - bit) }
            }
            return .packed(low: low, high: high)
        }
    }

    /// The id as it was given.
    public var text: String {
        switch self {
        case let .text(s): return s
        case let .packed(low, high):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(21)
            for i in 0..<21 {
                let bit = 6 * i
                var c: UInt64 = 0
                if bit < 64 { c = low >> UInt64(bit) }
                if bit + 6 > 64 { c |= bit >= 64 ? high >> UInt64(bit - 64) : high << UInt64(64 - bit) }
                c &= 63
                if c == 0 { break }
                bytes.append(Self.character(c))
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

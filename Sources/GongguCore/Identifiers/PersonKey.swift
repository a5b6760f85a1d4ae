/// A person id as the risk monitor and the verifier keep it. A resident ID in intake's normal form (17 ASCII
/// digits and a check character `0`–`9` or `X`) is packed in one word — a million persons' IDs would
/// otherwise be a million heap strings of 64 bytes each, 18 characters being past what `String` holds
/// inline; any other id is kept as its text. `text` gives back exactly the id it was made from.
///
/// Equality is the ids' equality: a packed id is equal only to the same packed id, and no other text
/// can equal it (`String` compares by canonical equivalence, and nothing but those ASCII characters
/// themselves is canonically equivalent to ASCII digits or `X`).
public enum PersonKey: Hashable, Sendable {
    /// The 17 digits as a number, and the check character's value (0–9, 10 for `X`) from bit 57 on.
    case resident(UInt64)
    case text(String)

    public init(_ id: String) {
        self = Self.packed(id).map(PersonKey.resident) ?? .text(id)
    }

    private static func packed(_ id: String) -> UInt64? {
        guard id.utf8.count == 18 else { return nil }
        var id = id
        id.makeContiguousUTF8()  // a no-op for the native strings decoded from events
        let packed = id.utf8.withContiguousStorageIfAvailable { b -> UInt64? in
            var v: UInt64 = 0
            for i in 0..<17 {
                let d = b[i] &- UInt8(ascii: "0")
                guard d <= 9 else { return nil }
                v = v * 10 + UInt64(d)
            }
            let c = b[17] &- UInt8(ascii: "0")
            let check: UInt64
            if b[17] == UInt8(ascii: "X") {
                check = 10
            } else if c <= 9 {
                check = UInt64(c)
            } else {
                return nil
            }
            return v | check << 57
        }
        return packed ?? nil
    }

    /// The id as it was given.
    public var text: String {
        switch self {
        case let .text(s): return s
        case let .resident(v):
            return String(unsafeUninitializedCapacity: 18) { out in
                var digits = v & (1 << 57 - 1)
                for i in stride(from: 16, through: 0, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(digits % 10)
                    digits /= 10
                }
                let check = UInt8(v >> 57)
                out[17] = check == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + check
                return 18
            }
        }
    }
}

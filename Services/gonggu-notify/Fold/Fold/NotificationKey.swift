import GongguCore

/// A notification id as the fold's dictionary key: the 128 bits its 32 lowercase hex digits spell.
///
/// Every id the fold makes is the description of a derived `EventID`, so the key is two words stored
/// inline: hashing and comparing it touch no heap memory, where a 32-character `String` key costs a
/// pointer chase per probe (the notifier's tables hold every notification ever created). Text of any
/// other form — an id a recipient made up, upper case, dashes — has no key, and so no notification.
public struct NotificationKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let id: EventID

    public init(_ id: EventID) { self.id = id }

    /// The key of `text` when it is exactly 32 lowercase hex digits; nil otherwise.
    public init?(_ text: String) {
        var text = text
        // Native strings hand out their UTF-8 in place; parsing reads it as bytes.
        guard let key = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = key
    }

    /// The key the 32 lowercase hex digits in `bytes` spell; nil for anything else.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> NotificationKey? {
        guard bytes.count == 32 else { return nil }
        return hexValue.withUnsafeBufferPointer { table -> NotificationKey? in
            var high: UInt64 = 0, low: UInt64 = 0
            for i in 0..<32 {
                let nibble = table[Int(bytes[i])]
                guard nibble < 16 else { return nil }
                if i < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            }
            return NotificationKey(EventID(high: high, low: low))
        }
    }

    /// Byte → its value as a lowercase hex digit, 0xff for every other byte.
    private static let hexValue: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 48...57: return UInt8(b - 48)
        case 97...102: return UInt8(b - 87)
        default: return 0xff
        }
    }

    /// The id as text (32 lowercase hex digits).
    public var description: String { id.description }

    /// The order of the ids as text (fixed-length lowercase hex sorts as the number it spells).
    public static func < (a: NotificationKey, b: NotificationKey) -> Bool { a.id < b.id }
}

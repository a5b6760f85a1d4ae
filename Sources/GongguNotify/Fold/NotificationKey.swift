import GongguCore

/// A notification id as the fold's dictionary key: the 128 bits its 32 lowercase hex digits spell.
///
/// Every id the fold makes is the description of a derived `EventID`, so the key is two words stored
/// inline: hashing and comparing it touch no heap memory, where a 32-character `String` key costs a
/// pointer chase per probe (the notifier's tables hold every notification ever created). Text of any
/// other form — an id a recipient made up, upper case, dashes — has no key, and so no notification.
struct NotificationKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    let id: EventID

    init(_ id: EventID) { self.id = id }

    /// The key of `text` when it is exactly 32 lowercase hex digits; nil otherwise.
    init?(_ text: String) {
        guard text.utf8.count == 32 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, c) in text.utf8.enumerated() {
            let nibble: UInt8
            switch c {
            case 48...57: nibble = c - 48
            case 97...102: nibble = c - 87
            default: return nil
            }
            if i < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
        }
        id = EventID(high: high, low: low)
    }

    /// The id as text (32 lowercase hex digits).
    var description: String { id.description }

    /// The order of the ids as text (fixed-length lowercase hex sorts as the number it spells).
    static func < (a: NotificationKey, b: NotificationKey) -> Bool { a.id < b.id }
}

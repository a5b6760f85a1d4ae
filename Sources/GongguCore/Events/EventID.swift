/// A globally unique 128-bit event id, rendered as 32 lowercase hex digits.
///
/// Ids of derived events are *derived* (SHA-256 of the cause and a label), so re-running a fold over
/// the same inputs gives the same ids; that is what lets replay compare decisions one by one.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The zero id, used as "none" in canonical encodings.
    public static let zero = EventID(high: 0, low: 0)

    /// Builds an id from the first 16 bytes of `bytes`.
    public init(bytes: some Collection<UInt8>) {
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.prefix(16).enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// An id derived from a name: the first 16 bytes of SHA-256(name).
    public static func derived(_ name: String) -> EventID { EventID(bytes: SHA256.hash(name)) }

    /// An id derived from a cause and a label (for the `index`-th output of a decision).
    public static func derived(from cause: EventID, _ label: String, index: Int = 0) -> EventID {
        derived("\(cause)|\(label)|\(index)")
    }

    /// A random id (for events with no deterministic cause, such as ticks).
    public static func random() -> EventID {
        var g = SystemRandomNumberGenerator()
        return EventID(high: g.next(), low: g.next())
    }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return out
    }

    /// Parses 32 hex digits (dashes allowed, as in UUID form).
    public init?(_ text: String) {
        let clean = text.filter { $0 != "-" }
        guard clean.count == 32, let bytes = [UInt8](hexString: clean) else { return nil }
        self.init(bytes: bytes)
    }

    public var description: String { bytes.hexString }

    public static func < (a: EventID, b: EventID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

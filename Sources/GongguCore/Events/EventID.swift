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
    public static func derived(_ name: String) -> EventID {
        var hasher = SHA256()
        var name = name
        name.withUTF8 { hasher.update(raw: UnsafeRawBufferPointer($0)) }
        return EventID(digestOf: &hasher)
    }

    /// An id derived from a cause and a label (for the `index`-th output of a decision): the first
    /// 16 bytes of SHA-256 of `"<cause hex>|<label>|<index>"`. Hashed piece by piece, without building
    /// the text (every derived output of every fold comes through here).
    public static func derived(from cause: EventID, _ label: String, index: Int = 0) -> EventID {
        var hasher = SHA256()
        var hex: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &hex) { buffer in
            cause.writeHex(into: buffer)
            hasher.update(raw: UnsafeRawBufferPointer(buffer))
        }
        let bar: UInt8 = 0x7C
        withUnsafeBytes(of: bar) { hasher.update(raw: $0) }
        var label = label
        label.withUTF8 { hasher.update(raw: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: bar) { hasher.update(raw: $0) }
        var decimal = String(index)
        decimal.withUTF8 { hasher.update(raw: UnsafeRawBufferPointer($0)) }
        return EventID(digestOf: &hasher)
    }

    /// The id made of the first 16 bytes of the hasher's digest (no allocation).
    private init(digestOf hasher: inout SHA256) {
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { hasher.finalize(into: $0) }
        self.init(high: UInt64(bigEndian: digest.0), low: UInt64(bigEndian: digest.1))
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

    /// 32 lowercase hex digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(into: UnsafeMutableRawBufferPointer(buffer))
            return 32
        }
    }

    /// Writes the 32 lowercase hex digits to the first 32 bytes of `out`.
    private func writeHex(into out: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { d in
            for i in 0..<16 {
                let word = i < 8 ? high : low
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (i % 8)))
                out[2 * i] = d[Int(byte >> 4)]
                out[2 * i + 1] = d[Int(byte & 0x0f)]
            }
        }
    }

    public static func < (a: EventID, b: EventID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

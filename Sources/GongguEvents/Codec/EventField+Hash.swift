import GongguCore

extension EventField {
    /// A SHA-256 digest carried as 64 hex digits; not written when nil, nil when absent. Any other
    /// text is refused (`EventDecodingError.invalidValue` naming the field).
    public static func optionalHash(_ name: StaticString, _ path: WritableKeyPath<Root, [UInt8]?>) -> Self {
        let at = offset(path)
        return Self(
            name, .optional,
            read: { r, base in
                guard let hash = [UInt8](hexString: try r.readString()), hash.count == 32 else {
                    throw InvalidEventValue()
                }
                (base + at).assumingMemoryBound(to: [UInt8]?.self).pointee = hash
            },
            write: { base, w in
                guard let v = (base + at).assumingMemoryBound(to: [UInt8]?.self).pointee else { return }
                w.key(name)
                w.string(v.hexString)
            },
            absent: { base in (base + at).assumingMemoryBound(to: [UInt8]?.self).pointee = nil })
    }
}

import GongguCore

/// A present but empty value of a field that must not be empty (`EventField.nonEmpty`). The field
/// table reports it as the field missing (`EventDecodingError.missingField`): an empty id names nothing.
struct EmptyEventValue: Error {}

extension EventField {
    /// A string that must be present and not empty; always written. Present but empty, the payload is
    /// refused as if it lacked the field (ids and recipients: an empty one names nothing).
    public static func nonEmpty(_ name: StaticString, _ path: WritableKeyPath<Root, String>) -> Self {
        let at = offset(path)
        return Self(
            name, .required,
            read: { r, base in
                let v = try r.readString()
                if v.isEmpty { throw EmptyEventValue() }
                (base + at).assumingMemoryBound(to: String.self).pointee = v
            },
            write: { base, w in
                w.key(name)
                w.string((base + at).assumingMemoryBound(to: String.self).pointee)
            }, kind: .nonEmptyString, offset: at, plainWrite: true)
    }

    /// A string that may be absent, reading as `value` then, and is not written when empty (a value
    /// a payload leaves out of its logged form, e.g. a notification's source payload).
    public static func omittedWhenEmpty(_ name: StaticString, _ path: WritableKeyPath<Root, String>, absent value: String)
        -> Self
    {
        let at = offset(path)
        return Self(
            name, .defaulted,
            read: { r, base in (base + at).assumingMemoryBound(to: String.self).pointee = try r.readString() },
            write: { base, w in
                let v = (base + at).assumingMemoryBound(to: String.self).pointee
                if v.isEmpty { return }
                w.key(name)
                w.string(v)
            },
            absent: { base in (base + at).assumingMemoryBound(to: String.self).pointee = value })
    }
}

import GongguCore

/// What an absent key means when a payload is read.
public enum FieldPresence: Sendable {
    /// The payload is refused (`EventDecodingError.missingField`).
    case required
    /// The property is nil.
    case optional
    /// The property takes the declared default.
    case defaulted
}

/// How the field table reads (and, for a plain field, writes) a value: the common value types inline,
/// in `FieldList`'s own loop, everything else through the field's closures. An indirect call per field
/// with its context retained and released cost the table a fifth of a fold's decoding against
/// hand-written readers (`gonggu-bench risk`, `verify`: fold throughput).
enum FieldKind: UInt8 {
    case closure, string, int, bool, optionalString, optionalInt

    /// The kind of a property of type `V` (required or defaulted).
    static func of<V>(_: V.Type) -> FieldKind {
        if V.self == String.self { return .string }
        if V.self == Int.self { return .int }
        if V.self == Bool.self { return .bool }
        return .closure
    }

    /// The kind of a property of type `V?` (optional).
    static func optional<V>(_: V.Type) -> FieldKind {
        if V.self == String.self { return .optionalString }
        if V.self == Int.self { return .optionalInt }
        return .closure
    }
}

/// One field of a payload's table: its key, what an absent key means, and how its value is read and
/// written. Built with the static constructors (`required`, `optional`, `defaulted`, `flag`,
/// `custom`, `object`, `inline`); a table lists them in the order they are written.
///
/// Fields address the stored property through its byte offset (`MemoryLayout.offset(of:)` of the key
/// path, taken once when the table is built), so reading and writing a field costs what a
/// hand-written `switch` does.
public struct EventField<Root> {
    public typealias Presence = FieldPresence

    let name: StaticString
    let presence: Presence
    let read: (inout JSONReader, UnsafeMutableRawPointer) throws -> Void
    let write: (UnsafeRawPointer, inout JSONWriter) -> Void
    /// Sets the property for an absent key (optional: nil, defaulted: the default).
    let absent: ((UnsafeMutableRawPointer) -> Void)?
    /// Fields spliced into the enclosing object (`inline`), instead of this one.
    let spliced: [EventField<Root>]?
    /// Bytes from the root's start to the value `read`, `write` and `absent` address: 0, or for a field
    /// spliced in from a part (`inline`) the part's offset. Added at the call instead of wrapping the
    /// part's closures in closures of the root's (one indirect call per field, no captured field copy).
    let shift: Int
    /// How `FieldList` reads the value: inline for the common types, else through `read`.
    let kind: FieldKind
    /// For a `kind` other than `.closure`: the property's offset in its own root (`shift` is added to it).
    let offset: Int
    /// Whether `write` only writes the key and the value (nil: nothing), so `FieldList` may do it inline
    /// for a `kind` other than `.closure`.
    let plainWrite: Bool

    init(
        _ name: StaticString, _ presence: Presence, read: @escaping (inout JSONReader, UnsafeMutableRawPointer) throws -> Void,
        write: @escaping (UnsafeRawPointer, inout JSONWriter) -> Void, absent: ((UnsafeMutableRawPointer) -> Void)? = nil,
        spliced: [EventField<Root>]? = nil, shift: Int = 0, kind: FieldKind = .closure, offset: Int = 0,
        plainWrite: Bool = false
    ) {
        self.kind = kind
        self.offset = offset
        self.plainWrite = plainWrite
        self.name = name
        self.presence = presence
        self.read = read
        self.write = write
        self.absent = absent
        self.spliced = spliced
        self.shift = shift
    }

    static func offset<V>(_ path: WritableKeyPath<Root, V>) -> Int {
        guard let offset = MemoryLayout<Root>.offset(of: path) else {
            preconditionFailure("event fields must be stored properties of \(Root.self)")
        }
        return offset
    }

    /// A field that must be present; always written.
    public static func required<V: EventValue>(_ name: StaticString, _ path: WritableKeyPath<Root, V>) -> Self {
        let at = offset(path)
        return Self(
            name, .required,
            read: { r, base in (base + at).assumingMemoryBound(to: V.self).pointee = try V.read(&r) },
            write: { base, w in
                w.key(name)
                (base + at).assumingMemoryBound(to: V.self).pointee.write(to: &w)
            }, kind: .of(V.self), offset: at, plainWrite: true)
    }

    /// A field that may be absent (nil); not written when nil.
    public static func optional<V: EventValue>(_ name: StaticString, _ path: WritableKeyPath<Root, V?>) -> Self {
        let at = offset(path)
        return Self(
            name, .optional,
            read: { r, base in (base + at).assumingMemoryBound(to: V?.self).pointee = try V.read(&r) },
            write: { base, w in
                guard let v = (base + at).assumingMemoryBound(to: V?.self).pointee else { return }
                w.key(name)
                v.write(to: &w)
            },
            absent: { base in (base + at).assumingMemoryBound(to: V?.self).pointee = nil }, kind: .optional(V.self),
            offset: at, plainWrite: true)
    }

    /// A field that may be absent, reading as `value` then. Written always, or — `omitted: true` —
    /// only when it differs from `value`.
    public static func defaulted<V: EventValue & Equatable>(
        _ name: StaticString, _ path: WritableKeyPath<Root, V>, _ value: V, omitted: Bool = false
    ) -> Self {
        let at = offset(path)
        return Self(
            name, .defaulted,
            read: { r, base in (base + at).assumingMemoryBound(to: V.self).pointee = try V.read(&r) },
            write: { base, w in
                let v = (base + at).assumingMemoryBound(to: V.self)
                if omitted && v.pointee == value { return }
                w.key(name)
                v.pointee.write(to: &w)
            },
            absent: { base in (base + at).assumingMemoryBound(to: V.self).pointee = value }, kind: .of(V.self),
            offset: at, plainWrite: !omitted)
    }

    /// A boolean written only when true; absent reads as false.
    public static func flag(_ name: StaticString, _ path: WritableKeyPath<Root, Bool>) -> Self {
        defaulted(name, path, false, omitted: true)
    }

    /// A field with its own reader and writer (a shape no `EventValue` has, e.g. an object of named
    /// numbers). `value` is what an absent key reads as; nil makes the field required.
    public static func custom<V>(
        _ name: StaticString, _ path: WritableKeyPath<Root, V>, absent value: V?,
        read: @escaping (inout JSONReader) throws -> V, write: @escaping (V, inout JSONWriter) -> Void
    ) -> Self {
        let at = offset(path)
        return Self(
            name, value == nil ? .required : .defaulted,
            read: { r, base in (base + at).assumingMemoryBound(to: V.self).pointee = try read(&r) },
            write: { base, w in
                w.key(name)
                write((base + at).assumingMemoryBound(to: V.self).pointee, &w)
            },
            absent: value.map { value in { base in (base + at).assumingMemoryBound(to: V.self).pointee = value } })
    }

    /// A nested object whose fields are properties of the root itself (`"period": {"from", "to"}`).
    /// Absent, its fields take their own absent values.
    public static func object(_ name: StaticString, type: String, _ fields: [EventField<Root>]) -> Self {
        let list = FieldList(type, fields)
        return Self(
            name, list.requiredMask == 0 ? .defaulted : .required,
            read: { r, base in try list.read(&r, base) },
            write: { base, w in
                w.key(name)
                list.write(base, to: &w)
            },
            absent: { base in list.setAbsent(base, seen: 0) })
    }

    /// The fields of a part (a property whose own fields sit in the enclosing object, e.g. a risk
    /// decision's explanation), spliced in at this place.
    public static func inline<Part>(_ path: WritableKeyPath<Root, Part>, _ part: [EventField<Part>]) -> Self {
        let at = offset(path)
        let moved = part.flatMap { $0.spliced ?? [$0] }.map { f in
            EventField<Root>(
                f.name, f.presence, read: f.read, write: f.write, absent: f.absent, shift: at + f.shift, kind: f.kind,
                offset: f.offset, plainWrite: f.plainWrite)
        }
        return Self("", .defaulted, read: { _, _ in }, write: { _, _ in }, spliced: moved)
    }
}

/// The fields of one JSON object, in writing order, with the reading policy: keys in any order,
/// unknown keys skipped, an absent required field refused naming type and field, an absent optional
/// or defaulted one set to nil or its default.
struct FieldList<Root> {
    let type: String
    let fields: [EventField<Root>]
    let requiredMask: UInt64

    init(_ type: String, _ declared: [EventField<Root>]) {
        let flat = declared.flatMap { $0.spliced ?? [$0] }
        precondition(flat.count <= 64, "at most 64 fields per object")
        self.type = type
        fields = flat
        var required: UInt64 = 0
        for (i, f) in flat.enumerated() where f.presence == .required { required |= 1 << UInt64(i) }
        requiredMask = required
    }

    func read(_ r: inout JSONReader, _ base: UnsafeMutableRawPointer) throws {
        var seen: UInt64 = 0
        var next = 0
        let type = self.type
        try fields.withUnsafeBufferPointer { fs in
            let n = fs.count
            try r.readObject { r, key in
                // Keys usually come in table order: try the one after the last match first.
                var i = next, tried = 0
                while tried < n, !(key == fs[i].name) {
                    i = i + 1 == n ? 0 : i + 1
                    tried += 1
                }
                guard tried < n else { return try r.skipValue() }
                do {
                    let p = base + fs[i].shift + fs[i].offset
                    switch fs[i].kind {
                    case .string: p.assumingMemoryBound(to: String.self).pointee = try r.readString()
                    case .int: p.assumingMemoryBound(to: Int.self).pointee = try r.readInt()
                    case .bool: p.assumingMemoryBound(to: Bool.self).pointee = try r.readBool()
                    case .optionalString: p.assumingMemoryBound(to: String?.self).pointee = try r.readString()
                    case .optionalInt: p.assumingMemoryBound(to: Int?.self).pointee = try r.readInt()
                    case .closure: try fs[i].read(&r, base + fs[i].shift)
                    }
                } catch is InvalidEventValue {
                    throw EventDecodingError.invalidValue(type: type, field: "\(fs[i].name)")
                } catch is EmptyEventValue {
                    throw EventDecodingError.missingField(type: type, field: "\(fs[i].name)")
                }
                seen |= 1 << UInt64(i)
                next = i + 1 == n ? 0 : i + 1
            }
        }
        // Absent optional and defaulted fields already hold nil or their default: reading starts from a
        // blank prepared with them (`EventFields.init`).
        if seen & requiredMask != requiredMask { throw missing(seen) }
    }

    private func missing(_ seen: UInt64) -> EventDecodingError {
        let i = fields.indices.first { requiredMask & ~seen & (1 << UInt64($0)) != 0 } ?? 0
        return EventDecodingError.missingField(type: type, field: "\(fields[i].name)")
    }

    func setAbsent(_ base: UnsafeMutableRawPointer, seen: UInt64) {
        for (i, f) in fields.enumerated() where seen & (1 << UInt64(i)) == 0 { f.absent?(base + f.shift) }
    }

    func write(_ base: UnsafeRawPointer, to w: inout JSONWriter) {
        w.beginObject()
        // Through the buffer: `for f in fields` copied each field (its four closures and the splice list
        // retained and released, per field and per payload written).
        fields.withUnsafeBufferPointer { fs in
            for i in fs.indices {
                let p = base + fs[i].shift + fs[i].offset
                switch fs[i].plainWrite ? fs[i].kind : .closure {
                case .string:
                    w.key(fs[i].name)
                    w.string(p.assumingMemoryBound(to: String.self).pointee)
                case .int:
                    w.key(fs[i].name)
                    w.int(p.assumingMemoryBound(to: Int.self).pointee)
                case .bool:
                    w.key(fs[i].name)
                    w.bool(p.assumingMemoryBound(to: Bool.self).pointee)
                case .optionalString:
                    guard let v = p.assumingMemoryBound(to: String?.self).pointee else { continue }
                    w.key(fs[i].name)
                    w.string(v)
                case .optionalInt:
                    guard let v = p.assumingMemoryBound(to: Int?.self).pointee else { continue }
                    w.key(fs[i].name)
                    w.int(v)
                case .closure: fs[i].write(base + fs[i].shift, &w)
                }
            }
        }
        w.endObject()
    }
}

/// A payload's (or nested object's) field table: the fields in writing order and a blank value that
/// reading fills in.
public struct EventFields<Root> {
    let list: FieldList<Root>
    let blank: Root

    /// - Parameters:
    ///   - type: the event type (or the nested object's name) that errors name.
    ///   - blank: any value of the type; its optional and defaulted fields are set to nil or their
    ///     default once, here, and every read starts from that.
    public init(_ type: String, blank: Root, _ fields: [EventField<Root>]) {
        let list = FieldList(type, fields)
        var prepared = blank
        withUnsafeMutableBytes(of: &prepared) { list.setAbsent($0.baseAddress!, seen: 0) }
        self.list = list
        self.blank = prepared
    }

    init(list: FieldList<Root>, blank: Root) {
        self.list = list
        self.blank = blank
    }

    public func read(_ r: inout JSONReader) throws -> Root {
        var value = blank
        try withUnsafeMutableBytes(of: &value) { try list.read(&r, $0.baseAddress!) }
        return value
    }

    public func write(_ value: Root, to w: inout JSONWriter) {
        withUnsafeBytes(of: value) { list.write($0.baseAddress!, to: &w) }
    }

    /// The declared keys in writing order, and whether each must be present (for documentation and tests).
    public var keys: [(name: String, presence: FieldPresence)] {
        list.fields.map { ("\($0.name)", $0.presence) }
    }
}

extension EventField {
    /// An object of named whole numbers, in order (`"thresholds": {"gapMonths": 6, "months": 8}`); absent, empty.
    public static func namedNumbers(_ name: StaticString, _ path: WritableKeyPath<Root, [(String, Int)]>) -> Self {
        custom(name, path, absent: [], read: readNamedNumbers, write: writeNamedNumbers)
    }

    static func readNamedNumbers(_ r: inout JSONReader) throws -> [(String, Int)] {
        var out: [(String, Int)] = []
        try r.readObject { r, k in out.append((k.string, try r.readInt())) }
        return out
    }

    static func writeNamedNumbers(_ values: [(String, Int)], _ w: inout JSONWriter) {
        w.beginObject()
        for (k, v) in values {
            w.key(k)
            w.int(v)
        }
        w.endObject()
    }
}

extension EventDecodingError {
    /// The same error naming `type` (a payload shared by several event types reports the one read).
    public func naming(_ type: String) -> EventDecodingError {
        switch self {
        case let .missingField(_, field): return .missingField(type: type, field: field)
        case let .invalidValue(_, field): return .invalidValue(type: type, field: field)
        case .wrongType, .unsupportedVersion: return self
        }
    }
}

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
/// in `FieldTable`'s own loop, everything else through the field's closures. An indirect call per field
/// with its context retained and released cost the table a fifth of a fold's decoding against
/// hand-written readers (`gonggu-bench risk`, `verify`: fold throughput).
enum FieldKind: UInt8 {
    case closure, string, int, bool, optionalString, optionalInt
    /// A string that must not be empty (`EventField.nonEmpty`).
    case nonEmptyString
    /// An array of strings.
    case strings
    /// An `EventObject` (a fact's `source`), read in place through its own table.
    case nested

    /// The kind of a property of type `V` (required or defaulted).
    static func of<V>(_: V.Type) -> FieldKind {
        if V.self == String.self { return .string }
        if V.self == Int.self { return .int }
        if V.self == Bool.self { return .bool }
        if V.self == [String].self { return .strings }
        if V.self is any EventObject.Type { return .nested }
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
    /// How `FieldTable` reads the value: inline for the common types, else through `read`.
    let kind: FieldKind
    /// For a `kind` other than `.closure`: the property's offset in its own root (`shift` is added to it).
    let offset: Int
    /// Whether `write` only writes the key and the value (nil: nothing), so `FieldTable` may do it inline
    /// for a `kind` other than `.closure`.
    let plainWrite: Bool
    /// For `.nested`: the object's own table.
    let nested: FieldTable?

    init(
        _ name: StaticString, _ presence: Presence, read: @escaping (inout JSONReader, UnsafeMutableRawPointer) throws -> Void,
        write: @escaping (UnsafeRawPointer, inout JSONWriter) -> Void, absent: ((UnsafeMutableRawPointer) -> Void)? = nil,
        spliced: [EventField<Root>]? = nil, shift: Int = 0, kind: FieldKind = .closure, offset: Int = 0,
        plainWrite: Bool = false, nested: FieldTable? = nil
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
        self.nested = nested
    }

    static func offset<V>(_ path: WritableKeyPath<Root, V>) -> Int {
        guard let offset = MemoryLayout<Root>.offset(of: path) else {
            preconditionFailure("event fields must be stored properties of \(Root.self)")
        }
        return offset
    }

    /// The table of `V` when it is an `EventObject` (read and written in place through it: an
    /// `EventObject` reads and writes through its table, as the protocol's extension does).
    static func nestedTable<V>(_: V.Type) -> FieldTable? {
        guard let object = V.self as? any EventObject.Type else { return nil }
        return object.fieldTable
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
            }, kind: .of(V.self), offset: at, plainWrite: true, nested: nestedTable(V.self))
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
            offset: at, plainWrite: !omitted, nested: nestedTable(V.self))
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
        let table = FieldTable(type, fields)
        return Self(
            name, table.requiredMask == 0 ? .defaulted : .required,
            read: { r, base in try table.read(&r, base) },
            write: { base, w in
                w.key(name)
                table.write(base, to: &w)
            },
            absent: { base in table.setAbsent(base, seen: 0) })
    }

    /// The fields of a part (a property whose own fields sit in the enclosing object, e.g. a risk
    /// decision's explanation), spliced in at this place.
    public static func inline<Part>(_ path: WritableKeyPath<Root, Part>, _ part: [EventField<Part>]) -> Self {
        let at = offset(path)
        let moved = part.flatMap { $0.spliced ?? [$0] }.map { f in
            EventField<Root>(
                f.name, f.presence, read: f.read, write: f.write, absent: f.absent, shift: at + f.shift, kind: f.kind,
                offset: f.offset, plainWrite: f.plainWrite, nested: f.nested)
        }
        return Self("", .defaulted, read: { _, _ in }, write: { _, _ in }, spliced: moved)
    }
}

extension EventObject {
    /// The object's table, without its root type (`EventField.nested`).
    static var fieldTable: FieldTable { fields.storage.table }
}

/// One field as `FieldTable`'s loops see it: what `EventField` holds, without the root type, so the
/// loops are compiled once, here, and look up no generic metadata per payload read or written (the
/// generic loop did, about 330 instructions a call in `gonggu-bench notify --costs-only`).
struct FieldSlot {
    let name: StaticString
    let presence: FieldPresence
    let kind: FieldKind
    /// `kind` when the write is plain (key and value; nothing for a nil optional), else `.closure`.
    let writeKind: FieldKind
    /// Offset of the value from the root's start, for the inline kinds.
    let at: Int
    /// Offset passed to the closures (`EventField.shift`).
    let shift: Int
    let read: (inout JSONReader, UnsafeMutableRawPointer) throws -> Void
    let write: (UnsafeRawPointer, inout JSONWriter) -> Void
    let absent: ((UnsafeMutableRawPointer) -> Void)?
    let nested: FieldTable?

    init<Root>(_ f: EventField<Root>) {
        name = f.name
        presence = f.presence
        kind = f.kind
        writeKind = f.plainWrite ? f.kind : .closure
        at = f.shift + f.offset
        shift = f.shift
        read = f.read
        write = f.write
        absent = f.absent
        nested = f.nested
    }
}

/// The fields of one JSON object, in writing order, with the reading policy: keys in any order,
/// unknown keys skipped, an absent required field refused naming type and field, an absent optional
/// or defaulted one set to nil or its default.
final class FieldTable {
    let type: String
    let slots: [FieldSlot]
    let requiredMask: UInt64
    /// One bit a field.
    let allMask: UInt64

    init<Root>(_ type: String, _ declared: [EventField<Root>]) {
        let flat = declared.flatMap { $0.spliced ?? [$0] }
        precondition(flat.count <= 64, "at most 64 fields per object")
        self.type = type
        slots = flat.map(FieldSlot.init)
        var required: UInt64 = 0
        for (i, f) in flat.enumerated() where f.presence == .required { required |= 1 << UInt64(i) }
        requiredMask = required
        allMask = flat.count == 64 ? ~0 : (1 << UInt64(flat.count)) - 1
    }

    /// Bits of the fields named `keys` (each must be one of the table's).
    func mask(of keys: [StaticString]) -> UInt64 {
        var mask: UInt64 = 0
        for k in keys {
            let name = "\(k)"
            guard let i = slots.firstIndex(where: { "\($0.name)" == name }) else {
                preconditionFailure("\(type) has no field \(name)")
            }
            mask |= 1 << UInt64(i)
        }
        return mask
    }

    /// Reads one object into the value at `base`.
    ///
    /// - Parameters:
    ///   - building: the fields whose strings are built; the strings (and arrays of strings) of the
    ///     others are checked exactly as reading them would check them — the same values accepted, the
    ///     same errors — without being built, and keep what `base` held. Every other kind is read.
    ///   - fillAbsent: set the fields whose keys are absent to their absent values (a value read in
    ///     place; a root starts from a blank that holds them already).
    func read(
        _ r: inout JSONReader, _ base: UnsafeMutableRawPointer, building: UInt64 = ~0, fillAbsent: Bool = false
    ) throws {
        var seen: UInt64 = 0
        var next = 0
        let type = self.type
        try slots.withUnsafeBufferPointer { fs in
            let n = fs.count
            try r.readObject { r, key in
                // Keys usually come in table order: try the one after the last match first.
                var i = next, tried = 0
                while tried < n, !(key == fs[i].name) {
                    i = i + 1 == n ? 0 : i + 1
                    tried += 1
                }
                guard tried < n else { return try r.skipValue() }
                let bit: UInt64 = 1 << UInt64(i)
                do {
                    let p = base + fs[i].at
                    switch fs[i].kind {
                    case .string:
                        if building & bit != 0 {
                            p.assumingMemoryBound(to: String.self).pointee = try r.readString()
                        } else {
                            try r.skipString()
                        }
                    case .int: p.assumingMemoryBound(to: Int.self).pointee = try r.readInt()
                    case .bool: p.assumingMemoryBound(to: Bool.self).pointee = try r.readBool()
                    case .optionalString:
                        if building & bit != 0 {
                            p.assumingMemoryBound(to: String?.self).pointee = try r.readString()
                        } else {
                            try r.skipString()
                        }
                    case .optionalInt: p.assumingMemoryBound(to: Int?.self).pointee = try r.readInt()
                    case .nonEmptyString:
                        if building & bit != 0 {
                            let v = try r.readString()
                            if v.isEmpty { throw EmptyEventValue() }
                            p.assumingMemoryBound(to: String.self).pointee = v
                        } else if try r.withStringBytes({ $0.isEmpty }) {
                            throw EmptyEventValue()
                        }
                    case .strings:
                        if building & bit != 0 {
                            p.assumingMemoryBound(to: [String].self).pointee = try r.readStringArray()
                        } else {
                            try r.readArray { try $0.skipString() }
                        }
                    case .nested: try fs[i].nested.unsafelyUnwrapped.read(&r, p, fillAbsent: true)
                    case .closure: try fs[i].read(&r, base + fs[i].shift)
                    }
                } catch is InvalidEventValue {
                    throw EventDecodingError.invalidValue(type: type, field: "\(fs[i].name)")
                } catch is EmptyEventValue {
                    throw EventDecodingError.missingField(type: type, field: "\(fs[i].name)")
                }
                seen |= bit
                next = i + 1 == n ? 0 : i + 1
            }
        }
        if seen & requiredMask != requiredMask { throw missing(seen) }
        if fillAbsent && seen != allMask { setAbsent(base, seen: seen) }
    }

    private func missing(_ seen: UInt64) -> EventDecodingError {
        let i = slots.indices.first { requiredMask & ~seen & (1 << UInt64($0)) != 0 } ?? 0
        return EventDecodingError.missingField(type: type, field: "\(slots[i].name)")
    }

    func setAbsent(_ base: UnsafeMutableRawPointer, seen: UInt64) {
        for (i, f) in slots.enumerated() where seen & (1 << UInt64(i)) == 0 { f.absent?(base + f.shift) }
    }

    func write(_ base: UnsafeRawPointer, to w: inout JSONWriter) {
        w.beginObject()
        // Through the buffer: `for f in slots` copied each field (its closures retained and released, per
        // field and per payload written).
        slots.withUnsafeBufferPointer { fs in
            for i in fs.indices {
                let p = base + fs[i].at
                switch fs[i].writeKind {
                case .string, .nonEmptyString:
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
                case .strings:
                    w.key(fs[i].name)
                    w.beginArray()
                    for s in p.assumingMemoryBound(to: [String].self).pointee { w.string(s) }
                    w.endArray()
                case .nested:
                    w.key(fs[i].name)
                    fs[i].nested.unsafelyUnwrapped.write(p, to: &w)
                case .closure: fs[i].write(base + fs[i].shift, &w)
                }
            }
        }
        w.endObject()
    }
}

/// A table and the blank value its reads start from, behind one reference: a copy of an
/// `EventFields` (a payload's static table, at each read and write) retains one object, not every
/// string of the blank.
final class FieldsStorage<Root> {
    let table: FieldTable
    let blank: Root

    init(table: FieldTable, blank: Root) {
        self.table = table
        self.blank = blank
    }
}

/// A payload's (or nested object's) field table: the fields in writing order and a blank value that
/// reading fills in.
public struct EventFields<Root> {
    let storage: FieldsStorage<Root>
    /// The fields whose strings a read builds (`building(only:)`); all by default.
    let building: UInt64

    /// - Parameters:
    ///   - type: the event type (or the nested object's name) that errors name.
    ///   - blank: any value of the type; its optional and defaulted fields are set to nil or their
    ///     default once, here, and every read starts from that.
    public init(_ type: String, blank: Root, _ fields: [EventField<Root>]) {
        let table = FieldTable(type, fields)
        var prepared = blank
        withUnsafeMutableBytes(of: &prepared) { table.setAbsent($0.baseAddress!, seen: 0) }
        storage = FieldsStorage(table: table, blank: prepared)
        building = ~0
    }

    init(storage: FieldsStorage<Root>, building: UInt64) {
        self.storage = storage
        self.building = building
    }

    /// The same table, reading every key exactly as `read` does — the same keys required, the same
    /// values refused, the same errors, unknown keys skipped — but building only the strings (and
    /// arrays of strings) of `keys`: the others are checked without being built and keep the blank's
    /// values. For a consumer that uses a few of a producer's values and must still refuse what the
    /// producer's own read refuses (the notifier routing an upstream decision: a malformed one is
    /// counted, not routed). Every key must be one of the table's (checked here, once).
    public func building(only keys: [StaticString]) -> EventFields<Root> {
        EventFields(storage: storage, building: storage.table.mask(of: keys))
    }

    public func read(_ r: inout JSONReader) throws -> Root {
        var value = storage.blank
        let (table, building) = (storage.table, building)
        try withUnsafeMutableBytes(of: &value) { try table.read(&r, $0.baseAddress!, building: building) }
        return value
    }

    public func write(_ value: Root, to w: inout JSONWriter) {
        let table = storage.table
        withUnsafeBytes(of: value) { table.write($0.baseAddress!, to: &w) }
    }

    /// The declared keys in writing order, and whether each must be present (for documentation and tests).
    public var keys: [(name: String, presence: FieldPresence)] {
        storage.table.slots.map { ("\($0.name)", $0.presence) }
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

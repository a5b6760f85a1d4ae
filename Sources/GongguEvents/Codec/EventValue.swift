import GongguCore

/// A value an event field holds, read and written by itself: strings, whole numbers, booleans,
/// enumerations (by raw value), arrays of values and nested objects (`EventObject`).
public protocol EventValue {
    /// Reads the value the reader is positioned at. A value outside the type's set throws
    /// `InvalidEventValue`, which the field table turns into `EventDecodingError.invalidValue`.
    static func read(_ r: inout JSONReader) throws -> Self
    /// Writes the value (the key is already written).
    func write(to w: inout JSONWriter)
}

/// A read value outside its type's set (an unknown enumeration case). The field table reporting it
/// names the event type and the field (`EventDecodingError.invalidValue`).
public struct InvalidEventValue: Error {
    public init() {}
}

extension String: EventValue {
    @inline(__always) public static func read(_ r: inout JSONReader) throws -> String { try r.readString() }
    @inline(__always) public func write(to w: inout JSONWriter) { w.string(self) }
}

extension Int: EventValue {
    @inline(__always) public static func read(_ r: inout JSONReader) throws -> Int { try r.readInt() }
    @inline(__always) public func write(to w: inout JSONWriter) { w.int(self) }
}

extension Int64: EventValue {
    @inline(__always) public static func read(_ r: inout JSONReader) throws -> Int64 { Int64(try r.readInt()) }
    @inline(__always) public func write(to w: inout JSONWriter) { w.int(Int(self)) }
}

extension Bool: EventValue {
    @inline(__always) public static func read(_ r: inout JSONReader) throws -> Bool { try r.readBool() }
    @inline(__always) public func write(to w: inout JSONWriter) { w.bool(self) }
}

extension Array: EventValue where Element: EventValue {
    public static func read(_ r: inout JSONReader) throws -> [Element] {
        var out: [Element] = []
        try r.readArray { out.append(try Element.read(&$0)) }
        return out
    }

    public func write(to w: inout JSONWriter) {
        w.beginArray()
        for v in self { v.write(to: &w) }
        w.endArray()
    }
}

/// An enumeration carried by its raw value (a string code or a number).
public protocol EventEnum: EventValue, RawRepresentable where RawValue: EventValue {}

extension EventEnum {
    @inline(__always)
    public static func read(_ r: inout JSONReader) throws -> Self {
        guard let v = Self(rawValue: try RawValue.read(&r)) else { throw InvalidEventValue() }
        return v
    }

    @inline(__always) public func write(to w: inout JSONWriter) { rawValue.write(to: &w) }
}

/// A nested JSON object with a field table of its own (`SourceRef`).
public protocol EventObject: EventValue {
    static var fields: EventFields<Self> { get }
}

extension EventObject {
    public static func read(_ r: inout JSONReader) throws -> Self { try fields.read(&r) }
    public func write(to w: inout JSONWriter) { Self.fields.write(self, to: &w) }
}

/// A payload whose fields are declared once, in `fields`: the table drives both `init(json:)` and
/// `write(to:)`, in declaration order.
public protocol TabledPayload: EventPayload {
    static var fields: EventFields<Self> { get }
}

extension TabledPayload {
    public init(json r: inout JSONReader) throws { self = try Self.fields.read(&r) }
    public func write(to w: inout JSONWriter) { Self.fields.write(self, to: &w) }
}

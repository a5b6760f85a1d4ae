/// A generic JSON value, for configuration, rule files and tools. Hot paths decode typed values
/// directly with `JSONReader` instead.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Fields in input order (order matters for deterministic output).
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Parses a complete JSON text.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONReader.read(bytes) { try $0.readValue() } }

    /// Parses a complete JSON text.
    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    /// The field of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    public var doubleValue: Double? { if case let .number(d) = self { return d } else { return nil } }
    public var intValue: Int? {
        if case let .number(d) = self, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
        return nil
    }
    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    public var objectValue: [(String, JSONValue)]? { if case let .object(o) = self { return o } else { return nil } }

    /// Writes the value compactly, fields in stored order.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case let .bool(b): writer.bool(b)
        case let .number(d): writer.double(d)
        case let .string(s): writer.string(s)
        case let .array(items):
            writer.beginArray()
            for item in items { item.write(to: &writer) }
            writer.endArray()
        case let .object(fields):
            writer.beginObject()
            for (k, v) in fields {
                writer.key(k)
                v.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// Compact JSON text.
    public var jsonString: String {
        var w = JSONWriter()
        write(to: &w)
        return w.string
    }
}

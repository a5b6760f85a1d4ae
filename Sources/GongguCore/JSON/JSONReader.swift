/// An error found while reading JSON. Carries the byte offset, never the content (which may hold
/// personal data).
public struct JSONError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong, in English, for logs.
    public let reason: String
    /// Byte offset in the input where it went wrong.
    public let offset: Int

    public init(_ reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "JSON error at byte \(offset): \(reason)" }
}

/// An object key as it appears in the input (unescaped keys only, which is all Gonggu writes),
/// compared against static names without allocating.
///
/// The comparison and `JSONReader.readObject`/`readArray` are inlinable: payload readers live in other
/// modules (GongguEvents), and a key `switch` or a field table only runs as fast as a reader inside this
/// module when both are specialized into the caller (`gonggu-bench backbone`, row "replay + decode").
public struct JSONKey {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let count: Int

    @inlinable init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    /// The key as a string (allocates; for generic decoding only).
    public var string: String { String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self) }

    @inlinable
    public static func == (lhs: JSONKey, rhs: StaticString) -> Bool {
        guard lhs.count == rhs.utf8CodeUnitCount else { return false }
        return sameBytes(lhs.base, UnsafeRawPointer(rhs.utf8Start), lhs.count)
    }

    @inlinable
    public static func ~= (pattern: StaticString, value: JSONKey) -> Bool { value == pattern }
}

@inlinable @inline(__always)
func memcmp(_ a: UnsafeRawPointer, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
    var i = 0
    while i < n {
        let x = a.load(fromByteOffset: i, as: UInt8.self), y = b[i]
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return 0
}

/// Whether the `n` bytes at `a` and `b` are equal, compared eight at a time (a field table matches
/// every key of every payload it reads against its names).
@inlinable @inline(__always)
func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// A forward-only JSON reader over bytes in memory: typed values decode themselves field by field,
/// with no intermediate dictionaries. This is what makes replay fast (Foundation's `JSONDecoder`
/// is an order of magnitude slower on small objects).
///
/// The buffer must outlive the reader; use `JSONReader.read(_:_:)` to scope it.
public struct JSONReader {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let end: Int
    /// Current byte offset (`offset`; stored apart so the inlinable readers can move it).
    @usableFromInline var position: Int = 0
    /// Current byte offset.
    public private(set) var offset: Int {
        get { position }
        set { position = newValue }
    }
    /// Nesting limit against hostile input.
    @usableFromInline var depth = 0
    @usableFromInline static let maxDepth = 64

    public init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
    }

    /// Runs `body` with a reader over `bytes`, then checks only whitespace follows.
    @inlinable
    public static func read<T>(_ bytes: [UInt8], _ body: (inout JSONReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            let value = try body(&reader)
            try reader.finish()
            return value
        }
    }

    /// Runs `body` with a reader over the UTF-8 of `string`.
    public static func read<T>(_ string: String, _ body: (inout JSONReader) throws -> T) throws -> T {
        try read(Array(string.utf8), body)
    }

    /// Fails unless only whitespace remains.
    public mutating func finish() throws {
        skipWhitespace()
        if offset != end { throw JSONError("trailing characters", offset: offset) }
    }

    @inlinable @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            if c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 { position += 1 } else { return }
        }
    }

    @inlinable @inline(__always)
    mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard position < end else { throw JSONError("unexpected end", offset: position) }
        return base[position]
    }

    @inlinable @inline(__always)
    mutating func expect(_ c: UInt8) throws {
        guard try peek() == c else { throw JSONError.expected(c, at: position) }
        position += 1
    }

    /// Whether the next value is `null` (consumed if so).
    public mutating func readNullIfPresent() throws -> Bool {
        guard try peek() == 0x6e else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard end - offset >= n, memcmp(UnsafeRawPointer(base + offset), word.utf8Start, n) == 0 else {
            throw JSONError("invalid literal", offset: offset)
        }
        offset += n
    }

    /// Reads the opening bracket of an object or array; whether it has contents (the depth is then one
    /// deeper, for the caller to undo) or is empty (the closing bracket read too).
    @inlinable @inline(__always)
    mutating func enter(_ open: UInt8, _ close: UInt8) throws -> Bool {
        try expect(open)
        guard depth < Self.maxDepth else { throw JSONError("nesting too deep", offset: position) }
        if try peek() == close {
            position += 1
            return false
        }
        depth += 1
        return true
    }

    /// Reads an object, calling `body` for each key with the reader positioned at its value.
    /// `body` must consume the value (read it or `skipValue()`).
    @inlinable
    public mutating func readObject(_ body: (inout JSONReader, JSONKey) throws -> Void) throws {
        guard try enter(UInt8(ascii: "{"), UInt8(ascii: "}")) else { return }
        defer { depth -= 1 }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw JSONError("expected key", offset: position) }
            position += 1
            let start = position
            while position < end, base[position] != UInt8(ascii: "\"") {
                if base[position] == UInt8(ascii: "\\") { throw JSONError("escaped keys are not supported", offset: position) }
                position += 1
            }
            guard position < end else { throw JSONError("unterminated key", offset: start) }
            let key = JSONKey(base: UnsafeRawPointer(base + start), count: position - start)
            position += 1
            try expect(UInt8(ascii: ":"))
            let before = position
            try body(&self, key)
            if position == before { throw JSONError("value not consumed", offset: position) }
            let c = try peek()
            position += 1
            if c == UInt8(ascii: "}") { return }
            if c != UInt8(ascii: ",") { throw JSONError("expected ',' or '}'", offset: position - 1) }
        }
    }

    /// Reads an array, calling `body` with the reader positioned at each element.
    @inlinable
    public mutating func readArray(_ body: (inout JSONReader) throws -> Void) throws {
        guard try enter(UInt8(ascii: "["), UInt8(ascii: "]")) else { return }
        defer { depth -= 1 }
        while true {
            let before = position
            try body(&self)
            if position == before { throw JSONError("value not consumed", offset: position) }
            let c = try peek()
            position += 1
            if c == UInt8(ascii: "]") { return }
            if c != UInt8(ascii: ",") { throw JSONError("expected ',' or ']'", offset: position - 1) }
        }
    }

    /// Reads an array of strings.
    public mutating func readStringArray() throws -> [String] {
        var out: [String] = []
        try readArray { out.append(try $0.readString()) }
        return out
    }

    /// Moves over string bytes that need no attention (no `"`, `\\` or control character), eight at a
    /// time while eight remain; stops at the first eight that hold one, for the byte loop to find it. (A
    /// byte at a time, the strings' scan was most of a payload read: `gonggu-bench notify --costs-only`.)
    @inline(__always)
    private mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while end - position >= 8 {
            let w = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5c)
            // A zero byte in `quote` or `backslash`, or a byte of `w` below 0x20, sets its high bit here
            // (bits above such a byte may be set too; no bit is set when there is none).
            let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w)
            if found & highs != 0 { return }
            position += 8
        }
    }

    /// Moves over a string value up to its closing quote or its first escape. Plain (`escaped` false):
    /// `offset` is past the closing quote and the bytes are `start ..< offset - 1`. Escaped: `offset` is
    /// at the backslash, for `readEscapedString(from: start)` to go on.
    @inline(__always)
    private mutating func scanString() throws -> (start: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = offset
        skipPlainStringBytes()
        while offset < end {
            let c = base[offset]
            if c == UInt8(ascii: "\"") {
                offset += 1
                return (start, false)
            }
            if c == UInt8(ascii: "\\") { return (start, true) }
            if c < 0x20 { throw JSONError("control character in string", offset: offset) }
            offset += 1
        }
        throw JSONError("unterminated string", offset: start)
    }

    /// Checks a string value as `readString` would read it (the same errors), building nothing.
    public mutating func skipString() throws {
        let scan = try scanString()
        if scan.escaped { _ = try readEscapedString(from: scan.start) }
    }

    /// Reads a string value.
    public mutating func readString() throws -> String {
        let scan = try scanString()
        if scan.escaped { return try readEscapedString(from: scan.start) }
        return String(decoding: UnsafeBufferPointer(start: base + scan.start, count: offset - 1 - scan.start), as: UTF8.self)
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var out = [UInt8](UnsafeBufferPointer(start: base + start, count: offset - start))
        while offset < end {
            let c = base[offset]
            if c == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw JSONError("control character in string", offset: offset) }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                offset += 1
                continue
            }
            guard offset + 1 < end else { break }
            offset += 1
            try JSONEscape.decode(UnsafeBufferPointer(start: base, count: end), &position, into: &out)
        }
        throw JSONError("unterminated string", offset: start)
    }

    /// Reads an integer value (no fraction, no exponent).
    public mutating func readInt() throws -> Int {
        _ = try peek()
        var negative = false
        if base[offset] == UInt8(ascii: "-") {
            negative = true
            offset += 1
        }
        let start = offset
        var v = 0
        while offset < end {
            let c = base[offset]
            guard c >= 48 && c <= 57 else { break }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(c - 48))
            if o1 || o2 { throw JSONError("integer too large", offset: start) }
            v = s
            offset += 1
        }
        guard offset > start else { throw JSONError("expected integer", offset: start) }
        if offset < end, base[offset] == UInt8(ascii: ".") || base[offset] == UInt8(ascii: "e")
            || base[offset] == UInt8(ascii: "E")
        {
            throw JSONError("expected integer, found a fraction", offset: start)
        }
        return negative ? -v : v
    }

    /// Reads any number as a double.
    public mutating func readDouble() throws -> Double {
        _ = try peek()
        let start = offset
        while offset < end {
            let c = base[offset]
            if (c >= 48 && c <= 57) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            {
                offset += 1
            } else {
                break
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: offset - start), as: UTF8.self)
        guard let d = Double(text) else { throw JSONError("invalid number", offset: start) }
        return d
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws -> Bool {
        let c = try peek()
        if c == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// Skips one value of any kind, checking it as the typed reads would, without building strings
    /// or numbers (a skip over hundreds of MB of a snapshot's state allocates nothing).
    public mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try readObject { r, _ in try r.skipValue() }
        case UInt8(ascii: "["): try readArray { try $0.skipValue() }
        case UInt8(ascii: "\""): try withStringBytes { _ in }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    /// Skips a number as `readDouble` would read it (the same characters; a malformed one throws).
    private mutating func skipNumber() throws {
        let start = offset
        var digits = 0
        while offset < end {
            let c = base[offset]
            if c >= 48 && c <= 57 {
                digits += 1
            } else if !(c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E"))
            {
                break
            }
            offset += 1
        }
        // Plain integers (all a snapshot holds) need no further check; anything else is parsed.
        let text = UnsafeBufferPointer(start: base + start, count: offset - start)
        if digits > 0, digits == text.count || (digits == text.count - 1 && text[0] == UInt8(ascii: "-")) { return }
        guard Double(String(decoding: text, as: UTF8.self)) != nil else { throw JSONError("invalid number", offset: start) }
    }

    /// Reads a string value and hands its UTF-8 bytes (escapes resolved) to `body` without building a
    /// `String` when it has no escapes; the bytes are valid only during `body`.
    public mutating func withStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        let scan = try scanString()
        guard scan.escaped else {
            return try body(UnsafeBufferPointer(start: base + scan.start, count: offset - 1 - scan.start))
        }
        var bytes = Array(try readEscapedString(from: scan.start).utf8)
        return try bytes.withUnsafeMutableBufferPointer { try body(UnsafeBufferPointer($0)) }
    }

    /// Reads any value into a generic `JSONValue`.
    public mutating func readValue() throws -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"):
            var fields: [(String, JSONValue)] = []
            try readObject { r, key in fields.append((key.string, try r.readValue())) }
            return .object(fields)
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try readArray { items.append(try $0.readValue()) }
            return .array(items)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let d = try readDouble()
            return .number(d)
        }
    }
}

extension JSONError {
    /// "expected 'c'" at `offset` (out of line: the inlinable readers stay small).
    @usableFromInline @inline(never)
    static func expected(_ c: UInt8, at offset: Int) -> JSONError {
        JSONError("expected '\(Character(Unicode.Scalar(c)))'", offset: offset)
    }
}

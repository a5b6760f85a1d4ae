/// A fold whose state can be written to a snapshot and read back (docs/RELIABILITY.md, "Snapshots of
/// fold state"): one JSON value through `JSONWriter` / `JSONReader`. A fold read back must have the
/// same `stateDigest()` and decide every later event exactly as the fold that was written.
public protocol SnapshotFold: ServiceFold {
    /// Writes the whole state as one JSON value.
    func writeSnapshot(to w: inout JSONWriter)
    /// Reads what `writeSnapshot` wrote; throws on anything malformed.
    init(snapshot r: inout JSONReader) throws
}

/// A snapshot's state that does not read back.
public struct SnapshotStateError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "snapshot state: \(reason)" }
}

extension JSONWriter {
    /// An event id in a snapshot: its 32 hex digits.
    public mutating func eventID(_ id: EventID) { string(id.description) }

    /// An array of event ids (what `readEventIDs` reads).
    public mutating func eventIDs<S: Sequence<EventID>>(_ ids: S) { array(ids) { $0.eventID($1) } }

    /// One row `[…]`, the body writing its values (what `JSONReader.readRow` reads).
    public mutating func row(_ body: (inout JSONWriter) -> Void) {
        beginArray()
        body(&self)
        endArray()
    }

    /// `"name": [[…], …]`, one row per element (what `JSONReader.readRows` reads).
    public mutating func rows<S: Sequence>(
        _ name: String, _ elements: S, _ body: (inout JSONWriter, S.Element) -> Void
    ) {
        key(name)
        array(elements) { w, element in w.row { body(&$0, element) } }
    }
}

extension JSONReader {
    /// An event id `JSONWriter.eventID` wrote.
    public mutating func readEventID() throws -> EventID {
        // Read in place: an id is 32 bytes, too long for a String without an allocation.
        try withStringBytes { text in
            guard text.count == 32 else { throw SnapshotStateError("event id: length") }
            var words: (UInt64, UInt64) = (0, 0)
            var bad: UInt8 = 0
            for k in 0..<32 {
                let c = text[k]
                let digit = c &- 0x30, letter = c &- 0x61
                let v: UInt8 = digit < 10 ? digit : (letter < 6 ? letter &+ 10 : 0xFF)
                bad |= v
                if k < 16 { words.0 = words.0 << 4 | UInt64(v & 0x0F) } else { words.1 = words.1 << 4 | UInt64(v & 0x0F) }
            }
            guard bad & 0xF0 == 0 else { throw SnapshotStateError("event id: not hex") }
            return EventID(high: words.0, low: words.1)
        }
    }

    /// An array of event ids.
    public mutating func readEventIDs() throws -> [EventID] {
        var out: [EventID] = []
        try readArray { out.append(try $0.readEventID()) }
        return out
    }

    /// An array of integers.
    public mutating func readInts() throws -> [Int] {
        var out: [Int] = []
        try readArray { out.append(try $0.readInt()) }
        return out
    }
}

extension FixedWidthInteger {
    /// `v` if it fits, else a snapshot error (a snapshot's day numbers, codes and counts are narrower
    /// than `Int`; a damaged or foreign snapshot may hold any number).
    /// (A static function, not an init: a throwing `init` would make `Int64.init` references ambiguous.)
    @inline(__always) public static func fromSnapshot(_ v: Int) throws -> Self {
        guard let x = Self(exactly: v) else { throw SnapshotStateError("out of range: \(v)") }
        return x
    }
}

extension JSONReader {
    /// A whole number that fits an `Int32` (a day number), else a snapshot error.
    public mutating func readInt32() throws -> Int32 { try Int32.fromSnapshot(try readInt()) }

    /// A whole number that fits `T`, else a snapshot error.
    public mutating func readSmall<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        try T.fromSnapshot(try readInt())
    }

    /// One array of exactly `count` values, each read by `body` with its index (a snapshot's rows).
    public mutating func readRow(count: Int, _ body: (inout JSONReader, Int) throws -> Void) throws {
        var n = 0
        try readArray { r in
            guard n < count else { throw SnapshotStateError("row too long") }
            try body(&r, n)
            n += 1
        }
        guard n == count else { throw SnapshotStateError("row too short") }
    }

    /// An array whose elements are rows of exactly `count` values (`readRow`).
    public mutating func readRows(count: Int, _ body: (inout JSONReader, Int) throws -> Void) throws {
        try readArray { r in try r.readRow(count: count, body) }
    }
}


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
}

extension JSONReader {
    /// An event id `JSONWriter.eventID` wrote.
    public mutating func readEventID() throws -> EventID {
        let text = try readString()
        var words: (UInt64, UInt64) = (0, 0)
        var k = 0
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            default: throw SnapshotStateError("event id: not hex")
            }
            if k < 16 { words.0 = words.0 << 4 | UInt64(v) } else if k < 32 { words.1 = words.1 << 4 | UInt64(v) }
            k += 1
        }
        guard k == 32 else { throw SnapshotStateError("event id: length") }
        return EventID(high: words.0, low: words.1)
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

extension JSONReader {
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
}

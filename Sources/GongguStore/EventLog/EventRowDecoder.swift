import CSQLite
import GongguCore

/// Decodes rows selected with `EventLogSchema.columns` into events.
///
/// Event types repeat endlessly in a log, so their strings are interned: a replay of millions of
/// events allocates one `String` per distinct type, not one per row.
struct EventRowDecoder {
    private var typeNames: [[UInt8]] = []
    private var typeStrings: [String] = []

    mutating func decode(_ statement: Statement) throws -> Event {
        let s = statement.handle
        let seq = sqlite3_column_int64(s, 0)
        let id = try Self.id(s, 1, seq: seq, required: true) ?? .zero
        let type = internedType(statement.rawText(at: 2))
        let version = Int(sqlite3_column_int64(s, 3))
        let subject = Self.text(statement.rawText(at: 4))
        let region = Self.text(statement.rawText(at: 5))
        let occurred = sqlite3_column_int64(s, 6)
        let recorded = sqlite3_column_int64(s, 7)
        let causation = try Self.id(s, 8, seq: seq, required: false)
        let correlation = try Self.id(s, 9, seq: seq, required: false)
        let payload = [UInt8](statement.rawBytes(at: 10))
        return Event(
            seq: seq, id: id, type: type, version: version, subject: subject, region: region, occurredAt: occurred,
            recordedAt: recorded, causation: causation, correlation: correlation, payload: payload)
    }

    private static func id(_ s: OpaquePointer, _ column: Int32, seq: Int64, required: Bool) throws -> EventID? {
        if sqlite3_column_type(s, column) == SQLITE_NULL {
            if required { throw EventLogError.malformedRow(seq: seq, reason: "id is NULL") }
            return nil
        }
        guard let base = sqlite3_column_blob(s, column), sqlite3_column_bytes(s, column) == 16 else {
            throw EventLogError.malformedRow(seq: seq, reason: "id column \(column) is not 16 bytes")
        }
        return EventID(
            high: UInt64(bigEndian: base.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    @inline(__always)
    private static func text(_ raw: UnsafeRawBufferPointer) -> String {
        String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    private mutating func internedType(_ raw: UnsafeRawBufferPointer) -> String {
        for i in typeNames.indices {
            let known = typeNames[i]
            if known.count == raw.count, known.withUnsafeBytes({ $0.elementsEqual(raw) }) { return typeStrings[i] }
        }
        let s = Self.text(raw)
        // Bounded, so a log of many distinct types cannot grow it without limit.
        if typeNames.count < 64 {
            typeNames.append([UInt8](raw))
            typeStrings.append(s)
        }
        return s
    }
}

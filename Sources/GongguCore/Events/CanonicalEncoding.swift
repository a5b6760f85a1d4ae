/// The canonical byte form of an event: what the hash chain hashes and what the wire carries.
///
/// Layout (all integers big-endian): seq u64, id 16 bytes, type (u16 length + UTF-8), version u32,
/// subject (u16 + UTF-8), region (u16 + UTF-8), occurredAt i64, recordedAt i64, causation 16 bytes
/// (zero = none), correlation 16 bytes (zero = none), payload (u32 length + bytes).
/// Documented in docs/PROTOCOL.md; any change is a new wire version.
public enum CanonicalEncoding {
    /// Maximum payload size accepted anywhere (bytes).
    public static let maxPayload = 1 << 20

    /// Appends the canonical bytes of `event` to `out`.
    public static func append(_ event: Event, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + 120 + event.payload.count + event.subject.utf8.count)
        appendU64(UInt64(bitPattern: event.seq), &out)
        appendID(event.id, &out)
        appendString16(event.type, &out)
        appendU32(UInt32(truncatingIfNeeded: event.version), &out)
        appendString16(event.subject, &out)
        appendString16(event.region, &out)
        appendU64(UInt64(bitPattern: event.occurredAt), &out)
        appendU64(UInt64(bitPattern: event.recordedAt), &out)
        appendID(event.causation ?? .zero, &out)
        appendID(event.correlation ?? .zero, &out)
        appendU32(UInt32(event.payload.count), &out)
        out.append(contentsOf: event.payload)
    }

    /// The canonical bytes of `event`.
    public static func encode(_ event: Event) -> [UInt8] {
        var out: [UInt8] = []
        append(event, to: &out)
        return out
    }

    /// Decodes canonical bytes; returns the event and the number of bytes consumed.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (Event, Int) {
        var r = ByteReader(bytes)
        let seq = Int64(bitPattern: try r.u64())
        let id = try r.id()
        let type = try r.string16()
        let version = Int(try r.u32())
        let subject = try r.string16()
        let region = try r.string16()
        let occurred = Int64(bitPattern: try r.u64())
        let recorded = Int64(bitPattern: try r.u64())
        let causation = try r.id()
        let correlation = try r.id()
        let n = Int(try r.u32())
        guard n <= maxPayload else { throw WireFormatError("payload too large") }
        let payload = try r.bytes(n)
        let e = Event(
            seq: seq, id: id, type: type, version: version, subject: subject, region: region, occurredAt: occurred,
            recordedAt: recorded, causation: causation == .zero ? nil : causation,
            correlation: correlation == .zero ? nil : correlation, payload: payload)
        return (e, r.offset)
    }

    /// Decodes exactly one event from `bytes`.
    public static func decode(_ bytes: [UInt8]) throws -> Event {
        try bytes.withUnsafeBytes { raw in
            let (e, n) = try decode(raw)
            guard n == raw.count else { throw WireFormatError("trailing bytes after event") }
            return e
        }
    }

    /// The chain hash of an event: SHA-256(previous hash ‖ canonical bytes). `hasher`: a fresh hasher
    /// (a caller outside the core may hand one whose compression runs on the CPU's SHA extensions).
    public static func chainHash(
        previous: [UInt8], event: Event, scratch: inout [UInt8], hasher: SHA256 = SHA256()
    ) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        append(event, to: &scratch)
        var h = hasher
        h.update(previous)
        h.update(scratch)
        return h.finalize()
    }

    /// The hash before the first event.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    @inline(__always) static func appendU64(_ v: UInt64, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }
    @inline(__always) static func appendU32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }
    @inline(__always) static func appendID(_ id: EventID, _ out: inout [UInt8]) {
        appendU64(id.high, &out)
        appendU64(id.low, &out)
    }
    @inline(__always) static func appendString16(_ s: String, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            let n = min(u.count, Int(UInt16.max))
            withUnsafeBytes(of: UInt16(n).bigEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[0..<n]))
        }
    }
}

/// A malformed binary frame or record. Never carries the bytes themselves.
public struct WireFormatError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "malformed frame: \(reason)" }
}

/// Bounds-checked big-endian reader over raw bytes.
public struct ByteReader {
    let base: UnsafeRawBufferPointer
    /// Bytes consumed so far.
    public private(set) var offset = 0

    public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    /// Bytes left.
    public var remaining: Int { base.count - offset }

    @inline(__always) mutating func need(_ n: Int) throws {
        guard n >= 0, base.count - offset >= n else { throw WireFormatError("truncated") }
    }
    public mutating func u64() throws -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    public mutating func u32() throws -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    public mutating func u16() throws -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    public mutating func id() throws -> EventID {
        let h = try u64()
        let l = try u64()
        return EventID(high: h, low: l)
    }
    public mutating func string16() throws -> String {
        let n = Int(try u16())
        try need(n)
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[offset..<offset + n]), as: UTF8.self)
    }
    public mutating func bytes(_ n: Int) throws -> [UInt8] {
        try need(n)
        defer { offset += n }
        return Array(base[offset..<offset + n])
    }
}

/// A fold whose snapshot state is binary (`SnapshotBinaryWriter`/`SnapshotBinaryReader`) rather than
/// JSON: read back without parsing text (the verifier's and risk monitor's state is hundreds of MB at
/// province scale, and a start must take under 3 s). The JSON form (`SnapshotFold`) stays for tests
/// and tools that want to read a state.
public protocol BinarySnapshotFold: SnapshotFold {
    /// Writes the whole state; `w.flushIfFull()` may be called between records.
    func writeBinarySnapshot(to w: inout SnapshotBinaryWriter)
    /// Reads what `writeBinarySnapshot` wrote; throws on anything malformed or cut.
    init(binarySnapshot r: inout SnapshotBinaryReader) throws
}

/// Writes a binary snapshot state: unsigned numbers as LEB128 varints, signed ones zigzag-coded,
/// strings as their UTF-8 length and bytes, event ids as 16 bytes. With a sink, the bytes are handed on
/// in pieces (`flushIfFull`), so the encoded state is never held whole.
public struct SnapshotBinaryWriter {
    public private(set) var bytes: [UInt8]
    private let sink: ((UnsafeRawBufferPointer) throws -> Void)?
    private let chunk: Int
    /// The first error of the sink; nothing more is handed to it after one.
    public private(set) var sinkError: Error?
    /// Bytes handed to the sink so far.
    public private(set) var flushed = 0

    /// Collects everything in `bytes`.
    public init(capacity: Int = 1 << 16) {
        bytes = []
        bytes.reserveCapacity(capacity)
        sink = nil
        chunk = .max
    }

    /// Hands the bytes to `sink` whenever `chunk` bytes have gathered (at a `flushIfFull`) and at `flush`.
    public init(chunk: Int = 1 << 20, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        bytes = []
        bytes.reserveCapacity(chunk + 4096)
        self.sink = sink
        self.chunk = chunk
    }

    @inline(__always) public mutating func flushIfFull() {
        if bytes.count >= chunk { flush() }
    }

    /// Hands what has gathered to the sink (nothing without a sink).
    public mutating func flush() {
        guard let sink, !bytes.isEmpty else { return }
        if sinkError == nil {
            do { try bytes.withUnsafeBytes { try sink($0) } } catch { sinkError = error }
        }
        flushed += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    @inline(__always) public mutating func byte(_ v: UInt8) { bytes.append(v) }

    @inline(__always) public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    @inline(__always) public mutating func uint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always) public mutating func int(_ v: Int) {
        let x = Int64(v)
        uint(UInt64(bitPattern: (x << 1) ^ (x >> 63)))
    }

    @inline(__always) public mutating func int32(_ v: Int32) { int(Int(v)) }

    @inline(__always) public mutating func count(_ n: Int) { uint(UInt64(n)) }

    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            uint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    @inline(__always) public mutating func eventID(_ id: EventID) {
        withUnsafeBytes(of: id.high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
}

/// Reads what `SnapshotBinaryWriter` wrote, over bytes that stay alive while it reads; every read
/// checks the bounds (a cut state throws, never reads past its end).
public struct SnapshotBinaryReader {
    public let base: UnsafeRawBufferPointer
    public private(set) var offset = 0
    /// Strings seen by `internedString`: repeated values (a region's code, a status) share one storage.
    private var interned: [[UInt8]: String] = [:]

    public init(_ bytes: UnsafeRawBufferPointer) { base = bytes }

    public var isAtEnd: Bool { offset == base.count }
    public var remaining: Int { base.count - offset }

    @inline(__always) public mutating func byte() throws -> UInt8 {
        guard offset < base.count else { throw SnapshotStateError("binary state cut short") }
        defer { offset += 1 }
        return base[offset]
    }

    @inline(__always) public mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw SnapshotStateError("binary state: not a bool")
        }
    }

    @inline(__always) public mutating func uint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw SnapshotStateError("binary state: varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always) public mutating func int() throws -> Int {
        let u = try uint()
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    @inline(__always) public mutating func int32() throws -> Int32 { try Int32.fromSnapshot(try int()) }

    @inline(__always) public mutating func small<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        try T.fromSnapshot(try int())
    }

    /// A count of elements that follow, each at least `minimumBytes` long (a damaged count cannot make
    /// a reader reserve more than the state could hold).
    @inline(__always) public mutating func count(minimumBytes: Int = 1) throws -> Int {
        let n = try uint()
        guard n <= UInt64(remaining / max(1, minimumBytes)) else { throw SnapshotStateError("binary state: count \(n) beyond its end") }
        return Int(n)
    }

    @inline(__always) private mutating func utf8() throws -> UnsafeRawBufferPointer {
        let n = try uint()
        guard n <= UInt64(remaining) else { throw SnapshotStateError("binary state cut short in a string") }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + Int(n))])
        offset += Int(n)
        return slice
    }

    public mutating func string() throws -> String {
        let u = try utf8()
        return String(decoding: u, as: UTF8.self)
    }

    /// A string whose value is likely repeated across the state: one storage for all its copies.
    public mutating func internedString() throws -> String {
        let u = try utf8()
        // Short strings are held inline by String anyway.
        guard u.count > 15 else { return String(decoding: u, as: UTF8.self) }
        let key = [UInt8](u)
        if let s = interned[key] { return s }
        let s = String(decoding: u, as: UTF8.self)
        interned[key] = s
        return s
    }

    @inline(__always) public mutating func eventID() throws -> EventID {
        guard remaining >= 16 else { throw SnapshotStateError("binary state cut short in an event id") }
        let high = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let low = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        offset += 16
        return EventID(high: high, low: low)
    }

    /// Bytes written with `SnapshotBinaryWriter.raw`.
    public mutating func expect(_ b: [UInt8]) throws {
        guard remaining >= b.count, b.indices.allSatisfy({ base[offset + $0] == b[$0] }) else {
            throw SnapshotStateError("binary state: expected marker missing")
        }
        offset += b.count
    }
}

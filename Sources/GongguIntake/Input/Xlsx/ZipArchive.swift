/// A ZIP archive held in memory, read through its central directory (APPNOTE.TXT 6.3): the end of
/// central directory record, the central directory entries, and each entry's local header.
/// Stored (method 0) and DEFLATE (method 8) entries; every entry's CRC-32 is verified.
///
/// Refused, each with its own `Failure`: ZIP64 archives (sizes or counts beyond 32/16 bits: no
/// office file intake reads comes near them), encrypted entries (general-purpose bit 0), other
/// compression methods, and ZIP bombs — an entry larger than `maxEntrySize`, or one inflating more
/// than `maxRatio` times its compressed size once past 1 MiB, is stopped while it inflates.
public struct ZipArchive {
    /// Why an archive or entry cannot be read.
    public enum Failure: Error, Equatable, Sendable {
        /// No end of central directory record: not a ZIP file, or cut short.
        case notZip
        /// The archive uses ZIP64 records, which this reader does not support.
        case zip64
        /// Structure that contradicts itself (offsets outside the file, bad signatures).
        case corrupt(String)
        /// The entry is encrypted (general-purpose flag bit 0).
        case encrypted(String)
        /// A compression method other than stored or DEFLATE.
        case unsupportedMethod(String, Int)
        /// The entry would inflate beyond the size or ratio cap.
        case tooLarge(String)
        /// The inflated data does not match the CRC-32 or size in the directory.
        case checksum(String)
    }

    /// One central directory entry.
    public struct Entry: Sendable {
        public let name: String
        public let method: Int
        public let flags: Int
        public let crc32: UInt32
        public let compressedSize: Int
        public let uncompressedSize: Int
        public let localHeaderOffset: Int
        /// Whether general-purpose bit 0 (encryption) is set.
        public var isEncrypted: Bool { flags & 1 != 0 }
    }

    /// Largest uncompressed entry read (512 MiB).
    public static let defaultMaxEntrySize = 512 << 20
    /// Largest compression ratio once an entry has inflated past 1 MiB.
    public static let defaultMaxRatio = 200

    public let entries: [Entry]
    private let bytes: [UInt8]
    private let index: [String: Int]
    private let maxEntrySize: Int
    private let maxRatio: Int

    /// Reads the central directory of `bytes`.
    public init(
        _ bytes: [UInt8], maxEntrySize: Int = ZipArchive.defaultMaxEntrySize, maxRatio: Int = ZipArchive.defaultMaxRatio
    ) throws(Failure) {
        self.bytes = bytes
        self.maxEntrySize = maxEntrySize
        self.maxRatio = maxRatio
        guard let eocd = Self.findEndRecord(bytes) else { throw .notZip }
        if eocd >= 20, Self.u32(bytes, eocd - 20) == 0x0706_4B50 { throw .zip64 }
        let diskEntries = Self.u16(bytes, eocd + 8), total = Self.u16(bytes, eocd + 10)
        let size = Int(Self.u32(bytes, eocd + 12)), offset = Int(Self.u32(bytes, eocd + 16))
        if total == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF { throw .zip64 }
        guard Self.u16(bytes, eocd + 4) == 0, diskEntries == total else { throw .corrupt("multi-disk archive") }
        guard offset + size <= eocd else { throw .corrupt("central directory outside the file") }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var p = offset
        for _ in 0..<total {
            guard p + 46 <= offset + size, Self.u32(bytes, p) == 0x0201_4B50 else {
                throw .corrupt("central directory entry signature")
            }
            let nameLength = Self.u16(bytes, p + 28), extraLength = Self.u16(bytes, p + 30)
            let commentLength = Self.u16(bytes, p + 32)
            guard p + 46 + nameLength <= bytes.count else { throw .corrupt("entry name outside the file") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            let entry = Entry(
                name: name, method: Self.u16(bytes, p + 10), flags: Self.u16(bytes, p + 8),
                crc32: Self.u32(bytes, p + 16), compressedSize: Int(Self.u32(bytes, p + 20)),
                uncompressedSize: Int(Self.u32(bytes, p + 24)), localHeaderOffset: Int(Self.u32(bytes, p + 42)))
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF
                || entry.localHeaderOffset == 0xFFFF_FFFF
            {
                throw .zip64
            }
            index[name] = entries.count
            entries.append(entry)
            p += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
        self.index = index
    }

    /// Whether `bytes` begin like a ZIP file (a local file header).
    public static func looksLikeZip(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    /// The entry named `name` (exact, as in the directory), if any.
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The uncompressed bytes of `entry`, checked against its CRC-32 and size.
    public func data(_ entry: Entry) throws(Failure) -> [UInt8] {
        if entry.isEncrypted { throw .encrypted(entry.name) }
        guard entry.method == 0 || entry.method == 8 else { throw .unsupportedMethod(entry.name, entry.method) }
        if entry.uncompressedSize > maxEntrySize { throw .tooLarge(entry.name) }
        if entry.uncompressedSize > 1 << 20, entry.uncompressedSize / max(entry.compressedSize, 1) > maxRatio {
            throw .tooLarge(entry.name)
        }
        let h = entry.localHeaderOffset
        guard h + 30 <= bytes.count, Self.u32(bytes, h) == 0x0403_4B50 else {
            throw .corrupt("local header of \(entry.name)")
        }
        if Self.u16(bytes, h + 6) & 1 != 0 { throw .encrypted(entry.name) }
        let start = h + 30 + Self.u16(bytes, h + 26) + Self.u16(bytes, h + 28)
        guard start + entry.compressedSize <= bytes.count else { throw .corrupt("data of \(entry.name)") }
        let raw = Array(bytes[start..<(start + entry.compressedSize)])
        let out: [UInt8]
        if entry.method == 0 {
            out = raw
        } else {
            // The directory's size is trusted only as a ceiling: a lying header still meets the caps.
            let limit = min(entry.uncompressedSize, maxEntrySize)
            let ratio = maxRatio
            do {
                out = try Inflate.inflate(raw, limit: limit, expectedSize: limit) {
                    consumed, produced throws(Inflate.Failure) in
                    if produced > 1 << 20, produced / max(consumed, 1) > ratio { throw .tooLarge }
                }
            } catch .tooLarge {
                throw .tooLarge(entry.name)
            } catch {
                throw .corrupt("deflate data of \(entry.name)")
            }
        }
        guard out.count == entry.uncompressedSize, CRC32.checksum(out) == entry.crc32 else {
            throw .checksum(entry.name)
        }
        return out
    }

    /// The uncompressed bytes of the entry named `name`, or nil when there is none.
    public func data(named name: String) throws(Failure) -> [UInt8]? {
        guard let e = entry(name) else { return nil }
        return try data(e)
    }

    /// The offset of the end of central directory record: searched backwards over the last 64 KiB
    /// plus its 22 bytes, since a comment of up to 65535 bytes may follow it.
    private static func findEndRecord(_ b: [UInt8]) -> Int? {
        guard b.count >= 22 else { return nil }
        let lowest = max(0, b.count - 22 - 0xFFFF)
        var p = b.count - 22
        while p >= lowest {
            if b[p] == 0x50, b[p + 1] == 0x4B, b[p + 2] == 0x05, b[p + 3] == 0x06,
                p + 22 + u16(b, p + 20) == b.count
            {
                return p
            }
            p -= 1
        }
        return nil
    }

    @inline(__always) static func u16(_ b: [UInt8], _ p: Int) -> Int {
        guard p + 2 <= b.count else { return 0 }
        return Int(b[p]) | Int(b[p + 1]) << 8
    }

    @inline(__always) static func u32(_ b: [UInt8], _ p: Int) -> UInt32 {
        guard p + 4 <= b.count else { return 0 }
        return UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ZIP archive, in memory or in a file read by offset (`pread`), read through its central
/// directory (APPNOTE.TXT 6.3): the end of central directory record, the central directory entries,
/// and each entry's local header. Stored (method 0) and DEFLATE (method 8) entries; every entry's
/// CRC-32 is verified. An entry is read whole (`data`) or streamed in chunks (`stream`), which
/// holds only the chunk, the compressed read buffer and the 32 KiB DEFLATE window.
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
    private let storage: Storage
    private let index: [String: Int]
    private let maxEntrySize: Int
    private let maxRatio: Int

    /// Where the archive's bytes are: in memory, or in an open file (not owned) of a known size.
    fileprivate enum Storage {
        case bytes([UInt8])
        case file(Int32, Int)

        var count: Int {
            switch self {
            case .bytes(let b): return b.count
            case .file(_, let size): return size
            }
        }

        /// `count` bytes at `offset`, all of them or `.corrupt`.
        func read(_ offset: Int, _ count: Int) throws(Failure) -> [UInt8] {
            guard offset >= 0, count >= 0, offset + count <= self.count else { throw .corrupt("read outside the file") }
            switch self {
            case .bytes(let b): return Array(b[offset..<(offset + count)])
            case .file(let fd, _):
                var out = [UInt8](repeating: 0, count: count)
                var done = 0
                while done < count {
                    let n = out.withUnsafeMutableBytes { p in
                        pread(fd, p.baseAddress! + done, count - done, off_t(offset + done))
                    }
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { throw .corrupt("file ended or unreadable") }
                    done += n
                }
                return out
            }
        }
    }

    /// Reads the central directory of `bytes`.
    public init(
        _ bytes: [UInt8], maxEntrySize: Int = ZipArchive.defaultMaxEntrySize, maxRatio: Int = ZipArchive.defaultMaxRatio
    ) throws(Failure) {
        try self.init(storage: .bytes(bytes), maxEntrySize: maxEntrySize, maxRatio: maxRatio)
    }

    /// Reads the central directory of the file open as `fileDescriptor` (`size` bytes, read by
    /// offset; the descriptor must stay open while the archive is used and is not closed).
    public init(
        fileDescriptor: Int32, size: Int, maxEntrySize: Int = ZipArchive.defaultMaxEntrySize,
        maxRatio: Int = ZipArchive.defaultMaxRatio
    ) throws(Failure) {
        try self.init(storage: .file(fileDescriptor, size), maxEntrySize: maxEntrySize, maxRatio: maxRatio)
    }

    private init(storage: Storage, maxEntrySize: Int, maxRatio: Int) throws(Failure) {
        self.storage = storage
        self.maxEntrySize = maxEntrySize
        self.maxRatio = maxRatio
        let total0 = storage.count
        guard total0 >= 22 else { throw .notZip }
        let tailStart = max(0, total0 - 22 - 0xFFFF)
        let tail = try storage.read(tailStart, total0 - tailStart)
        guard let eocdInTail = Self.findEndRecord(tail) else { throw .notZip }
        let eocd = tailStart + eocdInTail
        if eocdInTail >= 20, Self.u32(tail, eocdInTail - 20) == 0x0706_4B50 { throw .zip64 }
        let diskEntries = Self.u16(tail, eocdInTail + 8), total = Self.u16(tail, eocdInTail + 10)
        let size = Int(Self.u32(tail, eocdInTail + 12)), offset = Int(Self.u32(tail, eocdInTail + 16))
        if total == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF { throw .zip64 }
        guard Self.u16(tail, eocdInTail + 4) == 0, diskEntries == total else { throw .corrupt("multi-disk archive") }
        guard offset + size <= eocd else { throw .corrupt("central directory outside the file") }
        // The directory and what may follow it up to the end record (names are bounded by the file).
        let directory = try storage.read(offset, eocd - offset)
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var p = 0
        for _ in 0..<total {
            guard p + 46 <= size, Self.u32(directory, p) == 0x0201_4B50 else {
                throw .corrupt("central directory entry signature")
            }
            let nameLength = Self.u16(directory, p + 28), extraLength = Self.u16(directory, p + 30)
            let commentLength = Self.u16(directory, p + 32)
            guard p + 46 + nameLength <= directory.count else { throw .corrupt("entry name outside the file") }
            let name = String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            let entry = Entry(
                name: name, method: Self.u16(directory, p + 10), flags: Self.u16(directory, p + 8),
                crc32: Self.u32(directory, p + 16), compressedSize: Int(Self.u32(directory, p + 20)),
                uncompressedSize: Int(Self.u32(directory, p + 24)),
                localHeaderOffset: Int(Self.u32(directory, p + 42)))
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
        let stream = try self.stream(entry, chunkSize: 1 << 16)
        var out: [UInt8] = []
        out.reserveCapacity(min(entry.uncompressedSize, 1 << 26))
        while let chunk = try stream.next() { out.append(contentsOf: chunk) }
        return out
    }

    /// Streams `entry`: its uncompressed bytes in chunks of up to `chunkSize`. The caps hold while
    /// it inflates; the CRC-32 and size are checked when the last chunk has been handed out (a
    /// mismatch then throws `.checksum` from the final `next()`).
    public func stream(_ entry: Entry, chunkSize: Int = 1 << 18) throws(Failure) -> EntryStream {
        if entry.isEncrypted { throw .encrypted(entry.name) }
        guard entry.method == 0 || entry.method == 8 else { throw .unsupportedMethod(entry.name, entry.method) }
        if entry.uncompressedSize > maxEntrySize { throw .tooLarge(entry.name) }
        if entry.uncompressedSize > 1 << 20, entry.uncompressedSize / max(entry.compressedSize, 1) > maxRatio {
            throw .tooLarge(entry.name)
        }
        let h = entry.localHeaderOffset
        guard h + 30 <= storage.count else { throw .corrupt("local header of \(entry.name)") }
        let header = try storage.read(h, 30)
        guard Self.u32(header, 0) == 0x0403_4B50 else { throw .corrupt("local header of \(entry.name)") }
        if Self.u16(header, 6) & 1 != 0 { throw .encrypted(entry.name) }
        let start = h + 30 + Self.u16(header, 26) + Self.u16(header, 28)
        guard start + entry.compressedSize <= storage.count else { throw .corrupt("data of \(entry.name)") }
        return EntryStream(
            entry: entry, storage: storage, start: start, chunkSize: chunkSize,
            // The directory's size is trusted only as a ceiling: a lying header still meets the caps.
            limit: min(entry.uncompressedSize, maxEntrySize), maxRatio: maxRatio)
    }

    /// An entry's bytes in chunks; see `ZipArchive.stream`.
    public final class EntryStream {
        public let entry: Entry
        private let storage: Storage
        private var position: Int
        private let end: Int
        private let chunkSize: Int
        private let limit: Int
        private let maxRatio: Int
        private var inflater: InflateStream?
        private var crc = CRC32()
        private var produced = 0
        private var finished = false

        fileprivate init(entry: Entry, storage: Storage, start: Int, chunkSize: Int, limit: Int, maxRatio: Int) {
            self.entry = entry
            self.storage = storage
            position = start
            end = start + entry.compressedSize
            self.chunkSize = chunkSize
            self.limit = limit
            self.maxRatio = maxRatio
            if entry.method == 8 {
                // The compressed bytes are read 1 MiB at a time, within the entry.
                var at = start
                let end = self.end
                inflater = InflateStream(limit: limit, chunkSize: chunkSize) { () throws(Inflate.Failure) -> ArraySlice<UInt8> in
                    let k = min(1 << 20, end - at)
                    guard k > 0 else { return [] }
                    guard let bytes = try? storage.read(at, k) else { throw .truncated }
                    at += k
                    return bytes[...]
                }
            }
        }

        /// The next chunk (valid until the next call), or nil after the last one.
        public func next() throws(Failure) -> UnsafeBufferPointer<UInt8>? {
            if finished { return nil }
            if let inflater {
                let chunk: UnsafeBufferPointer<UInt8>?
                do {
                    chunk = try inflater.next()
                } catch .tooLarge {
                    throw .tooLarge(entry.name)
                } catch {
                    throw .corrupt("deflate data of \(entry.name)")
                }
                let produced = inflater.produced
                if produced > 1 << 20, produced / max(inflater.consumed, 1) > maxRatio { throw .tooLarge(entry.name) }
                guard let chunk else { return try finish() }
                crc.update(chunk)
                self.produced = produced
                return chunk
            }
            let k = min(chunkSize, end - position)
            guard k > 0 else { return try finish() }
            let bytes = try storage.read(position, k)
            position += k
            produced += k
            crc.update(bytes)
            if storedChunk == nil { storedChunk = .allocate(capacity: chunkSize) }
            let out = storedChunk!
            bytes.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: k) }
            return UnsafeBufferPointer(start: out, count: k)
        }

        /// The chunk handed out for a stored entry.
        private var storedChunk: UnsafeMutablePointer<UInt8>?

        deinit { storedChunk?.deallocate() }

        private func finish() throws(Failure) -> UnsafeBufferPointer<UInt8>? {
            finished = true
            guard produced == entry.uncompressedSize, crc.value == entry.crc32 else { throw .checksum(entry.name) }
            return nil
        }
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

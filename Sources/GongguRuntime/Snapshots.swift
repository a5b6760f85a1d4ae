import Foundation
import GongguCore

/// Snapshots of a service's fold state, beside its log (`<log file>.snapshot-<seq>`), so that a start
/// replays only what follows the newest valid one (docs/RELIABILITY.md, "Snapshots of fold state").
///
/// A file is a header line (JSON: `format`, `service`, `logId`, `seq` and `headHash` of the log it
/// covers, the fold's `digest`), the state (the service's own form: JSON, binary for the verifier's and
/// risk monitor's folds, raw bytes for intake's record ids), a newline, and the trailer line
/// `xxh64 <16 hex>` over all that (`SnapshotChecksum`): the state is what lies between the header line
/// and the trailer, so a file is written as its state is encoded, never held whole (`writeStreaming`). A snapshot is used only if every check passes; any other is ignored with
/// a log line saying why, and the service replays from the start.
public enum Snapshots {
    /// The format this build writes and reads. 2: the state's length in the header (a state may be
    /// raw bytes), the XXH64 checksum, intake's record ids as raw bytes. 3: no length in the header (the
    /// state ends at the fixed-length trailer, so it can be streamed), the verifier's and risk monitor's
    /// folds in binary (`BinarySnapshotFold`).
    public static let format = 3

    /// The trailer: `xxh64 ` and 16 hex digits and a newline.
    static let trailerBytes = 23

    public struct Header: Equatable, Sendable {
        public var format: Int
        public var service: String
        public var logID: String
        public var seq: Int64
        public var headHash: String
        public var digest: String

        public init(format: Int = Snapshots.format, service: String, logID: String, seq: Int64, headHash: String, digest: String) {
            self.format = format
            self.service = service
            self.logID = logID
            self.seq = seq
            self.headHash = headHash
            self.digest = digest
        }
    }

    /// Why a snapshot was not used (Chinese for staff, English key for the logs).
    public enum Rejection: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case corrupt(String)
        case otherFormat(Int)
        case otherLog(String)
        case beyondLog(Int64)
        case staleHead
        case stateRefused(String)
        case digestDiffers

        public var key: String {
            switch self {
            case .unreadable: return "unreadable"
            case .corrupt: return "corrupt"
            case .otherFormat: return "other_format"
            case .otherLog: return "other_log"
            case .beyondLog: return "beyond_log"
            case .staleHead: return "stale_head"
            case .stateRefused: return "state_refused"
            case .digestDiffers: return "digest_differs"
            }
        }

        public var description: String {
            switch self {
            case let .unreadable(e): return "快照无法读取 / snapshot unreadable: \(e)"
            case let .corrupt(why): return "快照已损坏 / snapshot corrupt: \(why)"
            case let .otherFormat(f): return "快照格式 \(f) 不受支持 / snapshot format \(f), this build reads \(Snapshots.format)"
            case let .otherLog(id): return "快照属于另一个日志 / snapshot of another log (log_id \(id))"
            case let .beyondLog(seq): return "快照超出日志末尾 / snapshot covers seq \(seq), beyond the log's head"
            case .staleHead: return "快照的哈希与日志不符 / snapshot head hash does not match the log at its seq"
            case let .stateRefused(e): return "快照状态无法载入 / snapshot state refused: \(e)"
            case .digestDiffers: return "载入后摘要不符 / state digest after loading differs from the snapshot's"
            }
        }
    }

    /// The snapshot files of the log at `logPath`, newest (highest seq) first.
    public static func files(logPath: String) -> [(seq: Int64, path: String)] {
        let url = URL(fileURLWithPath: logPath)
        let dir = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".snapshot-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { name -> (seq: Int64, path: String)? in
            guard name.hasPrefix(prefix), let seq = Int64(name.dropFirst(prefix.count)) else { return nil }
            return (seq, "\(dir)/\(name)")
        }.sorted { $0.seq > $1.seq }
    }

    /// The file name of the snapshot at `seq` (zero-padded, so names sort by seq too).
    public static func path(logPath: String, seq: Int64) -> String {
        logPath + ".snapshot-" + String(format: "%012lld", seq)
    }

    /// The header line's JSON object (without its newline).
    static func headerObject(_ h: Header) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("format", h.format)
        w.field("service", h.service)
        w.field("logId", h.logID)
        w.field("seq", Int(h.seq))
        w.field("headHash", h.headHash)
        w.field("digest", h.digest)
        w.endObject()
        return w.bytes
    }

    public static func encode(_ h: Header, state: [UInt8]) -> [UInt8] {
        var body = headerObject(h)
        body.reserveCapacity(body.count + state.count + 32)
        body.append(0x0A)
        body += state
        body.append(0x0A)
        body += Array("xxh64 \(SnapshotChecksum.hex(body[...]))\n".utf8)
        return body
    }

    /// The header and state of the snapshot file at `path`: read once into one array, the state then
    /// moved to its front in place (a follower's state is hundreds of MB at province scale: no copy
    /// of it is made beside the file's bytes).
    public static func read(path: String) throws -> (header: Header, state: [UInt8]) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Rejection.unreadable("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Rejection.unreadable("cannot stat \(path): errno \(errno)") }
        let size = Int(st.st_size)
        var failed: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = Foundation.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    failed = n < 0 ? errno : 0
                    break
                }
                done += n
            }
            count = done
        }
        guard failed == 0 else { throw Rejection.unreadable("cannot read \(path): errno \(failed)") }
        let (header, range) = try check(bytes)
        bytes.removeSubrange(range.upperBound...)
        bytes.removeSubrange(..<range.lowerBound)
        return (header, bytes)
    }

    /// The header and state of a snapshot file's bytes (a copy of the state).
    public static func decode(_ bytes: [UInt8]) throws -> (header: Header, state: [UInt8]) {
        let (header, range) = try check(bytes)
        return (header, Array(bytes[range]))
    }

    /// The header of a snapshot file's bytes and where its state is in them: the header first (a file
    /// of another format is `other_format`, whatever its checksum), then the checksum over header and
    /// state.
    private static func check(_ bytes: [UInt8]) throws -> (header: Header, state: Range<Int>) {
        guard let first = bytes.firstIndex(of: 0x0A) else { throw Rejection.corrupt("truncated") }
        var h = Header(format: 0, service: "", logID: "", seq: -1, headHash: "", digest: "")
        do {
            try JSONReader.read(Array(bytes[..<first])) { r in
                try r.readObject { r, k in
                    switch k.string {
                    case "format": h.format = try r.readInt()
                    case "service": h.service = try r.readString()
                    case "logId": h.logID = try r.readString()
                    case "seq": h.seq = Int64(try r.readInt())
                    case "headHash": h.headHash = try r.readString()
                    case "digest": h.digest = try r.readString()
                    default: try r.skipValue()
                    }
                }
            }
        } catch {
            throw Rejection.corrupt("header: \(error)")
        }
        guard h.format == format else { throw Rejection.otherFormat(h.format) }
        // The state runs from after the header line to the newline before the trailer.
        let stateEnd = bytes.count - trailerBytes - 1
        guard stateEnd > first, bytes[stateEnd] == 0x0A else { throw Rejection.corrupt("truncated") }
        let trailer = String(decoding: bytes[(stateEnd + 1)...], as: UTF8.self)
        guard trailer == "xxh64 \(SnapshotChecksum.hex(bytes[...stateEnd]))\n" else {
            throw Rejection.corrupt("checksum does not match")
        }
        guard h.seq >= 0, !h.logID.isEmpty else { throw Rejection.corrupt("header incomplete") }
        return (h, (first + 1)..<stateEnd)
    }

    /// Writes a snapshot durably (temporary file, fsync, rename, fsync of the folder), mode 0600, and
    /// removes all but the newest `keep`.
    public static func write(_ bytes: [UInt8], logPath: String, seq: Int64, keep: Int) throws {
        try writeFile(logPath: logPath, seq: seq, keep: keep) { put in try bytes.withUnsafeBytes { try put($0) } }
    }

    /// Writes a snapshot as its state is encoded: the header line, then whatever `state` hands to the
    /// function it is given (in pieces of any size), then the newline and the checksum trailer, computed
    /// over the pieces as they pass (`SnapshotChecksum.Stream`). Durable as `write`.
    public static func writeStreaming(
        _ h: Header, logPath: String, keep: Int, state: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        var headerLine = headerObject(h)
        headerLine.append(0x0A)
        try writeFile(logPath: logPath, seq: h.seq, keep: keep) { nonEscaping in try withoutActuallyEscaping(nonEscaping) { put in
            var sum = SnapshotChecksum.Stream()
            func hashed(_ piece: UnsafeRawBufferPointer) throws {
                sum.update(piece)
                try put(piece)
            }
            try headerLine.withUnsafeBytes { try hashed($0) }
            try state(hashed)
            try [UInt8(0x0A)].withUnsafeBytes { try hashed($0) }
            try Array("xxh64 \(sum.hex())\n".utf8).withUnsafeBytes { try put($0) }
        } }
    }

    /// The temporary file filled by `body`, synced and renamed to the snapshot's name; older ones beyond
    /// `keep` removed.
    private static func writeFile(
        logPath: String, seq: Int64, keep: Int, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let final = path(logPath: logPath, seq: seq)
        let temporary = final + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Rejection.unreadable("cannot create \(temporary): errno \(errno)") }
        func put(_ piece: UnsafeRawBufferPointer) throws {
            guard piece.count > 0 else { return }
            var written = 0
            while written < piece.count {
                let n = Foundation.write(fd, piece.baseAddress! + written, piece.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Rejection.unreadable("cannot write \(temporary): errno \(errno)") }
                written += n
            }
        }
        do {
            try body(put)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, final) == 0 else {
            unlink(temporary)
            throw Rejection.unreadable("cannot rename \(temporary): errno \(errno)")
        }
        let dir = open(URL(fileURLWithPath: final).deletingLastPathComponent().path, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
        for old in files(logPath: logPath).dropFirst(max(1, keep)) { unlink(old.path) }
    }
}

import Foundation
import GongguCore
import GongguTransport

/// The client side of intake's file import (docs/INTAKE.md): streams one file in 1 MiB chunks to
/// intake's control endpoint (`IMPORT_BEGIN`, `IMPORT_CHUNK`…, `IMPORT_END`) and returns intake's
/// summary. Used by `gonggu import`, `gonggu demo` and the pipeline benchmark.
public enum ImportClient {
    public static let chunkSize = 1 << 20

    /// What intake replied at the end of an import: read = accepted + duplicate + rejected.
    public struct Result: Sendable {
        public var read = 0, accepted = 0, duplicate = 0, rejected = 0
        /// Set when intake refused the file as a whole (bad encoding, unknown header…).
        public var fileError: String?

        public init(read: Int = 0, accepted: Int = 0, duplicate: Int = 0, rejected: Int = 0, fileError: String? = nil) {
            self.read = read
            self.accepted = accepted
            self.duplicate = duplicate
            self.rejected = rejected
            self.fileError = fileError
        }
    }

    /// Why an import could not be completed; `exitCode` follows sysexits (66 no input, 64 refused).
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public let exitCode: Int32
        public var description: String { message }
    }

    /// Streams `path` to intake at `endpoint`. `progress` is called after each chunk with the bytes
    /// sent so far and intake's running counts.
    public static func send(
        path: String, kind: String, encoding: String = "auto", format: String? = nil, endpoint: String,
        progress: ((_ sentBytes: Int, _ counts: JSONValue) -> Void)? = nil
    ) throws -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(message: "无法读取文件 \(path) / cannot read \(path)", exitCode: 66)
        }
        defer { try? handle.close() }
        let client = CommandClient(stream: "intake", endpoint: endpoint, timeoutMs: 600_000)
        defer { client.close() }
        var begin = JSONWriter()
        begin.beginObject()
        begin.field("kind", kind)
        begin.field("file", (path as NSString).lastPathComponent)
        begin.field("encoding", encoding)
        begin.field("format", format)
        begin.endObject()
        let started = try client.call("IMPORT_BEGIN", body: begin.bytes)
        guard started.status == "OK", let session = try JSONValue.parse(started.body)["session"]?.stringValue else {
            throw Failure(message: describeError(started.body), exitCode: 64)
        }
        var sessionBody = JSONWriter()
        sessionBody.beginObject()
        sessionBody.field("session", session)
        sessionBody.endObject()
        var sent = 0
        while true {
            let data = handle.readData(ofLength: chunkSize)
            if data.isEmpty { break }
            let reply = try client.call("IMPORT_CHUNK", body: sessionBody.bytes, extra: [[UInt8](data)])
            sent += data.count
            if reply.status == "FAILED" { break }
            if reply.status != "OK" { throw Failure(message: describeError(reply.body), exitCode: 1) }
            if let progress, let counts = try? JSONValue.parse(reply.body) { progress(sent, counts) }
        }
        let end = try client.call("IMPORT_END", body: sessionBody.bytes)
        guard end.status == "DONE" else { throw Failure(message: describeError(end.body), exitCode: 1) }
        let s = try JSONValue.parse(end.body)
        if let failure = s["failure"]?.stringValue { throw Failure(message: "import failed: \(failure)", exitCode: 1) }
        return Result(
            read: s["read"]?.intValue ?? 0, accepted: s["accepted"]?.intValue ?? 0,
            duplicate: s["duplicate"]?.intValue ?? 0, rejected: s["rejected"]?.intValue ?? 0,
            fileError: s["fileError"]?.stringValue)
    }

    /// The `message` of an error reply, or the reply itself.
    public static func describeError(_ body: [UInt8]) -> String {
        guard let v = try? JSONValue.parse(body), let message = v["message"]?.stringValue else {
            return String(decoding: body, as: UTF8.self)
        }
        return message
    }
}

import Foundation
import GongguCore
import GongguTransport

/// `gonggu import FILE --kind KIND [--encoding auto|utf8|gb18030] [--format csv|jsonLines]
/// [--control ENDPOINT] [--allow-rejects]`: streams a file to the running intake service and prints
/// the summary (read = accepted + duplicate + rejected). Exits 2 when records were rejected (unless
/// `--allow-rejects`), 65 (EX_DATAERR) when the whole file was refused.
enum ImportCommand {
    static let chunkSize = 1 << 20

    /// What intake replied at the end of an import.
    struct Result {
        var read = 0, accepted = 0, duplicate = 0, rejected = 0
        var fileError: String?
    }

    static func run(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, switches: ["allow-rejects", "quiet"])
        let path = try a.positional(0, "FILE")
        guard let kind = a.option("kind") else { throw UsageError("missing --kind (survey, member, household, …)") }
        let endpoint = a.option("control") ?? ProcessInfo.processInfo.environment["GONGGU_INTAKE_CONTROL"]
            ?? "tcp://127.0.0.1:7102"
        let r = try send(
            path: path, kind: kind, encoding: a.option("encoding", default: "auto"), format: a.option("format"),
            endpoint: endpoint, progress: isatty(STDERR_FILENO) != 0 && !a.flag("quiet"))
        print("导入 \(path)：读取 \(r.read) 条，接收 \(r.accepted) 条，重复 \(r.duplicate) 条，退回 \(r.rejected) 条")
        print("imported \(path): read \(r.read), accepted \(r.accepted), duplicate \(r.duplicate), rejected \(r.rejected)")
        if let fileError = r.fileError {
            print("文件未能完整导入：\(fileError)")
            return 65
        }
        if r.rejected > 0 {
            print("有 \(r.rejected) 条记录被退回，原因见：gonggu rejects --file \((path as NSString).lastPathComponent)")
            return a.flag("allow-rejects") ? 0 : 2
        }
        return 0
    }

    /// Streams one file to intake's control endpoint and returns intake's summary.
    static func send(
        path: String, kind: String, encoding: String, format: String?, endpoint: String, progress showProgress: Bool
    ) throws -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure("无法读取文件 \(path) / cannot read \(path)", code: 66)
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
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
            throw CommandFailure(describeError(started.body), code: 64)
        }
        var sessionBody = JSONWriter()
        sessionBody.beginObject()
        sessionBody.field("session", session)
        sessionBody.endObject()
        let progress = ProgressBar(total: total, enabled: showProgress)
        var sent = 0
        while true {
            let data = handle.readData(ofLength: chunkSize)
            if data.isEmpty { break }
            let reply = try client.call("IMPORT_CHUNK", body: sessionBody.bytes, extra: [[UInt8](data)])
            sent += data.count
            if reply.status == "FAILED" { break }
            if reply.status != "OK" { throw CommandFailure(describeError(reply.body)) }
            if let counts = try? JSONValue.parse(reply.body) { progress.update(sent: sent, counts: counts) }
        }
        let end = try client.call("IMPORT_END", body: sessionBody.bytes)
        progress.finish()
        guard end.status == "DONE" else { throw CommandFailure(describeError(end.body)) }
        let s = try JSONValue.parse(end.body)
        if let failure = s["failure"]?.stringValue { throw CommandFailure("import failed: \(failure)") }
        return Result(
            read: s["read"]?.intValue ?? 0, accepted: s["accepted"]?.intValue ?? 0,
            duplicate: s["duplicate"]?.intValue ?? 0, rejected: s["rejected"]?.intValue ?? 0,
            fileError: s["fileError"]?.stringValue)
    }

    static func describeError(_ body: [UInt8]) -> String {
        guard let v = try? JSONValue.parse(body), let message = v["message"]?.stringValue else {
            return String(decoding: body, as: UTF8.self)
        }
        return message
    }
}

/// A one-line progress bar on stderr (only on a terminal).
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private var last = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(sent: Int, counts: JSONValue) {
        guard enabled, Date().timeIntervalSince(last) > 0.1 else { return }
        last = Date()
        let fraction = total > 0 ? Double(sent) / Double(total) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(
            format: "\r%@ %3.0f%%  已读 %d  接收 %d  重复 %d  退回 %d", bar, fraction * 100, counts["read"]?.intValue ?? 0,
            counts["accepted"]?.intValue ?? 0, counts["duplicate"]?.intValue ?? 0, counts["rejected"]?.intValue ?? 0)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

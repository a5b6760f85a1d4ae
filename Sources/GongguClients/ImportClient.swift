import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguTransport

/// The client side of intake's file import (docs/INTAKE.md): streams one file in 1 MiB chunks to
/// intake's control endpoint (`IMPORT_BEGIN`, `IMPORT_CHUNK`…, `IMPORT_END`) and returns intake's
/// summary. Used by `gonggu import`, `gonggu demo` and the pipeline benchmark.
///
/// Intake commits an import in ordered batches and reports, with every chunk, the counts and the last
/// file line committed so far (`throughLine`): everything up to it is stored. When intake does not
/// answer `IMPORT_BEGIN` within `connectTimeoutMs`, or the connection drops later (intake stopped or
/// died), the import fails at once with a Chinese message naming the endpoint and what is known to be
/// stored. Importing the file again is always safe: stored records come back as duplicates.
public enum ImportClient {
    public static let chunkSize = 1 << 20
    /// How long `IMPORT_BEGIN` may take before intake counts as unreachable.
    public static let defaultConnectTimeoutMs: Int32 = 3000
    /// How long a later reply may take while the connection holds (the last batches of a large file
    /// commit during `IMPORT_END`); a dropped connection ends the wait at once.
    static let replyTimeoutMs: Int32 = 600_000

    /// What intake replied at the end of an import: read = accepted + duplicate + rejected.
    public struct Result: Sendable {
        public var read = 0, accepted = 0, duplicate = 0, rejected = 0
        /// Set when intake refused the file as a whole (bad encoding, unknown header…).
        public var fileError: String?
    }

    /// Why an import could not be completed; `exitCode` follows sysexits (66 no input, 64 refused,
    /// 69 intake unreachable or lost during the import).
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public let exitCode: Int32
        public var description: String { message }
    }

    /// What intake confirmed as committed so far (the running counts of its chunk replies).
    struct Progress {
        var read = 0, accepted = 0, duplicate = 0, rejected = 0
        /// The last file line whose record is committed (0: none yet).
        var throughLine = 0

        init(_ counts: JSONValue?) {
            guard let counts else { return }
            read = counts["read"]?.intValue ?? 0
            accepted = counts["accepted"]?.intValue ?? 0
            duplicate = counts["duplicate"]?.intValue ?? 0
            rejected = counts["rejected"]?.intValue ?? 0
            throughLine = counts["throughLine"]?.intValue ?? 0
        }

        init() {}
    }

    /// Streams `path` to intake at `endpoint`. `progress` is called after each chunk with the bytes
    /// sent so far and intake's running counts.
    public static func send(
        path: String, kind: String, encoding: TextEncoding = .auto, format: RecordFormat? = nil, sheet: String? = nil,
        endpoint: String, connectTimeoutMs: Int32 = defaultConnectTimeoutMs,
        progress: ((_ sentBytes: Int, _ counts: JSONValue) -> Void)? = nil
    ) throws -> Result {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(message: "「\(path)」是一个文件夹，不是文件。请指定要导入的 CSV 或 JSON Lines 文件。", exitCode: 66)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(message: "无法读取文件 \(path) / cannot read \(path)", exitCode: 66)
        }
        defer { try? handle.close() }
        // A workbook named like a CSV (or not named at all) is known by its first bytes.
        var format = format
        if format == nil, RecordFormat.guess(fileName: path) != .xlsx,
            let head = try? handle.read(upToCount: 4), RecordFormat.sniff([UInt8](head)) == .xlsx
        {
            format = .xlsx
        }
        try? handle.seek(toOffset: 0)
        let client = CommandClient(
            stream: Service.intake.rawValue, endpoint: endpoint, timeoutMs: replyTimeoutMs, watchesConnection: true)
        defer { client.close() }
        var begin = JSONWriter()
        begin.beginObject()
        begin.field("kind", kind)
        begin.field("file", (path as NSString).lastPathComponent)
        begin.field("encoding", encoding.rawValue)
        begin.field("format", format?.rawValue)
        begin.field("sheet", sheet)
        begin.endObject()
        let started: (status: String, body: [UInt8], extra: [[UInt8]])
        do {
            started = try client.call("IMPORT_BEGIN", body: begin.bytes, timeoutMs: connectTimeoutMs)
        } catch {
            throw unreachable(endpoint, connectTimeoutMs: connectTimeoutMs, error: error)
        }
        guard started.status == "OK", let session = try JSONValue.parse(started.body)["session"]?.stringValue else {
            throw Failure(message: describeError(started.body), exitCode: 64)
        }
        var sessionBody = JSONWriter()
        sessionBody.beginObject()
        sessionBody.field("session", session)
        sessionBody.endObject()
        var sent = 0
        var confirmed = Progress()
        // Once the session started, any failure to hear back may leave part of the file stored.
        func interrupted(_ error: Error) -> Failure {
            Failure(message: interruption(endpoint, confirmed: confirmed, error: error), exitCode: 69)
        }
        while true {
            let data: Data
            do {
                data = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw Failure(
                    message: "读取文件 \(path) 时出错（\(error.localizedDescription)）。" + stored(confirmed)
                        + "intake 上的这次导入未结束；修复文件后重新导入整个文件是安全的：已保存的记录会被识别为重复。",
                    exitCode: 66)
            }
            if data.isEmpty { break }
            let reply: (status: String, body: [UInt8], extra: [[UInt8]])
            do {
                reply = try client.call("IMPORT_CHUNK", body: sessionBody.bytes, extra: [[UInt8](data)])
            } catch {
                throw interrupted(error)
            }
            sent += data.count
            if reply.status == "FAILED" { break }
            if reply.status != "OK" { throw Failure(message: describeError(reply.body), exitCode: 1) }
            let counts = try? JSONValue.parse(reply.body)
            confirmed = Progress(counts)
            if let progress, let counts { progress(sent, counts) }
        }
        // Ask for the end in short waits: each PENDING reply says what is committed so far.
        var endBody = JSONWriter()
        endBody.beginObject()
        endBody.field("session", session)
        endBody.field("waitMs", 500)
        endBody.endObject()
        var end: (status: String, body: [UInt8], extra: [[UInt8]])
        repeat {
            do {
                end = try client.call("IMPORT_END", body: endBody.bytes)
            } catch {
                throw interrupted(error)
            }
            if end.status == "PENDING", let counts = try? JSONValue.parse(end.body) {
                confirmed = Progress(counts)
                progress?(sent, counts)
            }
        } while end.status == "PENDING"
        guard end.status == "DONE" else { throw Failure(message: describeError(end.body), exitCode: 1) }
        let s = try JSONValue.parse(end.body)
        if let failure = s["failure"]?.stringValue {
            throw Failure(
                message: "导入失败（intake：\(failure)）。" + stored(Progress(s)) + "排除故障后重新导入整个文件是安全的："
                    + "已保存的记录会被识别为重复，不会重复保存。 / import failed: \(failure)",
                exitCode: 1)
        }
        return Result(
            read: s["read"]?.intValue ?? 0, accepted: s["accepted"]?.intValue ?? 0,
            duplicate: s["duplicate"]?.intValue ?? 0, rejected: s["rejected"]?.intValue ?? 0,
            fileError: s["fileError"]?.stringValue)
    }

    /// Intake did not take the import: nothing of the file was sent, so nothing is stored.
    static func unreachable(_ endpoint: String, connectTimeoutMs: Int32, error: Error) -> Failure {
        let why: String
        if error is CommandPeerLost {
            why = "连接被断开"
        } else if let e = error as? ZMQError, e.isAgain {
            why = "\(seconds(connectTimeoutMs))秒内没有应答"
        } else {
            why = "通信出错（\(error)）"
        }
        return Failure(
            message: "无法连接 intake 服务（\(endpoint)）：\(why)。请确认 intake 正在运行（gonggu status），"
                + "并核对 --control 或 GONGGU_INTAKE_CONTROL 的地址。没有记录被保存。"
                + " / intake at \(endpoint) is unreachable; nothing was stored",
            exitCode: 69)
    }

    /// Intake stopped answering during the import: what it confirmed is stored, the rest is unknown.
    static func interruption(_ endpoint: String, confirmed: Progress, error: Error) -> String {
        let how = error is CommandPeerLost ? "在导入过程中断开了连接（服务停止或崩溃）" : "在导入过程中断开了应答（通信出错或超时）"
        return "导入中断：intake 服务（\(endpoint)）\(how)。" + stored(confirmed)
            + "之后的记录可能已保存，也可能没有。重新导入整个文件是安全的：已保存的记录会被识别为重复，不会重复保存。"
            + " / import interrupted: intake at \(endpoint) was lost; records through line \(confirmed.throughLine)"
            + " are stored, later ones may or may not be; importing the whole file again is safe"
    }

    /// "What is stored for certain", in Chinese.
    static func stored(_ p: Progress) -> String {
        guard p.throughLine > 0 else { return "已确认保存：无（intake 尚未确认任何一批记录）；" }
        return "已确认保存：文件第\(p.throughLine)行及之前的全部记录（读取 \(p.read) 条：接收 \(p.accepted) 条，"
            + "重复 \(p.duplicate) 条，退回 \(p.rejected) 条，退回原因已记录）；"
    }

    static func seconds(_ ms: Int32) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)" : String(format: "%.1f", Double(ms) / 1000)
    }

    /// The `message` of an error reply, or the reply itself.
    public static func describeError(_ body: [UInt8]) -> String {
        guard let v = try? JSONValue.parse(body), let message = v["message"]?.stringValue else {
            return String(decoding: body, as: UTF8.self)
        }
        return message
    }
}

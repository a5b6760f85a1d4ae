import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguIntake
import GongguRuntime
import GongguServices

/// `gonggu import FILE --kind KIND [--encoding auto|utf8|gb18030] [--format csv|jsonLines|xlsx] [--sheet NAME|N]
/// [--control ENDPOINT] [--connect-timeout SECONDS] [--allow-rejects] [--quiet]`: streams a file to
/// the running intake service and prints the summary (read = accepted + duplicate + rejected). A
/// workbook (`.xlsx`, or a file starting with a ZIP header) is parsed by intake; `--sheet` picks its
/// sheet by name or 1-based number (default: the first).
/// Exits 2 when records were rejected (unless `--allow-rejects`); 65 (EX_DATAERR) when the file could
/// not be read to its end (the records before the damage are stored and counted); 64 for an unknown
/// option or option value; 66 when FILE is no readable file; 69 (EX_UNAVAILABLE) when intake does not
/// answer within the connect timeout (default 3 s; nothing stored) or is lost during the import (the
/// message says which lines are stored for certain; importing again is safe).
enum ImportCommand {
    static let options: Set<String> = [
        "kind", "encoding", "format", "sheet", "control", "connect-timeout", "allow-rejects", "quiet",
    ]

    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["allow-rejects", "quiet"])
        try a.onlyOptions(options)
        let path = try a.positional(0, "FILE")
        guard let kind = a.option("kind") else { throw UsageError("missing --kind (survey, member, household, …)") }
        let encoding = try a.choice("encoding", default: TextEncoding.auto)
        let format: RecordFormat? = try a.choice("format")
        let timeout = try a.seconds("connect-timeout", default: Double(ImportClient.defaultConnectTimeoutMs) / 1000)
        let endpoint = a.option("control") ?? ProcessInfo.processInfo.environment["GONGGU_INTAKE_CONTROL"]
            ?? RuntimeDirectory.control(Service.intake.rawValue)
        try ServiceEndpoints.useOperatorKey(service: Service.intake.rawValue, endpoint: endpoint)
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let bar = ProgressBar(total: total, enabled: isatty(STDERR_FILENO) != 0 && !a.flag("quiet"))
        let r: ImportClient.Result
        do {
            r = try ImportClient.send(
                path: path, kind: kind, encoding: encoding, format: format, sheet: a.option("sheet"),
                endpoint: endpoint,
                connectTimeoutMs: Int32(timeout * 1000), progress: bar.update)
            bar.finish()
        } catch let failure as ImportClient.Failure {
            bar.finish()
            throw CommandFailure(failure.message, code: failure.exitCode)
        }
        print("导入 \(path)：读取 \(r.read) 条，接收 \(r.accepted) 条，重复 \(r.duplicate) 条，退回 \(r.rejected) 条")
        print("imported \(path): read \(r.read), accepted \(r.accepted), duplicate \(r.duplicate), rejected \(r.rejected)")
        if let fileError = r.fileError {
            print("文件未能完整导入：\(fileError)")
            return .dataError
        }
        if r.rejected > 0 {
            print("有 \(r.rejected) 条记录被退回，原因见：gonggu rejects --file \((path as NSString).lastPathComponent)")
            return a.flag("allow-rejects") ? .success : .recordsRejected
        }
        return .success
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

    /// A replay's progress: `done` of `total` units.
    func update(done: Int, total: Int, label: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.1 else { return }
        last = Date()
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %3.0f%%  %@ %d / %d", bar, fraction * 100, label, done, total)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

import Foundation
import GongguRuntime
import GongguCore
import GongguEvents
import GongguNotify
import GongguTransport

/// `gonggu rejects [--since YYYY-MM-DD] [--file NAME] [--format table|csv [--unmasked]] [--control EP]`:
/// the records intake refused, with file, line, field and the reason in Chinese, so staff can fix and
/// resubmit. Read from intake's log through its replay endpoint (type `RecordRejected`). Resident ID
/// numbers are masked in the table and in the CSV; `--unmasked` prints them whole in the CSV (for the
/// office that sent the file), and is recorded in the audit log first (`UnmaskedExportRecord`).
enum RejectsCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["unmasked"])
        let endpoint = a.option("control") ?? ProcessInfo.processInfo.environment["GONGGU_INTAKE_CONTROL"]
            ?? RuntimeDirectory.control(Service.intake.rawValue)
        try ServiceEndpoints.useOperatorKey(service: Service.intake.rawValue, endpoint: endpoint)
        var sinceDay: Int?
        if let since = a.option("since") {
            guard let d = BusinessCalendar.dayNumber(since) else { throw UsageError("--since needs YYYY-MM-DD") }
            sinceDay = d
        }
        let fileFilter = a.option("file")
        let format = a.option("format", default: "table")
        guard ["table", "csv"].contains(format) else { throw UsageError("--format is table or csv") }
        let unmasked = a.flag("unmasked")
        guard !unmasked || format == "csv" else { throw UsageError("--unmasked goes with --format csv") }
        let output = PersonalDataOutput(unmasked: unmasked)
        let client = CommandClient(stream: Service.intake.rawValue, endpoint: endpoint, timeoutMs: 30_000)
        defer { client.close() }
        var rows: [(Event, RecordRejected)] = []
        var after: Int64 = 0
        while true {
            let batch = try client.read(ReplayRequest(after: after, limit: ReplayRequest.maxLimit, typePrefix: RecordRejected.eventType))
            for e in batch.events where e.type == RecordRejected.eventType {
                guard let r = try? e.decode(RecordRejected.self) else { continue }
                if let sinceDay, BusinessCalendar.day(of: e.recordedAt) < sinceDay { continue }
                if let fileFilter, r.file != fileFilter { continue }
                rows.append((e, r))
            }
            if batch.scannedTo <= after || batch.scannedTo >= batch.latest { break }
            after = batch.scannedTo
        }
        if format == "csv" {
            if unmasked {
                try UnmaskedExportRecord(command: "rejects", arguments: args, rows: rows.count).record()
            }
            var out = "\u{FEFF}接收时间,记录类型,文件,行号,字段,原因代码,原因,原始记录\r\n"
            for (e, r) in rows {
                out += [time(e.recordedAt), r.kind, r.file, "\(r.line)", r.field, r.code, r.reason, r.raw]
                    .map { Outbox.csvField(output.cell($0)) }
                    .joined(separator: ",") + "\r\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        } else {
            for (e, r) in rows {
                print("\(time(e.recordedAt))  \(r.file) 第\(r.line)行  [\(r.kind)] \(r.field)  \(r.code)")
                print("    \(PersonalDataMask.maskText(r.reason))")
                print("    原始记录: \(PersonalDataMask.maskText(r.raw))")
            }
            print("共 \(rows.count) 条退回记录 / \(rows.count) rejected records")
        }
        return .success
    }

    static func time(_ t: Timestamp) -> String {
        let day = BusinessCalendar.day(of: t)
        let ms = (t + BusinessCalendar.offsetMillis) % BusinessCalendar.dayMillis
        return BusinessCalendar.dateText(ofDay: day) + String(format: " %02d:%02d", ms / 3_600_000, ms / 60_000 % 60)
    }
}

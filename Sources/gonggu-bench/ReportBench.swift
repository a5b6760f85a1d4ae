import Foundation
import GongguRuntime
import GongguCore
import GongguEvents
import GongguNotify
import GongguRisk
import GongguStore

/// `gonggu-bench report --persons N [--dir DIR] [--keep] [--gonggu PATH] [--runs R]`: the yearly report
/// (`gonggu report`) over a province of N persons, timed as a separate process.
///
/// The fixture (not timed) is the investigation bench's: the synthetic province of the fold benchmarks
/// as an intake log, with the verifier and risk folds run over it into their logs
/// (`runInvestigationBenchmarks`, whose query rows are printed too). The report also needs the
/// notifier's log (bureau feedback and response times): the notify fold is run over the risk and
/// verifier logs, as the service does, and half of the bureau notifications are acknowledged 0–9 days
/// later. A folder holding a complete fixture for the same N (marker `fixture.done`) is reused, so the
/// report can be re-timed after each change; `--keep` keeps the folder (otherwise removed at the end).
///
/// Each run spawns `gonggu report --year 2025 --logs DIR --out DIR/report` and reads the child's wall
/// time, its CPU time and peak RSS from `wait4`'s rusage (what `/usr/bin/time` reports), and the
/// report's own phase line from its output.
enum ReportBench {
    struct Options {
        var persons = 1_000_000
        var directory = ""
        var keep = false
        /// The `gonggu` executable to time (default: the one next to this bench).
        var gonggu = ""
        var runs = 1
    }

    /// The `report` suite of `gonggu-bench`: parses its options, runs, prints the table.
    static func main(_ a: CommandArguments) throws {
        var o = Options()
        o.persons = option("persons", o.persons)
        o.runs = option("runs", o.runs)
        o.gonggu = a.option("gonggu") ?? ""
        o.keep = a.flag("keep")
        o.directory = a.option("dir") ?? benchDirectory()
        try FileManager.default.createDirectory(atPath: o.directory, withIntermediateDirectories: true)
        defer { if !o.keep { try? FileManager.default.removeItem(atPath: o.directory) } }
        print("gonggu-bench report: \(o.persons) persons, \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + "in \(o.directory) (usage: gonggu-bench report [--persons N] [--dir DIR] [--keep] [--gonggu PATH] "
            + "[--runs R])")
        printTable("report", try run(o))
    }

    static func run(_ o: Options) throws -> [BenchRow] {
        var rows: [BenchRow] = []
        let marker = "\(o.directory)/fixture.done"
        let stamp = "persons=\(o.persons)\n"
        if (try? String(contentsOfFile: marker, encoding: .utf8)) == stamp {
            print("reusing the fixture in \(o.directory)")
        } else {
            try? FileManager.default.removeItem(atPath: marker)
            let began = Date()
            rows += try runInvestigationBenchmarks(persons: o.persons, directory: o.directory)
            let notified = try writeNotifyLog(directory: o.directory)
            rows.append(BenchRow(
                name: "notify log written", value: Double(notified), unit: "events",
                note: "NotifyFold over the risk and verifier logs (sample directory), half of the bureau "
                    + "notifications acknowledged"))
            rows.append(BenchRow(
                name: "fixture written", value: Date().timeIntervalSince(began), unit: "s",
                note: "not part of the report"))
            try stamp.write(toFile: marker, atomically: true, encoding: .utf8)
        }
        let gonggu = o.gonggu.isEmpty
            ? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("gonggu").path
            : o.gonggu
        for r in 1...max(1, o.runs) {
            rows += try timeReport(gonggu: gonggu, directory: o.directory, run: r)
        }
        return rows
    }

    // MARK: Notifier log

    /// Runs the notify fold over the risk and verifier logs into `notify.log.sqlite`; returns its
    /// event count.
    static func writeNotifyLog(directory: String) throws -> Int64 {
        let path = "\(directory)/notify.log.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let log = try EventLog(path: path, stream: Service.notify.rawValue, synchronous: .off)
        var fold = NotifyFold()
        let directoryDocument = try RecipientDirectory(text: RecipientDirectory.sampleDocument)
        let activation = Event(
            DirectoryActivated(directoryDocument), id: EventID.derived("report-bench|directory"), subject: "directory",
            region: "", occurredAt: FoldBenchStream.at("2025-01-01"))
        _ = fold.apply(activation)
        var recordedAt = Timestamp(Date().timeIntervalSince1970 * 1000)
        try log.append([activation], recordedAt: recordedAt)
        var pending: [Event] = []
        var acknowledged = 0
        func flush() throws {
            guard !pending.isEmpty else { return }
            recordedAt += 1000
            try log.append(pending, recordedAt: recordedAt)
            pending.removeAll(keepingCapacity: true)
        }
        for stream in [Service.risk, .verify].map(\.rawValue) {
            let upstream = try EventLog(path: "\(directory)/\(stream).log.sqlite", stream: stream, readOnly: true)
            try upstream.forEach { e in
                guard NotifyFold.upstreamTypes.contains(e.type) else { return }
                for out in fold.apply(e) {
                    pending.append(out)
                    guard out.type == NotificationCreated.eventType,
                        let n = try? out.decode(NotificationCreated.self), n.sourceType == RiskFeedback.eventType
                    else { continue }
                    acknowledged += 1
                    guard acknowledged % 2 == 0 else { continue }
                    // A bureau acknowledges 0–9 days after the notification (response-time classes).
                    let ack = Event(
                        NotificationAcknowledged(notificationID: n.notificationID, recipient: n.recipient),
                        id: EventID.derived("report-bench|ack|\(n.notificationID)"), subject: n.recipient,
                        region: n.region, occurredAt: out.occurredAt + Int64(acknowledged % 10) * 86_400_000)
                    _ = fold.apply(ack)
                    pending.append(ack)
                }
                if pending.count >= 20_000 { try flush() }
            }
        }
        try flush()
        return try log.lastSeq
    }

    // MARK: Timing the report process

    static func timeReport(gonggu: String, directory: String, run: Int) throws -> [BenchRow] {
        let out = "\(directory)/report"
        try? FileManager.default.removeItem(atPath: out)
        let stdoutPath = "\(directory)/report-stdout.txt"
        let argv = [gonggu, "report", "--year", "2025", "--logs", directory, "--out", out]
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let began = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawn(&pid, gonggu, &actions, nil, cArgs, environ)
        guard rc == 0 else { throw StoreBenchError("cannot start \(gonggu): error \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let wall = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw StoreBenchError("gonggu report failed (status \(status)):\n\(text)") }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let user = seconds(usage.ru_utime), system = seconds(usage.ru_stime)
        let phases = text.split(separator: "\n").first { $0.hasPrefix("用时 elapsed") }.map(String.init) ?? ""
        let files = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        var bytes = 0
        for f in files {
            bytes += ((try? FileManager.default.attributesOfItem(atPath: "\(out)/\(f)"))?[.size] as? Int) ?? 0
        }
        let label = "gonggu report, run \(run)"
        return [
            BenchRow(
                name: "\(label): wall", value: wall, unit: "s", note: "goal ≤ 60 s at 1,000,000 persons; \(phases)"),
            BenchRow(
                name: "\(label): CPU", value: user + system, unit: "s",
                note: String(format: "user %.1f + system %.1f; %.0f %% of one core", user, system,
                             (user + system) / wall * 100)),
            BenchRow(
                name: "\(label): peak RSS", value: Double(usage.ru_maxrss) / 1024, unit: "MiB",
                note: "ru_maxrss of the child (wait4)"),
            BenchRow(
                name: "\(label): output", value: Double(bytes) / 1_048_576, unit: "MiB",
                note: "\(files.count) files in \(out)"),
        ]
    }
}

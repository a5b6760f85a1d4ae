import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguHarness
import GongguIntake
import GongguNotify
import GongguRooms
import GongguRuntime
import GongguServices
import GongguSimulation
import GongguStore
import GongguVerify

/// `gonggu demo [--households N] [--seed S] [--dir PATH] [--format csv|xlsx] [--keep-running] [--tcp]`
/// (`--format xlsx`: the offices send Excel workbooks instead of CSV files): the main job on
/// the embedded default. Generates a synthetic province, starts the four services as separate
/// processes with their own logs, connects a county bureau recipient, imports every file, waits until
/// the pipeline is idle (all cursors caught up, no sleeps), takes the assessment-date tick, and prints
/// a Chinese/English summary with **found vs seeded**. Exit 0 when found equals seeded exactly.
enum DemoCommand {
    /// The bureau the demo connects as a live recipient: 榆树市 (长春).
    static let demoCounty = "220182"

    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["keep-running", "tcp"])
        let households = try a.int("households", default: 20_000)
        guard let seed = UInt64(a.option("seed", default: "2025")) else { throw UsageError("--seed needs a whole number") }
        let dir = a.option("dir") ?? FileManager.default.currentDirectoryPath + "/gonggu-demo"
        let format = try a.choice("format", default: SimulatedFormat.csv)
        let started = Date()
        func step(_ text: String) {
            print(String(format: "[%6.1fs] ", Date().timeIntervalSince(started)) + text)
        }
        if FileManager.default.fileExists(atPath: dir) { try FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        step("生成模拟省份 / generating a synthetic Jilin province: \(households) households, seed \(seed)"
            + (format == .xlsx ? ", Excel workbooks" : ""))
        let province = dir + "/province"
        _ = try Simulator(households: households, seed: seed).write(to: province, format: format)

        let launcher = PipelineLauncher(directory: dir + "/deploy", recipients: recipients(), useTCP: a.flag("tcp"))
        try launcher.prepare()
        step("启动四个服务 / starting intake, verify, risk, notify as separate processes")
        try launcher.startAll()
        printOperatorSettings(launcher)
        var stopped = false
        let stopEverything = { (bureau: Process?) in
            if stopped { return }
            stopped = true
            if let bureau, bureau.isRunning {
                kill(bureau.processIdentifier, SIGTERM)
                bureau.waitUntilExit()
            }
            launcher.stopAll()
        }

        step("连接县乡村振兴局接收端 / connecting the \(demoCounty) bureau (gonggu recipient, CURVE)")
        let bureau = try startBureau(launcher, dir: dir)
        defer { stopEverything(bureau) }

        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: province + "/manifest.json") ?? Data()))
        let referenceDate = manifest["referenceDate"]?.stringValue ?? Simulator.referenceDate
        var imports: [(file: String, kind: String, summary: ImportSummary)] = []
        var totals = ImportSummary()
        for entry in manifest["files"]?.arrayValue ?? [] {
            guard let file = entry["file"]?.stringValue, let kind = entry["kind"]?.stringValue else { continue }
            let r = try ImportClient.send(
                path: "\(province)/\(file)", kind: kind, endpoint: launcher.control(Service.intake.rawValue))
            let summary = ImportSummary(accepted: r.accepted, duplicate: r.duplicate, rejected: r.rejected)
            imports.append((file, kind, summary))
            totals.add(summary)
            step("导入 \(file)：读取 \(r.read)，接收 \(r.accepted)，重复 \(r.duplicate)，退回 \(r.rejected)"
                + (r.fileError.map { "；文件错误：\($0)" } ?? ""))
        }
        try launcher.waitIdle(timeout: 600)
        step("全部记录已处理 / pipeline idle; assessment date \(referenceDate): ticks to verify, risk, notify")
        for s in Rooms.topology.tickedServices {
            guard launcher.call(s, "TICK", body: "{\"date\":\"\(referenceDate)\"}", timeoutMs: 120_000)?.status == "OK" else {
                throw CommandFailure("\(s) did not take the tick")
            }
            try launcher.waitIdle(timeout: 600)
        }
        // The bureau client acknowledges as it receives; wait until it has everything for its county.
        try waitForBureau(launcher, timeout: 120)
        step("流程空闲 / pipeline idle")

        let intake = try events(launcher.logPath(Service.intake.rawValue))
        let verify = try events(launcher.logPath(Service.verify.rawValue))
        let risk = try events(launcher.logPath(Service.risk.rawValue))
        let notify = try events(launcher.logPath(Service.notify.rawValue))
        let comparison = try PipelineCheck.compare(
            directory: province, intake: intake, verify: verify, risk: risk, imports: imports
        ) { year, region in
            // The running verifier's continuity figures (what `gonggu continuity` prints).
            let query = "{\"year\":\(year),\"region\":\"\(region)\"}"
            guard let v = launcher.call(Service.verify.rawValue, "CONTINUITY", body: query, timeoutMs: 60_000)?.body
            else { return nil }
            var s = ContinuitySummary()
            s.lifted = v["lifted"]?.intValue ?? 0
            s.households = v["households"]?.intValue ?? 0
            s.allContinued = v["allContinued"]?.intValue ?? 0
            s.noMeasure = v["noMeasure"]?.intValue ?? 0
            return s
        }

        print("")
        print("== 汇总 Summary ==")
        print("记录 records: 读取 read \(totals.read) = 接收 accepted \(totals.accepted) + 重复 duplicate \(totals.duplicate) + 退回 rejected \(totals.rejected)")
        let flagged = Set(risk.filter { $0.type == EventType.monitoringRecommended.rawValue }.map(\.subject)).count
        print("建议纳入监测的户 households recommended for monitoring: \(flagged)")
        let findingTypes: [EventType] = [.entitlementGap, .assistanceDiscontinued, .paymentAnomaly, .findingResolved]
        for type in findingTypes.map(\.rawValue) {
            print("核查发现 findings \(type): \(verify.filter { $0.type == type }.count)")
        }
        let riskTypes: [EventType] = [
            .riskFeedback, .riskEliminationRecommended, .recommendationOverdue, .monitoringWithoutAssistance,
        ]
        for type in riskTypes.map(\.rawValue) {
            print("风险监测 risk \(type): \(risk.filter { $0.type == type }.count)")
        }
        let created = notify.filter { $0.type == EventType.notificationCreated.rawValue }.count
        let receipts = notify.flatMap(LoggedReceipt.all(in:))
        let delivered = Set(receipts.filter { $0.kind == .delivered }.map(\.notificationID)).count
        let acked = Set(receipts.filter { $0.kind == .acknowledged }.map(\.notificationID)).count
        let bureauGot = bureauReceived(dir)
        print("通知 notifications: 生成 created \(created)，已送达 delivered \(delivered)，已确认 acknowledged \(acked)")
        print("榆树市乡村振兴局（接收端）收到 bureau \(demoCounty) received \(bureauGot) notifications and acknowledged them")
        print("")
        print("== 发现与预置对照 Found vs seeded ==")
        print(comparison.table)
        print("")
        for s in PipelineLauncher.services {
            let log = try EventLog(path: launcher.logPath(s), stream: s, readOnly: true)
            switch try log.verify() {
            case let .intact(count, head):
                print("日志 log \(s): 哈希链完整 hash chain intact, \(count) events, head \(head.hexString)")
            case let other:
                print("日志 log \(s): 哈希链损坏 BROKEN: \(other)")
            }
        }
        print(comparison.isExact
            ? "结果：全部预置案例均被发现，没有多余发现 / every seeded case found, nothing unexpected"
            : "结果：存在差异（见上表）/ differences listed above")
        print(String(format: "用时 elapsed %.1f s; files in %@", Date().timeIntervalSince(started), dir))
        if a.flag("keep-running") {
            printOperatorSettings(launcher)
            let control = launcher.control(Service.intake.rawValue)
            print("服务继续运行，按 Ctrl-C 停止 / services keep running (control: \(control) …); Ctrl-C stops")
            let stop = DispatchSemaphore(value: 0)
            let signals = SignalWatcher()
            signals.watch([SIGINT, SIGTERM]) { _ in stop.signal() }
            stop.wait()
            signals.cancel()
        }
        return comparison.isExact ? .success : .failure
    }

    /// The demo province's recipient directory (see `PipelineLauncher.provinceRecipients`).
    static func recipients() -> [PipelineLauncher.Recipient] {
        PipelineLauncher.provinceRecipients(counties: PipelineCheck.counties)
    }

    static func startBureau(_ launcher: PipelineLauncher, dir: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        p.arguments = [
            "recipient", "--key", launcher.keyFile("\(demoCounty)-bureau"),
            "--server-key", launcher.publicKeyFile(Service.notify.rawValue),
            "--endpoint", launcher.recipientEndpoint, "--json", "--idle-seconds", "86400",
        ]
        FileManager.default.createFile(atPath: "\(dir)/bureau-\(demoCounty).jsonl", contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dir)/bureau-\(demoCounty).jsonl"))
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func bureauReceived(_ dir: String) -> Int {
        let text = (try? String(contentsOfFile: "\(dir)/bureau-\(demoCounty).jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.contains("\"type\":\"notification\"") }.count
    }

    /// Waits until the notifier has no open notification for the demo bureau.
    static func waitForBureau(_ launcher: PipelineLauncher, timeout: TimeInterval) throws {
        do {
            try waitFor("the demo bureau to acknowledge everything", timeout: timeout, interval: 0.1) {
                let body = "{\"recipient\":\"\(demoCounty)-bureau\"}"
                guard let reply = launcher.call(Service.notify.rawValue, "PENDING", body: body)
                else { return false }
                return reply.status == "OK" && reply.body?["pending"]?.intValue == 0
            }
        } catch is WaitTimedOut {
            throw CommandFailure("the demo bureau did not acknowledge everything within \(Int(timeout))s")
        }
        try launcher.waitIdle(timeout: 60)
    }

    static func events(_ path: String) throws -> [Event] {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var out: [Event] = []
        try log.forEach { out.append($0) }
        return out
    }
}

import Foundation
import GongguEvents
import GongguRuntime

/// `gonggu-bench <suite>`: release-build benchmarks that print a table. Goals are checked here,
/// never in unit tests. Figures go to docs/BENCHMARKS.md with the command that made them.
setvbuf(stdout, nil, _IOLBF, 0)
let args = Array(CommandLine.arguments.dropFirst())
let suite = args.first ?? "help"

/// The usage `gonggu-bench help`, `--help` or `-h` prints (exit 0) and an unknown suite prints (exit 64).
let benchUsage = """
    gonggu-bench：发布构建的性能基准，输出表格（上限在同一次运行中测得）
    usage: gonggu-bench backbone [--events N] [--pub-events N] [--latency-seconds S]
           gonggu-bench latency [--seconds S] [--rounds N]
           gonggu-bench log-scale [--events N] [--batch N] [--households N] [--segments N]
           gonggu-bench intake [--rows N]
           gonggu-bench intake-xlsx [--rows N]   (workbook beside CSV, same rows, reader only)
           gonggu-bench intake-read FILE          (one survey file through the reader, for /usr/bin/time -v)
           gonggu-bench risk|verify [--persons N]
           gonggu-bench notify [--notifications N] [--costs-only] [--single-acks]
           gonggu-bench pipeline [--households N] [--seed S] [--rate R] [--seconds S] [--keep]
           gonggu-bench chaos [--households N] [--kills K] [--seed S] [--dir DIR] [--late-start SERVICE]
           gonggu-bench investigate [--persons N] [--dir DIR]
           gonggu-bench report [--persons N] [--dir DIR] [--keep] [--gonggu PATH] [--runs R]
           gonggu-bench whatif [--persons N] [--dir DIR] [--rounds N]
           gonggu-bench startup [--events N]
           gonggu-bench snapshot-start [--events N]
           gonggu-bench snapshot-restore [--persons N]
           gonggu-bench risk-memory [--households N] [--seed S]   (the risk fold's memory per household)
           gonggu-bench verify-memory [--households N] [--seed S]   (the verifier's fold state in memory)
           gonggu-bench sha
    """

// `--help`/`-h` anywhere: the usage, before any suite runs (no folder, no process, no port).
if CommandArguments.asksForHelp(args) {
    print(benchUsage)
    exit(0)
}

/// Every option a suite reads; another is a usage error (exit 64) rather than a run with defaults.
let benchOptions: Set<String> = [
    "batch", "events", "households", "kills", "latency-seconds", "notifications", "persons", "pub-events", "rate",
    "rounds", "rows", "seconds", "seed", "segments", "dir", "late-start", "gonggu", "runs", "keep", "single-acks",
    "costs-only",
]

func usageFailure(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("gonggu-bench: \(problem)\n\(benchUsage)\n".utf8))
    exit(64)
}

/// The suite's options, read by the one parser (GongguRuntime's `CommandArguments`).
let parsed: CommandArguments = {
    do {
        let a = try CommandArguments(Array(args.dropFirst()), switches: ["keep", "single-acks", "costs-only"])
        try a.onlyOptions(benchOptions)
        return a
    } catch {
        usageFailure("\(error)")
    }
}()

/// `--name N`, else `def`; a value that is not a whole number is a usage error.
func option(_ name: String, _ def: Int) -> Int {
    do { return try parsed.int(name, default: def) } catch { usageFailure("\(error)") }
}

func benchDirectory() -> String {
    let dir = NSTemporaryDirectory() + "gonggu-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs a suite in a folder of its own (`keep`: that folder, left in place; else a fresh one, removed
/// after), announcing `what` it runs on how many cores, and prints its table.
func runSuite(_ title: String, _ what: String, keep: String? = nil, _ body: (String) throws -> [BenchRow]) throws {
    let dir = keep ?? benchDirectory()
    defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
    print("gonggu-bench \(suite): \(what), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    printTable(title, try body(dir))
}

func printTable(_ title: String, _ rows: [BenchRow]) {
    print("\n## \(title)\n")
    print("| measure | value | unit | note |")
    print("|---|---:|---|---|")
    for r in rows {
        let value = r.value >= 100 ? String(format: "%.0f", r.value) : String(format: "%.2f", r.value)
        print("| \(r.name) | \(value) | \(r.unit) | \(r.note) |")
    }
}

#if DEBUG
print("warning: debug build; run `swift run -c release gonggu-bench \(suite)` for real figures")
#endif

do {
    switch suite {
    case "backbone":
        let n = option("events", 1_000_000)
        try runSuite("backbone", "\(n) events") { dir in
            var rows = try runStoreBenchmarks(events: n, directory: dir)
            let pubEvents = TransportBench.sampleEvents(option("pub-events", 300_000))
            let raw = try TransportBench.rawThroughput(pubEvents, port: 17_301)
            let ours = try TransportBench.gongguThroughput(pubEvents, port: 17_302)
            rows.append(BenchRow(name: "raw libzmq PUB→SUB (tcp loopback)", value: raw, unit: "events/s", note: "same bytes"))
            rows.append(BenchRow(name: "Gonggu publish → follower (tcp loopback)", value: ours, unit: "events/s", note: "encode, order-check, decode"))
            rows.append(BenchRow(name: "publish ratio Gonggu / raw", value: ours / raw, unit: "ratio", note: "goal ≥ 0.5"))
            let seconds = Double(option("latency-seconds", 10))
            let lat = try LatencyBench.run(
                variant: LatencyBench.backbone, rate: 5000, seconds: seconds, directory: dir, port: 17_303)
            let sync = try TransportBench.fsyncLatency(directory: dir, count: 500)
            rows.append(BenchRow(name: "append(FULL)→publish→receive p50 at 5,000/s", value: lat.p50, unit: "ms", note: "\(lat.count) events"))
            rows.append(BenchRow(
                name: "append(FULL)→publish→receive p99 at 5,000/s", value: lat.p99, unit: "ms",
                note: String(format: "goal ≤ 2 ms; p99 of the appends themselves %.2f ms", lat.appendP99)))
            rows.append(BenchRow(
                name: "fdatasync of an 8 KiB write, p50", value: sync.p50, unit: "ms",
                note: String(format: "p99 %.2f ms, max %.2f ms, 500 syncs: the disk's floor under a durable commit", sync.p99, sync.max)))
            return rows
        }
    case "startup":
        let n = option("events", 1_000_000)
        try runSuite("startup on a sound log", "\(n) events") { try StartupBench.run(events: n, directory: $0) }
    case "snapshot-start":
        let n = option("events", 1_000_000)
        try runSuite("intake start-up with and without a snapshot", "\(n) events") {
            try SnapshotStartBench.run(events: n, directory: $0)
        }
    case "snapshot-restore":
        let persons = option("persons", 1_000_000)
        try runSuite("verifier and risk monitor state read back from a snapshot", "\(persons) persons") { _ in
            try SnapshotRestoreBench.run(persons: persons)
        }
    case "risk-memory":
        let households = option("households", 100_000)
        try runSuite("risk monitor's fold state in memory", "\(households) households, in process") { dir in
            try RiskMemoryBench.run(households: households, seed: UInt64(option("seed", 2025)), directory: dir)
        }
    case "verify-memory":
        let households = option("households", 100_000)
        try runSuite("verifier's fold state in memory", "\(households) households, in process") { dir in
            try VerifyMemoryBench.run(households: households, seed: UInt64(option("seed", 2025)), directory: dir)
        }
    case "latency":
        let dir = benchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seconds = Double(option("seconds", 10))
        print("gonggu-bench latency: \(option("rounds", 3)) rounds of \(Int(seconds)) s at 5,000 events/s per setting")
        printTable("latency", try LatencyBench.rows(rounds: option("rounds", 3), seconds: seconds, directory: dir))
    case "log-scale":
        let n = option("events", 3_000_000)
        try runSuite("log-scale", "\(n) events") {
            try LogScaleBench.run(
                events: n, batch: option("batch", 20_000), households: option("households", 600_000),
                segments: option("segments", 3), directory: $0)
        }
    case Service.intake.rawValue:
        let n = option("rows", 1_000_000)
        try runSuite(Service.intake.rawValue, "\(n) survey rows") { try IntakeBench.run(rows: n, directory: $0) }
    case "intake-xlsx":
        let n = option("rows", XlsxBench.defaultRows)
        try runSuite("intake-xlsx", "\(n) survey rows") {
            try XlsxBench.compare(rows: n, directory: $0, throughServices: false)
        }
    case "intake-read":
        guard let file = parsed.positionals.first else { usageFailure("intake-read needs FILE") }
        printTable("intake-read", try XlsxBench.read(path: file))
    case Service.risk.rawValue, Service.verify.rawValue:
        let persons = option("persons", 1_000_000)
        try runSuite(suite, "\(persons) persons") { try runFoldBenchmarks(service: suite, persons: persons, directory: $0) }
    case "investigate":
        let persons = option("persons", 1_000_000)
        try runSuite("investigate", "\(persons) persons", keep: parsed.option("dir")) {
            try runInvestigationBenchmarks(persons: persons, directory: $0)
        }
    case "whatif":
        let persons = option("persons", 1_000_000)
        try runSuite("whatif", "\(persons) persons", keep: parsed.option("dir")) {
            try WhatIfBench.run(persons: persons, directory: $0, rounds: option("rounds", 2))
        }
    case "report": try ReportBench.main(parsed)
    case "sha":
        print("gonggu-bench sha: SHA-256 in Swift and on SHA-NI, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        printTable("sha", try SHABench.run())
    case Service.notify.rawValue:
        let dir = benchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let singleAcks = parsed.flag("single-acks")
        print(
            "gonggu-bench notify: 10 CURVE recipients (\(singleAcks ? "one ack per message" : "acks batched per read"))"
                + ", \(ProcessInfo.processInfo.activeProcessorCount) cores")
        printTable(
            Service.notify.rawValue,
            try runNotifyBenchmarks(
                directory: dir, notifications: option("notifications", 100_000),
                costsOnly: parsed.flag("costs-only"), batchedAcks: !singleAcks))
    case "pipeline":
        let households = option("households", 20_000)
        let dir = benchDirectory()
        defer { if !parsed.flag("keep") { try? FileManager.default.removeItem(atPath: dir) } }
        print("gonggu-bench pipeline: \(households) households, \(ProcessInfo.processInfo.activeProcessorCount) cores, in \(dir)")
        let bench = PipelineBench(
            households: households, seed: UInt64(option("seed", 2025)), directory: dir, rate: option("rate", 50),
            seconds: option("seconds", 20))
        printTable("pipeline", try bench.run())
    case "chaos":
        var o = ChaosBench.Options()
        o.households = option("households", 2000)
        o.kills = option("kills", 20)
        o.seed = UInt64(option("seed", 1))
        if let dir = parsed.option("dir") { o.directory = dir }
        if let service = parsed.option("late-start") { o.lateStart = service }
        if !(try ChaosBench.run(o)) { exit(1) }
    default:
        print(benchUsage)
        exit(suite == "help" ? 0 : 64)
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}

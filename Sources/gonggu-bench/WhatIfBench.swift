import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguRisk
import GongguRuntime

/// `gonggu-bench whatif --persons N [--dir DIR]`: `gonggu rules diff` against one rebuild of the fold
/// it replays, in the same run. Writes the fold benchmarks' synthetic province (`writeProvinceLogs`,
/// as `investigate` does; with `--dir` the logs are kept there and reused when already written), then
/// times, in alternating rounds (`--rounds`, default 2), (1) one rebuild of the risk fold from its
/// log — `FoldReplayer`, the code path of the service's start-up and of `rules diff` — and (2)
/// `RulesWhatIf.compare` with a proposed document raising the 2025 monitoring line from 7,600 to
/// 10,000 yuan (a seventh of the households fall under it), and prints the fastest of each, their
/// ratio (goal ≤ 2: a what-if costs at most two rebuilds), and the same for the CPU time they took.
enum WhatIfBench {
    static func run(persons: Int, directory: String, rounds: Int) throws -> [BenchRow] {
        let stream = FoldBenchStream(persons: persons)
        let setting = "\(persons) persons, \(stream.households) households"
        var rows: [BenchRow] = []
        if FileManager.default.fileExists(atPath: directory + "/risk.log.sqlite") {
            rows.append(BenchRow(name: "province logs", value: 0, unit: "s", note: "reused from \(directory)"))
        } else {
            let (written, totals) = try writeProvinceLogs(stream, directory: directory)
            rows.append(
                BenchRow(
                    name: "province logs written", value: written, unit: "s",
                    note: "\(setting); intake \(totals.intake), verify \(totals.verify), risk \(totals.risk) events"))
        }
        let logs = try LogSet(paths: [directory])
        guard let source = logs.source(stream: Service.risk.rawValue) else {
            throw InvestigationError.noLogs("risk log")
        }

        let proposed = try RuleDocument(
            text: RiskRules.defaultDocument
                .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"bench-line\"")
                .replacingOccurrences(
                    of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2025-01-01\""
                )
                .replacingOccurrences(of: "\"2025\": 760000", with: "\"2025\": 1000000"))
        // Alternating rounds, the fastest of each kept: on a shared machine the load changes from
        // minute to minute, and the ratio of two single timings taken minutes apart says little.
        var replayWall: [Double] = []
        var replayCPU: [Double] = []
        var diffWall: [Double] = []
        var diffCPU: [Double] = []
        var one: FoldReplayer.Result?
        var digest = ""
        var report: RulesWhatIfReport?
        for _ in 0..<max(1, rounds) {
            // (1) One rebuild of the risk fold, as the service starts and as each run of `rules diff` was.
            var (t, c) = (Date(), processCPUSeconds())
            var fold = try RiskFold()
            let own: Set<String> = [ClockTicked.eventType, RulesActivated.eventType]
            one = try FoldReplayer(logs: logs).replay(
                &fold, service: source, until: Int64.max, isOwnInput: own.contains)
            digest = String(fold.stateDigest().prefix(12))
            replayWall.append(Date().timeIntervalSince(t))
            replayCPU.append(processCPUSeconds() - c)
            print(String(format: "  one rebuild: wall %.1f s, CPU %.1f s", replayWall.last!, replayCPU.last!))
            // (2) The what-if: both runs, compared.
            (t, c) = (Date(), processCPUSeconds())
            report = try RulesWhatIf.compare(proposed: proposed, logs: logs)
            diffWall.append(Date().timeIntervalSince(t))
            diffCPU.append(processCPUSeconds() - c)
            print(String(format: "  rules diff: wall %.1f s, CPU %.1f s", diffWall.last!, diffCPU.last!))
        }
        // The same with the document in force under another version: no difference, so what remains
        // above one rebuild is the method's own cost (the line raise above also makes the proposed fold
        // emit many more decisions, assessments and feedback than the fold in force).
        let same = try RuleDocument(
            text: RiskRules.defaultDocument.replacingOccurrences(
                of: "\"version\": \"2025.1\"", with: "\"version\": \"same\""))
        var (t, c) = (Date(), processCPUSeconds())
        let unchanged = try RulesWhatIf.compare(proposed: same, logs: logs)
        let sameWall = Date().timeIntervalSince(t)
        let sameCPU = processCPUSeconds() - c
        print(String(format: "  rules diff, identical document: wall %.1f s, CPU %.1f s", sameWall, sameCPU))
        (t, c) = (Date(), processCPUSeconds())
        var alone = try RiskFold()
        _ = try FoldReplayer(logs: logs).replay(
            &alone, service: source, until: Int64.max,
            isOwnInput: [ClockTicked.eventType, RulesActivated.eventType].contains)
        let lastWall = Date().timeIntervalSince(t)
        let lastCPU = processCPUSeconds() - c
        let r = report!
        let added = r.differences.filter { $0.kind == .added }.count
        let rounds = "fastest of \(replayWall.count) rounds (all: \(list(replayWall)) s)"
        rows.append(
            BenchRow(
                name: "one rebuild of the risk fold (FoldReplayer), wall", value: replayWall.min()!, unit: "s",
                note: "\(one!.upstreamEvents) upstream + \(one!.ownEvents) own events; digest \(digest); \(rounds)"))
        rows.append(
            BenchRow(
                name: "rules diff (RulesWhatIf.compare: both runs, one pass, compared), wall", value: diffWall.min()!,
                unit: "s",
                note:
                    "\(r.inForceCount) → \(r.proposedCount) decisions; \(r.differences.count) differences "
                    + "(\(added) added); all: \(list(diffWall)) s"))
        rows.append(
            BenchRow(
                name: "rules diff / one rebuild, wall", value: diffWall.min()! / replayWall.min()!, unit: "ratio",
                note: "goal ≤ 2; \(ProcessInfo.processInfo.activeProcessorCount) cores"))
        rows.append(
            BenchRow(
                name: "one rebuild, CPU (user + system)", value: replayCPU.min()!, unit: "s",
                note: "all: \(list(replayCPU)) s"))
        rows.append(
            BenchRow(
                name: "rules diff, CPU (user + system, both threads)", value: diffCPU.min()!, unit: "s",
                note: "all: \(list(diffCPU)) s"))
        rows.append(
            BenchRow(
                name: "rules diff / one rebuild, CPU", value: diffCPU.min()! / replayCPU.min()!, unit: "ratio",
                note: "the work, whatever the machine's load: one read and decode, two folds"))
        rows.append(
            BenchRow(
                name: "rules diff of an identical document / one rebuild, CPU", value: sameCPU / lastCPU, unit: "ratio",
                note: String(
                    format:
                        "%d differences; CPU %.1f s against a rebuild right after it %.1f s; "
                        + "wall %.1f s against %.1f s",
                    unchanged.differences.count, sameCPU, lastCPU, sameWall, lastWall)))
        return rows
    }

    static func list(_ v: [Double]) -> String { v.map { String(format: "%.1f", $0) }.joined(separator: ", ") }
}

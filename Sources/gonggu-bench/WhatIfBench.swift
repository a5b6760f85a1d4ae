import Foundation
import GongguCore
import GongguInvestigation
import GongguRisk
import GongguRuntime

/// `gonggu-bench whatif --persons N [--dir DIR]`: `gonggu rules diff` against one rebuild of the fold
/// it replays, in the same run. Writes the fold benchmarks' synthetic province (`writeProvinceLogs`,
/// as `investigate` does; with `--dir` the logs are kept there and reused when already written), then
/// times (1) one rebuild of the risk fold from its log — `FoldReplayer`, the code path of the
/// service's start-up and of `rules diff` — and (2) `RulesWhatIf.compare` with a proposed document
/// raising the 2025 monitoring line from 7,600 to 10,000 yuan (a seventh of the households fall
/// under it), and prints their ratio (goal ≤ 2, issue 26).
enum WhatIfBench {
    static func run(persons: Int, directory: String) throws -> [BenchRow] {
        let stream = FoldBenchStream(persons: persons)
        let setting = "\(persons) persons, \(stream.households) households"
        var rows: [BenchRow] = []
        if FileManager.default.fileExists(atPath: directory + "/risk.log.sqlite") {
            rows.append(BenchRow(name: "province logs", value: 0, unit: "s", note: "reused from \(directory)"))
        } else {
            let (written, totals) = try writeProvinceLogs(stream, directory: directory)
            rows.append(BenchRow(
                name: "province logs written", value: written, unit: "s",
                note: "\(setting); intake \(totals.intake), verify \(totals.verify), risk \(totals.risk) events"))
        }
        let logs = try LogSet(paths: [directory])
        guard let source = logs.source(stream: "risk") else { throw InvestigationError.noLogs("risk log") }

        // (1) One rebuild of the risk fold, as the service starts and as each run of `rules diff` is.
        var t = Date()
        var fold = try RiskFold()
        let own: Set<String> = [ClockTicked.eventType, RulesActivated.eventType]
        let one = try FoldReplayer(logs: logs).replay(
            &fold, service: source, until: Int64.max, isOwnInput: own.contains)
        let replay = Date().timeIntervalSince(t)
        rows.append(BenchRow(
            name: "one rebuild of the risk fold (FoldReplayer)", value: replay, unit: "s",
            note: "\(one.upstreamEvents) upstream + \(one.ownEvents) own events; digest \(fold.stateDigest().prefix(12))"))

        // (2) The what-if: both runs, compared.
        let proposed = try RuleDocument(
            text: RiskRules.defaultDocument
                .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"bench-line\"")
                .replacingOccurrences(of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2025-01-01\"")
                .replacingOccurrences(of: "\"2025\": 760000", with: "\"2025\": 1000000"))
        t = Date()
        let report = try RulesWhatIf.compare(proposed: proposed, logs: logs)
        let whatIf = Date().timeIntervalSince(t)
        let added = report.differences.filter { $0.kind == .added }.count
        rows.append(BenchRow(
            name: "rules diff (RulesWhatIf.compare, both runs and the comparison)", value: whatIf, unit: "s",
            note: "\(report.inForceCount) → \(report.proposedCount) decisions; \(report.differences.count) differences "
                + "(\(added) added)"))
        rows.append(BenchRow(
            name: "rules diff / one rebuild", value: whatIf / replay, unit: "ratio",
            note: "goal ≤ 2; \(ProcessInfo.processInfo.activeProcessorCount) cores"))
        return rows
    }
}

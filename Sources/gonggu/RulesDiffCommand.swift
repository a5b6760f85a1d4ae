import Foundation
import GongguCore
import GongguInvestigation
import GongguReport
import GongguServices
import GongguSimulation

/// `gonggu rules diff FILE --service risk|verify --logs DIR [--asof DATE] [--region PREFIX] [--out DIR]`:
/// what a proposed rule document would change (docs/RULES-WHATIF.md). The service's fold is replayed
/// twice over the logs in DIR, in-process and read-only (a running service is never asked), and the
/// decisions compared per household; the summary is for a policy officer, the CSV lists for follow-up.
enum RulesDiffCommand {
    static func run(_ a: Arguments, _ ruleSet: RuleSetName, file: String) throws -> ExitCode {
        try a.onlyOptions(["service", "logs", "asof", "region", "out", "quiet"])
        let proposed = try RulesCommand.check(file, ruleSet)
        guard let dir = a.option("logs") else { throw UsageError("missing --logs DIR (the services' data folder)") }
        var instant: Timestamp?
        if let when = a.option("asof") {
            guard let t = InstantText.parse(when, endOfDay: true) else {
                throw UsageError("--asof needs a date (YYYY-MM-DD) or an instant, got '\(when)'")
            }
            instant = t
        }
        let logs: LogSet
        do { logs = try LogSet(paths: [dir]) } catch {
            throw CommandFailure("日志目录中没有可读的日志：\(dir) / \(error)", exit: .noInput)
        }
        guard logs.source(stream: ruleSet.rawValue) != nil else {
            throw CommandFailure("日志目录中没有 \(ruleSet.rawValue) 服务的日志：\(dir)", exit: .noInput)
        }
        let bar = ProgressBar(total: 1, enabled: isatty(STDERR_FILENO) != 0 && !a.flag("quiet"))
        let report = try RulesWhatIf.compare(
            proposed: proposed, logs: logs, until: instant, regionPrefix: a.option("region")
        ) { done, total in bar.update(done: done, total: total, label: "重放") }
        bar.finish()
        // County names as the yearly report has them (the province's counties).
        let names = RegionNames().adding(Dictionary(PipelineCheck.counties.map { ($0.code, $0.name) }) { a, _ in a })
        print(RulesDiffText.summary(report, names: names))
        if let out = a.option("out") {
            let files = try RulesDiffFiles.write(report, to: out, names: names, region: a.option("region"))
            print("\n输出文件（网页和明细，身份证号已脱敏）：")
            for f in files { print("  \(out)/\(f)") }
        }
        return .success
    }
}

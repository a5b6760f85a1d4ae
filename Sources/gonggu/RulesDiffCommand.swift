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
        let inputs = try WhatIfInputs(a, stream: ruleSet.rawValue)
        let report = try RulesWhatIf.compare(
            proposed: proposed, logs: inputs.logs, until: inputs.until, regionPrefix: a.option("region"),
            progress: inputs.progress)
        try inputs.finish(a, summary: RulesDiffText.summary(report, names: inputs.names)) { out in
            try RulesDiffFiles.write(report, to: out, names: inputs.names, region: a.option("region"))
        }
        return .success
    }
}

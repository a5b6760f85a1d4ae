import Foundation
import GongguCore
import GongguInvestigation

/// `gonggu why EVENT-ID [LOG…] [--logs DIR] [--json] [--unmasked] [--depth N]`: the causation chain of
/// a decision, finding or notification back to the source records (intake facts with file and line)
/// and the rule versions in force; every link with its event id, type, log and seq. Exit 0 when a
/// source record was reached, 1 when not, 66 when the event is in none of the logs.
enum WhyCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["json", "unmasked"])
        let text = try a.positional(0, "EVENT-ID (32 hex digits)")
        guard let id = EventID(text) else { throw UsageError("EVENT-ID must be 32 hex digits") }
        let logs = try InvestigationCLI.openLogs(a, positionalFrom: 1)
        let style = InvestigationCLI.style(a)
        let report: WhyReport
        do {
            report = try Why.explain(id, logs: logs, maxDepth: try a.int("depth", default: 16))
        } catch let e as InvestigationError {
            throw CommandFailure(e.description, exit: .noInput)
        }
        print(a.flag("json") ? report.json(style) : report.text(style))
        return report.sources.isEmpty ? .failure : .success
    }
}

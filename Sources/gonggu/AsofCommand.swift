import Foundation
import GongguCore
import GongguInvestigation

/// `gonggu asof DATE --subject ID [LOG…] [--logs DIR] [--json] [--unmasked]`: a household's state
/// (members, cards, status, benefits, risk, open findings, notifications) as the services knew it at
/// an instant — recorded at or before DATE (a bare date means the end of that day, CST) — rebuilt by
/// replaying each service's log through the service's own fold. Exit 1 when no household was found.
enum AsofCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["json", "unmasked"])
        let when = try a.positional(0, "DATE (YYYY-MM-DD[ HH:MM[:SS]])")
        guard let instant = InstantText.parse(when, endOfDay: true) else {
            throw UsageError("DATE must be YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] (CST)")
        }
        guard let subject = a.option("subject") else {
            throw UsageError("missing --subject ID (household id or resident ID)")
        }
        let logs = try InvestigationCLI.openLogs(a, positionalFrom: 1)
        let style = InvestigationCLI.style(a)
        let report: AsOfReport
        do {
            report = try AsOf.report(subject: subject, at: instant, logs: logs)
        } catch let e as InvestigationError {
            throw CommandFailure(e.description, exit: .noInput)
        }
        print(a.flag("json") ? report.json(style) : report.text(style))
        return report.households.isEmpty ? .failure : .success
    }
}

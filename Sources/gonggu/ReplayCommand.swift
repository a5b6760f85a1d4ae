import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation

/// `gonggu replay LOG… [--logs DIR] [--subject ID] [--region PREFIX] [--type T]… [--from T] [--to T]
/// [--time occurred|recorded] [--jsonl] [--payload] [--unmasked]`: events of one or more logs (files,
/// folders of logs, or `ipc://`/`tcp://` control endpoints of running services), filtered and merged
/// in causal order, as a Chinese/English table or JSON Lines. Resident ID numbers are masked unless
/// `--unmasked` is given (for investigators entitled to see them; it is said on stderr, never logged).
enum ReplayCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        var rest: [String] = []
        var types: Set<String> = []
        var i = 0
        // `--type` may be repeated; the shared parser keeps one value per option.
        while i < args.count {
            if args[i] == "--type", i + 1 < args.count {
                types.formUnion(args[i + 1].split(separator: ",").map(String.init))
                i += 2
            } else {
                rest.append(args[i])
                i += 1
            }
        }
        let a = try Arguments(rest, switches: ["jsonl", "payload", "unmasked", "no-deliveries"])
        let logs = try InvestigationCLI.openLogs(a, positionalFrom: 0)
        var filter = ReplayFilter(subject: a.option("subject"), regionPrefix: a.option("region"), types: types)
        if let t = a.option("from") {
            guard let v = InstantText.parse(t, endOfDay: false) else {
                throw UsageError("--from needs YYYY-MM-DD[ HH:MM[:SS]]")
            }
            filter.from = v
        }
        if let t = a.option("to") {
            guard let v = InstantText.parse(t, endOfDay: true) else {
                throw UsageError("--to needs YYYY-MM-DD[ HH:MM[:SS]]")
            }
            filter.to = v
        }
        guard let field = ReplayFilter.TimeField(rawValue: a.option("time", default: "occurred")) else {
            throw UsageError("--time is occurred or recorded")
        }
        filter.timeField = field
        filter.includeDeliveries = !a.flag("no-deliveries")
        let style = InvestigationCLI.style(a)
        if let subject = filter.subject, SubjectResolution.looksLikeResidentID(subject) {
            for s in logs.sources where s.isLocal && !s.personLookupIsIndexed && s.stream == Service.intake.rawValue {
                InvestigationCLI.note(
                    "\(s.name) has no person index yet (its writer adds it at next start): scanning it")
            }
        }
        let jsonl = a.flag("jsonl")
        let started = Date()
        var count = 0
        if !jsonl { print(style.header) }
        try Replay.run(filter, logs: logs) { located in
            print(jsonl ? style.jsonLine(located) : style.row(located))
            count += 1
        }
        let seconds = Date().timeIntervalSince(started)
        let summary = String(format: "%d 件事件 events, %d 个日志 logs, %.3f s", count, logs.sources.count, seconds)
        if jsonl { InvestigationCLI.note(summary) } else { print(summary) }
        return .success
    }
}

/// Options shared by `replay`, `why` and `asof`.
enum InvestigationCLI {
    /// The logs the command opened, to name them when SQLite reports file damage while reading.
    nonisolated(unsafe) static var openedPaths: [String] = []

    /// The logs: positionals from `positionalFrom` on, plus `--logs DIR` (repeatable by commas).
    static func openLogs(_ a: Arguments, positionalFrom first: Int) throws -> LogSet {
        var paths = Array(a.positionals.dropFirst(first))
        if let dirs = a.option("logs") { paths += dirs.split(separator: ",").map(String.init) }
        guard !paths.isEmpty else {
            throw UsageError("give the logs: LOG… (files, folders or ipc:// endpoints) or --logs DIR")
        }
        openedPaths = paths
        do {
            return try LogSet(paths: paths)
        } catch let e as InvestigationError {
            throw CommandFailure(e.description, exit: .noInput)
        }
    }

    static func style(_ a: Arguments) -> EventText {
        let style = EventText(unmasked: a.flag("unmasked"), payloads: a.flag("payload"))
        if style.unmasked { note("居民身份证号不遮盖输出 resident ID numbers are shown unmasked, as asked (--unmasked)") }
        return style
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("gonggu: \(text)\n".utf8))
    }
}

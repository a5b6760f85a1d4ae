import Foundation
import GongguStore
import GongguCore
import GongguRuntime

/// `gonggu`: the operator and investigator command line.
let usage = """
    usage: gonggu <command> [options]

    commands:
      log verify PATH                 walk a log's hash chain (exit 1 names the first bad seq)
      log tail PATH [-n N] [--follow] print the last events of a log (ID numbers masked)
      import FILE --kind KIND [--sheet NAME|N] [--connect-timeout S]  send a CSV, JSON Lines or .xlsx file to intake
      rejects [--since D] [--file F] [--format csv [--unmasked]]  records intake refused (IDs masked)
      status [--json] [--max-lag N]   ask every service how it is (exit 1 when down or lagging)
      status --check [--warn-lag N --crit-lag N --warn-overdue N --crit-overdue N --warn-disk PCT --crit-disk PCT]
                                      Nagios plugin: one line with perfdata, exit 0 OK 1 WARNING 2 CRITICAL 3 UNKNOWN
      status --live | --ready [--max-lag N]   liveness / readiness probe for Docker and Kubernetes (exit 0 or 1)
      tick DATE [--force]             append a clock tick (elapsed-time decisions) to every fold, or to none
      keys new|ensure|list|revoke|rotate NAME  CURVE keys for services, recipients and clients
      backup BACKUPDIR --data DIR [--with-config DIR]  online copy of every log (+ configuration and keys)
      restore BACKUPDIR --data DIR    check a backup's hashes and chains, write it into a new folder
      recipient --key F --server-key F  reference client: receive, acknowledge, send decisions
      continuity --year Y [--region P] continuity ledger (四个不摘) as CSV, from the verifier
      report --year Y --logs DIR --out DIR [--region P] [--upto LOG=SEQ,…] [--closed-at DATE]
                                      yearly post-assessment indicators: HTML page, CSV tables and case lists
      simulate --households N --seed S --out DIR [--format csv|xlsx]   write a synthetic province with ground truth
      demo [--households N] [--dir PATH] [--format csv|xlsx] [--keep-running]  the whole pipeline on a synthetic province
      replay LOG… [--subject ID] [--region P] [--type T]… [--from D] [--to D] [--jsonl] [--unmasked]
                                      events of several logs, filtered, in causal order (IDs masked)
      why EVENT-ID LOG…               causation chain back to the source records and the rules in force
      asof DATE --subject ID LOG…     a household's state as the services knew it then (their own folds)
      rules show|check|activate [FILE] --service risk|verify  rule documents: summary, offline check, activation
      rules diff FILE --service risk|verify --logs DIR [--asof D] [--region P] [--out DIR]
                                      what a proposed rule document would change (replayed in-process, read-only)
      recipients diff FILE --logs DIR [--asof D] [--region P] [--out DIR]
                                      who would start or stop receiving which notifications under a new directory
      snapshot list|verify --data DIR  fold-state snapshots beside the logs: usable? (verify: rebuilt from scratch, digests compared)
      snapshot take --service S       ask a running service for a snapshot now
      dev emit|mirror|append …        synthetic log owner / consumer for backbone tests
    """

setvbuf(stdout, nil, _IOLBF, 0)
let arguments = Array(CommandLine.arguments.dropFirst())
func fail(_ message: String, _ code: Int32) -> Never {
    FileHandle.standardError.write(Data("gonggu: \(message)\n".utf8))
    exit(code)
}
guard let command = arguments.first else {
    print(usage)
    exit(64)
}
let rest = Array(arguments.dropFirst())
do {
    let code: Int32
    switch command {
    case "log": code = runLogCommand(rest)
    case "dev": code = try DevCommands.run(rest)
    case "import": code = try ImportCommand.run(rest)
    case "status": code = try StatusCommand.run(rest)
    case "rejects": code = try RejectsCommand.run(rest)
    case "tick": code = try TickCommand.run(rest)
    case "keys": code = try KeysCommand.run(rest)
    case "backup": code = try BackupCommand.run(rest)
    case "restore": code = try RestoreCommand.run(rest)
    case "recipient": code = try RecipientCommand.run(rest)
    case "simulate": code = try SimulateCommand.run(rest)
    case "continuity": code = try ContinuityCommand.run(rest)
    case "report": code = try ReportCommand.run(rest)
    case "demo": code = try DemoCommand.run(rest)
    case "replay": code = try ReplayCommand.run(rest)
    case "why": code = try WhyCommand.run(rest)
    case "asof": code = try AsofCommand.run(rest)
    case "rules": code = try RulesCommand.run(rest)
    case "--version", "version":
        print("gonggu \(GongguVersion.current)")
        code = 0
    case "recipients": code = try RecipientsDiffCommand.run(rest)
    case "snapshot": code = try SnapshotCommand.run(rest)
    case "help", "--help", "-h":
        print(usage)
        code = 0
    default:
        throw UsageError("unknown command '\(command)'\n\(usage)")
    }
    exit(code)
} catch let e as UsageError {
    fail(e.message, ExitCode.usage.rawValue)
} catch let e as CommandFailure {
    fail(e.message, e.code)
} catch let e as LogDamage {
    // A damaged or unreadable log file, named with its path (EX_NOINPUT), never a raw SQLite code.
    fail(e.description, 66)
} catch let e as SQLiteError where [.corrupt, .notADatabase, .ioError, .cantOpen].contains(e.code.primary) {
    // Met while reading (`why`, `replay`, `asof`): one of the logs given is damaged.
    let paths = InvestigationCLI.openedPaths.isEmpty ? "?" : InvestigationCLI.openedPaths.joined(separator: ", ")
    fail("\(LogDamage.classify(e, path: paths))", 66)
} catch {
    fail("\(error)", 1)
}

import Foundation
import GongguStore
import GongguCore
import GongguRuntime

/// `gonggu`: the operator and investigator command line. The commands, their usage and their
/// subcommands are in `CommandRegistry` (CommandRegistry.swift); `--help`/`-h` is answered there.
/// Built only when printed: a `let` here ran for every command, and the usage text costs about half the
/// instructions of a whole `gonggu replay --subject` process (callgrind).
var usage: String { CommandRegistry.usage }

setvbuf(stdout, nil, _IOLBF, 0)
let arguments = Array(CommandLine.arguments.dropFirst())
func fail(_ message: String, _ code: Int32) -> Never {
    FileHandle.standardError.write(Data("gonggu: \(message)\n".utf8))
    exit(code)
}
guard let command = arguments.first else {
    print(usage)
    exit(ExitCode.usage.rawValue)
}
let rest = Array(arguments.dropFirst())
// A look-up that must first index a long unindexed tail of a log says so on stderr (docs/LOG_INDEX.md).
EventLog.indexProgress = { FileHandle.standardError.write(Data("gonggu: \($0.message)\n".utf8)) }
do {
    let code: ExitCode
    switch command {
    case "--version", "version":
        print("gonggu \(GongguVersion.current)")
        code = .success
    case "help", "--help", "-h":
        if rest == ["--list"] {
            print(CommandRegistry.list.joined(separator: "\n"))
        } else {
            guard let text = CommandRegistry.help(rest) else { throw UsageError("unknown command '\(rest[0])'\n\(usage)") }
            print(text)
        }
        code = .success
    default:
        guard let c = CommandRegistry.command(command) else { throw UsageError("unknown command '\(command)'\n\(usage)") }
        if CommandRegistry.asksForHelp(rest) {
            print(c.subcommand(rest.first).map { c.help($0) } ?? c.help)
            code = .success
        } else {
            code = try c.run(rest)
        }
    }
    exit(code.rawValue)
} catch let e as UsageError {
    fail(e.message, ExitCode.usage.rawValue)
} catch let e as CommandFailure {
    fail(e.message, e.code)
} catch let e as LogDamage {
    // A damaged or unreadable log file, named with its path (EX_NOINPUT), never a raw SQLite code.
    fail(e.description, ExitCode.noInput.rawValue)
} catch let e as SQLiteError where [.corrupt, .notADatabase, .ioError, .cantOpen].contains(e.code.primary) {
    // Met while reading (`why`, `replay`, `asof`): one of the logs given is damaged.
    let paths = InvestigationCLI.openedPaths.isEmpty ? "?" : InvestigationCLI.openedPaths.joined(separator: ", ")
    fail("\(LogDamage.classify(e, path: paths))", ExitCode.noInput.rawValue)
} catch {
    fail("\(error)", ExitCode.failure.rawValue)
}

#if !GONGGU_LIBFUZZER
import Foundation
import GongguFuzz
import GongguRuntime

/// `gonggu-fuzz`: the seeded mutation engine over every parser (docs/FUZZING.md).
///
/// ```
/// gonggu-fuzz list
/// gonggu-fuzz run --target NAME [--seconds S] [--runs N] [--seed N] [--corpus DIR]…
///                 [--timeout-ms T] [--max-len N] [--artifacts DIR]
/// gonggu-fuzz replay --target NAME FILE_OR_DIR…
/// ```
/// Exit status: 0 clean, 64 usage, 3 hang; a crash ends the process by its signal.
@main
enum FuzzCommand {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        // `help`, `--help` or `-h` anywhere: the usage on stdout, exit 0, before anything runs.
        if args.first == "help" || CommandArguments.asksForHelp(args) {
            print(usageText)
            exit(0)
        }
        guard let verb = args.first else { usage("missing command") }
        args.removeFirst()
        switch verb {
        case "list":
            for t in FuzzTargets.all {
                print("\(t.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(t.summary)")
            }
        case "run", "replay":
            let a: CommandArguments
            do {
                a = try CommandArguments(args)
                try a.onlyOptions(["target", "seconds", "runs", "seed", "corpus", "timeout-ms", "max-len", "artifacts"])
            } catch {
                usage("\(error)")
            }
            func number<T>(_ option: String, _ parse: (String) -> T?) -> T? {
                guard let v = a.option(option) else { return nil }
                return parse(v) ?? { usage("--\(option) needs a number") }()
            }
            var options = FuzzRunner.Options()
            if let v = number("seconds", Double.init) { options.seconds = v }
            if let v = number("runs", { Int($0) }) { options.runs = v }
            if let v = number("seed", { UInt64($0) }) { options.seed = v }
            if let v = number("timeout-ms", { Int($0) }) { options.timeoutMilliseconds = v }
            if let v = number("max-len", { Int($0) }) { options.maxLength = v }
            if let v = a.option("artifacts") { options.artifacts = v }
            options.corpus = a.options("corpus")
            let name = a.option("target")
            let paths = a.positionals
            guard let name else { usage("--target is required") }
            guard let target = FuzzTargets.named(name) else { usage("unknown target \(name); see `gonggu-fuzz list`") }
            let runner = FuzzRunner(target: target, options: options)
            do {
                let report = verb == "run" ? try runner.run() : try runner.replay(paths + options.corpus)
                print(report)
            } catch {
                FileHandle.standardError.write(Data("gonggu-fuzz: \(error)\n".utf8))
                exit(1)
            }
        default:
            usage("unknown command \(verb)")
        }
    }

    static let usageText = """
        gonggu-fuzz：对每个解析器的带种子变异模糊测试（docs/FUZZING.md）
        usage: gonggu-fuzz list
               gonggu-fuzz run --target NAME [--seconds S] [--runs N] [--seed N] [--corpus DIR]…
                               [--timeout-ms T] [--max-len N] [--artifacts DIR]
               gonggu-fuzz replay --target NAME FILE_OR_DIR…
        exit: 0 clean, 64 usage, 3 hang; a crash ends the process by its signal
        """

    static func usage(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("gonggu-fuzz: \(problem)\n\(usageText)\n".utf8))
        exit(64)
    }
}
#endif

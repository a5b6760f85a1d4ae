#if !GONGGU_LIBFUZZER
import Foundation
import GongguFuzz

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
        if args.first == "help" || args.contains("--help") || args.contains("-h") {
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
            var options = FuzzRunner.Options()
            var name: String?
            var paths: [String] = []
            var i = 0
            func value() -> String {
                i += 1
                guard i < args.count else { usage("\(args[i - 1]) needs a value") }
                return args[i]
            }
            while i < args.count {
                switch args[i] {
                case "--target": name = value()
                case "--seconds": options.seconds = Double(value()) ?? { usage("--seconds needs a number") }()
                case "--runs": options.runs = Int(value()) ?? { usage("--runs needs a number") }()
                case "--seed": options.seed = UInt64(value()) ?? { usage("--seed needs a number") }()
                case "--corpus": options.corpus.append(value())
                case "--timeout-ms":
                    options.timeoutMilliseconds = Int(value()) ?? { usage("--timeout-ms needs a number") }()
                case "--max-len": options.maxLength = Int(value()) ?? { usage("--max-len needs a number") }()
                case "--artifacts": options.artifacts = value()
                case let a where a.hasPrefix("--"): usage("unknown option \(a)")
                case let a: paths.append(a)
                }
                i += 1
            }
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

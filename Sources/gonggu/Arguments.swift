import Foundation

/// Exit statuses of the CLI, named after sysexits.h.
struct ExitCode: Equatable {
    let rawValue: Int32
    /// Done.
    static let success = ExitCode(rawValue: 0)
    /// A failure without a more specific status.
    static let failure = ExitCode(rawValue: 1)
    /// EX_USAGE: the command was used wrongly (unknown option value, missing argument).
    static let usage = ExitCode(rawValue: 64)
    /// EX_DATAERR: the input data was incorrect (e.g. a rule document refused).
    static let dataError = ExitCode(rawValue: 65)
    /// EX_NOINPUT: an input file did not exist or was not readable.
    static let noInput = ExitCode(rawValue: 66)
    /// EX_UNAVAILABLE: a service needed did not answer.
    static let unavailable = ExitCode(rawValue: 69)
}

/// A usage error: exit 64 (EX_USAGE) with a one-line message.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A failure the user must act on, with its exit code (sysexits.h).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }
    init(_ message: String, exit: ExitCode) {
        self.message = message
        code = exit.rawValue
    }
    var description: String { message }
}

/// Command-line arguments: positionals, `--name value` options and `--flag` switches.
struct Arguments {
    private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    private var consumed: Set<String> = []

    /// - Parameter switches: option names that take no value.
    init(_ args: [String], switches: Set<String> = []) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    options[String(name[..<eq])] = String(name[name.index(after: eq)...])
                } else if switches.contains(name) {
                    flags.insert(name)
                } else {
                    guard i + 1 < args.count else { throw UsageError("option --\(name) needs a value") }
                    options[name] = args[i + 1]
                    i += 1
                }
            } else if a.hasPrefix("-") && a.count == 2, let next = args.indices.contains(i + 1) ? args[i + 1] : nil {
                options[String(a.dropFirst())] = next
                i += 1
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    func option(_ name: String) -> String? { options[name] }

    func option(_ name: String, default def: String) -> String { options[name] ?? def }

    func int(_ name: String, default def: Int) throws -> Int {
        guard let v = options[name] else { return def }
        guard let i = Int(v) else { throw UsageError("option --\(name) needs a whole number, got '\(v)'") }
        return i
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func positional(_ index: Int, _ what: String) throws -> String {
        guard index < positionals.count else { throw UsageError("missing \(what)") }
        return positionals[index]
    }
}

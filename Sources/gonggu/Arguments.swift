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
    /// EX_CONFIG: a configuration file is invalid (unknown key, wrong value).
    static let config = ExitCode(rawValue: 78)
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

    /// The value of `--name` as one of `T`'s cases (its raw value), nil when absent; an unknown
    /// value is a usage error naming the option, the value and the accepted values.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String) throws -> T? where T.RawValue == String {
        guard let v = options[name] else { return nil }
        guard let c = T(rawValue: v) else {
            let accepted = T.allCases.map(\.rawValue).joined(separator: "、")
            throw UsageError("选项 --\(name) 的值“\(v)”无效，可用：\(accepted) / unknown value '\(v)' for --\(name)")
        }
        return c
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default def: T) throws -> T
    where T.RawValue == String {
        try choice(name) ?? def
    }

    /// A positive number of seconds (`--name 2.5`).
    func seconds(_ name: String, default def: Double) throws -> Double {
        guard let v = options[name] else { return def }
        guard let s = Double(v), s > 0, s <= 3600 else {
            throw UsageError("选项 --\(name) 需要 0 到 3600 之间的秒数，实际为“\(v)” / --\(name) needs seconds, got '\(v)'")
        }
        return s
    }

    /// Refuses an option (or switch) not in `known`, naming it: a misspelled option must not be ignored.
    func onlyOptions(_ known: Set<String>) throws {
        for name in Set(options.keys).union(flags).sorted() where !known.contains(name) {
            throw UsageError("未知的选项 --\(name) / unknown option --\(name)")
        }
    }

    func positional(_ index: Int, _ what: String) throws -> String {
        guard index < positionals.count else { throw UsageError("missing \(what)") }
        return positionals[index]
    }
}

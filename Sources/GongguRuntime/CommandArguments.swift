import Foundation

/// A usage error: exit 64 (EX_USAGE) with a one-line message.
public struct UsageError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Command-line arguments: positionals, `--name value` options and `--flag` switches. The one parser
/// of the `gonggu` CLI (as `Arguments`), the service executables, `gonggu-bench` and `gonggu-fuzz`.
public struct CommandArguments {
    public private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    /// Every value of each option, in order (`--corpus A --corpus B`); `option` gives the last.
    private var repeated: [String: [String]] = [:]
    private var consumed: Set<String> = []

    /// - Parameter switches: option names that take no value.
    public init(_ args: [String], switches: Set<String> = []) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    options[String(name[..<eq])] = String(name[name.index(after: eq)...])
                    repeated[String(name[..<eq]), default: []].append(String(name[name.index(after: eq)...]))
                } else if switches.contains(name) {
                    flags.insert(name)
                } else {
                    guard i + 1 < args.count else { throw UsageError("option --\(name) needs a value") }
                    options[name] = args[i + 1]
                    repeated[name, default: []].append(args[i + 1])
                    i += 1
                }
            } else if a.hasPrefix("-") && a.count == 2, let next = args.indices.contains(i + 1) ? args[i + 1] : nil {
                options[String(a.dropFirst())] = next
                repeated[String(a.dropFirst()), default: []].append(next)
                i += 1
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    public func option(_ name: String) -> String? { options[name] }

    public func option(_ name: String, default def: String) -> String { options[name] ?? def }

    public func int(_ name: String, default def: Int) throws -> Int {
        guard let v = options[name] else { return def }
        guard let i = Int(v) else { throw UsageError("option --\(name) needs a whole number, got '\(v)'") }
        return i
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Every value given for `--name`, in order (an option that may repeat).
    public func options(_ name: String) -> [String] { repeated[name] ?? [] }

    /// True when the arguments ask for help: `--help` or `-h` anywhere. Commands answer it before
    /// they parse or do anything else (usage on stdout, exit 0).
    public static func asksForHelp(_ args: [String]) -> Bool { args.contains("--help") || args.contains("-h") }

    /// The value of `--name` as one of `T`'s cases (its raw value), nil when absent; an unknown
    /// value is a usage error naming the option, the value and the accepted values.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String) throws -> T? where T.RawValue == String {
        guard let v = options[name] else { return nil }
        guard let c = T(rawValue: v) else {
            let accepted = T.allCases.map(\.rawValue).joined(separator: "、")
            throw UsageError("选项 --\(name) 的值“\(v)”无效，可用：\(accepted) / unknown value '\(v)' for --\(name)")
        }
        return c
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default def: T) throws -> T
    where T.RawValue == String {
        try choice(name) ?? def
    }

    /// A positive number of seconds (`--name 2.5`).
    public func seconds(_ name: String, default def: Double) throws -> Double {
        guard let v = options[name] else { return def }
        guard let s = Double(v), s > 0, s <= 3600 else {
            throw UsageError("选项 --\(name) 需要 0 到 3600 之间的秒数，实际为“\(v)” / --\(name) needs seconds, got '\(v)'")
        }
        return s
    }

    /// Refuses an option (or switch) not in `known`, naming it: a misspelled option must not be ignored.
    public func onlyOptions(_ known: Set<String>) throws {
        for name in Set(options.keys).union(flags).sorted() where !known.contains(name) {
            throw UsageError("未知的选项 --\(name) / unknown option --\(name)")
        }
    }

    public func positional(_ index: Int, _ what: String) throws -> String {
        guard index < positionals.count else { throw UsageError("missing \(what)") }
        return positionals[index]
    }
}

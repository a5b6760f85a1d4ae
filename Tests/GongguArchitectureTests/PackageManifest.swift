import Foundation

/// The targets of Package.swift, read as text (this test target builds without the package's other
/// targets, so it cannot ask SwiftPM).
///
/// A tolerant parser, good for the forms the manifest uses and says so when it meets another:
/// - comments are removed first (`//` to the end of the line, `/* … */`), outside string literals;
/// - top-level constants `let name = "text"` or `let name = ["a", "b"]` (like `serviceExtras`) are
///   collected and stand for their value wherever a target's argument names them;
/// - every call `.target(`, `.executableTarget(`, `.testTarget(`, `.systemLibrary(` (and
///   `.binaryTarget(`, `.plugin(`, `.macro(`) that is not inside another such call is a target; its
///   arguments are split at the top-level commas into `label: value`;
/// - `name:` must be a string literal or a constant; `dependencies:` a list (or a constant, or lists
///   joined by `+`) of `"Name"`, `.target(name: "Name")`, `.byName(name: "Name")` or
///   `.product(…)` (another package's product: not a module of this project, left out);
///   `path:`, `exclude:` and `sources:` are read the same way;
/// - a target without `path:` lives in `Tests/<name>` (test targets) or `Sources/<name>` (the others),
///   SwiftPM's defaults.
/// Anything else in those arguments (string interpolation, a function call, a loop that makes
/// targets) throws `ManifestError` naming the target and the text, so the parser is extended rather
/// than silently wrong; `ModuleGraphTests` also checks that every folder under Sources/ and Tests/
/// belongs to a target it found.
struct PackageManifest {
    enum Kind: String {
        case target, executableTarget, testTarget, systemLibrary, binaryTarget, plugin, macro
    }

    struct Target {
        let name: String
        let kind: Kind
        /// Targets of this package named in `dependencies:` (external products left out).
        let dependencies: [String]
        /// Relative to the package root.
        let path: String
        let exclude: [String]
        let sources: [String]?

        /// The name `import` uses: SwiftPM's c99 name (`gonggu-bench` → `gonggu_bench`).
        var moduleName: String {
            String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        }

        var isTest: Bool { kind == .testTarget }
    }

    struct ManifestError: Error, CustomStringConvertible {
        let description: String
    }

    let targets: [Target]

    init(text: String) throws {
        let code = Self.strippingComments(text)
        let constants = Self.constants(in: code)
        var targets: [Target] = []
        let chars = Array(code)
        var i = 0
        while i < chars.count {
            guard chars[i] == ".", let (kind, open) = Self.targetCall(at: i, in: chars) else {
                if chars[i] == "\"" { i = Self.endOfString(from: i, in: chars) } else { i += 1 }
                continue
            }
            let close = try Self.matching(open, in: chars)
            let arguments = try Self.splitTopLevel(String(chars[(open + 1)..<close]), separator: ",")
            targets.append(try Self.target(kind: kind, arguments: arguments, constants: constants))
            i = close + 1
        }
        guard !targets.isEmpty else { throw ManifestError(description: "no target found in Package.swift") }
        self.targets = targets
    }

    subscript(name: String) -> Target? { targets.first { $0.name == name } }

    // MARK: One target

    private static func target(kind: Kind, arguments: [String], constants: [String: Value]) throws -> Target {
        var labelled: [String: String] = [:]
        for argument in arguments {
            guard let colon = argument.firstIndex(of: ":") else { continue }
            let label = argument[..<colon].trimmingCharacters(in: .whitespacesAndNewlines)
            labelled[label] = argument[argument.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let nameText = labelled["name"], case .string(let name)? = try value(nameText, constants: constants)
        else { throw ManifestError(description: "a .\(kind.rawValue)( without a literal name: \(arguments)") }
        func strings(_ label: String) throws -> [String]? {
            guard let text = labelled[label] else { return nil }
            switch try value(text, constants: constants) {
            case .list(let items): return items
            case .string(let item): return [item]
            case nil: throw ManifestError(description: "target \(name): cannot read \(label): \(text)")
            }
        }
        let defaultFolder = kind == .testTarget ? "Tests" : "Sources"
        var path = try strings("path")?.first ?? "\(defaultFolder)/\(name)"
        while path.hasSuffix("/") { path.removeLast() }
        return Target(
            name: name, kind: kind, dependencies: try strings("dependencies") ?? [], path: path,
            exclude: try strings("exclude") ?? [], sources: try strings("sources"))
    }

    enum Value {
        case string(String)
        case list([String])
    }

    /// A string literal, a list, a constant, or lists joined by `+`; nil for anything else.
    private static func value(_ text: String, constants: [String: Value]) throws -> Value? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = try splitTopLevel(text, separator: "+")
        if parts.count > 1 {
            var items: [String] = []
            for part in parts {
                switch try value(part, constants: constants) {
                case .list(let more): items += more
                case .string(let more): items.append(more)
                case nil: return nil
                }
            }
            return .list(items)
        }
        if let literal = stringLiteral(text) { return .string(literal) }
        if let constant = constants[text] { return constant }
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        var items: [String] = []
        for element in try splitTopLevel(String(text.dropFirst().dropLast()), separator: ",") {
            let element = element.trimmingCharacters(in: .whitespacesAndNewlines)
            if element.isEmpty { continue }
            if let literal = stringLiteral(element) {
                items.append(literal)
            } else if element.hasPrefix(".product(") {
                continue
            } else if element.hasPrefix(".target(") || element.hasPrefix(".byName(") {
                guard let start = element.firstIndex(of: "\""), let literal = stringLiteral(
                    String(element[start...].prefix { $0 != "," && $0 != ")" }))
                else { return nil }
                items.append(literal)
            } else if case .list(let more)? = constants[element] {
                items += more
            } else if case .string(let more)? = constants[element] {
                items.append(more)
            } else {
                return nil
            }
        }
        return .list(items)
    }

    private static func stringLiteral(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\""), !text.hasPrefix("\"\"\"") else { return nil }
        let body = text.dropFirst().dropLast()
        guard !body.contains("\""), !body.contains("\\(") else { return nil }
        return String(body)
    }

    /// `let name = …` at any level whose value is a literal or a list of literals.
    private static func constants(in code: String) -> [String: Value] {
        var constants: [String: Value] = [:]
        let pattern = try! NSRegularExpression(
            pattern: #"\blet\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=\n]+)?=\s*(\[[^\]]*\]|"[^"\n]*")"#)
        let ns = code as NSString
        for match in pattern.matches(in: code, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: match.range(at: 1))
            if let value = try? value(ns.substring(with: match.range(at: 2)), constants: constants) {
                constants[name] = value
            }
        }
        return constants
    }

    // MARK: Text

    private static func targetCall(at i: Int, in chars: [Character]) -> (Kind, Int)? {
        var j = i + 1
        var word = ""
        while j < chars.count, chars[j].isLetter { word.append(chars[j]); j += 1 }
        while j < chars.count, chars[j] == " " { j += 1 }
        guard j < chars.count, chars[j] == "(", let kind = Kind(rawValue: word) else { return nil }
        // `.target(name:)` inside a dependency list is skipped with its enclosing target; a bare
        // member access such as `x.target(` is not a target either.
        if i > 0, chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_" { return nil }
        return (kind, j)
    }

    private static func endOfString(from i: Int, in chars: [Character]) -> Int {
        var j = i + 1
        while j < chars.count, chars[j] != "\"" {
            if chars[j] == "\\" { j += 1 }
            j += 1
        }
        return j + 1
    }

    private static func matching(_ open: Int, in chars: [Character]) throws -> Int {
        var depth = 0
        var j = open
        while j < chars.count {
            switch chars[j] {
            case "\"": j = endOfString(from: j, in: chars); continue
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth == 0 { return j }
            default: break
            }
            j += 1
        }
        throw ManifestError(description: "unbalanced brackets in Package.swift")
    }

    /// Splits at `separator` where no bracket or string is open.
    private static func splitTopLevel(_ text: String, separator: Character) throws -> [String] {
        let chars = Array(text)
        var parts: [String] = []
        var current = ""
        var depth = 0
        var j = 0
        while j < chars.count {
            let c = chars[j]
            if c == "\"" {
                let end = endOfString(from: j, in: chars)
                current += String(chars[j..<min(end, chars.count)])
                j = end
                continue
            }
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if c == separator, depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
            j += 1
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
        return parts
    }

    static func strippingComments(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var j = 0
        while j < chars.count {
            if chars[j] == "\"" {
                let end = min(endOfString(from: j, in: chars), chars.count)
                out += String(chars[j..<end])
                j = end
            } else if chars[j] == "/", j + 1 < chars.count, chars[j + 1] == "/" {
                while j < chars.count, chars[j] != "\n" { j += 1 }
            } else if chars[j] == "/", j + 1 < chars.count, chars[j + 1] == "*" {
                j += 2
                while j + 1 < chars.count, !(chars[j] == "*" && chars[j + 1] == "/") { j += 1 }
                j += 2
            } else {
                out.append(chars[j])
                j += 1
            }
        }
        return out
    }
}

import Foundation
import GongguCore

/// Configuration: a JSON file plus environment overrides.
///
/// Keys are dotted paths into the file (`log.path`, `endpoints.publish`). The environment variable
/// for a key is `GONGGU_` + the key upper-cased with dots and dashes as underscores
/// (`GONGGU_LOG_PATH`); it wins over the file, which wins over the built-in default.
public struct Config: Sendable {
    private let root: JSONValue
    private let environment: [String: String]
    /// Where the file was read from, if any.
    public let path: String?

    public init(root: JSONValue = .object([]), environment: [String: String] = ProcessInfo.processInfo.environment, path: String? = nil) {
        self.root = root
        self.environment = environment
        self.path = path
    }

    /// Loads `path` (JSON). A missing or invalid file is an error naming the file.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError.unreadable(path) }
        do {
            let value = try JSONValue.parse([UInt8](data))
            guard case .object = value else { throw ConfigError.invalid(path, "the top level must be an object") }
            return Config(root: value, environment: environment, path: path)
        } catch let e as ConfigError {
            throw e
        } catch {
            throw ConfigError.invalid(path, "\(error)")
        }
    }

    /// The environment variable name for a key.
    public static func environmentName(_ key: String) -> String {
        "GONGGU_" + key.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }

    /// The raw value at a dotted key in the file.
    public func value(_ key: String) -> JSONValue? {
        var node: JSONValue? = root
        for part in key.split(separator: ".") { node = node?[String(part)] }
        return node
    }

    public func string(_ key: String, default def: String) -> String {
        if let env = environment[Self.environmentName(key)] { return env }
        return value(key)?.stringValue ?? def
    }

    public func int(_ key: String, default def: Int) throws -> Int {
        if let env = environment[Self.environmentName(key)] {
            guard let v = Int(env) else { throw ConfigError.invalid(Self.environmentName(key), "not an integer: \(env)") }
            return v
        }
        guard let v = value(key) else { return def }
        guard let i = v.intValue else { throw ConfigError.invalid(key, "not an integer") }
        return i
    }

    public func bool(_ key: String, default def: Bool) throws -> Bool {
        if let env = environment[Self.environmentName(key)] {
            switch env.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigError.invalid(Self.environmentName(key), "not a boolean: \(env)")
            }
        }
        guard let v = value(key) else { return def }
        guard let b = v.boolValue else { throw ConfigError.invalid(key, "not a boolean") }
        return b
    }

    /// The dotted keys of the file that match none of `known`, in file order: a misspelled key would
    /// otherwise be ignored and its default silently used. In a pattern, `*` stands for one of
    /// `streams` (the topology's service names: `upstream.*.log`). A known key is a leaf even when its value is an object
    /// or array (`submission.clients`); environment variables are not checked (they are shared with
    /// other programs).
    public func unknownKeys(known: [String], streams: [String]) -> [String] {
        let patterns = known.map { $0.split(separator: ".").map(String.init) }
        func matches(_ path: [String], _ pattern: [String], prefix: Bool) -> Bool {
            guard prefix ? path.count < pattern.count : path.count == pattern.count else { return false }
            for (part, want) in zip(path, pattern) where part != want {
                guard want == "*", streams.contains(part) else { return false }
            }
            return true
        }
        var unknown: [String] = []
        func walk(_ node: JSONValue, _ path: [String]) {
            if !path.isEmpty, patterns.contains(where: { matches(path, $0, prefix: false) }) { return }
            let isPrefix = path.isEmpty || patterns.contains { matches(path, $0, prefix: true) }
            guard case let .object(members) = node, isPrefix else {
                unknown.append(path.joined(separator: "."))
                return
            }
            for (key, value) in members { walk(value, path + [key]) }
        }
        walk(root, [])
        return unknown
    }

    /// Throws `ConfigError.unknownKey` for the first key of the file that matches none of `known`.
    public func refuseUnknownKeys(known: [String], streams: [String]) throws {
        if let key = unknownKeys(known: known, streams: streams).first { throw ConfigError.unknownKey(key) }
    }

    /// A list of strings (environment: comma-separated).
    public func strings(_ key: String, default def: [String]) -> [String] {
        if let env = environment[Self.environmentName(key)] {
            return env.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let items = value(key)?.arrayValue else { return def }
        return items.compactMap(\.stringValue)
    }
}

/// A configuration problem, named precisely enough to fix.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(String)
    /// A value or the file is invalid.
    case invalid(String, String)
    /// The file holds a key no Gonggu program reads (usually a misspelling).
    case unknownKey(String)

    public var description: String {
        switch self {
        case let .unreadable(p): return "cannot read configuration file \(p)"
        case let .invalid(k, why): return "invalid configuration \(k): \(why)"
        case let .unknownKey(k):
            return "unknown configuration key \(k) (misspelled? every key: docs/OPERATIONS.md section 3)"
        }
    }
}

/// Every configuration key the services read (docs/OPERATIONS.md, section 3). A service refuses a
/// file holding any other key (`Config.refuseUnknownKeys`); the set is shared by the four services,
/// so one key table documents them all.
public enum ConfigKeys {
    /// Keys of the service configuration files.
    public static let service: [String] = [
        "data.directory", "log.path", "log.synchronous", "log.index_block_shift", "log.checkpoint",
        "log.pipelined_commits", "log.level", "endpoints.publish", "endpoints.control", "heartbeat.milliseconds",
        "transport.send_hwm", "transport.receive_hwm", "upstreams", "upstream.*.directory", "upstream.*.log",
        // control plane and internal links (docs/OPERATIONS.md §12)
        "control.key_file", "control.clients", "upstream.*.server_public_key_file", "notify.server_public_key_file",
        "endpoints.local_control", "transport.insecure_plain_tcp",
        "upstream.*.read_file", "upstream.*.publish", "upstream.*.replay", "upstream.*.follows",
        "snapshot.enabled", "snapshot.every_events", "snapshot.every_minutes", "snapshot.keep",
        "snapshot.growth_percent",
        // intake (`notify.control`: where receipt rows are checked against the notifier)
        "notify.control", "submission.endpoint", "submission.server_key_file", "submission.max_body_bytes", "submission.max_records",
        "submission.clients",
        // verify and risk
        "rules.file",
        // notify
        "recipients.endpoint", "recipients.server_key_file", "recipients.directory_file", "outbox.directory",
        "webhook.max_attempts", "intake.submission_endpoint", "intake.key_file", "intake.server_public_key_file",
        "recipients.alive_seconds",
        // every service: metrics (docs/MONITORING.md)
        "metrics.listen", "metrics.textfile", "metrics.textfile_seconds",
    ]

    /// Keys of the services file of the `gonggu` command line (`--config SERVICES.json`).
    public static let commandLine: [String] = ["*.control", "*.server_public_key_file", "operator.key_file"]
}

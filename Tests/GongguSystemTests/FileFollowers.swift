import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguNotifyService
import GongguRiskService
import GongguRuntime
import GongguServices
import GongguStore
import GongguVerifyService

/// In-process hosts of the services that follow upstream log files by polling (nothing publishes
/// intake's events), sockets `ipc://<dir>/s-<service>-…`, data in `<dir>/data`: what
/// `DeterministicMergeTests` and `FollowerSnapshotTests` build their runs from.
enum FileFollowers {
    /// The sample recipient directory (Jilin) with every channel a ZeroMQ one nobody connects to:
    /// nothing is delivered, so the notifier's state holds only what it derived.
    @discardableResult
    static func writeRecipients(_ dir: String) throws -> String {
        let recipients = RecipientDirectory.sampleDocument
            .replacingOccurrences(of: #", {"type": "webhook", "url": "http://127.0.0.1:8089/gonggu/notify"}"#, with: "")
            .replacingOccurrences(of: #"{"type": "zmq"}, {"type": "outbox"}"#, with: #"{"type": "zmq"}"#)
            .replacingOccurrences(of: #"{"type": "outbox"}"#, with: #"{"type": "zmq"}"#)
        try recipients.write(toFile: "\(dir)/recipients.json", atomically: true, encoding: .utf8)
        return recipients
    }

    /// `service`'s configuration; `logLevel` is written as `log.level` when given.
    static func config(_ service: String, _ dir: String, logLevel: String? = nil) -> Config {
        let base = "ipc://\(dir)/s-\(service)"
        var root: [(String, JSONValue)] = [
            ("data", .object([("directory", .string("\(dir)/data"))])),
            ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
        ]
        if let logLevel { root.append(("log", .object([("level", .string(logLevel))]))) }
        root.append(("upstream", .object(["intake", "verify", "risk"].map { up in
            (up, .object([("publish", .string("ipc://\(dir)/s-\(up)-pub"))]))
        })))
        if service == "notify" {
            // No recipient endpoint: notifications are made, not sent.
            root.append(("recipients", .object([("directory_file", .string("\(dir)/recipients.json"))])))
        }
        return Config(root: .object(root), environment: [:])
    }

    /// `service`'s settings, following intake's log file by polling.
    static func settings(_ service: String, _ dir: String, logLevel: String? = nil) throws -> ServiceSettings {
        var s = try ServiceSettings(service: service, config: config(service, dir, logLevel: logLevel))
        for i in s.upstreams.indices where s.upstreams[i].stream == "intake" { s.upstreams[i].publish = nil }
        return s
    }

    /// A fresh behaviour of a follower (`verify`, `risk` or `notify`).
    static func behaviour(_ service: String, _ dir: String) throws -> ServiceBehaviour {
        let config = Config(root: .object([]), environment: [:])
        switch service {
        case "verify": return try VerifyService.behaviour(config: config)
        case "risk": return try RiskService.behaviour(config: config)
        default:
            let root: JSONValue = .object([("recipients", .object([("directory_file", .string("\(dir)/recipients.json"))]))])
            return NotifyBehaviour(config: Config(root: root, environment: [:]))
        }
    }

    /// Per upstream, the last seq the log at `path` has consumed (none while the log does not exist or
    /// is being created).
    static func consumed(_ path: String) throws -> [String: Int64] {
        guard FileManager.default.fileExists(atPath: path),
            let log = try? EventLog(path: path, stream: nil, readOnly: true)
        else { return [:] }
        var out: [String: Int64] = [:]
        try log.forEach { e in
            if e.type == InputConsumed.eventType, let m = try? e.decode(InputConsumed.self) { out[m.stream] = m.through }
        }
        return out
    }

    /// The log's last seq (0 while it does not exist).
    static func lastSeq(_ path: String) throws -> Int64 {
        guard FileManager.default.fileExists(atPath: path),
            let log = try? EventLog(path: path, stream: nil, readOnly: true)
        else { return 0 }
        return try log.lastSeq
    }

    /// The events of a log that are not consumption markers, by id.
    static func derived(_ path: String) throws -> [EventID: Event] {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var out: [EventID: Event] = [:]
        try log.forEach { e in if e.type != InputConsumed.eventType { out[e.id] = e } }
        return out
    }
}

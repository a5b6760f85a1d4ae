import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRooms
import GongguRuntime
import GongguServices
import GongguTransport

/// Lays out and starts a whole one-host Gonggu deployment as separate processes — the four services,
/// each with its own log — for `gonggu demo` and the end-to-end tests: keys, configuration files, a
/// recipient directory, and the processes themselves. Endpoints are `ipc://` files in the folder (or
/// loopback tcp ports when asked), so several deployments never collide.
public final class PipelineLauncher {
    public struct Recipient: Sendable {
        public var id: String
        public var name: String
        public var kind: String
        public var level: String
        public var region: String
        public var types: [String]
        public var escalateTo: String?
        public var channels: [String]

        public init(
            id: String, name: String, kind: String, level: String, region: String, types: [String],
            escalateTo: String? = nil, channels: [String] = ["zmq"]
        ) {
            self.id = id
            self.name = name
            self.kind = kind
            self.level = level
            self.region = region
            self.types = types
            self.escalateTo = escalateTo
            self.channels = channels
        }
    }

    public let directory: String
    public let binDirectory: URL
    public let useTCP: Bool
    public private(set) var processes: [String: Process] = [:]
    public let escalationAfterDays: Int
    public var recipients: [Recipient]
    /// Network submission clients of intake besides the notifier: name, kinds, region prefix.
    public var submissionClients: [(name: String, kinds: [String], region: String)] = []
    /// Whether each service serves metrics on a loopback port of its choosing (`metricsPort`) and writes
    /// `metricsTextfile` every second.
    public var metrics = false

    public static let services = Rooms.topology.names

    /// - Parameters:
    ///   - directory: the deployment folder (created 0700): `data/`, `keys/`, `config/`, `logs/`.
    ///   - binDirectory: where `gonggu-intake` … are (default: next to this executable).
    public init(
        directory: String, recipients: [Recipient], escalationAfterDays: Int = 7, useTCP: Bool = false,
        binDirectory: URL? = nil
    ) {
        self.directory = directory
        self.recipients = recipients
        self.escalationAfterDays = escalationAfterDays
        self.useTCP = useTCP
        self.binDirectory = binDirectory ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
    }

    public var dataDirectory: String { "\(directory)/data" }
    public var keysDirectory: String { "\(directory)/keys" }
    public var configDirectory: String { "\(directory)/config" }
    public var logsDirectory: String { "\(directory)/logs" }

    /// Control endpoint of a service.
    public func control(_ service: String) -> String { endpoint(service, "control", offset: 1) }
    /// Publish endpoint of a service.
    public func publish(_ service: String) -> String { endpoint(service, "publish", offset: 0) }
    /// The notifier's recipient endpoint.
    public var recipientEndpoint: String { useTCP ? "tcp://127.0.0.1:7133" : "ipc://\(directory)/notify-recipients.sock" }
    /// Intake's CURVE submission endpoint.
    public var submissionEndpoint: String { useTCP ? "tcp://127.0.0.1:7103" : "ipc://\(directory)/intake-submission.sock" }

    private func endpoint(_ service: String, _ role: String, offset: Int) -> String {
        if useTCP, let p = Rooms.topology[service] { return "tcp://127.0.0.1:\(offset == 0 ? p.publishPort : p.controlPort)" }
        return "ipc://\(directory)/\(service)-\(role).sock"
    }

    /// Key file of a named key (`notify`, `intake`, a recipient id …).
    /// The node_exporter textfile of `service` (with `metrics`).
    public func metricsTextfile(_ service: String) -> String { "\(directory)/gonggu_\(service).prom" }

    /// The port `service` serves metrics on (with `metrics`), from the last `metrics endpoint ready`
    /// line of its log (the port is the kernel's choice).
    public func metricsPort(_ service: String) -> Int? {
        let log = (try? String(contentsOfFile: "\(logsDirectory)/\(service).log", encoding: .utf8)) ?? ""
        for line in log.split(separator: "\n").reversed() where line.contains("\"key\":\"metrics endpoint ready\"") {
            guard let json = line.firstIndex(of: "{"), let v = try? JSONValue.parse(Array(line[json...].utf8)) else {
                continue
            }
            return v["port"]?.intValue
        }
        return nil
    }

    public func keyFile(_ name: String) -> String { "\(keysDirectory)/\(name).key" }
    public func publicKeyFile(_ name: String) -> String { "\(keysDirectory)/\(name).pub" }

    /// Writes keys, configuration and the recipient directory (idempotent: existing keys are kept).
    public func prepare() throws {
        for d in [directory, dataDirectory, keysDirectory, configDirectory, logsDirectory] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Over TCP the internal links and the launcher's own commands use CURVE: a link key per service
        // and an operator key (docs/OPERATIONS.md §12).
        let linkKeys = useTCP ? Self.services.map { "link-\($0)" } + ["operator"] : []
        let serviceKeys = [Service.intake.rawValue, Service.notify.rawValue, "notify-client"]
        for name in serviceKeys + recipients.map(\.id) + submissionClients.map(\.name) + linkKeys
        where !FileManager.default.fileExists(atPath: keyFile(name)) {
            try KeyFiles.write(try CurveKeyPair.generate(), name: name, directory: keysDirectory)
        }
        if useTCP {
            ClientCredentials.shared.setKeys(try KeyFiles.readPair(keyFile("operator")))
            for s in Self.services {
                ClientCredentials.shared.setServerKey(try KeyFiles.readPublic(publicKeyFile("link-\(s)")), for: control(s))
            }
        }
        try writeDirectory()
        try writeConfigs()
    }

    /// The recipient directory document for the configured recipients (keys from their files).
    public func writeDirectory() throws {
        let text = try Self.directoryDocument(
            recipients, version: "demo-1", escalationAfterDays: escalationAfterDays,
            publicKey: { try KeyFiles.readPublic(publicKeyFile($0)) })
        try text.write(toFile: "\(configDirectory)/recipients.json", atomically: true, encoding: .utf8)
    }

    /// A recipient directory document (as `recipients.json`, docs/OPERATIONS.md) naming `recipients`, none revoked;
    /// `publicKey` gives each recipient's CURVE public key by id.
    public static func directoryDocument(
        _ recipients: [Recipient], version: String, escalationAfterDays: Int, publicKey: (String) throws -> String
    ) rethrows -> String {
        let entries: [JSONValue] = try recipients.map { r in
            .object([
                ("id", .string(r.id)), ("name", .string(r.name)), ("kind", .string(r.kind)), ("level", .string(r.level)),
                ("region", .string(r.region)), ("publicKey", .string(try publicKey(r.id))),
                ("types", .array(r.types.map(JSONValue.string))), ("escalateTo", r.escalateTo.map(JSONValue.string) ?? .null),
                ("channels", .array(r.channels.map { .object([("type", .string($0))]) })), ("revoked", .bool(false)),
            ])
        }
        return JSONValue.object([
            ("version", .string(version)), ("escalation", .object([("afterDays", .number(Double(escalationAfterDays)))])),
            ("recipients", .array(entries)),
        ]).jsonString
    }

    private func writeConfigs() throws {
        for s in Self.services {
            try config(s).jsonString.write(toFile: "\(configDirectory)/\(s).json", atomically: true, encoding: .utf8)
        }
    }

    /// The configuration document of `service` in this deployment.
    func config(_ service: String) -> JSONValue {
        let upstreams = Rooms.topology.upstreams(of: service)
        /// Over TCP, a client names the server's public key file beside the endpoint.
        func serverKey(_ name: String) -> [(String, JSONValue)] {
            useTCP ? [("server_public_key_file", .string(publicKeyFile(name)))] : []
        }
        var root: [(String, JSONValue)] = [
            ("data", .object([("directory", .string(dataDirectory))])),
            ("endpoints", .object([("publish", .string(publish(service))), ("control", .string(control(service)))])),
            ("heartbeat", .object([("milliseconds", .number(200))])),
            ("upstreams", .array(upstreams.map(JSONValue.string))),
        ]
        if metrics {
            root.append(("metrics", .object([
                ("listen", .string("127.0.0.1:0")), ("textfile", .string(metricsTextfile(service))),
                ("textfile_seconds", .number(1)),
            ])))
        }
        root.append(("upstream", .object(upstreams.map { up in
            (up, .object([("publish", .string(publish(up))), ("replay", .string(control(up)))] + serverKey("link-\(up)")))
        })))
        // Over TCP the service's link key, the other services' link keys (`internal`) and the operator key
        // (`admin`).
        if useTCP {
            let clients = Self.services.filter { $0 != service }.map { ("link-\($0)", "internal") } + [("operator", "admin")]
            root.append(("control", .object([
                ("key_file", .string(keyFile("link-\(service)"))),
                ("clients", .array(clients.map { name, role in
                    .object([
                        ("name", .string(name)), ("public_key_file", .string(publicKeyFile(name))),
                        ("roles", .array([.string(role)])),
                    ])
                })),
            ])))
        }
        func client(_ name: String, _ keyName: String, kinds: [String], region: String) -> JSONValue {
            .object([
                ("name", .string(name)), ("public_key_file", .string(publicKeyFile(keyName))),
                ("kinds", .array(kinds.map(JSONValue.string))), ("region_prefix", .string(region)),
            ])
        }
        switch service {
        case Service.intake.rawValue:
            let notify = Service.notify.rawValue
            root.append((notify, .object([("control", .string(control(notify)))] + serverKey("link-notify"))))
            root.append(("submission", .object([
                ("endpoint", .string(submissionEndpoint)),
                ("server_key_file", .string(keyFile(Service.intake.rawValue))),
                ("clients", .array(
                    [client(notify, "notify-client", kinds: ["decision"], region: "22")]
                        + submissionClients.map { client($0.name, $0.name, kinds: $0.kinds, region: $0.region) })),
            ])))
        case Service.notify.rawValue:
            root.append(("recipients", .object([
                ("endpoint", .string(recipientEndpoint)),
                ("server_key_file", .string(keyFile(Service.notify.rawValue))),
                ("directory_file", .string("\(configDirectory)/recipients.json")),
            ])))
            root.append((Service.intake.rawValue, .object([
                ("submission_endpoint", .string(submissionEndpoint)), ("key_file", .string(keyFile("notify-client"))),
                ("server_public_key_file", .string(publicKeyFile(Service.intake.rawValue))),
            ])))
        default:
            break
        }
        return .object(root)
    }

    /// Starts one service process (stdout/stderr to `logs/<service>.log`).
    public func start(_ service: String) throws {
        let p = Process()
        p.executableURL = binDirectory.appendingPathComponent("gonggu-\(service)")
        p.arguments = ["--config", "\(configDirectory)/\(service).json"]
        let logPath = "\(logsDirectory)/\(service).log"
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        processes[service] = p
    }

    /// Starts every service and waits until each answers on its control socket.
    public func startAll(timeout: TimeInterval = 60) throws {
        for s in Self.services { try start(s) }
        for s in Self.services { try waitReady(s, timeout: timeout) }
    }

    /// Waits until `service` answers PING.
    public func waitReady(_ service: String, timeout: TimeInterval = 60) throws {
        try waitFor("\(service) to answer PING", timeout: timeout, interval: 0.02) {
            if let p = processes[service], !p.isRunning {
                throw ConfigError.invalid(service, "exited with status \(p.terminationStatus); see \(logsDirectory)/\(service).log")
            }
            return call(service, "PING", timeoutMs: 300)?.status == "OK"
        }
    }

    /// Sends a command to a service's control socket.
    public func call(_ service: String, _ command: String, body: String = "{}", timeoutMs: Int32 = 5000) -> (status: String, body: JSONValue?)? {
        let client = CommandClient(stream: service, endpoint: control(service), timeoutMs: timeoutMs)
        defer { client.close() }
        guard let reply = try? client.call(command, body: Array(body.utf8)) else { return nil }
        return (reply.status, try? JSONValue.parse(reply.body))
    }

    /// The status of every service, or nil for one that does not answer.
    public func statuses() -> [String: JSONValue?] {
        var out: [String: JSONValue?] = [:]
        for s in Self.services { out[s] = call(s, "STATUS", timeoutMs: 2000)?.body }
        return out
    }

    /// True when every consumer's cursor equals its upstream's last seq and the logs stopped moving:
    /// the pipeline is idle (all work done), checked twice with the same result.
    public func isIdle() -> Bool {
        guard let a = Self.progressSnapshot(statuses()) else { return false }
        usleep(300_000)
        guard let b = Self.progressSnapshot(statuses()) else { return false }
        return a == b
    }

    /// Every service's last seq, comparable between two samples, or nil while work is visibly pending
    /// in the STATUS replies `statuses`: a service that did not answer, one that does not follow its
    /// default upstreams, a consumer whose cursor is behind its upstream's last seq, or a service
    /// holding receipts it applied but has not committed yet (the notifier's group commit of
    /// deliveries and acknowledgements, `receiptsAwaitingCommit`: its last seq will still move).
    public static func progressSnapshot(_ statuses: [String: JSONValue?]) -> [String]? {
        var parts: [String] = []
        for s in services {
            guard let v = statuses[s] ?? nil, let last = v["lastSeq"]?.intValue else { return nil }
            guard (v["receiptsAwaitingCommit"]?.intValue ?? 0) == 0 else { return nil }
            parts.append("\(s)=\(last)")
            let following = Set((v["upstreams"]?.arrayValue ?? []).compactMap { $0["stream"]?.stringValue })
            guard following == Set(Rooms.topology.upstreams(of: s)) else { return nil }
            for u in v["upstreams"]?.arrayValue ?? [] {
                guard let stream = u["stream"]?.stringValue, let cursor = u["cursor"]?.intValue,
                    let upstream = statuses[stream] ?? nil, let upLast = upstream["lastSeq"]?.intValue, cursor == upLast
                else { return nil }
            }
        }
        return parts
    }

    /// Waits until `isIdle()`.
    public func waitIdle(timeout: TimeInterval) throws {
        try waitFor("the pipeline to be idle", timeout: timeout, interval: 0.1) { isIdle() }
    }

    /// Stops a service with SIGTERM (SIGKILL after 10 s) and returns its exit status.
    @discardableResult
    public func stop(_ service: String) -> Int32? {
        guard let p = processes[service] else { return nil }
        if p.isRunning {
            kill(p.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }
        processes[service] = nil
        return p.terminationStatus
    }

    /// Kills a service with SIGKILL (crash test).
    public func kill9(_ service: String) {
        guard let p = processes[service] else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        processes[service] = nil
    }

    public func stopAll() {
        for s in Self.services.reversed() { stop(s) }
    }

    /// Path of a service's log file.
    public func logPath(_ service: String) -> String { "\(dataDirectory)/\(service).log.sqlite" }
}

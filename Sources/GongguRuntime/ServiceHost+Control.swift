import Foundation
import GongguCore
import GongguEvents
import GongguStore
import GongguTransport

/// The control plane's moving parts: the access in force (replaced on reload from any thread), the
/// ZAP authenticators of the CURVE control and publish sockets and of local (ipc) peers, and the extra
/// local control server.
final class ControlPlane: @unchecked Sendable {
    private let lock = NSLock()
    private var _access = ControlAccess()
    private var counter = 0
    /// Last refusal logged per peer address (a refused client reconnects every 100 ms or so).
    private var refusalLogged: [String: Date] = [:]
    var control: ZAPAuthenticator?
    var publish: ZAPAuthenticator?
    var local: ZAPAuthenticator?
    var servers: [CommandServer] = []

    var access: ControlAccess {
        get {
            lock.lock()
            defer { lock.unlock() }
            return _access
        }
        set {
            lock.lock()
            _access = newValue
            lock.unlock()
        }
    }

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return counter
    }

    /// Whether a refusal for `address` should be logged now (at most once a minute per address).
    func shouldLogRefusal(_ address: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if let last = refusalLogged[address], now.timeIntervalSince(last) < 60 { return false }
        refusalLogged[address] = now
        return true
    }
}

extension ServiceHost {
    // MARK: Start and stop

    /// Refuses plain TCP (unless the test-only override, which is warned about), starts the ZAP
    /// authenticators and sets the client credentials of the internal links. Before anything binds.
    func startAuthenticators() throws {
        let access = controlAccess
        controlPlane.access = access
        for endpoint in try access.refusePlainTCP(settings: settings) {
            logger.warning(
                "INSECURE: plain TCP endpoint without CURVE (tests only)",
                ["endpoint": .string(endpoint)])
        }
        if let keys = access.keys {
            let control = ZAPAuthenticator(allowed: access.controlAllowList)
            control.onDecision = refusalLogger("control")
            try control.start()
            controlPlane.control = control
            let publish = ZAPAuthenticator(allowed: access.publishAllowList)
            publish.onDecision = refusalLogger("publish")
            try publish.start()
            controlPlane.publish = publish
            ClientCredentials.shared.setKeys(keys)
            for up in settings.upstreams {
                guard let serverKey = access.upstreamServerKeys[up.stream] else { continue }
                for endpoint in [up.publish, up.replay].compactMap({ $0 }) {
                    ClientCredentials.shared.setServerKey(serverKey, for: endpoint)
                }
            }
        }
        let local = ZAPAuthenticator(allowed: [:], admitsLocalPeers: true)
        local.onDecision = refusalLogger("local control")
        try local.start()
        controlPlane.local = local
        try prepareSocketDirectory(settings.publishEndpoint)
    }

    private func refusalLogger(_ socket: String) -> @Sendable (Bool, String?, String) -> Void {
        { [logger, controlPlane] admitted, _, address in
            guard !admitted, controlPlane.shouldLogRefusal("\(socket)|\(address)") else { return }
            logger.warning(
                socket == "local control" ? "local connection refused" : "connection with an unknown CURVE key refused",
                ["socket": .string(socket), "address": .string(address)])
        }
    }

    /// The publish socket's CURVE server, when it is TCP and the service has keys.
    var publishCurve: (CurveKeyPair, ZAPAuthenticator)? {
        guard settings.publishEndpoint.hasPrefix("tcp://"), let keys = controlPlane.access.keys,
            let auth = controlPlane.publish
        else { return nil }
        return (keys, auth)
    }

    /// Starts a control server at `endpoint`: CURVE with the operator keys over TCP, the local peers'
    /// uids over ipc. For the main endpoint, also the extra local one (`endpoints.local_control`).
    func startControlServer(_ endpoint: String, name: String) throws -> CommandServer {
        let access = controlPlane.access
        let channel: ControlChannel
        var curve: (CurveKeyPair, ZAPAuthenticator)?
        var localPeers: ZAPAuthenticator?
        if endpoint.hasPrefix("tcp://") {
            if let keys = access.keys, let auth = controlPlane.control {
                channel = .curve
                curve = (keys, auth)
            } else {
                channel = .insecure
            }
        } else {
            channel = .local
            localPeers = controlPlane.local
        }
        try prepareSocketDirectory(endpoint)
        let logPath = settings.logPath, stream = settings.name
        let server = CommandServer(endpoint: endpoint, curve: curve, localPeers: localPeers) { [self] in
            // This connection lives on the control thread only.
            let reader = try EventLog(path: logPath, stream: stream, readOnly: true)
            return { [self] request in self.handle(request, reader: reader, channel: channel) }
        }
        try server.start(name: name)
        try restrictSocketFile(endpoint)
        if endpoint == settings.controlEndpoint, let local = access.localControlEndpoint {
            controlPlane.servers.append(try startControlServer(local, name: name + "-local"))
        }
        return server
    }

    func stopControlPlane() {
        for s in controlPlane.servers { s.stop() }
        controlPlane.servers = []
        controlPlane.control?.stop()
        controlPlane.publish?.stop()
        controlPlane.local?.stop()
    }

    /// SIGHUP / RELOAD: re-reads the client keys (a revoked key file takes the key out at once).
    func reloadControlPlane() {
        guard let reload = reloadControlAccess else { return }
        do {
            var access = try reload()
            // Endpoints and own keys are bound at start; only the clients change at run time.
            let running = controlPlane.access
            access.keys = running.keys
            access.localControlEndpoint = running.localControlEndpoint
            access.insecurePlainTCP = running.insecurePlainTCP
            controlPlane.access = access
            controlPlane.control?.update(allowed: access.controlAllowList)
            controlPlane.publish?.update(allowed: access.publishAllowList)
            logger.info(
                "control keys reloaded",
                ["clients": .int(access.clients.count), "revoked": .string(access.revoked.joined(separator: ","))])
        } catch {
            logger.error("cannot reload control keys; keeping the old ones", ["error": .string("\(error)")])
        }
    }

    // MARK: Sockets in the runtime directory

    /// The file of an `ipc://` endpoint, nil for others.
    static func socketFile(_ endpoint: String) -> String? {
        guard endpoint.hasPrefix("ipc://") else { return nil }
        let path = String(endpoint.dropFirst("ipc://".count))
        return path.hasPrefix("@") ? nil : path  // abstract sockets have no file
    }

    /// Creates the folder of an ipc socket with mode 0750 (the service group may enter, nobody else)
    /// when absent; warns when an existing one lets others in (the socket files are 0660 all the same).
    func prepareSocketDirectory(_ endpoint: String) throws {
        guard let file = Self.socketFile(endpoint) else { return }
        let dir = (file as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw ConfigError.invalid(
                    "endpoints", "无法创建套接字目录 \(dir) / cannot create the socket folder \(dir): \(error)")
            }
            chmod(dir, 0o750)
            return
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: dir))?[.posixPermissions] as? NSNumber,
            mode.intValue & 0o007 != 0
        {
            logger.warning(
                "socket folder open to other users (systemd: RuntimeDirectoryMode=0750)",
                ["path": .string(dir), "mode": .string(String(mode.intValue, radix: 8))])
        }
    }

    /// Makes a bound ipc socket file 0660: the service group may connect, others may not (connecting
    /// to a Unix socket needs write permission on its file).
    func restrictSocketFile(_ endpoint: String) throws {
        guard let file = Self.socketFile(endpoint) else { return }
        guard chmod(file, 0o660) == 0 else {
            throw ConfigError.invalid("endpoints", "cannot set mode 0660 on \(file): errno \(errno)")
        }
    }

    // MARK: Authorisation

    /// The region prefix an operator key may import (nil: no restriction). Local peers are named
    /// `uid:…` and client names hold no `:`, so a name cannot stand for the other.
    public func importRegionPrefix(for request: CommandRequest) -> String? {
        guard let client = controlPlane.access.client(named: request.peer), !client.regionPrefix.isEmpty else {
            return nil
        }
        return client.regionPrefix
    }

    /// Refuses a command the sender may not give (logged), and records an accepted command that
    /// changes something (`CommandAccepted`) before it is carried out. Nil: go ahead.
    func authorize(_ request: CommandRequest, channel: ControlChannel) -> CommandReply? {
        let command = request.command
        let sender: String
        var client: ControlClient?
        switch channel {
        case .local: sender = request.peer ?? "local"
        case .insecure: sender = "insecure-tcp"
        case .curve:
            guard let c = controlPlane.access.client(named: request.peer) else {
                return refuse(command, by: request.peer ?? "?", channel, "unknown_key", "密钥未获授权 / key not allowed")
            }
            client = c
            sender = c.name
        }
        if let role = ControlAccess.requiredRole(for: command), let c = client, !c.has(role) {
            return refuse(
                command, by: sender, channel, "forbidden",
                "密钥“\(sender)”没有“\(role.chinese)”权限，不能执行 \(command) / key \(sender) lacks role \(role.rawValue) for \(command)")
        }
        let body = (try? JSONValue.parse(request.body)) ?? .object([])
        if command == "IMPORT_BEGIN", let c = client, !c.kinds.isEmpty {
            let kind = body["kind"]?.stringValue ?? ""
            guard c.kinds.contains(kind) else {
                return refuse(
                    command, by: sender, channel, "kind_not_allowed",
                    "密钥“\(sender)”无权导入“\(kind)”类记录 / key \(sender) may not import \(kind)")
            }
        }
        // A tick's dry run (`gonggu tick` asks every service first, "check": true) changes nothing.
        let dryRun = command == "TICK" && body["check"]?.boolValue == true
        guard ControlAccess.isRecorded(command), !dryRun else { return nil }
        var detail = ""
        switch command {
        case "TICK": detail = body["date"]?.stringValue ?? ""
        case "RULES": detail = body["document"]?.stringValue.map { "sha256=" + SHA256.hash($0).hexString } ?? ""
        case "IMPORT_BEGIN":
            detail = "kind=\(body["kind"]?.stringValue ?? "") file=\(body["file"]?.stringValue ?? "")"
            if let prefix = client?.regionPrefix, !prefix.isEmpty { detail += " region_prefix=\(prefix)" }
        default: break
        }
        let now = Self.now()
        let event = Event(
            CommandAccepted(command: command, by: sender, channel: channel.rawValue, detail: detail),
            id: EventID.derived("\(settings.name)|command|\(sender)|\(command)|\(now)|\(controlPlane.next())"),
            subject: sender, region: "", occurredAt: now)
        do {
            _ = try submit([event])
        } catch {
            return .error("unavailable", "服务暂时无法记录该命令，未执行 / cannot record the command; not carried out: \(error)")
        }
        logger.info(
            "control command accepted",
            ["command": .string(command), "by": .string(sender), "channel": .string(channel.rawValue)])
        return nil
    }

    private func refuse(
        _ command: String, by sender: String, _ channel: ControlChannel, _ code: String, _ message: String
    ) -> CommandReply {
        logger.warning(
            "control command refused",
            [
                "command": .string(command), "by": .string(sender), "channel": .string(channel.rawValue),
                "code": .string(code),
            ])
        return .error(code, message)
    }
}

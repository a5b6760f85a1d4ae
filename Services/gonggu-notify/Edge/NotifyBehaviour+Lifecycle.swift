import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime
import GongguTransport

/// Start, reload and stop: the recipient socket and its keys, the recipient directory, outbox,
/// webhooks and the decision forwarder.
extension NotifyBehaviour {
    public func didStart(host: ServiceHost) throws {
        guard (1...86_400).contains(try config.int("recipients.alive_seconds", default: 90)) else {
            throw ConfigError.invalid("recipients.alive_seconds", "must be between 1 and 86400")
        }
        if let text = try directoryDocument() {
            try RecipientDirectory.validate(document: text)
            try activate(directory: text, host: host, direct: true)
        }
        let dir = config.string("outbox.directory", default: "\(host.settings.dataDirectory)/outbox")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        outboxDirectory = dir
        webhooks = WebhookSender(
            maxAttempts: try config.int("webhook.max_attempts", default: 6), logger: host.logger,
            delivered: { [weak host] event in _ = try? host?.submit([event]) })
        let intakeEndpoint = config.string("intake.submission_endpoint", default: "")
        if !intakeEndpoint.isEmpty {
            let keys = try KeyFiles.readPair(config.string("intake.key_file", default: ""))
            let serverKey = try KeyFiles.readPublic(config.string("intake.server_public_key_file", default: ""))
            forwarder = DecisionForwarder(endpoint: intakeEndpoint, keys: keys, serverKey: serverKey, logger: host.logger)
        }
        let endpoint = config.string("recipients.endpoint", default: "")
        guard !endpoint.isEmpty else { return }
        let serverKeys = try KeyFiles.readPair(config.string("recipients.server_key_file", default: ""))
        let auth = ZAPAuthenticator(allowed: fold.directory?.admittedKeys ?? [:])
        auth.onDecision = { [logger = host.logger] admitted, name, address in
            if !admitted { logger.warning("recipient refused (unknown or revoked key)", ["peer": .string(address)]) }
            else { logger.info("recipient admitted", ["recipient": .string(name ?? "?")]) }
        }
        try auth.start()
        authenticator = auth
        let socket = try ZMQSocket(.router, lingerMs: 0, maxMessageSize: 64 * 1024)
        try socket.makeCurveServer(serverKeys, authenticator: auth)
        try socket.set(ZMQ_ROUTER_MANDATORY_OPTION, Int32(1))
        try socket.setSendTimeout(0)
        try socket.setHighWaterMarks(send: 100_000)
        try socket.bind(endpoint)
        router = socket
        host.logger.info("recipient endpoint ready", ["endpoint": .string(endpoint)])
    }

    func directoryDocument() throws -> String? {
        let path = config.string("recipients.directory_file", default: "")
        guard !path.isEmpty else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError.unreadable(path) }
        return text
    }

    /// Appends `DirectoryActivated` unless this exact document is already in force.
    func activate(directory text: String, host: ServiceHost, direct: Bool) throws {
        let directory = try RecipientDirectory(text: text)
        guard !activatedDirectories.contains(directory.sha256) else { return }
        let event = Event(
            DirectoryActivated(directory), id: EventID.derived("notify|directory|\(directory.sha256)"),
            subject: "directory", region: "", occurredAt: ServiceHost.now())
        if direct { try host.appendInputs([event]) } else { _ = try host.submit([event]) }
        host.logger.info("recipient directory activated", ["directory.version": .string(directory.version)])
    }

    public func reload(host: ServiceHost) {
        do {
            guard let text = try directoryDocument() else { return }
            try activate(directory: text, host: host, direct: false)
            // The allow-list and live connections follow on the loop thread.
            _ = host.loopTasks.perform { [self] in refreshAccess() }
        } catch {
            host.logger.error("directory reload refused; the previous directory stays in force", ["error": .string("\(error)")])
        }
    }

    /// Loop thread: admits exactly the directory's current keys and drops revoked recipients.
    func refreshAccess() {
        authenticator?.update(allowed: fold.directory?.admittedKeys ?? [:])
        for id in connections.keys where fold.directory?.recipient(id)?.revoked ?? true {
            connections[id] = nil
            sendQueues[id] = nil
        }
    }

    public func willStop(host: ServiceHost) {
        // A graceful stop loses no acknowledgement: committed before the sockets close.
        flushUnlogged(host, pipelined: false)
        router?.close()
        authenticator?.stop()
        forwarder?.stop()
    }
}

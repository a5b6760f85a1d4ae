import Foundation
import GongguCore
import GongguNotify
import GongguRuntime
import GongguTransport

/// The notifier service: `NotifyFold` for routing, acknowledgement and escalation state, and the
/// edges that meet other organisations — the CURVE-authenticated recipient socket (owned by the loop
/// thread), daily outbox files, HTTP webhooks, and forwarding bureau decisions to intake.
///
/// Deliveries and acknowledgements are events in the notifier's log (`NotificationReceipts`, one per
/// recipient per commit): at-least-once on the wire, exactly-once in effect by notification id.
///
/// **Group commit of deliveries and acknowledgements.** The edge applies each receipt to the fold when
/// it happens and queues it under its recipient. The queue, sealed into one `NotificationReceipts`
/// event per recipient (`unlogged`), goes into the log in front of whatever the loop commits next —
/// the next consumed upstream batch (`apply(upstream:)`), the next processed input (`process(input:)`:
/// ticks, bureau decisions, directory activations) — or on its own once its oldest receipt has waited
/// `groupCommitWindow` (on the host's commit thread with `log.pipelined_commits`, while the loop goes on;
/// at a graceful stop, at once). So a busy loop turn makes one durable commit instead
/// of three, with about one log row per notification instead of three; the order in the log is the
/// order in which the fold saw everything, up to receipts of different recipients, which concern
/// different notifications (replay rebuilds the same state). What a crash loses is at most the last
/// window's acknowledgements: those notifications are sent again on reconnect, which the protocol
/// allows (docs/RELIABILITY.md). Webhook deliveries, recorded by the webhook thread through the inbox,
/// stay single `NotificationDelivered` events.
public final class NotifyBehaviour: ServiceBehaviour {
    private var fold = NotifyFold()
    private let config: Config
    private var activatedDirectories = Set<String>()

    // Recipient edge (loop thread only).
    private var router: ZMQSocket?
    private var authenticator: ZAPAuthenticator?
    /// Recipient id → ZeroMQ routing id of its live connection.
    private var connections: [String: [UInt8]] = [:]
    /// Recipient id → monotonic ns of its last message (any: hello, ack, decision, ping). A recipient
    /// counts as connected while heard from within `aliveNanoseconds` (`recipients.alive_seconds`):
    /// a client that went away without a word stops counting, though its connection entry stays.
    private var lastHeard: [String: UInt64] = [:]
    private let aliveNanoseconds: UInt64
    /// Recipient id → notifications still to send on the current connection, in order.
    private var sendQueues: [String: DeliveryQueue] = [:]
    /// Deliveries and acknowledgements applied to the fold and not yet sealed into events.
    private var receipts = ReceiptQueue()
    /// Sealed receipt events not yet in the log (a refused commit leaves them here); the ids of those not
    /// yet committed (`process(input:)` must not apply them twice).
    private var unlogged: [Event] = []
    private var unloggedIDs = Set<EventID>()
    /// Monotonic ns when the oldest receipt not in the log was queued.
    private var unloggedSince: UInt64 = 0
    /// Whether a receipt waits for a commit.
    private var hasUnlogged: Bool { !receipts.isEmpty || !unlogged.isEmpty }
    /// Longest an acknowledgement waits for a commit to ride in, and the most receipts that wait.
    private let groupCommitWindow: UInt64 = 20_000_000
    private let groupCommitLimit = 20_000
    /// Ids of the bureau decisions logged (an id derives from the frame's bytes, so a frame sent again is
    /// known here). An input whose id the log already holds would fail the append of the whole batch —
    /// losing every other input read with it.
    private var decisionInputs = Set<EventID>()
    private var forwarder: DecisionForwarder?
    private var webhooks: WebhookSender?
    private var outboxDirectory: String?
    /// When `overdueNotifications` was last counted for the status board.
    private var overdueCountedAt = Date.distantPast
    /// Most notifications sent to one recipient per loop turn (keeps the loop responsive).
    private let sendBurst = 2000

    public init(config: Config) {
        self.config = config
        // Checked at start (`didStart`: a bad value exits 78 there).
        let alive = (try? config.int("recipients.alive_seconds", default: 90)) ?? 90
        aliveNanoseconds = UInt64(min(86_400, max(1, alive))) * 1_000_000_000
    }

    public func isOwnInput(_ type: String) -> Bool { NotifyFold.ownInputTypes.contains(type) }

    public func process(input: Event) -> [Event] {
        // A queued delivery or acknowledgement being committed on its own: the fold has it already.
        if unloggedIDs.contains(input.id) { return [input] }
        note(input)
        return takeUnlogged() + [input] + fold.apply(input)
    }

    /// The queued own inputs ride in the consumed batch's commit, before its outputs: the fold applied
    /// them before this upstream event, and replay (own inputs by type, then the marker's range) applies
    /// them in that order too.
    public func apply(upstream event: Event, stream: String) -> [Event] {
        if !hasUnlogged { return fold.apply(event) }
        return takeUnlogged() + fold.apply(event)
    }

    /// Hands the queued own inputs to a commit the host is about to make (they count as logged from
    /// here: a refused commit of a consumed batch or of processed inputs stops the service for a
    /// rebuild from the log, or leaves them out of it like any refused input).
    private func takeUnlogged() -> [Event] {
        sealReceipts()
        guard !unlogged.isEmpty else { return [] }
        let events = unlogged
        unlogged.removeAll(keepingCapacity: true)
        for e in events { unloggedIDs.remove(e.id) }
        return events
    }

    /// Applies a delivery or acknowledgement of `recipient` to the fold and queues it for the log.
    private func receipt(_ entry: NotificationReceipts.Entry, recipient: String) {
        fold.applyReceipt(entry, recipient: recipient)
        if !hasUnlogged { unloggedSince = DispatchTime.now().uptimeNanoseconds }
        receipts.append(entry, recipient: recipient)
    }

    /// Seals the queued receipts into one `NotificationReceipts` event per recipient, queued for the log.
    private func sealReceipts() {
        for event in receipts.seal() {
            unlogged.append(event)
            unloggedIDs.insert(event.id)
        }
    }

    /// Commits the queue on its own (nothing else came to carry it): `pipelined`, on the host's commit
    /// thread while the loop goes on (a refused commit then stops the service for a rebuild); otherwise
    /// at once, and on failure it stays queued, still applied, and the next commit takes it.
    private func flushUnlogged(_ host: ServiceHost, pipelined: Bool = true) {
        sealReceipts()
        guard !unlogged.isEmpty else { return }
        let events = unlogged
        unlogged.removeAll()
        do {
            if pipelined { try host.appendInputsPipelined(events) } else { try host.appendInputs(events) }
            for e in events { unloggedIDs.remove(e.id) }
        } catch {
            unlogged = events + unlogged
        }
    }

    public func replayOwnInput(_ event: Event) {
        note(event)
        _ = fold.apply(event)
    }

    private func note(_ event: Event) {
        if event.type == BureauDecisionSubmitted.eventType { decisionInputs.insert(event.id) }
        if event.type == DirectoryActivated.eventType, let d = try? event.decode(DirectoryActivated.self) {
            activatedDirectories.insert(d.sha256)
        }
    }

    public func stateDigest() -> String { fold.stateDigest() }

    /// Snapshot (`Snapshots`): `{"fold": <NotifyFold's state>, "decisionInputs": [ids], "directories":
    /// [sha256, …]}` — the fold and what the replay of the own inputs rebuilds beside it (`note`). The
    /// delivery queues are built from the fold when recipients connect, and deliveries go on from the
    /// fold's pending notifications, so nothing else of the edges needs keeping.
    public func snapshot() -> (() -> (state: [UInt8], digest: String))? {
        // Deliveries and acknowledgements applied to the fold and not yet handed to a commit would put
        // the snapshot ahead of the log at its seq: none this time (the host tries again next turn).
        guard !hasUnlogged else { return nil }
        let copy = fold, inputs = decisionInputs, directories = activatedDirectories
        return {
            var w = JSONWriter(capacity: 1 << 20)
            w.beginObject()
            w.key("fold")
            copy.writeSnapshot(to: &w)
            w.field("decisionInputs", inputs.sorted().map(\.description))
            w.field("directories", directories.sorted())
            w.endObject()
            return (w.bytes, copy.stateDigest())
        }
    }

    public func restore(snapshot: [UInt8], digest: String) throws {
        var restored: NotifyFold?
        var inputs = Set<EventID>()
        var directories = Set<String>()
        try JSONReader.read(snapshot) { r in
            try r.readObject { r, k in
                switch k.string {
                case "fold": restored = try NotifyFold(snapshot: &r)
                case "decisionInputs": try r.readArray { inputs.insert(try $0.readEventID()) }
                case "directories": directories = Set(try r.readStringArray())
                default: try r.skipValue()
                }
            }
        }
        guard let restored else { throw Snapshots.Rejection.stateRefused("no fold state") }
        guard restored.stateDigest() == digest else { throw Snapshots.Rejection.digestDiffers }
        fold = restored
        decisionInputs = inputs
        activatedDirectories = directories
    }

    /// No service follows the notifier: its own events need not name the upstream positions they came
    /// from (a notification's `source` still carries the `basis` of the risk decision or finding).
    public var recordsUpstreamBasis: Bool { false }

    // MARK: Start, reload, stop

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

    private func directoryDocument() throws -> String? {
        let path = config.string("recipients.directory_file", default: "")
        guard !path.isEmpty else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError.unreadable(path) }
        return text
    }

    /// Appends `DirectoryActivated` unless this exact document is already in force.
    private func activate(directory text: String, host: ServiceHost, direct: Bool) throws {
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
    private func refreshAccess() {
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

    // MARK: Commands

    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        switch request.name {
        case .tick:
            guard let tick = ClockCommand.request(request) else { return ClockCommand.usage }
            guard let last = host.loopTasks.perform({ [self] in fold.clockDate }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            if let answer = ClockCommand.answer(tick, lastTickDay: last.flatMap(BusinessCalendar.dayNumber)) {
                return answer
            }
            let event = ClockCommand.tick(tick, service: host.settings.name)
            do {
                let recorded = try host.submit([event])
                return CommandReply(status: "OK", body: Array("{\"appended\":\(recorded.count)}".utf8))
            } catch {
                return .error(.unavailable, "\(error)")
            }
        case .receiptCheck:
            // Intake asks, at import of a returned outbox file, where the notification a row names stands.
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            guard let id = body["id"]?.stringValue else {
                return .error(.badRequest, "RECEIPT_CHECK needs {\"id\": \"…\"}")
            }
            guard let answer = host.loopTasks.perform({ [self] () -> [UInt8] in
                var w = JSONWriter()
                w.beginObject()
                if let t = fold.receiptTarget(id) {
                    w.field("found", true)
                    w.field("recipient", t.recipient)
                    w.field("created", t.created)
                    w.field("outbox", t.outbox)
                    w.field("closed", t.closed)
                } else {
                    w.field("found", false)
                }
                w.endObject()
                return w.bytes
            }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            return CommandReply(status: "OK", body: answer)
        case .pending:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            guard let recipient = body["recipient"]?.stringValue else {
                return .error(.badRequest, "PENDING needs {\"recipient\": \"…\"}")
            }
            guard let count = host.loopTasks.perform({ [self] in fold.pendingIDs(for: recipient).ids.count }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            return CommandReply(status: "OK", body: Array("{\"pending\":\(count)}".utf8))
        case .overdue:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            let recipient = body["recipient"]?.stringValue
            let answer = host.loopTasks.perform { [self] () -> [UInt8] in
                var w = JSONWriter()
                w.beginArray()
                let ids = recipient.map { [$0] } ?? (fold.directory?.recipients.map(\.id) ?? [])
                for id in ids {
                    for o in fold.overdue(for: id) {
                        w.beginObject()
                        w.field("recipient", id)
                        w.field("notification", o.notification.notificationID)
                        w.field("title", o.notification.title)
                        w.field("created", o.notification.created)
                        w.field("daysOverdue", o.daysOverdue)
                        w.endObject()
                    }
                }
                w.endArray()
                return w.bytes
            }
            guard let answer else { return .error(.busy, "the service loop did not answer in time") }
            return CommandReply(status: "OK", body: answer)
        default:
            return nil
        }
    }

    // MARK: The recipient edge (loop thread)

    public var loopSockets: [ZMQSocket] { router.map { [$0] } ?? [] }

    public func loopSocketReadable(_ index: Int, host: ServiceHost) -> [Event] {
        guard let router else { return [] }
        var inputs: [Event] = []
        var received = 0
        let now = ServiceHost.now()
        while received < 5000, let message = try? router.receiveMessage(dontWait: true) {
            received += 1
            guard message.parts.count == 2, let recipient = message.userID else { continue }
            let routingID = message.parts[0], body = message.parts[1]
            lastHeard[recipient] = DispatchTime.now().uptimeNanoseconds
            if let id = RecipientMessage.compactAckID(body) {
                ensureConnected(recipient, routingID: routingID)
                acknowledge(id, by: recipient, at: now)
                continue
            }
            let decoded: RecipientMessage
            do {
                decoded = try RecipientMessage.decode(body)
            } catch {
                // Refused like any other message: a `hello` with a field it does not have included.
                ensureConnected(recipient, routingID: routingID)
                if let e = error as? WireError {
                    send(.error(e), to: recipient)
                } else {
                    send(.error(code: "malformed_json", message: "消息无法解析"), to: recipient)
                }
                continue
            }
            if decoded == .hello {
                connect(recipient, routingID: routingID)
                continue
            }
            ensureConnected(recipient, routingID: routingID)
            switch decoded {
            case .hello:
                continue
            case .ping:
                send(.pong, to: recipient)
            case let .ack(id):
                acknowledge(id, by: recipient, at: now)
            case let .acks(ids):
                for id in ids { acknowledge(id, by: recipient, at: now) }
            case let .decision(d):
                let submission = d.submission(recipient: recipient)
                let hash = SHA256.hash(body).hexString
                var id = EventID.derived("decision|\(recipient)|\(hash)")
                if decisionInputs.contains(id) {
                    // The same frame again (resent after a lost reply): its id is in the log already.
                    // Answered from the fold's state — `duplicate` once it was forwarded, else the reason
                    // it is refused now — without logging it again.
                    do {
                        _ = try fold.validate(decision: submission)
                    } catch {
                        let refusal = error as? DecisionRefusal ?? DecisionRefusal(.duplicate, "该决定已于此前受理，无需重复提交")
                        send(.error(refusal), to: recipient)
                        continue
                    }
                    // Valid by the state the fold has now (refused before, or its first copy is still in
                    // this batch): logged under an id of its own; the fold decides, `duplicate` included.
                    var n = 1
                    while decisionInputs.contains(id) {
                        id = EventID.derived("decision|\(recipient)|\(hash)|\(n)")
                        n += 1
                    }
                }
                decisionInputs.insert(id)
                inputs.append(
                    Event(submission, id: id, subject: d.household, region: "", occurredAt: ServiceHost.now()))
            case .notification, .error, .pong:
                send(.error(code: "unexpected", message: "接收方不应发送此类消息"), to: recipient)
            }
        }
        if receipts.count >= groupCommitLimit && inputs.isEmpty { flushUnlogged(host) }
        // Decisions are committed now, with the queue in front (`process(input:)`): a bureau's decision
        // is durable before `decisionAccepted` answers it.
        return inputs
    }

    /// An acknowledgement: applied to the fold now, logged with the next commit (group commit).
    private func acknowledge(_ id: String, by recipient: String, at now: Timestamp) {
        receipt(.acknowledged(id, at: now), recipient: recipient)
    }

    /// A message from `recipient` over `routingID`: a connection not seen before counts as a (re)connect.
    private func ensureConnected(_ recipient: String, routingID: [UInt8]) {
        if connections[recipient] != routingID { connect(recipient, routingID: routingID) }
    }

    /// A recipient (re)connected: everything it has not acknowledged is sent again, in order.
    private func connect(_ recipient: String, routingID: [UInt8]) {
        connections[recipient] = routingID
        let pending = fold.pendingIDs(for: recipient)
        sendQueues[recipient] = DeliveryQueue(pending: pending.ids, nextOrdinal: pending.nextOrdinal)
    }

    private func send(_ message: RecipientMessage, to recipient: String) {
        guard let router, let routingID = connections[recipient] else { return }
        do {
            try router.send(routingID, more: true)
            try router.send(message.encoded())
        } catch {
            // Unroutable (the peer went away): forget the connection; it re-sends hello on reconnect.
            connections[recipient] = nil
            sendQueues[recipient] = nil
        }
    }

    public func onLoop(host: ServiceHost) {
        // Send what is queued for connected recipients, recording each delivery.
        let now = ServiceHost.now()
        // By recipient id, not over the dictionary: iterating it would hold every queue while sent ids
        // are removed, and copy them.
        for recipient in Array(sendQueues.keys) {
            guard let routingID = connections[recipient], let router,
                let burst = sendQueues[recipient]?.front(sendBurst), !burst.isEmpty
            else { continue }
            var sent = 0
            for key in burst {
                guard let (open, deliveries) = fold.openNotificationForDelivery(key) else {
                    sent += 1
                    continue
                }
                do {
                    // A full send queue (the recipient reads slower than we send) is not a delivery:
                    // stop this recipient's burst and keep the rest queued for the next turn.
                    guard try router.send(routingID, more: true, dontWait: true) else { break }
                    try router.send(RecipientMessage.encoded(open.notification))
                } catch {
                    connections[recipient] = nil
                    break
                }
                sent += 1
                receipt(
                    .delivered(open.notification.notificationID, channel: "zmq", attempt: deliveries + 1, at: now),
                    recipient: recipient)
            }
            if connections[recipient] == nil {
                sendQueues[recipient] = nil
            } else {
                sendQueues[recipient]?.removeFirst(sent)
            }
        }
        // Group commit: the queue rides in the next commit; on its own only when none came in time.
        if hasUnlogged,
            receipts.count >= groupCommitLimit
                || DispatchTime.now().uptimeNanoseconds - unloggedSince >= groupCommitWindow
        {
            flushUnlogged(host)
        }
        updateStatus(host)
    }

    /// The figures of `gonggu status` and the notifier's metrics: connected recipients (heard from
    /// within `recipients.alive_seconds`, not merely once said hello), notifications pending
    /// (unacknowledged), overdue and escalated per recipient level. These need a pass over the open
    /// notifications, so they are refreshed once a second.
    private func updateStatus(_ host: ServiceHost) {
        let now = Date()
        guard now.timeIntervalSince(overdueCountedAt) >= 1 else {
            host.status.set("openNotifications", .number(Double(fold.notificationCount.open)))
            host.status.set("notifications", .number(Double(fold.notificationCount.total)))
            host.status.set("receiptsAwaitingCommit", .number(Double(receipts.count + unlogged.count)))
            return
        }
        overdueCountedAt = now
        let heardSince = DispatchTime.now().uptimeNanoseconds &- aliveNanoseconds
        let alive = connections.keys.filter { (lastHeard[$0] ?? 0) >= heardSince }
        host.status.set("connectedRecipients", .number(Double(alive.count)))
        host.metrics.setFamily(
            "gonggu_notify_recipients_connected", .gauge,
            help: "Recipients heard from (any message, ping included) within recipients.alive_seconds.",
            samples: [([], Double(alive.count))])
        let counts = fold.openCounts
        let levels = counts.byLevel.sorted { $0.key < $1.key }
        for (name, help, value) in [
            ("pending", "Unacknowledged notifications, by recipient level.", \LevelCounts.pending),
            ("overdue", "Unacknowledged notifications past escalation.afterDays on the last tick, by recipient level.",
             \LevelCounts.overdue),
            ("escalated", "Unacknowledged notifications already escalated one level up, by recipient level.",
             \LevelCounts.escalated),
        ] {
            host.metrics.setFamily(
                "gonggu_notify_notifications_\(name)", .gauge, help: help,
                samples: levels.map { ([("level", $0.key.rawValue)], Double($0.value[keyPath: value])) })
        }
        host.status.set("openNotifications", .number(Double(fold.notificationCount.open)))
        host.status.set("notifications", .number(Double(fold.notificationCount.total)))
        host.status.set("receiptsAwaitingCommit", .number(Double(receipts.count + unlogged.count)))
        // Over every open notification (the levels leave out recipients no longer in the directory).
        host.status.set("overdueNotifications", .number(Double(counts.overdue)))
        host.status.set("clockDate", fold.clockDate.map(JSONValue.string) ?? .null)
    }

    public func didCommit(_ events: [Event], host: ServiceHost) {
        for event in events {
            switch event.type {
            case NotificationCreated.eventType:
                // Id and recipient from the payload's head: a ZeroMQ recipient needs no more here.
                let head = NotificationCreated.idAndRecipient(inPayload: event.payload)
                    ?? createdNotification(event).map { ($0.notificationID, $0.recipient) }
                guard let (id, recipient) = head else { continue }
                let channels = fold.directory?.channels(of: recipient) ?? []
                // The whole notification only for the file and HTTP channels (looked up once).
                let full = channels.contains { $0 != .zmq } ? createdNotification(event) : nil
                for channel in channels {
                    switch channel {
                    case .zmq:
                        // Only on a live connection; one made before the hello is queued already.
                        if connections[recipient] != nil, let key = NotificationKey(id),
                            let ordinal = fold.ordinal(of: key)
                        {
                            sendQueues[recipient]?.committed(key, ordinal: ordinal)
                        }
                    case .outbox:
                        if let full { writeOutbox(full, host: host) }
                    case let .webhook(url):
                        if let full { webhooks?.enqueue(full, url: url) }
                    }
                }
            case DecisionForwarded.eventType:
                guard let d = try? event.decode(DecisionForwarded.self) else { continue }
                forwarder?.enqueue(d)
                confirmDecision(d)
            case DecisionRefused.eventType:
                guard let d = try? event.decode(DecisionRefused.self) else { continue }
                send(.error(code: d.code, message: d.message), to: d.recipient)
            default:
                continue
            }
        }
    }

    /// The notification a committed `NotificationCreated` carries. The fold keeps it (open) from the
    /// moment it built it: find it by the id at the head of the payload instead of decoding the payload
    /// (texts and source are most of its bytes); decode only what is not there.
    private func createdNotification(_ event: Event) -> NotificationCreated? {
        if let id = NotificationCreated.notificationID(inPayload: event.payload), let n = fold.openNotification(id) {
            return n
        }
        return try? event.decode(NotificationCreated.self)
    }

    /// Appends to the recipient's outbox files of the notification's day (CSV with BOM and JSON Lines).
    private func writeOutbox(_ n: NotificationCreated, host: ServiceHost) {
        guard let dir = outboxDirectory else { return }
        for format in Outbox.Format.allCases {
            let path = "\(dir)/\(Outbox.fileName(recipient: n.recipient, date: n.created, format: format))"
            var bytes = format == .csv ? Outbox.csv([n]) : Outbox.jsonLines([n])
            if format == .csv, FileManager.default.fileExists(atPath: path),
                let headerEnd = bytes.firstIndex(of: 0x0A)
            {
                // Only the first write of the day carries the BOM and the header line.
                bytes = Array(bytes[(headerEnd + 1)...])
            }
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data(bytes))
                handle.closeFile()
            } else {
                FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
            }
        }
        receipt(
            .delivered(n.notificationID, channel: "outbox", attempt: 1, at: ServiceHost.now()), recipient: n.recipient)
    }

    /// `{"type":"decisionAccepted","household","decision","forwarded":true}` to the bureau that decided.
    private func confirmDecision(_ d: DecisionForwarded) {
        guard let router, let routingID = connections[d.recorded.bureau] else { return }
        var w = JSONWriter()
        w.beginObject()
        w.field("type", "decisionAccepted")
        w.field("household", d.recorded.householdID)
        w.field("decision", d.recorded.decision.rawValue)
        w.field("inReplyTo", d.notificationID)
        w.field("message", "决定已接收并转交数据中心：\(d.recorded.decision.chinese)")
        w.endObject()
        _ = try? router.send(routingID, more: true)
        _ = try? router.send(w.bytes)
    }
}

/// ROUTER_MANDATORY: sending to a vanished peer fails (EHOSTUNREACH) instead of dropping silently,
/// so the edge forgets the connection and re-sends on reconnect.
let ZMQ_ROUTER_MANDATORY_OPTION: Int32 = 33

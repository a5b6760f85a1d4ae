import Foundation
import GongguCore
import GongguNotify
import GongguRuntime
import GongguTransport

/// The recipient edge (loop thread): the CURVE-authenticated ROUTER socket, hello/ack/decision messages,
/// connections and per-connection delivery queues.
extension NotifyBehaviour {
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
    func acknowledge(_ id: String, by recipient: String, at now: Timestamp) {
        receipt(.acknowledged(id, at: now), recipient: recipient)
    }

    /// A message from `recipient` over `routingID`: a connection not seen before counts as a (re)connect.
    func ensureConnected(_ recipient: String, routingID: [UInt8]) {
        if connections[recipient] != routingID { connect(recipient, routingID: routingID) }
    }

    /// A recipient (re)connected: everything it has not acknowledged is sent again, in order.
    func connect(_ recipient: String, routingID: [UInt8]) {
        connections[recipient] = routingID
        let pending = fold.pendingIDs(for: recipient)
        sendQueues[recipient] = DeliveryQueue(pending: pending.ids, nextOrdinal: pending.nextOrdinal)
    }

    func send(_ message: RecipientMessage, to recipient: String) {
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
}

/// ROUTER_MANDATORY: sending to a vanished peer fails (EHOSTUNREACH) instead of dropping silently,
/// so the edge forgets the connection and re-sends on reconnect.
let ZMQ_ROUTER_MANDATORY_OPTION: Int32 = 33

import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime
import GongguTransport

/// After a commit: what left the log is sent — to connected recipients, outbox files, webhooks — and
/// accepted bureau decisions are confirmed.
extension NotifyBehaviour {
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
    func createdNotification(_ event: Event) -> NotificationCreated? {
        if let id = NotificationCreated.notificationID(inPayload: event.payload), let n = fold.openNotification(id) {
            return n
        }
        return try? event.decode(NotificationCreated.self)
    }

    /// Appends to the recipient's outbox files of the notification's day (CSV with BOM and JSON Lines).
    func writeOutbox(_ n: NotificationCreated, host: ServiceHost) {
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
    func confirmDecision(_ d: DecisionForwarded) {
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

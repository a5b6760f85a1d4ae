import Foundation
import GongguCore
import GongguNotify
import GongguRuntime
import GongguTransport

/// Each loop turn: sending from the delivery queues, the group-commit window, and the figures of
/// `gonggu status` and the metrics.
extension NotifyBehaviour {
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
    func updateStatus(_ host: ServiceHost) {
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
}

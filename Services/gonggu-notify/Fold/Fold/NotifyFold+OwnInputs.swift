import GongguCore
import GongguEvents

/// Typed entry points for the own inputs the edge writes in bulk (one receipt per notification sent,
/// one per acknowledgement received). The edge applies each receipt when it happens and logs a
/// recipient's receipts together (`NotificationReceipts`); going through `apply(_:)` would encode
/// them into an event and decode them straight back. Each makes exactly the change `apply(_:)` makes
/// for the event carrying the same receipt — the log holds that event, and replay applies it through
/// `apply(_:)`, so live state and replayed state agree.
extension NotifyFold {
    /// Same as the entry's part of `apply(_:)` on a `NotificationReceipts` event of `recipient`
    /// (which has no outputs).
    public mutating func applyReceipt(_ entry: NotificationReceipts.Entry, recipient: String) {
        switch entry.kind {
        case .delivered:
            onDelivered(
                NotificationDelivered(
                    notificationID: entry.notificationID, recipient: recipient, channel: entry.channel ?? "",
                    attempt: entry.attempt ?? 1),
                at: entry.at)
        case .acknowledged:
            onAcknowledged(entry.notificationID, by: recipient, at: entry.at, explicit: true)
        }
    }
}

extension NotifyFold {
    /// An office's receipt from its returned outbox file (`ReceiptRecorded`, from intake's log): it
    /// acknowledges the notification for its recipient as of 处理日期 — exactly as the recipient's `ack`
    /// would, closing the escalations it started down the chain — and keeps 处理结果. A receipt for an
    /// unknown notification, for a recipient without the outbox channel, or dated before the
    /// notification was created is refused; one for a notification already closed has no effect.
    /// Intake refuses those at import already; the fold decides on its own state, so replay agrees.
    mutating func onReceipt(_ p: ReceiptRecorded, at time: Timestamp) {
        guard let key = NotificationKey(p.notificationID), let row = table.row(of: key),
            directory?.channels(of: table[row].recipient).contains(.outbox) == true,
            let day = BusinessCalendar.dayNumber(p.date), day >= Int(table[row].createdDay)
        else {
            anomalies.refusedReceipts += 1
            return
        }
        guard !table[row].isClosed else {
            anomalies.duplicateReceipts += 1
            return
        }
        if onAcknowledged(p.notificationID, by: table[row].recipient, at: time, explicit: true) {
            table[row].result = p.result
        }
    }
}

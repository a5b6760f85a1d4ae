import GongguCore

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

import GongguCore
import GongguEvents

/// Deliveries and acknowledgements applied to the fold and not yet logged, kept per recipient in the
/// order they happened, and sealed into one `NotificationReceipts` event per recipient when a commit
/// takes them (group commit at the notifier's edge).
///
/// Recipients come out in the order of their first receipt. Receipts of different recipients concern
/// different notifications (a notification has one recipient), so only the order within a recipient
/// matters to `NotifyFold`, and it is kept.
public struct ReceiptQueue: Sendable {
    private var entries: [String: [NotificationReceipts.Entry]] = [:]
    private var recipients: [String] = []
    /// Receipts queued since the last `seal()`.
    public private(set) var count = 0
    /// Events sealed so far: part of each event's id, so two seals in the same millisecond differ.
    private var sealed = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Queues a receipt of `recipient`.
    public mutating func append(_ entry: NotificationReceipts.Entry, recipient: String) {
        if entries[recipient, default: []].isEmpty { recipients.append(recipient) }
        entries[recipient, default: []].append(entry)
        count += 1
    }

    /// The queued receipts as events (subject: recipient; occurredAt: its first receipt's time), and an
    /// empty queue. Ids derive from the recipient, its first receipt and a per-queue counter.
    public mutating func seal() -> [Event] {
        guard count > 0 else { return [] }
        var events: [Event] = []
        events.reserveCapacity(recipients.count)
        for recipient in recipients {
            guard let list = entries[recipient], let first = list.first else { continue }
            sealed += 1
            events.append(
                Event(
                    NotificationReceipts(recipient: recipient, entries: list),
                    id: EventID.derived("receipts|\(recipient)|\(first.notificationID)|\(first.at)|\(sealed)"),
                    subject: recipient, region: "", occurredAt: first.at))
        }
        entries.removeAll(keepingCapacity: true)
        recipients.removeAll(keepingCapacity: true)
        count = 0
        return events
    }
}

import GongguCore
import GongguEvents

/// What the notifier remembers of one notification. The texts and the source payload hang off the
/// record (`open`) only while the notification is unacknowledged, so the state stays compact.
struct NotificationRecord: Equatable {
    /// The notification's id.
    var key: NotificationKey
    var recipient: String
    var isEscalation: Bool
    /// Hex id of the event the notification is about.
    var sourceEventID: String
    var sourceType: String
    var region: String
    var householdID: String
    /// Business day of creation (the notification's `created`): acknowledgement is awaited from this
    /// day, and escalation counts from it, whatever the clock said when the notification was made.
    var createdDay: Int32
    var deliveries: Int = 0
    var firstDeliveredAt: Timestamp?
    var acknowledgedDay: Int32?
    var escalated = false
    /// The escalation this notification started (set when it escalated; nil for a dead end).
    var escalation: NotificationKey?
    /// For an escalation: the day it was closed because the notification it escalated (or one before
    /// that in the chain) was acknowledged; its own recipient no longer needs to acknowledge it.
    var withdrawnDay: Int32?
    /// What a bureau decision answering this notification refers to in `BureauDecisionRecorded.inReplyTo`:
    /// the recommendation id when the source carries one, else the source event id.
    var replyTarget: String
    /// The full notification while it is unacknowledged; nil once acknowledged.
    var open: OpenNotification?
    /// 处理结果: the office's note from the receipt that acknowledged the notification, if it gave one.
    var result: String?
    /// Slots of `recipient` and `region` in the fold's counts (set when the fold adds the record).
    var recipientSlot: Int32 = -1
    var regionSlot: Int32 = -1

    var isAcknowledged: Bool { acknowledgedDay != nil }
    /// Acknowledged, or withdrawn with its chain: nothing more is awaited.
    var isClosed: Bool { acknowledgedDay != nil || withdrawnDay != nil }
}

/// The full payload of an unacknowledged notification, shared instead of copied: the edge reads it
/// for every delivery, and a record or table entry that moves carries one reference, not its texts.
public final class OpenNotification: Equatable, Sendable {
    public let notification: NotificationCreated

    init(_ notification: NotificationCreated) { self.notification = notification }

    public static func == (a: OpenNotification, b: OpenNotification) -> Bool { a.notification == b.notification }
}

/// Counts of one recipient or region, with acknowledgement response times.
public struct NotifyCounts: Equatable, Sendable {
    /// Notifications created.
    public var created = 0
    /// Notifications delivered at least once.
    public var delivered = 0
    public var acknowledged = 0
    /// Notifications escalated for want of an acknowledgement.
    public var escalated = 0
    /// Escalations closed without their recipient's acknowledgement, because the notification they
    /// escalated was acknowledged late.
    public var withdrawn = 0
    /// Sum and maximum of business days from awaiting to acknowledgement.
    public var ackDaysTotal = 0
    public var ackDaysMax = 0
    /// Sum of milliseconds from first delivery to acknowledgement (event times), and how many
    /// acknowledgements had a delivery to measure from.
    public var ackMillisTotal: Int64 = 0
    public var ackMillisCount = 0

    public init() {}

    /// Mean business days to acknowledge, nil before any acknowledgement.
    public var meanAckDays: Double? { acknowledged == 0 ? nil : Double(ackDaysTotal) / Double(acknowledged) }
    /// Mean milliseconds from first delivery to acknowledgement, nil when none was measured.
    public var meanAckMillis: Double? { ackMillisCount == 0 ? nil : Double(ackMillisTotal) / Double(ackMillisCount) }
    /// Created and neither acknowledged nor withdrawn.
    public var pending: Int { created - acknowledged - withdrawn }

    static func + (a: NotifyCounts, b: NotifyCounts) -> NotifyCounts {
        var c = a
        c.created += b.created
        c.delivered += b.delivered
        c.acknowledged += b.acknowledged
        c.escalated += b.escalated
        c.withdrawn += b.withdrawn
        c.ackDaysTotal += b.ackDaysTotal
        c.ackDaysMax = max(a.ackDaysMax, b.ackDaysMax)
        c.ackMillisTotal += b.ackMillisTotal
        c.ackMillisCount += b.ackMillisCount
        return c
    }

    func write(to w: inout JSONWriter) {
        w.beginArray()
        let values = [
            created, delivered, acknowledged, escalated, ackDaysTotal, ackDaysMax, Int(ackMillisTotal), ackMillisCount,
            withdrawn,
        ]
        for v in values { w.int(v) }
        w.endArray()
    }
}

/// Inputs the fold ignored, by reason: visible in status and tests, never silent.
public struct NotifyAnomalies: Equatable, Sendable {
    /// Upstream events no recipient covers (or received before any directory).
    public var unrouted = 0
    /// Upstream events whose payload could not be read.
    public var malformedSources = 0
    /// The same upstream event routed again (already notified).
    public var duplicateNotifications = 0
    /// Acknowledgements of unknown notification ids.
    public var unknownAcknowledgements = 0
    /// Acknowledgements by a recipient that does not own the notification.
    public var foreignAcknowledgements = 0
    /// Acknowledgements by a revoked recipient.
    public var revokedAcknowledgements = 0
    /// Repeated acknowledgements (no change).
    public var duplicateAcknowledgements = 0
    /// Deliveries recorded for unknown notifications or the wrong recipient.
    public var strayDeliveries = 0
    /// Directory documents refused.
    public var invalidDirectories = 0
    /// Escalations due but with no non-revoked recipient up the chain.
    public var unescalatable = 0
    /// Bureau decisions refused.
    public var refusedDecisions = 0
    /// Own inputs whose payload could not be read.
    public var malformedInputs = 0
    /// Receipts refused: unknown notification, recipient without the outbox channel, dated before the
    /// notification was created (intake refuses these at import; this counts what reached the fold).
    public var refusedReceipts = 0
    /// Receipts for notifications already acknowledged (or withdrawn with their chain): no effect.
    public var duplicateReceipts = 0

    public init() {}

    var all: [Int] {
        [unrouted, malformedSources, duplicateNotifications, unknownAcknowledgements, foreignAcknowledgements,
         revokedAcknowledgements, duplicateAcknowledgements, strayDeliveries, invalidDirectories, unescalatable,
         refusedDecisions, malformedInputs, refusedReceipts, duplicateReceipts]
    }
}

/// A notification past its acknowledgement deadline.
public struct OverdueNotification: Equatable, Sendable {
    public var notification: NotificationCreated
    /// `YYYY-MM-DD` from which the acknowledgement was awaited: the notification's `created`.
    public var since: String
    /// Days since then, and days past `escalation.afterDays`.
    public var daysOpen: Int
    public var daysOverdue: Int
    /// Whether it has already been escalated.
    public var escalated: Bool
}

/// Where one notification stands.
public struct NotificationStatus: Equatable, Sendable {
    public var notificationID: String
    public var recipient: String
    public var householdID: String
    public var region: String
    public var sourceType: String
    public var isEscalation: Bool
    public var created: String
    public var deliveries: Int
    /// `YYYY-MM-DD` of the acknowledgement, nil while pending.
    public var acknowledged: String?
    public var escalated: Bool
    /// For an escalation closed with its chain: `YYYY-MM-DD` of the late acknowledgement that closed it.
    public var withdrawn: String?
    /// 处理结果 from the office's receipt that acknowledged it, if any.
    public var result: String? = nil
}

/// What the notifier knows of the notification an office's receipt names (answers `RECEIPT_CHECK`).
public struct ReceiptTarget: Equatable, Sendable {
    public var recipient: String
    /// `YYYY-MM-DD` the notification was created.
    public var created: String
    /// Whether its recipient takes the outbox channel (only then may a receipt acknowledge it).
    public var outbox: Bool
    /// Acknowledged already, or withdrawn with its chain: a receipt would change nothing.
    public var closed: Bool
}

import GongguCore

/// A notification for one recipient: an upstream decision or finding routed by jurisdiction, or an
/// escalation of a notification left unacknowledged. Subject: household id; region: the household's
/// region code.
///
/// What a recipient gets is self-contained: the Chinese texts and the full source payload. The event in
/// the notifier's log carries the texts and names the source (`sourceEventID`, in the upstream log)
/// instead of repeating it (`logged`): the fold rebuilds the payload from the upstream event on replay,
/// and the row is less than half the size — the log's commit and hash chain are on the path of every
/// notification. Events of older logs that do carry it read as before.
public struct NotificationCreated: TabledPayload, Equatable {
    public static let eventType = EventType.notificationCreated.rawValue
    /// Stable id (32 hex digits), derived from the source event and the recipient.
    public var notificationID: String
    public var recipient: String
    /// `notification` (routed from upstream) or `escalation`.
    public var kind: String
    /// Hex id of the event it is about (upstream decision, or the `NotificationEscalated` event).
    public var sourceEventID: String
    /// Type of that event (`RiskFeedback`, `EntitlementGap`, … or `NotificationEscalated`).
    public var sourceType: String
    /// Region code of the household (12 digits as routed).
    public var region: String
    public var householdID: String
    /// One line, Chinese.
    public var title: String
    /// Self-contained paragraph, Chinese.
    public var summary: String
    /// Business date `YYYY-MM-DD` of creation (from the source's occurredAt or the tick).
    public var created: String
    /// For an escalation: the notification that was not acknowledged.
    public var escalationOf: String?
    /// The verifier's stable finding id, when the source is a finding (links a `FindingResolved` to
    /// the finding it closes).
    public var findingID: String?
    /// The source payload, JSON text (for an escalation: the escalated notification's payload). Empty in
    /// the logged form (`logged`) and then not written; "{}" when an event without it is decoded.
    public var sourcePayload: String

    /// The form the notifier logs: the same, without the source payload (see the type's comment).
    public var logged: NotificationCreated {
        var n = self
        n.sourcePayload = ""
        return n
    }

    /// `kind` of a routed notification.
    public static let routed = "notification"
    /// `kind` of an escalation.
    public static let escalation = "escalation"

    public init(
        notificationID: String, recipient: String, kind: String = NotificationCreated.routed, sourceEventID: String,
        sourceType: String, region: String, householdID: String, title: String, summary: String, created: String,
        escalationOf: String? = nil, findingID: String? = nil, sourcePayload: String
    ) {
        self.notificationID = notificationID
        self.recipient = recipient
        self.kind = kind
        self.sourceEventID = sourceEventID
        self.sourceType = sourceType
        self.region = region
        self.householdID = householdID
        self.title = title
        self.summary = summary
        self.created = created
        self.escalationOf = escalationOf
        self.findingID = findingID
        self.sourcePayload = sourcePayload
    }

    /// The texts and the source payload (escaped: its quotes double) are most of the bytes.
    public var encodedSizeHint: Int {
        384 + title.utf8.count + summary.utf8.count + householdID.utf8.count + sourcePayload.utf8.count * 5 / 4
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means. The id comes
    /// first and the recipient second: `notificationID(inPayload:)` and `idAndRecipient(inPayload:)` read
    /// them there without decoding the rest.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            notificationID: "", recipient: "", sourceEventID: "", sourceType: "", region: "", householdID: "",
            title: "", summary: "", created: "", sourcePayload: ""),
        [
            .nonEmpty("notificationID", \.notificationID),
            .nonEmpty("recipient", \.recipient),
            .defaulted("kind", \.kind, NotificationCreated.routed),
            .defaulted("sourceEventID", \.sourceEventID, ""),
            .defaulted("sourceType", \.sourceType, ""),
            .defaulted("region", \.region, ""),
            .defaulted("householdID", \.householdID, ""),
            .defaulted("title", \.title, ""),
            .defaulted("summary", \.summary, ""),
            .defaulted("created", \.created, ""),
            .optional("escalationOf", \.escalationOf),
            .optional("findingID", \.findingID),
            .omittedWhenEmpty("sourcePayload", \.sourcePayload, absent: "{}"),
        ])
}

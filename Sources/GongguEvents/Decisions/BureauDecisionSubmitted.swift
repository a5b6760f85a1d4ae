import GongguCore

/// Own input of the notifier: a bureau answered a notification (usually a `RiskFeedback`) with a
/// decision. `recipient` is the bureau the edge authenticated by its CURVE key. Subject: household id.
/// The notifier checks it and logs a `DecisionForwarded` (for intake) or a `DecisionRefused`.
public struct BureauDecisionSubmitted: TabledPayload, Equatable {
    public static let eventType = EventType.bureauDecisionSubmitted.rawValue
    /// The bureau's recipient id.
    public var recipient: String
    /// The notification id, or the source event id, answered (optional).
    public var inReplyTo: String?
    public var decision: BureauDecisionKind
    /// Business date `YYYY-MM-DD` of the decision.
    public var date: String
    public var householdID: String
    /// The household type set on inclusion.
    public var householdType: PovertyStatus?
    /// The assistance measure taken, free text.
    public var measure: String?
    public var note: String?

    public init(
        recipient: String, inReplyTo: String? = nil, decision: BureauDecisionKind, date: String, householdID: String,
        householdType: PovertyStatus? = nil, measure: String? = nil, note: String? = nil
    ) {
        self.recipient = recipient
        self.inReplyTo = inReplyTo
        self.decision = decision
        self.date = date
        self.householdID = householdID
        self.householdType = householdType
        self.measure = measure
        self.note = note
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(recipient: "", decision: .inclusionConfirmed, date: "", householdID: ""),
        [
            .nonEmpty("recipient", \.recipient),
            .optional("inReplyTo", \.inReplyTo),
            .required("decision", \.decision),
            .defaulted("date", \.date, ""),
            .nonEmpty("householdID", \.householdID),
            .optional("householdType", \.householdType),
            .optional("measure", \.measure),
            .optional("note", \.note),
        ])
}

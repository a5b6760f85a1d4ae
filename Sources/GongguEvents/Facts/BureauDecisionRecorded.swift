import GongguCore

/// A decision of the county rural revitalization bureau. Subject: household id.
public struct BureauDecisionRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.bureauDecisionRecorded.rawValue
    public var householdID: String
    public var decision: BureauDecisionKind
    public var date: String
    /// Recipient id of the bureau that decided (authenticated by its key).
    public var bureau: String
    /// The household type set on inclusion.
    public var householdType: PovertyStatus?
    /// The assistance measure taken, free text (e.g. 低保, 产业帮扶).
    public var measure: String?
    /// The risk feedback or recommendation answered, if known.
    public var inReplyTo: String?
    public var source: SourceRef

    public init(
        householdID: String, decision: BureauDecisionKind, date: String, bureau: String,
        householdType: PovertyStatus? = nil, measure: String? = nil, inReplyTo: String? = nil, source: SourceRef
    ) {
        self.householdID = householdID
        self.decision = decision
        self.date = date
        self.bureau = bureau
        self.householdType = householdType
        self.measure = measure
        self.inReplyTo = inReplyTo
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", decision: .inclusionConfirmed, date: "", bureau: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("decision", \.decision),
            .required("date", \.date),
            .defaulted("bureau", \.bureau, ""),
            .optional("householdType", \.householdType),
            .optional("measure", \.measure),
            .optional("inReplyTo", \.inReplyTo),
            .source(\.source),
        ])
}

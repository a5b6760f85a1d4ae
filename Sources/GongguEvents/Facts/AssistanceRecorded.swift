import GongguCore

/// Civil-affairs status (低保 / 低保边缘 / 特困) of a household or one person (单人户施保).
/// Subject: household id.
public struct AssistanceRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.assistanceRecorded.rawValue
    public var householdID: String
    /// Set when one person is covered on their own (单人户施保) or the record is per person.
    public var personID: String?
    public var programme: AssistanceProgramme
    public var startMonth: String
    /// Month of the last payment; nil while active.
    public var stopMonth: String?
    public var stopReason: StopReason?
    /// Monthly amount, fen.
    public var monthlyFen: Int
    public var source: SourceRef

    public init(
        householdID: String, personID: String? = nil, programme: AssistanceProgramme, startMonth: String,
        stopMonth: String? = nil, stopReason: StopReason? = nil, monthlyFen: Int, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.programme = programme
        self.startMonth = startMonth
        self.stopMonth = stopMonth
        self.stopReason = stopReason
        self.monthlyFen = monthlyFen
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", programme: .dibao, startMonth: "", monthlyFen: 0, source: .unknown),
        [
            .required("householdID", \.householdID),
            .optional("personID", \.personID),
            .required("programme", \.programme),
            .required("startMonth", \.startMonth),
            .optional("stopMonth", \.stopMonth),
            .optional("stopReason", \.stopReason),
            .defaulted("monthlyFen", \.monthlyFen, 0),
            .source(\.source),
        ])
}

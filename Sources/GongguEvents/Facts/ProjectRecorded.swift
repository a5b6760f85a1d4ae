import GongguCore

/// A 残联 project record: rehabilitation, training, production support, accessibility works.
/// Subject: household id.
public struct ProjectRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.projectRecorded.rawValue
    public var projectID: String
    public var kind: ProjectKind
    public var householdID: String
    public var personID: String?
    public var date: String
    public var amountFen: Int
    public var source: SourceRef

    public init(
        projectID: String, kind: ProjectKind, householdID: String, personID: String? = nil, date: String,
        amountFen: Int, source: SourceRef
    ) {
        self.projectID = projectID
        self.kind = kind
        self.householdID = householdID
        self.personID = personID
        self.date = date
        self.amountFen = amountFen
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            projectID: "", kind: .rehabilitation, householdID: "", date: "", amountFen: 0, source: .unknown),
        [
            .required("projectID", \.projectID),
            .required("kind", \.kind),
            .required("householdID", \.householdID),
            .optional("personID", \.personID),
            .required("date", \.date),
            .defaulted("amountFen", \.amountFen, 0),
            .source(\.source),
        ])
}

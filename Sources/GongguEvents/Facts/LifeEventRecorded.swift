import GongguCore

/// Death or registration moved out of the province. Subject: household id.
public struct LifeEventRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.lifeEventRecorded.rawValue
    public var householdID: String
    public var personID: String
    public var kind: LifeEventKind
    public var date: String
    public var source: SourceRef

    public init(householdID: String, personID: String, kind: LifeEventKind, date: String, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.kind = kind
        self.date = date
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", personID: "", kind: .death, date: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("personID", \.personID),
            .required("kind", \.kind),
            .required("date", \.date),
            .source(\.source),
        ])
}

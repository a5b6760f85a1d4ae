import GongguCore

/// One monthly payment of one of the two subsidies. Subject: household id.
public struct SubsidyPaid: TabledPayload, Equatable {
    public static let eventType = EventType.subsidyPaid.rawValue
    public var householdID: String
    public var personID: String
    public var subsidy: SubsidyKind
    /// The month paid for, `YYYY-MM`.
    public var month: String
    public var amountFen: Int
    public var source: SourceRef

    public init(householdID: String, personID: String, subsidy: SubsidyKind, month: String, amountFen: Int, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.subsidy = subsidy
        self.month = month
        self.amountFen = amountFen
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", personID: "", subsidy: .living, month: "", amountFen: 0, source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("personID", \.personID),
            .required("subsidy", \.subsidy),
            .required("month", \.month),
            .required("amountFen", \.amountFen),
            .source(\.source),
        ])
}

import GongguCore

/// Household net income over the 12 months before `assessedDate`. Subject: household id.
public struct IncomeAssessed: TabledPayload, Equatable {
    public static let eventType = EventType.incomeAssessed.rawValue
    public var householdID: String
    public var year: Int
    /// Household net income, fen.
    public var netIncomeFen: Int
    public var members: Int
    public var assessedDate: String
    public var source: SourceRef

    /// Per-capita net income, fen.
    public var perCapitaFen: Int { members > 0 ? netIncomeFen / members : netIncomeFen }

    public init(householdID: String, year: Int, netIncomeFen: Int, members: Int, assessedDate: String, source: SourceRef) {
        self.householdID = householdID
        self.year = year
        self.netIncomeFen = netIncomeFen
        self.members = members
        self.assessedDate = assessedDate
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", year: 0, netIncomeFen: 0, members: 0, assessedDate: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("year", \.year),
            .required("netIncomeFen", \.netIncomeFen),
            .required("members", \.members),
            .required("assessedDate", \.assessedDate),
            .source(\.source),
        ])
}

import GongguCore

/// Social-insurance pension record for one person and year. Subject: household id.
public struct PensionRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.pensionRecorded.rawValue
    public var householdID: String
    public var personID: String
    public var year: Int
    public var enrolled: Bool
    /// Premium paid by government for the year (代缴), fen; 0 if none.
    public var governmentPaidFen: Int
    public var source: SourceRef

    public init(householdID: String, personID: String, year: Int, enrolled: Bool, governmentPaidFen: Int, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.year = year
        self.enrolled = enrolled
        self.governmentPaidFen = governmentPaidFen
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", personID: "", year: 0, enrolled: false, governmentPaidFen: 0, source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("personID", \.personID),
            .required("year", \.year),
            .defaulted("enrolled", \.enrolled, false),
            .defaulted("governmentPaidFen", \.governmentPaidFen, 0),
            .source(\.source),
        ])
}

import GongguCore

/// Household poverty status from a given date. Subject: household id.
public struct HouseholdStatusRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.householdStatusRecorded.rawValue
    public var householdID: String
    public var status: PovertyStatus
    public var effectiveDate: String
    /// Year the household left poverty, for 脱贫户.
    public var liftedYear: Int?
    public var source: SourceRef

    public init(householdID: String, status: PovertyStatus, effectiveDate: String, liftedYear: Int? = nil, source: SourceRef) {
        self.householdID = householdID
        self.status = status
        self.effectiveDate = effectiveDate
        self.liftedYear = liftedYear
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", status: .ordinary, effectiveDate: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("status", \.status),
            .required("effectiveDate", \.effectiveDate),
            .optional("liftedYear", \.liftedYear),
            .source(\.source),
        ])
}

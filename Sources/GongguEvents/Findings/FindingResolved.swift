import GongguCore

/// A finding closed by later facts (a payment started, a reason was recorded, the entitlement ended).
public struct FindingResolved: TabledPayload, Equatable {
    public static let eventType = EventType.findingResolved.rawValue
    public var findingID: String
    public var householdID: String
    public var personID: String?
    public var measure: Measure
    /// Hex id of the fact event that closed the finding.
    public var resolvedBy: String
    public var title: String
    public var summary: String
    public var ruleID: String
    public var ruleVersion: String
    public var evidence: [String]

    public init(
        findingID: String, householdID: String, personID: String?, measure: Measure, resolvedBy: String,
        title: String, summary: String, ruleID: String, ruleVersion: String, evidence: [String]
    ) {
        self.findingID = findingID
        self.householdID = householdID
        self.personID = personID
        self.measure = measure
        self.resolvedBy = resolvedBy
        self.title = title
        self.summary = summary
        self.ruleID = ruleID
        self.ruleVersion = ruleVersion
        self.evidence = evidence
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            findingID: "", householdID: "", personID: nil, measure: .dibao, resolvedBy: "", title: "", summary: "",
            ruleID: "", ruleVersion: "", evidence: []),
        [
            .required("findingID", \.findingID),
            .defaulted("householdID", \.householdID, ""),
            .optional("personID", \.personID),
            .required("measure", \.measure),
            .defaulted("resolvedBy", \.resolvedBy, ""),
            .defaulted("title", \.title, ""),
            .defaulted("summary", \.summary, ""),
            .defaulted("ruleID", \.ruleID, ""),
            .defaulted("ruleVersion", \.ruleVersion, ""),
            .defaulted("evidence", \.evidence, []),
        ])
}

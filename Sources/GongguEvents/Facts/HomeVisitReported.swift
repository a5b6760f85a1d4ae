import GongguCore

/// A home visit (走访探视) report from a field app or a file. Subject: household id.
public struct HomeVisitReported: TabledPayload, Equatable {
    public static let eventType = EventType.homeVisitReported.rawValue
    public var householdID: String
    public var date: String
    public var visitor: String
    /// Hardship indicators found, free codes such as `income`, `illness`, `housing`, `water`, `schooling`.
    public var hardship: [String]
    /// The household applied for monitoring itself (自主申报).
    public var selfApplication: Bool
    public var notes: String
    public var source: SourceRef

    public init(
        householdID: String, date: String, visitor: String, hardship: [String], selfApplication: Bool,
        notes: String = "", source: SourceRef
    ) {
        self.householdID = householdID
        self.date = date
        self.visitor = visitor
        self.hardship = hardship
        self.selfApplication = selfApplication
        self.notes = notes
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", date: "", visitor: "", hardship: [], selfApplication: false, source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("date", \.date),
            .defaulted("visitor", \.visitor, ""),
            .defaulted("hardship", \.hardship, []),
            .defaulted("selfApplication", \.selfApplication, false),
            .defaulted("notes", \.notes, ""),
            .source(\.source),
        ])
}

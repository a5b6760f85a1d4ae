import GongguCore

/// Department screening: a large expense, schooling cost, disaster or accident. Subject: household id.
public struct ExpenseReported: TabledPayload, Equatable {
    public static let eventType = EventType.expenseReported.rawValue
    public var householdID: String
    public var personID: String?
    public var kind: ExpenseKind
    /// Self-paid amount (eligible out-of-pocket), fen.
    public var amountFen: Int
    public var date: String
    /// Reporting department, e.g. 医保, 教育, 应急管理.
    public var department: String
    public var source: SourceRef

    public init(
        householdID: String, personID: String? = nil, kind: ExpenseKind, amountFen: Int, date: String,
        department: String, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.kind = kind
        self.amountFen = amountFen
        self.date = date
        self.department = department
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", kind: .inpatient, amountFen: 0, date: "", department: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .optional("personID", \.personID),
            .required("kind", \.kind),
            .required("amountFen", \.amountFen),
            .required("date", \.date),
            .defaulted("department", \.department, ""),
            .source(\.source),
        ])
}

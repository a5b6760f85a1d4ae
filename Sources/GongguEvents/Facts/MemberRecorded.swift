import GongguCore

/// A household member (disabled or not) and their labour capacity; dated membership.
/// Subject: household id.
public struct MemberRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.memberRecorded.rawValue
    public var householdID: String
    public var personID: String
    public var name: String
    public var birthDate: String
    public var labour: LabourCapacity
    public var student: Bool
    /// Date from which the membership holds.
    public var since: String
    /// True when this record ends the membership (the person left the household).
    public var left: Bool
    public var source: SourceRef

    public init(
        householdID: String, personID: String, name: String, birthDate: String, labour: LabourCapacity,
        student: Bool = false, since: String, left: Bool = false, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.name = name
        self.birthDate = birthDate
        self.labour = labour
        self.student = student
        self.since = since
        self.left = left
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", personID: "", name: "", birthDate: "", labour: .none, since: "", source: .unknown),
        [
            .required("householdID", \.householdID),
            .required("personID", \.personID),
            .defaulted("name", \.name, ""),
            .required("birthDate", \.birthDate),
            .required("labour", \.labour),
            .flag("student", \.student),
            .required("since", \.since),
            .flag("left", \.left),
            .source(\.source),
        ])
}

import GongguCore

/// 残联 annual survey (动态更新): a person with a disability and their card. Subject: household id.
public struct DisabilityRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.disabilityRecorded.rawValue
    public var personID: String
    public var householdID: String
    public var name: String
    public var birthDate: String
    /// "M" or "F", from the ID's sequence digit.
    public var gender: String
    /// 20-character card number (第二代残疾人证号).
    public var cardNumber: String
    public var category: DisabilityCategory
    /// 1 (most severe) … 4.
    public var grade: Int
    public var labour: LabourCapacity
    public var surveyYear: Int
    /// Whether the resident ID was converted from the old 15-digit form.
    public var idConverted: Bool = false
    public var student: Bool = false
    /// Needs long-term care (≥ 6 months), a nursing-subsidy condition.
    public var needsLongTermCare: Bool = false
    public var orphan: Bool = false
    /// Receives the work-injury nursing allowance (excludes both subsidies).
    public var workInjuryNursing: Bool = false
    /// Receives an old-age living or nursing allowance (择高 against the subsidies).
    public var oldAgeAllowance: Bool = false
    /// Enrolled in the urban-rural resident pension.
    public var pensionEnrolled: Bool = false
    public var rehabilitationNeeded: Bool = false
    public var accessibilityNeeded: Bool = false
    public var accessibilityDone: Bool = false
    /// Autism diagnosis (child rehabilitation covers it).
    public var autism: Bool = false
    public var source: SourceRef

    public init(
        personID: String, householdID: String, name: String, birthDate: String, gender: String, cardNumber: String,
        category: DisabilityCategory, grade: Int, labour: LabourCapacity, surveyYear: Int, source: SourceRef
    ) {
        self.personID = personID
        self.householdID = householdID
        self.name = name
        self.birthDate = birthDate
        self.gender = gender
        self.cardNumber = cardNumber
        self.category = category
        self.grade = grade
        self.labour = labour
        self.surveyYear = surveyYear
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            personID: "", householdID: "", name: "", birthDate: "", gender: "", cardNumber: "", category: .physical,
            grade: 0, labour: .none, surveyYear: 0, source: .unknown),
        [
            .required("personID", \.personID),
            .required("householdID", \.householdID),
            .defaulted("name", \.name, ""),
            .required("birthDate", \.birthDate),
            .defaulted("gender", \.gender, ""),
            .required("cardNumber", \.cardNumber),
            .required("category", \.category),
            .required("grade", \.grade),
            .defaulted("labour", \.labour, LabourCapacity.none),
            .required("surveyYear", \.surveyYear),
            .flag("idConverted", \.idConverted),
            .flag("student", \.student),
            .flag("needsLongTermCare", \.needsLongTermCare),
            .flag("orphan", \.orphan),
            .flag("workInjuryNursing", \.workInjuryNursing),
            .flag("oldAgeAllowance", \.oldAgeAllowance),
            .flag("pensionEnrolled", \.pensionEnrolled),
            .flag("rehabilitationNeeded", \.rehabilitationNeeded),
            .flag("accessibilityNeeded", \.accessibilityNeeded),
            .flag("accessibilityDone", \.accessibilityDone),
            .flag("autism", \.autism),
            .source(\.source),
        ])
}

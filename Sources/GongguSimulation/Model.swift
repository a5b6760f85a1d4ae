import GongguCore
import GongguEvents

/// One synthetic person: a household member, with or without a disability.
struct SimPerson {
    var id: String
    var name: String
    var birthDay: Int
    var male: Bool
    var labour: LabourCapacity
    var student: Bool
    var disabled = false
    var category = 0
    /// Grade in the first survey (2024) and in the second (2025).
    var grade = 0
    var grade2025 = 0
    var longTermCare = false
    var orphan = false
    var workInjury = false
    var oldAge = false
    var pensionEnrolled = false
    var rehabNeeded = false
    var accessNeeded = false
    var accessDone = false
    var autism = false
    /// The disability is first recorded in the 2025 survey (a new disability).
    var newIn2025 = false
    /// Day of death, if the person dies in the simulated period.
    var deathDay: Int?

    var birthYear: Int { civil(birthDay).0 }
    var deathMonth: Int { deathDay.map { let (y, m, _) = civil($0); return monthOf(y, m) } ?? Int.max }
    /// Severe under the default verify rules (grade 1–2), by the latest survey.
    var severe: Bool { grade2025 == 1 || grade2025 == 2 }
}

/// What a seeded case changes in the payments and records derived from the entitlements.
struct PaymentEdits {
    /// Persons (member index) whose living / nursing subsidy is never paid.
    var noLiving: Set<Int> = []
    var noNursing: Set<Int> = []
    /// Living subsidy paid only up to this month (member index → month).
    var livingUntil: [Int: Int] = [:]
    /// Month to pay after death: payments continue to this month (member index → month).
    var paidThrough: [Int: Int] = [:]
    /// Pension year not paid (member index → year).
    var skipPension: [Int: Int] = [:]
    /// Pension premium also recorded for 2023 (member index).
    var pension2023: Set<Int> = []
    /// One extra payment with another amount for the same month (member, kind, month).
    var secondPayment: (member: Int, kind: SubsidyKind, month: Int)?
    /// One payment with an out-of-band amount (member, kind, month, fen).
    var amountOverride: (member: Int, kind: SubsidyKind, month: Int, fen: Int)?
    /// Stray payments (member, kind, month) to persons not entitled.
    var stray: [(member: Int, kind: SubsidyKind, month: Int)] = []
    /// No personal 低保 (单人户施保) for these members of a 低保边缘 household.
    var noPersonalDibao: Set<Int> = []
    /// No rehabilitation service / accessibility works recorded for these members.
    var noRehab: Set<Int> = []
}

/// One synthetic household with everything its records are derived from.
struct SimHousehold {
    var index: Int
    var id: String
    var region: String
    var county: Int
    var status: PovertyStatus
    var liftedYear: Int?
    var statusDay: Int
    var members: [SimPerson]
    var programme: AssistanceProgramme?
    var programmeStart = 0
    var programmeStop: Int?
    var stopReason: StopReason?
    var dibaoAmountFen = 0
    /// Per-capita net income, fen, for 2024 and 2025.
    var perCapita2024 = 0
    var perCapita2025 = 0
    var visits: [(day: Int, hardship: [String], selfApplication: Bool, notes: String)] = []
    var expenses: [(kind: ExpenseKind, fen: Int, day: Int, member: Int?)] = []
    var projects: [(kind: ProjectKind, member: Int?, day: Int, fen: Int)] = []
    var measureTakenDay: Int?
    /// A bureau inclusion that names the measure taken (day, measure): the only assistance on record.
    var inclusionWithMeasure: (day: Int, measure: String)?
    var edits = PaymentEdits()
    /// The household's survey rows go to the late survey file, imported after the pay roll.
    var surveyArrivesLate = false
    /// Set for seeded households.
    var seedCase: SeedCase?
}

/// One monthly subsidy payee, kept compactly so the payment roll can be written month by month
/// (as 残联 pay rolls are) after every household is generated.
struct Payee {
    var personID: String
    var householdID: String
    var region: String
    var kind: SubsidyKind
    var fen: Int32
    var from: Int32
    var to: Int32
    /// A month paid with another amount (−1 none), a month paid a second time with +0.50 yuan (−1 none),
    /// and a month written twice identically (an intake duplicate, −1 none).
    var overrideMonth: Int32 = -1
    var overrideFen: Int32 = 0
    var secondMonth: Int32 = -1
    var exactDuplicateMonth: Int32 = -1
}

/// Simulated period.
enum Period {
    static let firstMonth = monthOf(2024, 1)
    static let lastMonth = monthOf(2025, 12)
    static let referenceDate = "2025-12-31"
}

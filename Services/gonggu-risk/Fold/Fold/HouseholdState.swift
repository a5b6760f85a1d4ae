import GongguCore
import GongguEvents

/// "No day" marker in compact day fields.
let noDay: Int32 = .min

/// A household member as the risk monitor needs them: for labour capacity and for the feedback text.
/// The person id is kept packed (`PersonKey`); 40 bytes a member, nothing on the heap but a long name.
struct Member {
    var key: PersonKey
    var labour: LabourCapacity
    /// Disability category raw value, 0 when the person has no recorded disability.
    var category: UInt8 = 0
    /// Disability grade 1…4, 0 when none.
    var grade: UInt8 = 0
    var present = true
    var name: String

    init(
        personID: String, name: String, labour: LabourCapacity, category: UInt8 = 0, grade: UInt8 = 0,
        present: Bool = true
    ) {
        (key, self.name, self.labour, self.category, self.grade, self.present) =
            (PersonKey(personID), name, labour, category, grade, present)
    }

    var personID: String {
        get { key.text }
        set { key = PersonKey(newValue) }
    }

    var hasLabour: Bool { present && labour != .none }
}

/// An active signal with its explanation: the date it was raised, the amount and threshold compared,
/// and the facts used.
struct ActiveSignal {
    var signal: RiskSignal
    var day: Int32
    /// The compared figure (fen, or percent for a sharp fall, or 0).
    var amount: Int
    var threshold: Int
    var evidence: [EventID]
    /// Free detail for the text (e.g. the lost measure, or a person id for disability).
    var detail: String = ""
}

/// A running sum of one expense kind over its period (calendar year, or month for outpatient).
struct ExpenseSum {
    var kind: ExpenseKind
    var period: Int32
    var sumFen: Int
    var evidence: [EventID]
}

/// An open recommendation awaiting the bureau's answer.
struct Recommendation {
    enum Kind: UInt8 { case monitoring, elimination }
    var id: EventID
    var kind: Kind
    var day: Int32
    /// Suggested monitored type (monitoring recommendations), used when the bureau confirms without one.
    var suggested: PovertyStatus?
    /// Overdue periods already raised.
    var overduePeriods: UInt16 = 0
    var kindKey: String { kind == .monitoring ? "monitoring" : "elimination" }
}

/// One recent decision, for the household view.
public struct DecisionRef: Sendable, Equatable {
    /// Event type, e.g. `MonitoringRecommended`.
    public var type: String
    /// Hex id of the decision event.
    public var id: String
    /// Business date `YYYY-MM-DD`.
    public var date: String
}

/// Everything the risk monitor keeps about one household: small and bounded (no event history).
/// The fields are declared by size, largest first, so the struct has no padding between them
/// (256 bytes a household rather than 304 in the order of their meaning).
struct HouseholdState {
    var region: String
    var members: [Member] = []

    // Evidence of the latest facts of each kind.
    var monitoringEvidence: EventID = .zero
    var incomeEvent: EventID = .zero
    var priorIncomeEvent: EventID = .zero
    var lastAssistanceEvent: EventID = .zero
    var visitEvent: EventID = .zero
    var lastLargeExpenseEvent: EventID = .zero

    // Income: the latest assessment and the latest of an earlier year (years and days below).
    var incomePerCapita = 0
    var incomeLine = 0
    var priorPerCapita = 0

    /// Hardship indicators of the latest home visit.
    var visitHardship: [String] = []
    /// Open verifier findings (ids) about lost benefits.
    var openFindings: [(id: String, measure: String, event: EventID)] = []
    var expenseSums: [ExpenseSum] = []
    /// Active signals, in `RiskSignal` order (see `setSignal`).
    var signals: [ActiveSignal] = []
    var openRecommendations: [Recommendation] = []
    /// Days monitoring started (confirmed inclusion or monitored status), and days it ended by elimination.
    var includedDays: [Int32] = []
    var eliminatedDays: [Int32] = []
    /// Up to `recentLimit` latest decisions, oldest first.
    var recent: [DecisionRef] = []

    /// Latest business day seen for this household.
    var lastDay: Int32 = noDay
    var monitoredSince: Int32 = noDay
    var incomeDay: Int32 = noDay
    /// First assessment day of the current run of assessments at or above the line.
    var incomeAboveSince: Int32 = noDay
    var lastAssistanceDay: Int32 = noDay
    /// Day of the latest home visit.
    var visitDay: Int32 = noDay
    /// Latest day of any large-expense signal (elimination: expenses resolved).
    var lastLargeExpenseDay: Int32 = noDay
    /// Earliest pending wake-up day (Int32.max when none).
    var scheduled: Int32 = .max

    /// First survey year seen: disabilities recorded in it are the baseline, not a new disability.
    var baselineSurveyYear: Int16 = 0
    var incomeYear: Int16 = 0
    var priorIncomeYear: Int16 = 0
    /// Signals already covered by a recommendation (cleared when the signal ends).
    var recommendedMask: UInt16 = 0
    var assessedMask: UInt16 = 0

    /// Non-monitored base status (脱贫户 / 一般户) from status records.
    var baseStatus: PovertyStatus?
    /// Monitored type while monitored.
    var monitoredType: PovertyStatus?
    /// Bit per `AssistanceProgramme` currently active (no stop month).
    var activeProgrammes: UInt8 = 0
    var assessedLevel: RiskLevel = .none
    var withoutAssistanceRaised = false

    static let recentLimit = 5

    init(region: String) { self.region = region }

    /// Stands in a slot while its state is being changed.
    static let placeholder = HouseholdState(region: "")

    var isMonitored: Bool { monitoredSince != noDay }

    var isLifted: Bool { baseStatus == .lifted || monitoredType == .monitoredUnstable }

    /// Members with labour capacity present in the household.
    var labourCount: Int { members.reduce(0) { $0 + ($1.hasLabour ? 1 : 0) } }

    /// True when no present member has any labour capacity (or no member is known): never eliminated.
    var hasNoLabourCapacity: Bool { labourCount == 0 }

    var activeMask: UInt16 { signals.reduce(0) { $0 | $1.signal.bit } }

    func signal(_ s: RiskSignal) -> ActiveSignal? { signals.first { $0.signal == s } }

    /// Sets or replaces a signal. `signals` is kept in signal order (not in the order signals were
    /// raised): facts and verifier findings come from two upstreams whose merge timing decides, so an
    /// order of raising would make the state depend on that merge (docs/RELIABILITY.md).
    mutating func setSignal(_ s: ActiveSignal) {
        if let i = signals.firstIndex(where: { $0.signal.rawValue >= s.signal.rawValue }) {
            if signals[i].signal == s.signal { signals[i] = s } else { signals.insert(s, at: i) }
        } else {
            signals.append(s)
        }
    }

    mutating func clearSignal(_ s: RiskSignal) { signals.removeAll { $0.signal == s } }

    mutating func member(_ personID: String) -> Int? {
        let key = PersonKey(personID)
        return members.firstIndex { $0.key == key }
    }

    /// Whether an assistance measure was received during the current monitoring period.
    var hasAssistanceWhileMonitored: Bool {
        activeProgrammes != 0 || (lastAssistanceDay != noDay && lastAssistanceDay >= monitoredSince)
    }

    mutating func remember(_ ref: DecisionRef) {
        if recent.count >= Self.recentLimit { recent.removeFirst() }
        recent.append(ref)
    }
}

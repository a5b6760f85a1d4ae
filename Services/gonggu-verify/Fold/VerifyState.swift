import GongguCore
import GongguEvents

/// Months are month numbers (year × 12 + month − 1, `BusinessCalendar.monthNumber`); −1 means none.
let noMonth: Int32 = -1

/// Paid (or served) months of one measure for one person: the last month, and a 64-month window as a
/// bitmask so duplicates and year-by-year continuity are O(1) without keeping every payment.
struct MonthTrack: Equatable {
    // Field order keeps the stride at 32 bytes (three tracks per person in the hot array).
    var mask: UInt64 = 0
    var lastEvidence: EventID = .zero
    /// Month of bit 0; −1 while empty.
    var base: Int32 = noMonth
    var last: Int32 = noMonth

    /// Records month `m`; returns false when it was already recorded (a duplicate). Months older than
    /// the window cannot be checked and count as new.
    mutating func record(_ m: Int32, evidence: EventID) -> Bool {
        if base < 0 { base = m }
        if m >= base + 64 {
            // Slide the window forward, keeping the most recent months.
            let newBase = m - 63
            let shift = newBase - base
            mask = shift >= 64 ? 0 : mask >> UInt64(shift)
            base = newBase
        }
        var fresh = true
        if m >= base {
            let bit = UInt64(1) << UInt64(m - base)
            fresh = mask & bit == 0
            mask |= bit
        }
        if m >= last {
            last = m
            lastEvidence = evidence
        }
        return fresh
    }

    /// Whether month `m` is recorded (within the window).
    func contains(_ m: Int32) -> Bool {
        guard base >= 0, m >= base, m < base + 64 else { return false }
        return mask & (UInt64(1) << UInt64(m - base)) != 0
    }

    /// Recorded months within `from...to` (window-limited), ascending.
    func months(from: Int32, to: Int32) -> [Int32] {
        let lo = max(from, base), hi = min(to, base + 63)
        guard base >= 0, lo <= hi else { return [] }
        var out: [Int32] = []
        for m in lo...hi where contains(m) { out.append(m) }
        return out
    }

    /// Latest recorded month in `from...to`, or −1.
    func lastMonth(from: Int32, to: Int32) -> Int32 { months(from: from, to: to).last ?? noMonth }
}

/// Per-person flags from the survey (bits of `PersonState.flags`).
struct PersonFlags {
    static let student: UInt16 = 1 << 0
    static let longTermCare: UInt16 = 1 << 1
    static let orphan: UInt16 = 1 << 2
    static let workInjuryNursing: UInt16 = 1 << 3
    static let oldAgeAllowance: UInt16 = 1 << 4
    static let pensionEnrolled: UInt16 = 1 << 5
    static let rehabilitationNeeded: UInt16 = 1 << 6
    static let accessibilityNeeded: UInt16 = 1 << 7
    static let accessibilityDone: UInt16 = 1 << 8
    static let autism: UInt16 = 1 << 9
    /// A DisabilityRecorded fact was seen (persons known only from payments have no grade).
    static let surveyed: UInt16 = 1 << 10
}

/// What the verifier keeps per person: compact (a few hundred bytes) so a province fits in memory.
struct PersonState {
    /// The person id, packed when it is a resident ID in normal form (`PersonKey`): no heap string a person.
    var key: PersonKey
    var household: Int32
    var name: String = ""
    var birthDay: Int32 = Int32.min
    var category: UInt8 = 0
    var grade: UInt8 = 0
    var flags: UInt16 = 0
    /// 1 death, 2 moved out; `lifeMonth` its month.
    var lifeKind: UInt8 = 0
    var lifeMonth: Int32 = noMonth
    var surveyEvidence: EventID = .zero
    /// Business month of the first survey record: entitlements are not assumed before it.
    var knownSince: Int32 = noMonth
    var living = MonthTrack()
    var nursing = MonthTrack()
    /// Years (bit = year − 2000) with the government-paid premium at or above the minimum recorded.
    var pensionPaidYears: UInt64 = 0
    var pensionEnrolledYears: UInt64 = 0
    var pensionEvidence: EventID = .zero
    /// Month from which each personal measure has been found entitled (by `Measure.index`), −1 if not.
    var since: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (-1, -1, -1, -1, -1, -1, -1)
    /// Open findings: bit `index` = gap, bit `8 + index` = discontinuation.
    var open: UInt16 = 0

    init(id: String, household: Int32) {
        self.key = PersonKey(id)
        self.household = household
    }

    /// The person id as it was given (`key.text`: a new string each time).
    var id: String {
        get { key.text }
        set { key = PersonKey(newValue) }
    }

    func has(_ flag: UInt16) -> Bool { flags & flag != 0 }

    var categoryValue: DisabilityCategory? { DisabilityCategory(rawValue: Int(category)) }

    func track(_ kind: SubsidyKind) -> MonthTrack { kind == .living ? living : nursing }

    func sinceMonth(_ m: Measure) -> Int32 {
        switch m.index {
        case 0: return since.0
        case 1: return since.1
        case 2: return since.2
        case 3: return since.3
        case 4: return since.4
        case 5: return since.5
        default: return since.6
        }
    }

    mutating func setSince(_ m: Measure, _ v: Int32) {
        switch m.index {
        case 0: since.0 = v
        case 1: since.1 = v
        case 2: since.2 = v
        case 3: since.3 = v
        case 4: since.4 = v
        case 5: since.5 = v
        default: since.6 = v
        }
    }

    static func yearBit(_ year: Int) -> UInt64 { (2000...2063).contains(year) ? UInt64(1) << UInt64(year - 2000) : 0 }

    func pensionPaid(_ year: Int) -> Bool { pensionPaidYears & Self.yearBit(year) != 0 }
}

/// One 低保 / 低保边缘 / 特困 span of a household (person −1) or one person.
struct ProgrammeSpan: Equatable {
    var programme: AssistanceProgramme
    var person: Int32
    var start: Int32
    var stop: Int32
    var reason: StopReason?
    var monthlyFen: Int32
    var evidence: EventID

    func active(_ m: Int32) -> Bool { start <= m && (stop < 0 || stop >= m) }
}

/// A household's assessed income (`IncomeAssessed`), for the income test of 低保边缘.
struct IncomeRecord: Equatable {
    var year: Int32
    /// Month of the assessment: the income applies from then on.
    var month: Int32
    var perCapitaFen: Int
    var evidence: EventID
}

/// Why a household counts as 低保边缘 for a person in a month (the finding says which).
enum MarginalBasis {
    /// A civil-affairs 低保边缘 status (span); it decides over the income test.
    case civilAffairs(ProgrammeSpan)
    /// No status given: the household's assessed per-capita income lies in the 低保边缘 band.
    case income(IncomeRecord)
}

/// What the verifier keeps per household.
struct HouseholdState {
    /// The household id, packed when it is short ASCII (`ShortID`): no heap string a household.
    var key: ShortID
    var region: String = ""
    var status: PovertyStatus?
    /// The household left poverty (脱贫户 now or earlier): 四个不摘 applies from `liftedMonth`.
    var leftPoverty = false
    var liftedMonth: Int32 = noMonth
    var statusEvidence: EventID = .zero
    /// Disabled members (person indices), in the order they joined.
    var members = MemberList()
    var spans: [ProgrammeSpan] = []
    /// Assessed incomes, one per year (a later assessment of a year replaces it), in recording order.
    var incomes: [IncomeRecord] = []

    init(id: String) { key = ShortID(id) }

    /// The household id as it was given (`key.text`: a new string each time).
    var id: String {
        get { key.text }
        set { key = ShortID(newValue) }
    }

    /// The income assessment in force in month `m`: the latest assessed in or before `m`.
    func income(month m: Int32) -> IncomeRecord? {
        incomes.filter { $0.month <= m }.max { ($0.month, $0.year) < ($1.month, $1.year) }
    }

    /// Whether `programme` covers person `p` (household-wide or personal span) in month `m`.
    func covered(_ programme: AssistanceProgramme, person p: Int32, month m: Int32) -> Bool {
        spans.contains { $0.programme == programme && ($0.person < 0 || $0.person == p) && $0.active(m) }
    }

    /// Latest month ≤ `m` covered by `programme` for person `p`, or −1.
    func lastCovered(_ programme: AssistanceProgramme, person p: Int32, upTo m: Int32) -> Int32 {
        var best = noMonth
        for s in spans where s.programme == programme && (s.person < 0 || s.person == p) && s.start <= m {
            best = max(best, s.stop < 0 ? m : min(s.stop, m))
        }
        return best
    }

    /// First month of the unbroken run of `programme` coverage of person `p` that includes month `m`
    /// (back-to-back and overlapping spans join), or −1 when `m` is not covered.
    func coveredSince(_ programme: AssistanceProgramme, person p: Int32, month m: Int32) -> Int32 {
        var since = noMonth
        var probe = m
        // Few spans per household: walk back span by span while coverage stays unbroken.
        let mine = spans.filter { $0.programme == programme && ($0.person < 0 || $0.person == p) }
        while let s = mine.filter({ $0.active(probe) }).min(by: { $0.start < $1.start }), since < 0 || s.start < since {
            since = s.start
            probe = s.start - 1
        }
        return since
    }

    /// Evidence of the span covering `p` in month `m`, if any.
    func spanEvidence(_ programme: AssistanceProgramme, person p: Int32, month m: Int32) -> EventID? {
        spans.last { $0.programme == programme && ($0.person < 0 || $0.person == p) && $0.active(m) }?.evidence
    }
}

/// Key of an open gap or discontinuation: one per subject (person or household) and measure.
struct OpenKey: Hashable {
    /// Person index, or household index when `household` is set.
    var subject: Int32
    var household: Bool
    var discontinuation: Bool
    var measure: UInt8
    /// Distinguishes causes of one measure: the pension year, or the stop month of a 低保 span; 0 otherwise.
    var period: Int32 = 0
}

/// An open finding, kept until facts resolve it. Texts are rebuilt when it is resolved: hundreds of
/// thousands can be open at once in a province.
struct OpenFinding {
    var findingID: String
    var household: Int32
    var person: Int32
    var measure: Measure
    var discontinuation: Bool
    /// First month concerned.
    var from: Int32
    var ruleVersion: String

    var ruleID: String { "verify.\(discontinuation ? "discontinued" : "gap").\(measure.rawValue)" }
}

/// Facts about few persons, kept beside the per-person array so it stays small.
struct PersonExtras {
    /// Rehabilitation services received (months), for children.
    var rehab: [Int32: MonthTrack] = [:]
    /// The death or move-out record.
    var lifeEvidence: [Int32: EventID] = [:]
    /// The accessibility project record.
    var accessibilityEvidence: [Int32: EventID] = [:]
}

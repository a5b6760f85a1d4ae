import GongguCore
import GongguEvents
import GongguVerify

/// What the report needs from intake's facts, up to the end of the year.
struct FactTally: Sendable {
    static let types = [
        DisabilityRecorded.eventType, HouseholdStatusRecorded.eventType, AssistanceRecorded.eventType,
        PensionRecorded.eventType, SubsidyPaid.eventType, ProjectRecorded.eventType,
        LifeEventRecorded.eventType, BureauDecisionRecorded.eventType,
    ]
    static let inYearOnlyTypes = [SubsidyPaid.eventType, BureauDecisionRecorded.eventType]

    struct Person: Sendable {
        var household: String
        var stamp: Stamp
        var survey: EventID
        var birthDate: String
        var rehabNeeded: Bool
        var accessibilityNeeded: Bool
        var accessibilityDone: Bool
    }

    struct Household: Sendable {
        var region = ""
        var regionStamp = Stamp(time: Int64.min, seq: 0)
        /// Month the household left poverty (earliest recorded), and the fact saying so.
        var liftedMonth = Int.max
        var liftedStamp = Stamp(time: Int64.max, seq: 0)
        var liftedEvent = EventID.zero
        var status: PovertyStatus?
        var statusStamp = Stamp(time: Int64.min, seq: 0)
        var statusEvent = EventID.zero
        /// 低保 spans by person ("" = household) and start month; the latest record of a span wins.
        var dibao: [String: Span] = [:]
    }

    struct Span: Sendable {
        var person: String
        var start: Int
        var stop: Int?
        var stamp: Stamp
        var event: EventID
    }

    /// One fact event chosen among several (the earliest by business time and seq).
    struct Pick: Sendable {
        var stamp: Stamp
        var event: EventID
        var region: String

        mutating func keepEarlier(_ other: Pick) { if other.stamp < stamp { self = other } }
    }

    /// Main measures of one person active at the start of the year, with the earliest fact showing one.
    struct StartMark: Sendable {
        var measures: StartMeasures
        var pick: Pick

        mutating func join(_ other: StartMark) {
            measures.formUnion(other.measures)
            pick.keepEarlier(other.pick)
        }
    }

    /// The personal main measures of `StartMark`.
    struct StartMeasures: OptionSet, Sendable {
        let rawValue: UInt8
        static let living = StartMeasures(rawValue: 1)
        static let nursing = StartMeasures(rawValue: 2)
        static let pension = StartMeasures(rawValue: 4)
        static let rehabilitation = StartMeasures(rawValue: 8)
    }

    /// Months a rehabilitation service counts as receiving: the verifier's default rule
    /// (`rehabilitation.serviceWindowMonths`, docs/RULES-verify.md). The report does not read the rule
    /// documents activated in a deployment; a deployment that changes the window changes it here too.
    static let rehabWindowMonths: Int = {
        let book = VerifyRules.defaultBook()
        return book.rules(region: "", day: BusinessCalendar.dayNumber(year: 2025, month: 1, day: 1))?
            .rules.rehabServiceWindowMonths ?? 12
    }()

    let period: ReportPeriod
    var persons: [String: Person] = [:]
    var households: [String: Household] = [:]
    /// Person → subsidy kind → the first payment for a month of the year.
    var living: [String: Pick] = [:]
    var nursing: [String: Pick] = [:]
    var pension: [String: Pick] = [:]
    /// Rehabilitation services in the year, per person.
    var rehab: [String: Pick] = [:]
    /// The personal main measures (四个不摘) active at the start of the year, per person, as the verifier's
    /// continuity ledger reads them: a subsidy paid for December before or January; a premium paid by
    /// government for the year before; a rehabilitation service within the service window before
    /// 1 January (or in January). 低保 is read from the spans when the report is finished.
    var atStart: [String: StartMark] = [:]
    /// Accessibility works up to the year's end, per household.
    var accessibility: [String: Pick] = [:]
    /// Death or move-out up to the year's end, per person.
    var ended: [String: Pick] = [:]
    /// Bureau decisions in the year, per household: inclusion confirmed, risk eliminated.
    var included: [String: Pick] = [:]
    var eliminated: [String: Pick] = [:]

    /// Whether this tally folds a later seq range of the log than some other tally (`append`), so a
    /// survey's effect on its household's region is deferred to the join.
    let isSegment: Bool
    /// Surveys of a segment that were their person's latest within the segment, in seq order.
    var surveyTouches: [SurveyTouch] = []

    /// A survey that makes its household's region its own envelope region, if it is the person's latest
    /// survey so far in log order (as the sequential fold decides it).
    struct SurveyTouch: Sendable {
        var person: String
        var household: String
        var region: String
        var stamp: Stamp
    }

    init(period: ReportPeriod, isSegment: Bool = false) {
        self.period = period
        self.isSegment = isSegment
    }

    /// Folds one intake event; returns whether it was used.
    mutating func apply(_ e: Event) -> Bool {
        // Facts count up to the end of the year by business time; later facts belong to later years.
        guard period.byYearEnd(e.occurredAt) else { return false }
        switch e.type {
        case DisabilityRecorded.eventType:
            guard let p = try? e.decode(DisabilityRecorded.self) else { return false }
            let s = Stamp(e)
            let new = Person(
                household: p.householdID, stamp: s, survey: e.id, birthDate: p.birthDate,
                rehabNeeded: p.rehabilitationNeeded, accessibilityNeeded: p.accessibilityNeeded,
                accessibilityDone: p.accessibilityDone)
            var replaced = true
            if let old = persons.updateValue(new, forKey: p.personID), s < old.stamp {
                persons[p.personID] = old
                replaced = false
            }
            guard replaced else { return true }
            if isSegment {
                // Whether this survey is the person's latest so far also depends on the segments
                // before this one: decided when the segments are joined (`append`).
                surveyTouches.append(
                    SurveyTouch(person: p.personID, household: p.householdID, region: e.region, stamp: s))
            } else {
                touch(p.householdID, e)
            }
        case HouseholdStatusRecorded.eventType:
            guard let p = try? e.decode(HouseholdStatusRecorded.self) else { return false }
            onStatus(p, e)
        case AssistanceRecorded.eventType:
            guard let p = try? e.decode(AssistanceRecorded.self) else { return false }
            guard p.programme == .dibao, let start = BusinessCalendar.monthNumber(p.startMonth) else { return true }
            let who = p.personID ?? ""
            let key = "\(who)|\(start)"
            let s = Stamp(e)
            let span = Span(
                person: who, start: start, stop: p.stopMonth.flatMap(BusinessCalendar.monthNumber), stamp: s,
                event: e.id)
            // One lookup, mutated in place (households are the hottest dictionary of the fold).
            households[p.householdID, default: Household()].keepLater(span, key: key)
            touch(p.householdID, e)
        case PensionRecorded.eventType:
            guard let p = try? e.decode(PensionRecorded.self) else { return false }
            if p.year == period.year, p.governmentPaidFen > 0 { Self.pick(&pension, p.personID, e) }
            if p.year == period.year - 1, p.governmentPaidFen > 0 { markStart(p.personID, .pension, e) }
        case SubsidyPaid.eventType:
            // Payments in the year, and those for December before (active at the start of the year).
            guard e.occurredAt >= period.runUpStart, e.occurredAt < period.end,
                  let p = try? e.decode(SubsidyPaid.self) else { return false }
            if let m = BusinessCalendar.monthNumber(p.month), m == period.firstMonth - 1 || m == period.firstMonth {
                markStart(p.personID, p.subsidy == .living ? .living : .nursing, e)
            }
            guard period.contains(e.occurredAt) else { return true }
            if p.subsidy == .living { Self.pick(&living, p.personID, e) } else { Self.pick(&nursing, p.personID, e) }
        case ProjectRecorded.eventType:
            guard let p = try? e.decode(ProjectRecorded.self) else { return false }
            switch p.kind {
            case .rehabilitation:
                guard let person = p.personID else { return true }
                if period.contains(e.occurredAt) { Self.pick(&rehab, person, e) }
                if let m = BusinessCalendar.monthNumber(String(p.date.prefix(7))),
                   m >= period.firstMonth - Self.rehabWindowMonths, m <= period.firstMonth {
                    markStart(person, .rehabilitation, e)
                }
            case .accessibility:
                Self.pick(&accessibility, p.householdID, e)
            case .training, .productionSupport:
                return false
            }
        case LifeEventRecorded.eventType:
            guard let p = try? e.decode(LifeEventRecorded.self) else { return false }
            Self.pick(&ended, p.personID, e)
        case BureauDecisionRecorded.eventType:
            guard period.contains(e.occurredAt), let p = try? e.decode(BureauDecisionRecorded.self) else {
                return false
            }
            switch p.decision {
            case .inclusionConfirmed: Self.pick(&included, p.householdID, e)
            case .riskEliminated: Self.pick(&eliminated, p.householdID, e)
            case .inclusionDeclined, .measureTaken: return false
            }
        default:
            return false
        }
        return true
    }

    private mutating func onStatus(_ p: HouseholdStatusRecorded, _ e: Event) {
        let s = Stamp(e)
        households[p.householdID, default: Household()].apply(p, e, s)
    }
}

extension FactTally.Household {
    mutating func keepLater(_ span: FactTally.Span, key: String) {
        if let old = dibao[key], span.stamp < old.stamp { return }
        dibao[key] = span
    }

    mutating func apply(_ p: HouseholdStatusRecorded, _ e: Event, _ s: Stamp) {
        if s > statusStamp {
            status = p.status
            statusStamp = s
            statusEvent = e.id
        }
        if p.status == .lifted || p.liftedYear != nil {
            // As the verifier counts it: the year left, else the status date's month.
            let m = p.liftedYear.map { $0 * 12 }
                ?? BusinessCalendar.monthNumber(String(p.effectiveDate.prefix(7)))
                ?? BusinessCalendar.monthNumber(ofDay: BusinessCalendar.day(of: e.occurredAt))
            if (m, s) < (liftedMonth, liftedStamp) {
                liftedMonth = m
                liftedStamp = s
                liftedEvent = e.id
            }
        }
        touch(e, s)
    }

    /// The household's region is the envelope region of its latest fact.
    mutating func touch(_ e: Event, _ s: Stamp) { touch(region: e.region, s) }

    mutating func touch(region r: String, _ s: Stamp) {
        if s > regionStamp {
            region = r
            regionStamp = s
        }
    }

    /// Takes over what `later` recorded about the same household from another seq range of the log.
    /// Every field keeps the latest or earliest by stamp (unique: the seq breaks ties), so the join
    /// equals folding both ranges in one pass.
    mutating func join(_ later: FactTally.Household) {
        touch(region: later.region, later.regionStamp)
        if (later.liftedMonth, later.liftedStamp) < (liftedMonth, liftedStamp) {
            liftedMonth = later.liftedMonth
            liftedStamp = later.liftedStamp
            liftedEvent = later.liftedEvent
        }
        if later.statusStamp > statusStamp {
            status = later.status
            statusStamp = later.statusStamp
            statusEvent = later.statusEvent
        }
        for (key, span) in later.dibao { keepLater(span, key: key) }
    }
}

extension FactTally {
    mutating func touch(_ household: String, _ e: Event) {
        households[household, default: Household()].touch(e, Stamp(e))
    }

    mutating func markStart(_ person: String, _ m: StartMeasures, _ e: Event) {
        let new = StartMark(measures: m, pick: Pick(stamp: Stamp(e), event: e.id, region: e.region))
        atStart[person, default: new].join(new)
    }

    private static func pick(_ map: inout [String: Pick], _ key: String, _ e: Event) {
        let new = Pick(stamp: Stamp(e), event: e.id, region: e.region)
        // One hash lookup: a new key is inserted as `new`, which then keeps itself.
        map[key, default: new].keepEarlier(new)
    }
}

extension FactTally {
    /// Joins the tally of the next seq range of the same log (`later.isSegment`): the result equals one
    /// tally over both ranges in log order. Every choice is the earliest or latest by (business time,
    /// seq) — order-independent — except one: a survey moves its household's region only when it is
    /// the person's latest survey *so far* in log order, which for `later`'s surveys is decided here
    /// against this tally's persons, before they are joined.
    mutating func append(_ later: FactTally) {
        precondition(later.isSegment, "only a segment tally can follow another")
        for t in later.surveyTouches {
            if let known = persons[t.person], t.stamp < known.stamp { continue }
            if isSegment {
                surveyTouches.append(t)
            } else {
                households[t.household, default: Household()].touch(region: t.region, t.stamp)
            }
        }
        // Households created by `later`'s own facts (region fields at their initial values otherwise).
        for (id, h) in later.households {
            if let i = households.index(forKey: id) {
                households.values[i].join(h)
            } else {
                households[id] = h
            }
        }
        for (id, p) in later.persons {
            if let i = persons.index(forKey: id) {
                if p.stamp > persons.values[i].stamp { persons.values[i] = p }
            } else {
                persons[id] = p
            }
        }
        Self.join(&living, later.living)
        Self.join(&nursing, later.nursing)
        Self.join(&pension, later.pension)
        Self.join(&rehab, later.rehab)
        for (id, mark) in later.atStart { atStart[id, default: mark].join(mark) }
        Self.join(&accessibility, later.accessibility)
        Self.join(&ended, later.ended)
        Self.join(&included, later.included)
        Self.join(&eliminated, later.eliminated)
    }

    private static func join(_ map: inout [String: Pick], _ later: [String: Pick]) {
        if map.isEmpty {
            map = later
            return
        }
        for (key, pick) in later {
            if let i = map.index(forKey: key) {
                map.values[i].keepEarlier(pick)
            } else {
                map[key] = pick
            }
        }
    }
}

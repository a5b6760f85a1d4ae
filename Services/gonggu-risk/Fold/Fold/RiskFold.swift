import GongguCore
import GongguEvents

/// The risk monitor (防返贫监测) as a deterministic fold: facts and verifier findings in, per-household
/// risk decisions out (docs/RULES-risk.md).
///
/// State is one small `HouseholdState` per household plus a wake-up queue for elapsed-time decisions,
/// so each event costs O(1) amortised (its household's small state only). Outputs are `RiskAssessed`,
/// `MonitoringRecommended`, `RiskEliminationRecommended`, `RiskFeedback`, `RecommendationOverdue` and
/// `MonitoringWithoutAssistance`; their ids are derived from the input, so replay reproduces them.
/// Inputs of other types (including the fold's own outputs, if the runtime replays them) are ignored.
public struct RiskFold: ServiceFold {
    /// Activated rule versions; decisions use the version in force on the event's business date.
    public internal(set) var book: RuleBook<RiskRules>
    /// Household states in dense pages with an id → slot index: a dictionary of large values would
    /// keep its spare capacity at full value size (a third of the memory at a million persons).
    /// Household ids packed (`ShortID`): no heap string a household.
    var slots: [ShortID: Int32] = [:]
    var states = HouseholdPages.make()
    var ids: [ShortID] = []
    var wakeups = WakeupQueue()
    /// Latest clock tick day.
    var clockDay: Int32 = noDay
    /// Per version (same order as `book.versions`): effective day, label, and the rules when the
    /// version has no region overrides, so the hot path skips the book's per-region lookup.
    private var index: [(day: Int32, version: String, plain: RiskRules?)] = []

    /// A fold with `rules` (a rule document, by default `RiskRules.defaultDocument`) as its first version.
    public init(rules document: String = RiskRules.defaultDocument) throws {
        book = RiskRules.makeBook()
        try book.activate(try RuleDocument(text: document))
        reindex()
    }

    mutating func reindex() {
        index = book.versions.map { v in
            (
                Int32(v.day), v.document.version,
                v.document.regions.isEmpty ? try? RiskRules(json: v.document.defaults) : nil
            )
        }
    }

    /// Checks a rule document completely; throws `RuleError` with a clear message when it is refused.
    public static func validate(document: String) throws { try RiskRules.validate(document: document) }

    /// Number of households known.
    public var householdCount: Int { states.count }

    /// The state of a household, if known (read-only).
    func household(_ id: String) -> HouseholdState? { slots[ShortID(id)].map { states[Int($0)] } }

    /// Takes a household's state out of its slot (leaving an empty placeholder, so the state stays
    /// uniquely referenced and mutates without copies); `putBack` returns it.
    private mutating func takeOut(_ slot: Int) -> HouseholdState {
        var hh = HouseholdState.placeholder
        swap(&hh, &states[slot])
        return hh
    }

    private mutating func putBack(_ hh: inout HouseholdState, _ slot: Int) { swap(&hh, &states[slot]) }

    public mutating func apply(_ event: Event) -> [Event] {
        var ctx = Context(input: event)
        switch event.type {
        case ClockTicked.eventType:
            guard let tick = try? event.decode(ClockTicked.self), let day = BusinessCalendar.dayNumber(tick.date) else {
                return []
            }
            tickTo(Int32(day), &ctx)
        case RulesActivated.eventType:
            // An invalid or foreign document changes nothing: the running versions stay in force.
            if let activated = try? event.decode(RulesActivated.self), activated.ruleSet == book.ruleSet,
                let document = try? RuleDocument(text: activated.document)
            {
                var next = book
                if (try? next.activate(document)) != nil {
                    book = next
                    reindex()
                }
            }
        default:
            applyFact(event, &ctx)
        }
        return ctx.outputs
    }

    // MARK: Facts

    private mutating func applyFact(_ e: Event, _ ctx: inout Context) {
        let occurredDay = Int32(BusinessCalendar.day(of: e.occurredAt))
        switch e.type {
        case DisabilityRecorded.eventType:
            guard let p = try? e.decode(DisabilityRecorded.self) else { return }
            update(p.householdID, e, occurredDay, &ctx) { hh, day in hh.recordDisability(p, e.id, day) }
        case MemberRecorded.eventType:
            guard let p = try? e.decode(MemberRecorded.self) else { return }
            let day = Self.day(p.since, occurredDay)
            update(p.householdID, e, day, &ctx) { hh, day in hh.recordMember(p, e.id, day) }
        case LifeEventRecorded.eventType:
            guard let p = try? e.decode(LifeEventRecorded.self) else { return }
            update(p.householdID, e, Self.day(p.date, occurredDay), &ctx) { hh, day in
                hh.recordLifeEvent(p, e.id, day)
            }
        case HouseholdStatusRecorded.eventType:
            guard let p = try? e.decode(HouseholdStatusRecorded.self) else { return }
            update(p.householdID, e, Self.day(p.effectiveDate, occurredDay), &ctx) { hh, day in
                if p.status.isMonitored {
                    hh.startMonitoring(type: p.status, day: day, evidence: e.id)
                } else {
                    hh.baseStatus = p.status
                    if hh.isMonitored { hh.stopMonitoring(day: day, eliminated: true) }
                }
            }
        case IncomeAssessed.eventType:
            guard let p = try? e.decode(IncomeAssessed.self) else { return }
            let day = Self.day(p.assessedDate, occurredDay)
            guard let rules = rules(region: e.region, day: day) else { return }
            update(p.householdID, e, day, &ctx) { hh, day in hh.recordIncome(p, e.id, day, rules.rules) }
        case AssistanceRecorded.eventType:
            guard let p = try? e.decode(AssistanceRecorded.self) else { return }
            let start = Self.monthDay(p.startMonth, occurredDay)
            update(p.householdID, e, start, &ctx) { hh, day in
                let bit: UInt8 = 1 << UInt8(AssistanceProgramme.allCases.firstIndex(of: p.programme)!)
                if p.stopMonth == nil {
                    hh.activeProgrammes |= bit
                    hh.recordAssistance(day: day, evidence: e.id)
                } else {
                    hh.activeProgrammes &= ~bit
                }
            }
        case SubsidyPaid.eventType:
            guard let p = try? e.decode(SubsidyPaid.self) else { return }
            update(p.householdID, e, Self.monthDay(p.month, occurredDay), &ctx) { hh, day in
                hh.recordAssistance(day: day, evidence: e.id)
            }
        case ProjectRecorded.eventType:
            guard let p = try? e.decode(ProjectRecorded.self) else { return }
            update(p.householdID, e, Self.day(p.date, occurredDay), &ctx) { hh, day in
                hh.recordAssistance(day: day, evidence: e.id)
            }
        case ExpenseReported.eventType:
            guard let p = try? e.decode(ExpenseReported.self) else { return }
            let day = Self.day(p.date, occurredDay)
            guard let rules = rules(region: e.region, day: day) else { return }
            update(p.householdID, e, day, &ctx) { hh, day in hh.recordExpense(p, e.id, day, rules.rules) }
        case HomeVisitReported.eventType:
            guard let p = try? e.decode(HomeVisitReported.self) else { return }
            update(p.householdID, e, Self.day(p.date, occurredDay), &ctx) { hh, day in
                hh.recordVisit(p, e.id, day)
            }
        case AssistanceDiscontinued.eventType:
            guard let f = try? e.decode(AssistanceDiscontinued.self) else { return }
            update(f.householdID, e, occurredDay, &ctx) { hh, day in hh.openFinding(f.body, e.id, day) }
        case EntitlementGap.eventType:
            guard let f = try? e.decode(EntitlementGap.self) else { return }
            update(f.householdID, e, occurredDay, &ctx) { hh, day in hh.openFinding(f.body, e.id, day) }
        case FindingResolved.eventType:
            guard let f = try? e.decode(FindingResolved.self) else { return }
            update(f.householdID, e, occurredDay, &ctx) { hh, _ in hh.resolveFinding(f.findingID) }
        case BureauDecisionRecorded.eventType:
            guard let p = try? e.decode(BureauDecisionRecorded.self) else { return }
            update(p.householdID, e, Self.day(p.date, occurredDay), &ctx) { hh, day in
                hh.recordBureauDecision(p, e.id, day)
            }
        default:
            return
        }
    }

    /// The verifier's event types the risk monitor reads: a lost benefit is a risk signal until resolved.
    static let findingTypes: Set<String> = [
        AssistanceDiscontinued.eventType, EntitlementGap.eventType, FindingResolved.eventType,
    ]

    /// Applies `change` to the household's state, then re-evaluates its decisions as of the later of
    /// the event's business day, the household's last day and the clock.
    private mutating func update(
        _ householdID: String, _ e: Event, _ day: Int32, _ ctx: inout Context,
        _ change: (inout HouseholdState, Int32) -> Void
    ) {
        guard !householdID.isEmpty else { return }
        let slot: Int
        let key = ShortID(householdID)
        if let known = slots[key] {
            slot = Int(known)
        } else {
            slot = states.count
            slots[key] = Int32(slot)
            states.append(HouseholdState(region: e.region))
            ids.append(key)
        }
        var hh = takeOut(slot)
        // The region is an intake fact; a finding's envelope only copies it, so it fills in a region
        // not yet known but never overrides one (else the last of the two upstreams to arrive would win).
        // Byte for byte the region it has (nearly every event) changes nothing, and is found without the
        // `count`s below (Characters: about 1,000 instructions an event in `gonggu-bench risk`).
        if !Self.sameBytes(hh.region, e.region) {
            let fromFinding = Self.findingTypes.contains(e.type)
            if hh.region.count < e.region.count || (!fromFinding && e.region.count == 12 && hh.region != e.region) {
                hh.region = e.region
            }
        }
        change(&hh, day)
        // `asOf` never goes back for a household; it depends on which of its facts have arrived, which
        // for two upstreams is a matter of timing, so decisions record `day` (see `Emitter.decisionDay`).
        let asOf = max(hh.lastDay, day, clockDay)
        hh.lastDay = max(hh.lastDay, day)
        evaluate(&hh, householdID, asOf: asOf, inputDay: day, tick: false, &ctx)
        putBack(&hh, slot)
    }

    /// Moves the clock to `day` and re-evaluates the households whose wake-up is due.
    private mutating func tickTo(_ day: Int32, _ ctx: inout Context) {
        clockDay = max(clockDay, day)
        for id in wakeups.popDue(through: day) {
            guard let slot = slots[ShortID(id)].map(Int.init) else { continue }
            var hh = takeOut(slot)
            hh.scheduled = .max
            evaluate(&hh, id, asOf: max(day, hh.lastDay), tick: true, &ctx)
            putBack(&hh, slot)
        }
    }

    /// The rules in force for `region` on `day` (before the first version: the first version).
    func rules(region: String, day: Int32) -> (rules: RiskRules, version: String)? {
        guard !index.isEmpty else { return nil }
        var i = 0
        while i + 1 < index.count && index[i + 1].day <= day { i += 1 }
        if let plain = index[i].plain { return (plain, index[i].version) }
        return book.rules(region: region, day: Int(max(day, index[i].day)))
    }

    /// Whether the two strings have the same UTF-8 bytes.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for i in 0..<x.count where x[i] != y[i] { return false }
                return true
            }
        }
    }

    static func day(_ text: String, _ fallback: Int32) -> Int32 {
        BusinessCalendar.dayNumber(text).map { Int32($0) } ?? fallback
    }

    /// First day of a `YYYY-MM` month.
    static func monthDay(_ text: String, _ fallback: Int32) -> Int32 {
        guard let m = BusinessCalendar.monthNumber(text) else { return fallback }
        return Int32(BusinessCalendar.dayNumber(year: m / 12, month: m % 12 + 1, day: 1))
    }
}

/// What one `apply` call collects.
struct Context {
    /// What the decisions take from the input: its id (their causation, and the seed of their ids), its
    /// correlation and its time. Not the event: a copy of it per application cost a retain and a
    /// release of each of its strings and its payload.
    struct Input {
        let id: EventID
        let correlation: EventID?
        let occurredAt: Timestamp
    }
    let input: Input
    var outputs: [Event] = []
    init(input: Event) { self.input = Input(id: input.id, correlation: input.correlation, occurredAt: input.occurredAt) }
}

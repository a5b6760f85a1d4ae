import GongguCore
import GongguEvents

/// The benefit verifier (应享尽享 / 四个不摘) as a deterministic fold over fact events (docs/ARCHITECTURE.md).
///
/// It keeps, per person and household, what they are entitled to and what they receive, and emits
/// `EntitlementGap`, `AssistanceDiscontinued`, `PaymentAnomaly` and `FindingResolved` events.
/// Elapsed-time checks (months without a payment) run as a sweep when the reference month advances:
/// on `ClockTicked` (reference = the month before the tick's month) and, where the rules say so, when
/// the business month of payment data advances (payments for month M close month M − 1). A sweep is
/// O(persons) once per month, so the cost per event stays O(1) amortised.
public struct VerifyFold: ServiceFold {
    var table = RuleTable()
    /// Person index by id, keyed packed (`PersonKey`).
    var personIndex: [PersonKey: Int32] = [:]
    /// Persons and households in pages (`PagedArray`): at province scale they grow past a million
    /// and 600,000 entries, where an array's doubling would hold both buffers for a moment.
    var persons = PagedArray<PersonState>()
    var extras = PersonExtras()
    /// Household index by id, keyed packed (`ShortID`).
    var householdIndex: [ShortID: Int32] = [:]
    var households = PagedArray<HouseholdState>()
    var open: [OpenKey: OpenFinding] = [:]
    /// Every finding id ever raised: a cause is never raised twice.
    var raised: Set<String> = []
    /// Last month evaluated by a clock sweep, and by a data sweep.
    var tickReference: Int32 = noMonth
    var dataReference: Int32 = noMonth
    /// Latest month of payment data seen.
    var dataMonth: Int32 = noMonth
    /// SHA-256 of each activated rule document, in activation order (part of the digest).
    var activatedRules: [String] = []
    /// The documents of `activatedRules`, in the same order (a snapshot rebuilds `table` from them).
    var ruleDocuments: [String] = []

    /// A fold with the default rule document active.
    public init() {
        // The default document is part of the code and covered by tests: failing here is a build bug.
        try! table.add(RuleDocument(text: VerifyRules.defaultDocument))
        activatedRules = [SHA256.hash(VerifyRules.defaultDocument).hexString]
        ruleDocuments = [VerifyRules.defaultDocument]
    }

    /// The month findings are currently evaluated against (−1 before any sweep).
    public var referenceMonth: Int { Int(max(tickReference, dataReference)) }

    /// Number of persons and households known.
    public var counts: (persons: Int, households: Int) { (persons.count, households.count) }

    public mutating func apply(_ event: Event) -> [Event] {
        var out = Emitter(cause: event)
        switch event.type {
        case DisabilityRecorded.eventType:
            if let p = try? event.decode(DisabilityRecorded.self) { onDisability(p, event, &out) }
        case MemberRecorded.eventType:
            if let p = try? event.decode(MemberRecorded.self) { onMember(p, event) }
        case HouseholdStatusRecorded.eventType:
            if let p = try? event.decode(HouseholdStatusRecorded.self) { onStatus(p, event, &out) }
        case AssistanceRecorded.eventType:
            if let p = try? event.decode(AssistanceRecorded.self) { onAssistance(p, event, &out) }
        case IncomeAssessed.eventType:
            if let p = try? event.decode(IncomeAssessed.self) { onIncome(p, event, &out) }
        case PensionRecorded.eventType:
            if let p = try? event.decode(PensionRecorded.self) { onPension(p, event, &out) }
        case SubsidyPaid.eventType:
            if let p = try? event.decode(SubsidyPaid.self) { onPaid(p, event, &out) }
        case ProjectRecorded.eventType:
            if let p = try? event.decode(ProjectRecorded.self) { onProject(p, event, &out) }
        case LifeEventRecorded.eventType:
            if let p = try? event.decode(LifeEventRecorded.self) { onLife(p, event, &out) }
        case ClockTicked.eventType:
            if let p = try? event.decode(ClockTicked.self), let day = BusinessCalendar.dayNumber(p.date) {
                out.occurredAt = BusinessCalendar.timestamp(ofDay: day)
                advance(tick: Int32(BusinessCalendar.monthNumber(ofDay: day) - 1), data: nil, &out)
            }
        case RulesActivated.eventType:
            if let p = try? event.decode(RulesActivated.self) { onRules(p) }
        default:
            break
        }
        return out.events
    }

    /// Validates and activates a rule document; an invalid one is ignored (the service refuses it
    /// before logging, see `VerifyRules.validate(document:)`).
    mutating func onRules(_ p: RulesActivated) {
        guard p.ruleSet == VerifyRules.ruleSet, let doc = try? RuleDocument(text: p.document) else { return }
        guard (try? table.add(doc)) != nil else { return }
        activatedRules.append(SHA256.hash(p.document).hexString)
        ruleDocuments.append(p.document)
    }

    // MARK: Lookup

    /// Rules in force for a household in month `m`.
    func rules(_ h: Int32, month m: Int32) -> (rules: VerifyRules, version: String) {
        let day = BusinessCalendar.dayNumber(year: Int(m) / 12, month: Int(m) % 12 + 1, day: 1)
        return table.lookup(region: households[Int(h)].region, day: day)
    }

    mutating func household(_ id: String, region: String) -> Int32 {
        let h: Int32
        let key = ShortID(id)
        if let i = householdIndex[key] {
            h = i
        } else {
            h = Int32(households.count)
            householdIndex[key] = h
            var state = HouseholdState(id: "")
            state.key = key
            households.append(state)
        }
        if !region.isEmpty, households[Int(h)].region != region { households[Int(h)].region = region }
        return h
    }

    /// The person's index, created in household `h` if new; moves the person when `move` is set.
    mutating func person(_ id: String, household h: Int32, move: Bool) -> Int32 {
        person(key: PersonKey(id), household: h, move: move)
    }

    mutating func person(key: PersonKey, household h: Int32, move: Bool) -> Int32 {
        if let i = personIndex[key] {
            let old = persons[Int(i)].household
            if move, old != h {
                households[Int(old)].members.removeAll { $0 == i }
                households[Int(h)].members.append(i)
                persons[Int(i)].household = h
            }
            return i
        }
        let i = Int32(persons.count)
        personIndex[key] = i
        var state = PersonState(id: "", household: h)
        state.key = key
        persons.append(state)
        households[Int(h)].members.append(i)
        return i
    }

    static func month(of event: Event) -> Int32 {
        Int32(BusinessCalendar.monthNumber(ofDay: BusinessCalendar.day(of: event.occurredAt)))
    }

    static func month(_ text: String?) -> Int32? {
        guard let text, let m = BusinessCalendar.monthNumber(text) else { return nil }
        return Int32(m)
    }

    /// The reference month of a household: clock ticks, and payment data where its rules say so.
    func reference(_ h: Int32) -> Int32 {
        let r = max(tickReference, dataReference)
        guard r >= 0, dataReference > tickReference else { return r }
        return rules(h, month: r).rules.evaluateOnDataMonth ? r : tickReference
    }

    /// The month against which event-driven checks for household `h` run: its reference month, or the
    /// event's month before any sweep.
    func checkMonth(_ event: Event, household h: Int32) -> Int32 {
        let r = reference(h)
        return r >= 0 ? r : Self.month(of: event)
    }
}

/// Collects the events one input causes (`CausedEvents`), ids derived from the finding.
typealias Emitter = CausedEvents

extension CausedEvents {
    mutating func emit<P: EventPayload>(_ payload: P, findingID: String, householdID: String, region: String) {
        let id = EventID.derived(from: cause.id, "\(P.eventType)|\(findingID)", index: events.count)
        append(payload, id: id, subject: householdID, region: region.isEmpty ? cause.region : region)
    }
}

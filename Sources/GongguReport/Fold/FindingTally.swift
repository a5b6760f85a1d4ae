import GongguCore
import GongguEvents
import GongguVerify

/// What the report needs from the verifier's log: discontinuations of the year, and every finding
/// raised and resolved up to the year's end (for coverage gaps and open findings).
struct FindingTally: Sendable {
    static let types = [
        EntitlementGap.eventType, AssistanceDiscontinued.eventType, PaymentAnomaly.eventType,
        FindingResolved.eventType,
    ]

    struct Raised: Sendable {
        var kind: FindingKind
        var householdID: String
        var personID: String?
        var measure: Measure
        var region: String
        var day: Int
        /// First month concerned (the stop month of a discontinuation).
        var fromMonth: Int?
        var event: EventID
    }

    /// Findings raised by the year's end, by finding id (a cause is raised once; the first wins).
    var raised: [String: Raised] = [:]
    /// Resolutions by the year's end: finding id → resolving event.
    var resolved: [String: EventID] = [:]

    mutating func apply(_ e: Event, _ period: ReportPeriod) -> Bool {
        guard period.byYearEnd(e.occurredAt) else { return false }
        switch e.type {
        case EntitlementGap.eventType:
            guard let f = try? e.decode(EntitlementGap.self) else { return false }
            add(.entitlementGap, f.findingID, f.householdID, f.personID, f.measure, f.periodFrom, e)
        case AssistanceDiscontinued.eventType:
            guard let f = try? e.decode(AssistanceDiscontinued.self) else { return false }
            add(.discontinued, f.findingID, f.householdID, f.personID, f.measure, f.periodFrom, e)
        case PaymentAnomaly.eventType:
            guard let f = try? e.decode(PaymentAnomaly.self) else { return false }
            add(.paymentAnomaly, f.findingID, f.householdID, f.personID, f.measure, f.periodFrom, e)
        case FindingResolved.eventType:
            guard let f = try? e.decode(FindingResolved.self) else { return false }
            if resolved[f.findingID] == nil { resolved[f.findingID] = e.id }
        default:
            return false
        }
        return true
    }

    private mutating func add(
        _ kind: FindingKind, _ id: String, _ household: String, _ person: String?, _ measure: Measure,
        _ from: String, _ e: Event
    ) {
        guard raised[id] == nil else { return }
        raised[id] = Raised(
            kind: kind, householdID: household, personID: person, measure: measure, region: e.region,
            day: BusinessCalendar.day(of: e.occurredAt), fromMonth: BusinessCalendar.monthNumber(from), event: e.id)
    }
}

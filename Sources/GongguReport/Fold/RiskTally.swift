import GongguCore
import GongguEvents
import GongguRisk

/// What the report needs from the risk monitor's log: the first inclusion and elimination
/// recommendation of each household in the year.
struct RiskTally: Sendable {
    static let types = [MonitoringRecommended.eventType, RiskEliminationRecommended.eventType]

    var recommended: [String: FactTally.Pick] = [:]
    var eliminationRecommended: [String: FactTally.Pick] = [:]

    mutating func apply(_ e: Event, _ period: ReportPeriod) -> Bool {
        guard period.contains(e.occurredAt) else { return false }
        let pick = FactTally.Pick(stamp: Stamp(e), event: e.id, region: e.region)
        switch e.type {
        case MonitoringRecommended.eventType:
            guard let p = try? e.decode(MonitoringRecommended.self) else { return false }
            Self.keep(&recommended, p.householdID, pick)
        case RiskEliminationRecommended.eventType:
            guard let p = try? e.decode(RiskEliminationRecommended.self) else { return false }
            Self.keep(&eliminationRecommended, p.householdID, pick)
        default:
            return false
        }
        return true
    }

    static func keep(_ map: inout [String: FactTally.Pick], _ key: String, _ pick: FactTally.Pick) {
        if var old = map[key] {
            old.keepEarlier(pick)
            map[key] = old
        } else {
            map[key] = pick
        }
    }
}

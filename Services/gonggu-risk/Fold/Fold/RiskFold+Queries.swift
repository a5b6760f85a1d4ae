import GongguCore
import GongguEvents

/// An open recommendation, as the CLI and reports show it.
public struct OpenRecommendation: Sendable, Equatable {
    /// Hex id of the recommendation event.
    public var id: String
    /// `monitoring` or `elimination`.
    public var kind: String
    /// `YYYY-MM-DD` it was made.
    public var date: String
    /// Overdue reminders already raised.
    public var overduePeriods: Int
}

/// A household's risk as the CLI shows it.
public struct HouseholdRiskView: Sendable, Equatable {
    public var householdID: String
    public var region: String
    public var level: RiskLevel
    /// Risk type codes of the active signals.
    public var riskTypes: [String]
    /// Keys of the active signals.
    public var signals: [String]
    /// Base status (脱贫户 / 一般户), if recorded.
    public var baseStatus: PovertyStatus?
    /// Monitored type while monitored.
    public var monitoredType: PovertyStatus?
    /// `YYYY-MM-DD` monitoring started, while monitored.
    public var monitoredSince: String?
    public var openRecommendations: [OpenRecommendation]
    /// Latest decisions, oldest first (at most five).
    public var recentDecisions: [DecisionRef]
    /// Whether the household currently has no member with labour capacity (never eliminated).
    public var noLabourCapacity: Bool
}

/// Counts for a region prefix (docs/REPORT.md: monitored, newly included, eliminated).
public struct RegionRiskCounts: Sendable, Equatable {
    public var households = 0
    /// Monitored now.
    public var monitored = 0
    /// Monitoring started within the period.
    public var newlyIncluded = 0
    /// Monitoring ended by risk elimination within the period.
    public var eliminated = 0
    /// Households per current risk level, indexed by `RiskLevel.rawValue`.
    public var byLevel = [0, 0, 0, 0]
    /// Households with an open recommendation.
    public var openRecommendations = 0
}

extension RiskFold {
    /// The risk view of one household, or nil if unknown.
    public func view(household id: String) -> HouseholdRiskView? {
        guard let hh = household(id) else { return nil }
        let types = rules(region: hh.region, day: hh.lastDay).map { Texts.riskTypes(hh, $0.rules) } ?? []
        return HouseholdRiskView(
            householdID: id, region: hh.region, level: hh.assessedLevel, riskTypes: types,
            signals: hh.signals.sorted { $0.signal.rawValue < $1.signal.rawValue }.map(\.signal.key),
            baseStatus: hh.baseStatus, monitoredType: hh.monitoredType,
            monitoredSince: hh.isMonitored ? Calendar.text(hh.monitoredSince) : nil,
            openRecommendations: hh.openRecommendations.map {
                OpenRecommendation(
                    id: "\($0.id)", kind: $0.kindKey, date: Calendar.text($0.day),
                    overduePeriods: Int($0.overduePeriods))
            },
            recentDecisions: hh.recent, noLabourCapacity: hh.hasNoLabourCapacity)
    }

    /// Counts over the households whose region starts with `prefix` ("" for all); inclusions and
    /// eliminations counted within `from`…`to` (`YYYY-MM-DD`, inclusive; nil = unbounded).
    public func counts(regionPrefix prefix: String, from: String? = nil, to: String? = nil) -> RegionRiskCounts {
        let lo = from.flatMap(BusinessCalendar.dayNumber).map { Int32($0) } ?? .min
        let hi = to.flatMap(BusinessCalendar.dayNumber).map { Int32($0) } ?? .max
        var c = RegionRiskCounts()
        for hh in states where hh.region.hasPrefix(prefix) {
            c.households += 1
            if hh.isMonitored { c.monitored += 1 }
            c.newlyIncluded += hh.includedDays.filter { $0 >= lo && $0 <= hi }.count
            c.eliminated += hh.eliminatedDays.filter { $0 >= lo && $0 <= hi }.count
            c.byLevel[Int(hh.assessedLevel.rawValue)] += 1
            if !hh.openRecommendations.isEmpty { c.openRecommendations += 1 }
        }
        return c
    }

    /// The elimination conditions of a monitored household as of `date` (for explanations and tools);
    /// nil when the household is unknown or not monitored.
    public func eliminationConditions(household id: String, asOf date: String) -> [EliminationCondition]? {
        guard let hh = household(id), hh.isMonitored, let day = BusinessCalendar.dayNumber(date),
            let rules = rules(region: hh.region, day: Int32(day))
        else { return nil }
        return EliminationCheck(hh, rules.rules, asOf: Int32(day)).conditions
    }
}

import GongguCore
import GongguEvents
import GongguRisk
import GongguVerify

/// The kinds of decision a rule change can add, remove or change.
public enum RuleDecisionKind: CaseNamed, Sendable, Comparable {
    /// 纳入监测建议 (`MonitoringRecommended`).
    case monitoring
    /// 风险消除建议 (`RiskEliminationRecommended`).
    case elimination
    /// 应享未享 (`EntitlementGap`).
    case gap
    /// 四个不摘：中断 (`AssistanceDiscontinued`).
    case discontinuation
    /// 发放异常 (`PaymentAnomaly`).
    case anomaly

    /// The event type of the decision; its name is the raw value.
    public var eventType: EventType {
        switch self {
        case .monitoring: return .monitoringRecommended
        case .elimination: return .riskEliminationRecommended
        case .gap: return .entitlementGap
        case .discontinuation: return .assistanceDiscontinued
        case .anomaly: return .paymentAnomaly
        }
    }

    public var rawValue: String { eventType.rawValue }

    /// The label staff see.
    public var chinese: String {
        switch self {
        case .monitoring: return "纳入监测建议"
        case .elimination: return "风险消除建议"
        case .gap: return "应享未享"
        case .discontinuation: return "帮扶措施中断"
        case .anomaly: return "发放异常"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One decision or finding a fold emitted, reduced to what a rule comparison shows: its id, the
/// household, the fields a rule change can alter (`detail`) and its explanation.
public struct RuleDecision: Sendable, Equatable {
    /// The decision's id (`recommendationID`, `findingID`): derived from its cause, so the same
    /// decision in both runs has the same id.
    public var id: String
    public var kind: RuleDecisionKind
    public var householdID: String
    /// The household's 12-digit region.
    public var region: String
    /// The person concerned (findings), unmasked: mask it when showing.
    public var personID: String?
    /// Business date or month the decision is about.
    public var date: String
    /// The fields compared for a change (level and suggested household type; measure and months).
    public var detail: String
    public var title: String
    public var summary: String
    public var ruleID: String
    public var ruleVersion: String

    /// Reads a fold output; nil for events that are not decisions a rule comparison reports.
    public init?(_ e: Event) {
        guard let kind = RuleDecisionKind(rawValue: e.type) else { return nil }
        self.kind = kind
        region = e.region
        householdID = e.subject
        personID = nil
        (id, date, detail, title, summary, ruleID, ruleVersion) = ("", "", "", "", "", "", "")
        switch kind {
        case .monitoring:
            guard let p = try? e.decode(MonitoringRecommended.self) else { return nil }
            (id, householdID) = (p.recommendationID, p.householdID)
            detail = "风险等级\(p.level.chinese)，建议户类型\(p.suggestedType.chinese)，风险类型\(p.riskTypes.joined(separator: "、"))"
            (title, summary, ruleID, ruleVersion) = Self.explained(p.explanation)
        case .elimination:
            guard let p = try? e.decode(RiskEliminationRecommended.self) else { return nil }
            (id, householdID) = (p.recommendationID, p.householdID)
            detail = "户类型\(p.householdType?.chinese ?? "未记录")，条件\(p.conditions.joined(separator: "、"))"
            (title, summary, ruleID, ruleVersion) = Self.explained(p.explanation)
        case .gap: guard Self.read(e, EntitlementGap.self, into: &self) else { return nil }
        case .discontinuation: guard Self.read(e, AssistanceDiscontinued.self, into: &self) else { return nil }
        case .anomaly: guard Self.read(e, PaymentAnomaly.self, into: &self) else { return nil }
        }
        date = Self.date(e)
    }

    /// Fills a finding's fields (the three finding types share one payload shape).
    private static func read<T>(_ e: Event, _: Finding<T>.Type, into d: inout RuleDecision) -> Bool {
        guard let p = try? e.decode(Finding<T>.self) else { return false }
        (d.id, d.householdID, d.personID) = (p.findingID, p.householdID, p.personID)
        d.detail =
            "\(p.measure.chinese)，\(p.periodFrom)—\(p.periodTo)"
            + (p.months.map { "，\($0)个月" } ?? "") + (p.anomaly.map { "，\($0.chinese)" } ?? "")
            + (p.month.map { "，\($0)月" } ?? "")
        (d.title, d.summary, d.ruleID, d.ruleVersion) = (p.title, p.summary, p.ruleID, p.ruleVersion)
        return true
    }

    private static func explained(_ x: RiskExplanation) -> (String, String, String, String) {
        (x.title, x.summary, x.ruleID, x.ruleVersion)
    }

    private static func date(_ e: Event) -> String {
        BusinessCalendar.dateText(ofDay: BusinessCalendar.day(of: e.occurredAt))
    }

    /// The 6-digit county prefix of the household's region.
    public var county: String { String(region.prefix(6)) }
}

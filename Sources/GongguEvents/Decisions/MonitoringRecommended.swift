import GongguCore

/// Recommendation to include a household in monitoring (纳入监测), for the bureau to decide.
public struct MonitoringRecommended: TabledPayload, Equatable {
    public static let eventType = EventType.monitoringRecommended.rawValue
    /// Hex id of this recommendation (its event id), for `BureauDecisionRecorded.inReplyTo`.
    public var recommendationID: String
    public var householdID: String
    public var level: RiskLevel
    public var riskTypes: [String]
    /// Keys of the signals this recommendation is for (its cause).
    public var causes: [String]
    /// Rule ids of every active signal (`risk.signal.<key>`).
    public var ruleIDs: [String] = []
    /// Suggested monitored household type (脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户).
    public var suggestedType: PovertyStatus
    /// The rule that chose `suggestedType` (`risk.type.lifted|marginal|sudden|default`); empty in events
    /// written before it was recorded.
    public var typeRuleID = ""
    public var explanation: RiskExplanation

    public init(
        recommendationID: String, householdID: String, level: RiskLevel, riskTypes: [String], causes: [String],
        suggestedType: PovertyStatus, explanation: RiskExplanation
    ) {
        self.recommendationID = recommendationID
        self.householdID = householdID
        self.level = level
        self.riskTypes = riskTypes
        self.causes = causes
        self.suggestedType = suggestedType
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            recommendationID: "", householdID: "", level: .none, riskTypes: [], causes: [],
            suggestedType: .monitoredMarginal, explanation: .empty),
        [
            .defaulted("recommendationID", \.recommendationID, ""),
            .required("householdID", \.householdID),
            .defaulted("level", \.level, RiskLevel.none),
            .defaulted("riskTypes", \.riskTypes, []),
            .defaulted("causes", \.causes, []),
            .defaulted("ruleIDs", \.ruleIDs, []),
            .defaulted("suggestedType", \.suggestedType, .monitoredMarginal),
            .defaulted("typeRuleID", \.typeRuleID, "", omitted: true),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

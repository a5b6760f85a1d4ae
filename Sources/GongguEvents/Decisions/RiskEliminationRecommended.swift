import GongguCore

/// Recommendation to mark a monitored household's risk as eliminated (风险消除); every elimination
/// condition held. Never raised for a household without labour capacity.
public struct RiskEliminationRecommended: TabledPayload, Equatable {
    public static let eventType = EventType.riskEliminationRecommended.rawValue
    public var recommendationID: String
    public var householdID: String
    /// `YYYY-MM-DD` monitoring started.
    public var monitoredSince: String
    public var householdType: PovertyStatus?
    /// Ids of the conditions checked (all held), see `EliminationCondition`.
    public var conditions: [String]
    public var explanation: RiskExplanation

    public init(
        recommendationID: String, householdID: String, monitoredSince: String, householdType: PovertyStatus?,
        conditions: [String], explanation: RiskExplanation
    ) {
        self.recommendationID = recommendationID
        self.householdID = householdID
        self.monitoredSince = monitoredSince
        self.householdType = householdType
        self.conditions = conditions
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            recommendationID: "", householdID: "", monitoredSince: "", householdType: nil, conditions: [],
            explanation: .empty),
        [
            .defaulted("recommendationID", \.recommendationID, ""),
            .required("householdID", \.householdID),
            .defaulted("monitoredSince", \.monitoredSince, ""),
            .optional("householdType", \.householdType),
            .defaulted("conditions", \.conditions, []),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

import GongguCore

/// A household's risk assessment changed (level or the set of active signals).
public struct RiskAssessed: TabledPayload, Equatable {
    public static let eventType = EventType.riskAssessed.rawValue
    public var householdID: String
    public var level: RiskLevel
    public var previousLevel: RiskLevel
    /// Weighted score of the active signals.
    public var score: Int
    /// Risk type codes, sorted.
    public var riskTypes: [String]
    /// Keys of the active signals.
    public var signals: [String]
    /// Rule ids of the active signals.
    public var ruleIDs: [String]
    public var explanation: RiskExplanation

    public init(
        householdID: String, level: RiskLevel, previousLevel: RiskLevel, score: Int, riskTypes: [String],
        signals: [String], ruleIDs: [String], explanation: RiskExplanation
    ) {
        self.householdID = householdID
        self.level = level
        self.previousLevel = previousLevel
        self.score = score
        self.riskTypes = riskTypes
        self.signals = signals
        self.ruleIDs = ruleIDs
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", level: .none, previousLevel: .none, score: 0, riskTypes: [], signals: [], ruleIDs: [],
            explanation: .empty),
        [
            .required("householdID", \.householdID),
            .defaulted("level", \.level, RiskLevel.none),
            .defaulted("previousLevel", \.previousLevel, RiskLevel.none),
            .defaulted("score", \.score, 0),
            .defaulted("riskTypes", \.riskTypes, []),
            .defaulted("signals", \.signals, []),
            .defaulted("ruleIDs", \.ruleIDs, []),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

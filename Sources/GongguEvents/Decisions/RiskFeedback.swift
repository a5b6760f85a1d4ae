import GongguCore

/// Risk feedback for the rural revitalization bureau (乡村振兴局) of the household's county: one per
/// recommendation. The notifier routes it by `recipientRegion` (6-digit county prefix) and shows
/// `title` and `summary`.
public struct RiskFeedback: TabledPayload, Equatable {
    public static let eventType = EventType.riskFeedback.rawValue
    /// Hex id of this feedback (its event id).
    public var feedbackID: String
    /// Hex id of the recommendation it carries.
    public var recommendationID: String
    /// `monitoring` (纳入监测) or `elimination` (风险消除).
    public var kind: String
    public var householdID: String
    /// 6-digit county prefix of the household's region.
    public var recipientRegion: String
    /// Always `bureau`.
    public var recipientKind: String
    public var level: RiskLevel
    public var riskTypes: [String]
    /// The recommended action, in Chinese.
    public var recommendedAction: String
    /// Rule ids behind the recommendation: the active signals' (`risk.signal.<key>`) for monitoring,
    /// the conditions' (`risk.elimination.<condition>`) for elimination.
    public var ruleIDs: [String] = []
    public var explanation: RiskExplanation

    public init(
        feedbackID: String, recommendationID: String, kind: String, householdID: String, recipientRegion: String,
        recipientKind: String = "bureau", level: RiskLevel, riskTypes: [String], recommendedAction: String,
        explanation: RiskExplanation
    ) {
        self.feedbackID = feedbackID
        self.recommendationID = recommendationID
        self.kind = kind
        self.householdID = householdID
        self.recipientRegion = recipientRegion
        self.recipientKind = recipientKind
        self.level = level
        self.riskTypes = riskTypes
        self.recommendedAction = recommendedAction
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            feedbackID: "", recommendationID: "", kind: "", householdID: "", recipientRegion: "", level: .none,
            riskTypes: [], recommendedAction: "", explanation: .empty),
        [
            .defaulted("feedbackID", \.feedbackID, ""),
            .defaulted("recommendationID", \.recommendationID, ""),
            .defaulted("kind", \.kind, ""),
            .required("householdID", \.householdID),
            .defaulted("recipientRegion", \.recipientRegion, ""),
            .defaulted("recipientKind", \.recipientKind, "bureau"),
            .defaulted("level", \.level, RiskLevel.none),
            .defaulted("riskTypes", \.riskTypes, []),
            .defaulted("recommendedAction", \.recommendedAction, ""),
            .defaulted("ruleIDs", \.ruleIDs, []),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

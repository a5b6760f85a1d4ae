import GongguCore

/// A recommendation not answered within `overdueDays` (raised once per overdue period).
public struct RecommendationOverdue: TabledPayload, Equatable {
    public static let eventType = EventType.recommendationOverdue.rawValue
    public var householdID: String
    public var recommendationID: String
    /// `monitoring` or `elimination`.
    public var kind: String
    /// `YYYY-MM-DD` of the recommendation.
    public var recommendedOn: String
    /// 1 for the first overdue period, 2 for the second, …
    public var period: Int
    public var daysOpen: Int
    public var recipientRegion: String
    public var recipientKind: String
    public var explanation: RiskExplanation

    public init(
        householdID: String, recommendationID: String, kind: String, recommendedOn: String, period: Int,
        daysOpen: Int, recipientRegion: String, recipientKind: String = "bureau", explanation: RiskExplanation
    ) {
        self.householdID = householdID
        self.recommendationID = recommendationID
        self.kind = kind
        self.recommendedOn = recommendedOn
        self.period = period
        self.daysOpen = daysOpen
        self.recipientRegion = recipientRegion
        self.recipientKind = recipientKind
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", recommendationID: "", kind: "", recommendedOn: "", period: 0, daysOpen: 0,
            recipientRegion: "", explanation: .empty),
        [
            .required("householdID", \.householdID),
            .defaulted("recommendationID", \.recommendationID, ""),
            .defaulted("kind", \.kind, ""),
            .defaulted("recommendedOn", \.recommendedOn, ""),
            .defaulted("period", \.period, 0),
            .defaulted("daysOpen", \.daysOpen, 0),
            .defaulted("recipientRegion", \.recipientRegion, ""),
            .defaulted("recipientKind", \.recipientKind, "bureau"),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

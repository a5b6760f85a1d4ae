import GongguCore

/// A monitored household with no assistance measure recorded within `withoutAssistanceDays` (once per
/// monitoring period).
public struct MonitoringWithoutAssistance: TabledPayload, Equatable {
    public static let eventType = EventType.monitoringWithoutAssistance.rawValue
    public var householdID: String
    public var monitoredSince: String
    public var daysMonitored: Int
    public var householdType: PovertyStatus?
    public var recipientRegion: String
    public var recipientKind: String
    public var explanation: RiskExplanation

    public init(
        householdID: String, monitoredSince: String, daysMonitored: Int, householdType: PovertyStatus?,
        recipientRegion: String, recipientKind: String = "bureau", explanation: RiskExplanation
    ) {
        self.householdID = householdID
        self.monitoredSince = monitoredSince
        self.daysMonitored = daysMonitored
        self.householdType = householdType
        self.recipientRegion = recipientRegion
        self.recipientKind = recipientKind
        self.explanation = explanation
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            householdID: "", monitoredSince: "", daysMonitored: 0, householdType: nil, recipientRegion: "",
            explanation: .empty),
        [
            .required("householdID", \.householdID),
            .defaulted("monitoredSince", \.monitoredSince, ""),
            .defaulted("daysMonitored", \.daysMonitored, 0),
            .optional("householdType", \.householdType),
            .defaulted("recipientRegion", \.recipientRegion, ""),
            .defaulted("recipientKind", \.recipientKind, "bureau"),
            .inline(\.explanation, RiskExplanation.fields),
        ])
}

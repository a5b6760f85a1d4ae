import GongguCore

/// A bureau decision the notifier checked, ready for intake: `recorded` is the `BureauDecisionRecorded`
/// fact payload the edge submits to intake as is. Subject: household id; region: the household's region.
public struct DecisionForwarded: TabledPayload, Equatable {
    public static let eventType = EventType.decisionForwarded.rawValue
    /// Hex id of the `BureauDecisionSubmitted` event.
    public var submissionID: String
    /// The notification answered, when it could be resolved.
    public var notificationID: String?
    public var region: String
    /// The fact for intake.
    public var recorded: BureauDecisionRecorded

    public init(submissionID: String, notificationID: String?, region: String, recorded: BureauDecisionRecorded) {
        self.submissionID = submissionID
        self.notificationID = notificationID
        self.region = region
        self.recorded = recorded
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means. `recorded` is
    /// the fact's own object (its table, its errors).
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            submissionID: "", notificationID: nil, region: "",
            recorded: BureauDecisionRecorded(
                householdID: "", decision: .inclusionConfirmed, date: "", bureau: "", source: .unknown)),
        [
            .defaulted("submissionID", \.submissionID, ""),
            .optional("notificationID", \.notificationID),
            .defaulted("region", \.region, ""),
            .custom(
                "recorded", \.recorded, absent: nil, read: { try BureauDecisionRecorded(json: &$0) },
                write: { recorded, w in recorded.write(to: &w) }),
        ])
}

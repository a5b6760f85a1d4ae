import GongguCore

/// A bureau decision the notifier did not forward, with the reason (stable code, Chinese message for
/// the bureau). Subject: household id (as submitted).
public struct DecisionRefused: TabledPayload, Equatable {
    public static let eventType = EventType.decisionRefused.rawValue
    public var submissionID: String
    public var recipient: String
    public var householdID: String
    /// Stable code (the notifier's `DecisionRefusal.Code`, also used in wire error replies).
    public var code: String
    /// Chinese message for the bureau.
    public var message: String

    public init(submissionID: String, recipient: String, householdID: String, code: String, message: String) {
        self.submissionID = submissionID
        self.recipient = recipient
        self.householdID = householdID
        self.code = code
        self.message = message
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(submissionID: "", recipient: "", householdID: "", code: "", message: ""),
        [
            .defaulted("submissionID", \.submissionID, ""),
            .defaulted("recipient", \.recipient, ""),
            .defaulted("householdID", \.householdID, ""),
            .nonEmpty("code", \.code),
            .defaulted("message", \.message, ""),
        ])
}

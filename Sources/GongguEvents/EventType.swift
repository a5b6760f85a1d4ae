/// Every event type name a Gonggu log holds. Raw values are the names stored in the logs and used in
/// topics (`<type>/<region>`): they never change.
public enum EventType: String, Sendable, CaseIterable {
    // Facts intake accepts (intake's log).
    case disabilityRecorded = "DisabilityRecorded"
    case memberRecorded = "MemberRecorded"
    case householdStatusRecorded = "HouseholdStatusRecorded"
    case incomeAssessed = "IncomeAssessed"
    case assistanceRecorded = "AssistanceRecorded"
    case pensionRecorded = "PensionRecorded"
    case subsidyPaid = "SubsidyPaid"
    case expenseReported = "ExpenseReported"
    case projectRecorded = "ProjectRecorded"
    case homeVisitReported = "HomeVisitReported"
    case lifeEventRecorded = "LifeEventRecorded"
    case receiptRecorded = "ReceiptRecorded"
    case bureauDecisionRecorded = "BureauDecisionRecorded"
    case documentArchived = "DocumentArchived"
    case recordRejected = "RecordRejected"
    // Findings of the benefit verifier (verify's log).
    case entitlementGap = "EntitlementGap"
    case assistanceDiscontinued = "AssistanceDiscontinued"
    case paymentAnomaly = "PaymentAnomaly"
    case findingResolved = "FindingResolved"
    // Decisions of the risk monitor (risk's log).
    case riskAssessed = "RiskAssessed"
    case monitoringRecommended = "MonitoringRecommended"
    case riskEliminationRecommended = "RiskEliminationRecommended"
    case riskFeedback = "RiskFeedback"
    case recommendationOverdue = "RecommendationOverdue"
    case monitoringWithoutAssistance = "MonitoringWithoutAssistance"
    // Notifications and bureau decisions (notify's log).
    case notificationCreated = "NotificationCreated"
    case notificationDelivered = "NotificationDelivered"
    case notificationAcknowledged = "NotificationAcknowledged"
    case notificationEscalated = "NotificationEscalated"
    case notificationReceipts = "NotificationReceipts"
    case directoryActivated = "DirectoryActivated"
    case bureauDecisionSubmitted = "BureauDecisionSubmitted"
    case decisionForwarded = "DecisionForwarded"
    case decisionRefused = "DecisionRefused"
    // Control: own inputs and cursors every service writes.
    case clockTicked = "ClockTicked"
    case rulesActivated = "RulesActivated"
    case commandAccepted = "CommandAccepted"
    case inputConsumed = "InputConsumed"
    case syntheticRecorded = "SyntheticRecorded"
}

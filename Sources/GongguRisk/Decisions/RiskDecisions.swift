import GongguCore
import GongguEvents

/// Decision events of the risk monitor. Envelope (decisions.md): subject = household id, region = the
/// household's 12-digit region, occurredAt = the causing input's, causation = the input's id, id derived.

/// A household's risk assessment changed (level or the set of active signals).
public struct RiskAssessed: EventPayload, Equatable {
    public static let eventType = "RiskAssessed"
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

    public init(json r: inout JSONReader) throws {
        var s = RiskAssessed(
            householdID: "", level: .none, previousLevel: .none, score: 0, riskTypes: [], signals: [], ruleIDs: [],
            explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "householdID": s.householdID = try r.readString()
            case "level": s.level = try readLevel(&r, Self.eventType, "level")
            case "previousLevel": s.previousLevel = try readLevel(&r, Self.eventType, "previousLevel")
            case "score": s.score = try r.readInt()
            case "riskTypes": s.riskTypes = try r.readStringArray()
            case "signals": s.signals = try r.readStringArray()
            case "ruleIDs": s.ruleIDs = try r.readStringArray()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("level", level.key)
        w.field("previousLevel", previousLevel.key)
        w.field("score", score)
        w.field("riskTypes", riskTypes)
        w.field("signals", signals)
        w.field("ruleIDs", ruleIDs)
        explanation.write(to: &w)
        w.endObject()
    }
}

/// Recommendation to include a household in monitoring (纳入监测), for the bureau to decide.
public struct MonitoringRecommended: EventPayload, Equatable {
    public static let eventType = "MonitoringRecommended"
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

    public init(json r: inout JSONReader) throws {
        var s = MonitoringRecommended(
            recommendationID: "", householdID: "", level: .none, riskTypes: [], causes: [],
            suggestedType: .monitoredMarginal, explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "recommendationID": s.recommendationID = try r.readString()
            case "householdID": s.householdID = try r.readString()
            case "level": s.level = try readLevel(&r, Self.eventType, "level")
            case "riskTypes": s.riskTypes = try r.readStringArray()
            case "causes": s.causes = try r.readStringArray()
            case "ruleIDs": s.ruleIDs = try r.readStringArray()
            case "suggestedType":
                guard let t = PovertyStatus(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: Self.eventType, field: "suggestedType")
                }
                s.suggestedType = t
            case "typeRuleID": s.typeRuleID = try r.readString()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("recommendationID", recommendationID)
        w.field("householdID", householdID)
        w.field("level", level.key)
        w.field("riskTypes", riskTypes)
        w.field("causes", causes)
        w.field("ruleIDs", ruleIDs)
        w.field("suggestedType", suggestedType.rawValue)
        if !typeRuleID.isEmpty { w.field("typeRuleID", typeRuleID) }
        explanation.write(to: &w)
        w.endObject()
    }
}

/// Recommendation to mark a monitored household's risk as eliminated (风险消除); every DOMAIN §3
/// condition held. Never raised for a household without labour capacity.
public struct RiskEliminationRecommended: EventPayload, Equatable {
    public static let eventType = "RiskEliminationRecommended"
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

    public init(json r: inout JSONReader) throws {
        var s = RiskEliminationRecommended(
            recommendationID: "", householdID: "", monitoredSince: "", householdType: nil, conditions: [],
            explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "recommendationID": s.recommendationID = try r.readString()
            case "householdID": s.householdID = try r.readString()
            case "monitoredSince": s.monitoredSince = try r.readString()
            case "householdType": s.householdType = PovertyStatus(rawValue: try r.readString())
            case "conditions": s.conditions = try r.readStringArray()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("recommendationID", recommendationID)
        w.field("householdID", householdID)
        w.field("monitoredSince", monitoredSince)
        w.field("householdType", householdType?.rawValue)
        w.field("conditions", conditions)
        explanation.write(to: &w)
        w.endObject()
    }
}

/// Risk feedback for the rural revitalization bureau (乡村振兴局) of the household's county: one per
/// recommendation. The notifier routes it by `recipientRegion` (6-digit county prefix) and shows
/// `title` and `summary`.
public struct RiskFeedback: EventPayload, Equatable {
    public static let eventType = "RiskFeedback"
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

    public init(json r: inout JSONReader) throws {
        var s = RiskFeedback(
            feedbackID: "", recommendationID: "", kind: "", householdID: "", recipientRegion: "", level: .none,
            riskTypes: [], recommendedAction: "", explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "feedbackID": s.feedbackID = try r.readString()
            case "recommendationID": s.recommendationID = try r.readString()
            case "kind": s.kind = try r.readString()
            case "householdID": s.householdID = try r.readString()
            case "recipientRegion": s.recipientRegion = try r.readString()
            case "recipientKind": s.recipientKind = try r.readString()
            case "level": s.level = try readLevel(&r, Self.eventType, "level")
            case "riskTypes": s.riskTypes = try r.readStringArray()
            case "recommendedAction": s.recommendedAction = try r.readString()
            case "ruleIDs": s.ruleIDs = try r.readStringArray()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("feedbackID", feedbackID)
        w.field("recommendationID", recommendationID)
        w.field("kind", kind)
        w.field("householdID", householdID)
        w.field("recipientRegion", recipientRegion)
        w.field("recipientKind", recipientKind)
        w.field("level", level.key)
        w.field("riskTypes", riskTypes)
        w.field("recommendedAction", recommendedAction)
        w.field("ruleIDs", ruleIDs)
        explanation.write(to: &w)
        w.endObject()
    }
}

/// A recommendation not answered within `overdueDays` (raised once per overdue period).
public struct RecommendationOverdue: EventPayload, Equatable {
    public static let eventType = "RecommendationOverdue"
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

    public init(json r: inout JSONReader) throws {
        var s = RecommendationOverdue(
            householdID: "", recommendationID: "", kind: "", recommendedOn: "", period: 0, daysOpen: 0,
            recipientRegion: "", explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "householdID": s.householdID = try r.readString()
            case "recommendationID": s.recommendationID = try r.readString()
            case "kind": s.kind = try r.readString()
            case "recommendedOn": s.recommendedOn = try r.readString()
            case "period": s.period = try r.readInt()
            case "daysOpen": s.daysOpen = try r.readInt()
            case "recipientRegion": s.recipientRegion = try r.readString()
            case "recipientKind": s.recipientKind = try r.readString()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("recommendationID", recommendationID)
        w.field("kind", kind)
        w.field("recommendedOn", recommendedOn)
        w.field("period", period)
        w.field("daysOpen", daysOpen)
        w.field("recipientRegion", recipientRegion)
        w.field("recipientKind", recipientKind)
        explanation.write(to: &w)
        w.endObject()
    }
}

/// A monitored household with no assistance measure recorded within `withoutAssistanceDays` (once per
/// monitoring period).
public struct MonitoringWithoutAssistance: EventPayload, Equatable {
    public static let eventType = "MonitoringWithoutAssistance"
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

    public init(json r: inout JSONReader) throws {
        var s = MonitoringWithoutAssistance(
            householdID: "", monitoredSince: "", daysMonitored: 0, householdType: nil, recipientRegion: "",
            explanation: .empty)
        try r.readObject { r, k in
            if try s.explanation.read(&r, k) { return }
            switch k {
            case "householdID": s.householdID = try r.readString()
            case "monitoredSince": s.monitoredSince = try r.readString()
            case "daysMonitored": s.daysMonitored = try r.readInt()
            case "householdType": s.householdType = PovertyStatus(rawValue: try r.readString())
            case "recipientRegion": s.recipientRegion = try r.readString()
            case "recipientKind": s.recipientKind = try r.readString()
            default: try r.skipValue()
            }
        }
        guard !s.householdID.isEmpty else {
            throw EventDecodingError.missingField(type: Self.eventType, field: "householdID")
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("monitoredSince", monitoredSince)
        w.field("daysMonitored", daysMonitored)
        w.field("householdType", householdType?.rawValue)
        w.field("recipientRegion", recipientRegion)
        w.field("recipientKind", recipientKind)
        explanation.write(to: &w)
        w.endObject()
    }
}

func readLevel(_ r: inout JSONReader, _ type: String, _ field: String) throws -> RiskLevel {
    guard let l = RiskLevel(key: try r.readString()) else {
        throw EventDecodingError.invalidValue(type: type, field: field)
    }
    return l
}

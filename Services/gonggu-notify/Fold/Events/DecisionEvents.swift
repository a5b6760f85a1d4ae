import GongguCore
import GongguEvents

/// Own input: a bureau answered a notification (usually a `RiskFeedback`) with a decision. `recipient`
/// is the bureau the edge authenticated by its CURVE key. Subject: household id.
public struct BureauDecisionSubmitted: EventPayload, Equatable {
    public static let eventType = "BureauDecisionSubmitted"
    /// The bureau's recipient id.
    public var recipient: String
    /// The notification id, or the source event id, answered (optional).
    public var inReplyTo: String?
    public var decision: BureauDecisionKind
    /// Business date `YYYY-MM-DD` of the decision.
    public var date: String
    public var householdID: String
    /// The household type set on inclusion.
    public var householdType: PovertyStatus?
    /// The assistance measure taken, free text.
    public var measure: String?
    public var note: String?

    public init(
        recipient: String, inReplyTo: String? = nil, decision: BureauDecisionKind, date: String, householdID: String,
        householdType: PovertyStatus? = nil, measure: String? = nil, note: String? = nil
    ) {
        self.recipient = recipient
        self.inReplyTo = inReplyTo
        self.decision = decision
        self.date = date
        self.householdID = householdID
        self.householdType = householdType
        self.measure = measure
        self.note = note
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var recipient = "", reply: String?, decision: BureauDecisionKind?, date = "", household = ""
        var type: PovertyStatus?, measure: String?, note: String?
        try r.readObject { r, k in
            switch k {
            case "recipient": recipient = try r.readString()
            case "inReplyTo": reply = try r.readString()
            case "decision":
                guard let d = BureauDecisionKind(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "decision")
                }
                decision = d
            case "date": date = try r.readString()
            case "householdID": household = try r.readString()
            case "householdType":
                guard let s = PovertyStatus(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "householdType")
                }
                type = s
            case "measure": measure = try r.readString()
            case "note": note = try r.readString()
            default: try r.skipValue()
            }
        }
        try need(recipient, t, "recipient")
        try need(household, t, "householdID")
        guard let decision else { throw EventDecodingError.missingField(type: t, field: "decision") }
        self.init(
            recipient: recipient, inReplyTo: reply, decision: decision, date: date, householdID: household,
            householdType: type, measure: measure, note: note)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("recipient", recipient)
        w.field("inReplyTo", inReplyTo)
        w.field("decision", decision.rawValue)
        w.field("date", date)
        w.field("householdID", householdID)
        w.field("householdType", householdType?.rawValue)
        w.field("measure", measure)
        w.field("note", note)
        w.endObject()
    }
}

/// A validated bureau decision, ready for intake: `recorded` is the `BureauDecisionRecorded` fact
/// payload the edge submits to intake as is. Subject: household id; region: the household's region.
public struct DecisionForwarded: EventPayload, Equatable {
    public static let eventType = "DecisionForwarded"
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

    public init(json r: inout JSONReader) throws {
        var submission = "", notification: String?, region = "", recorded: BureauDecisionRecorded?
        try r.readObject { r, k in
            switch k {
            case "submissionID": submission = try r.readString()
            case "notificationID": notification = try r.readString()
            case "region": region = try r.readString()
            case "recorded": recorded = try BureauDecisionRecorded(json: &r)
            default: try r.skipValue()
            }
        }
        guard let recorded else { throw EventDecodingError.missingField(type: Self.eventType, field: "recorded") }
        self.init(submissionID: submission, notificationID: notification, region: region, recorded: recorded)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("submissionID", submissionID)
        w.field("notificationID", notificationID)
        w.field("region", region)
        w.key("recorded")
        recorded.write(to: &w)
        w.endObject()
    }
}

/// A bureau decision that was not forwarded, with the reason (stable code, Chinese message for the
/// bureau). Subject: household id (as submitted).
public struct DecisionRefused: EventPayload, Equatable {
    public static let eventType = "DecisionRefused"
    public var submissionID: String
    public var recipient: String
    public var householdID: String
    /// Stable code, see `DecisionRefusal.Code`.
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

    public init(json r: inout JSONReader) throws {
        var s = DecisionRefused(submissionID: "", recipient: "", householdID: "", code: "", message: "")
        try r.readObject { r, k in
            switch k {
            case "submissionID": s.submissionID = try r.readString()
            case "recipient": s.recipient = try r.readString()
            case "householdID": s.householdID = try r.readString()
            case "code": s.code = try r.readString()
            case "message": s.message = try r.readString()
            default: try r.skipValue()
            }
        }
        try need(s.code, Self.eventType, "code")
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("submissionID", submissionID)
        w.field("recipient", recipient)
        w.field("householdID", householdID)
        w.field("code", code)
        w.field("message", message)
        w.endObject()
    }
}

/// Why a bureau decision is refused: a stable code (also used in wire error replies) and a Chinese
/// message.
public struct DecisionRefusal: Error, Equatable, CustomStringConvertible {
    /// Stable refusal codes.
    public enum Code: String, Sendable {
        /// The sender is not a known, non-revoked bureau.
        case notBureau = "not_bureau"
        /// The decision date is not a real `YYYY-MM-DD` date.
        case invalidDate = "invalid_date"
        /// The household was never notified to any recipient, so its region is unknown.
        case unknownHousehold = "unknown_household"
        /// The household lies outside the bureau's jurisdiction.
        case outsideJurisdiction = "outside_jurisdiction"
        /// `inReplyTo` names no notification or source event known here.
        case unknownReply = "unknown_reply"
        /// `inReplyTo` is about another household.
        case replyMismatch = "reply_mismatch"
        /// The same decision was already forwarded.
        case duplicate
    }

    public let code: Code
    /// Chinese, for the bureau; holds no personal data beyond the household id.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "decision refused: \(code.rawValue)" }
}

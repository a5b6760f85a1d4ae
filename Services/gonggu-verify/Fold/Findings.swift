import GongguCore

/// Tags the three finding event types that share one payload shape.
public protocol FindingType: Sendable {
    /// Event type name in the log.
    static var eventType: String { get }
}

/// 应享未享: entitled and not receiving for at least `gapMonths` months.
public enum GapFinding: FindingType { public static let eventType = "EntitlementGap" }
/// 四个不摘: a main measure of a household that left poverty stopped without reason.
public enum DiscontinuationFinding: FindingType { public static let eventType = "AssistanceDiscontinued" }
/// A payment that should not have been made (after death or move-out, twice, while excluded, out of band).
public enum AnomalyFinding: FindingType { public static let eventType = "PaymentAnomaly" }

/// Event payload of `EntitlementGap`.
public typealias EntitlementGap = Finding<GapFinding>
/// Event payload of `AssistanceDiscontinued`.
public typealias AssistanceDiscontinued = Finding<DiscontinuationFinding>
/// Event payload of `PaymentAnomaly`.
public typealias PaymentAnomaly = Finding<AnomalyFinding>

/// Kinds of payment anomaly (`anomaly` field of `PaymentAnomaly`).
public enum AnomalyKind: String, Sendable, CaseIterable {
    /// Paid for a month after the month of death.
    case afterDeath
    /// Paid for a month after the month the registration moved out of the province.
    case afterMoveOut
    /// Paid twice for one month.
    case duplicate
    /// Paid to a person in 特困供养.
    case excludedTekun
    /// Paid to a person receiving the work-injury nursing allowance.
    case excludedWorkInjury
    /// Living subsidy paid to an orphan.
    case excludedOrphan
    /// A subsidy paid to a person receiving an old-age allowance of the same kind (择高: not both).
    case excludedOldAgeAllowance
    /// Monthly amount outside the configured band (or pension premium below the minimum).
    case amountOutOfBand

    /// The exclusion (docs/RULES-verify.md) an `excluded…` kind names, in the words a summary uses; nil for the others.
    public var exclusionText: String? {
        switch self {
        case .excludedTekun: return "享受特困供养"
        case .excludedWorkInjury: return "领取工伤保险生活护理费"
        case .excludedOrphan: return "孤儿（享受孤儿基本生活费）"
        case .excludedOldAgeAllowance: return "已享受同类老年人津贴（择高享受）"
        case .afterDeath, .afterMoveOut, .duplicate, .amountOutOfBand: return nil
        }
    }

    /// Short label staff see.
    public var chinese: String {
        switch self {
        case .afterDeath: return "死亡后仍发放"
        case .afterMoveOut: return "户籍迁出后仍发放"
        case .duplicate: return "同月重复发放"
        case .excludedTekun: return "特困供养人员领取补贴"
        case .excludedWorkInjury: return "领取工伤护理费人员领取补贴"
        case .excludedOrphan: return "孤儿领取生活补贴"
        case .excludedOldAgeAllowance: return "已享受同类老年人津贴人员领取补贴"
        case .amountOutOfBand: return "发放金额超出标准范围"
        }
    }
}

/// One verifier finding (docs/RULES-verify.md, "Findings"): stable `findingID`, household, optional person, measure,
/// period, Chinese `title`/`summary`, and the explanation (`ruleID`, `ruleVersion`, `evidence`,
/// `thresholds`). `months` is set for gaps and discontinuations; `anomaly`, `month`, `amountFen`
/// for anomalies.
public struct Finding<T: FindingType>: EventPayload, Equatable {
    public static var eventType: String { T.eventType }

    public var findingID: String
    public var householdID: String
    public var personID: String?
    public var measure: Measure
    /// First month concerned, `YYYY-MM`.
    public var periodFrom: String
    /// Last month concerned, `YYYY-MM`.
    public var periodTo: String
    public var title: String
    public var summary: String
    public var ruleID: String
    public var ruleVersion: String
    /// Hex ids of the fact events used.
    public var evidence: [String]
    /// Numbers compared, in a stable order.
    public var thresholds: [(String, Int)]
    /// Months without the measure (gaps, discontinuations).
    public var months: Int?
    public var anomaly: AnomalyKind?
    /// Month paid for (anomalies).
    public var month: String?
    public var amountFen: Int?

    public init(
        findingID: String, householdID: String, personID: String?, measure: Measure, periodFrom: String,
        periodTo: String, title: String, summary: String, ruleID: String, ruleVersion: String, evidence: [String],
        thresholds: [(String, Int)], months: Int? = nil, anomaly: AnomalyKind? = nil, month: String? = nil,
        amountFen: Int? = nil
    ) {
        self.findingID = findingID
        self.householdID = householdID
        self.personID = personID
        self.measure = measure
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.title = title
        self.summary = summary
        self.ruleID = ruleID
        self.ruleVersion = ruleVersion
        self.evidence = evidence
        self.thresholds = thresholds
        self.months = months
        self.anomaly = anomaly
        self.month = month
        self.amountFen = amountFen
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.jsonBytes == b.jsonBytes
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var f = Finding(
            findingID: "", householdID: "", personID: nil, measure: .dibao, periodFrom: "", periodTo: "", title: "",
            summary: "", ruleID: "", ruleVersion: "", evidence: [], thresholds: [])
        var measure: Measure?
        try r.readObject { r, k in
            switch k {
            case "findingID": f.findingID = try r.readString()
            case "householdID": f.householdID = try r.readString()
            case "personID": f.personID = try r.readString()
            case "measure":
                guard let m = Measure(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "measure")
                }
                measure = m
            case "period":
                try r.readObject { r, k in
                    switch k {
                    case "from": f.periodFrom = try r.readString()
                    case "to": f.periodTo = try r.readString()
                    default: try r.skipValue()
                    }
                }
            case "title": f.title = try r.readString()
            case "summary": f.summary = try r.readString()
            case "ruleID": f.ruleID = try r.readString()
            case "ruleVersion": f.ruleVersion = try r.readString()
            case "evidence": f.evidence = try r.readStringArray()
            case "thresholds":
                try r.readObject { r, k in f.thresholds.append((k.string, try r.readInt())) }
            case "months": f.months = try r.readInt()
            case "anomaly":
                guard let a = AnomalyKind(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "anomaly")
                }
                f.anomaly = a
            case "month": f.month = try r.readString()
            case "amountFen": f.amountFen = try r.readInt()
            default: try r.skipValue()
            }
        }
        guard !f.findingID.isEmpty else { throw EventDecodingError.missingField(type: t, field: "findingID") }
        guard !f.householdID.isEmpty else { throw EventDecodingError.missingField(type: t, field: "householdID") }
        guard let measure else { throw EventDecodingError.missingField(type: t, field: "measure") }
        f.measure = measure
        self = f
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("findingID", findingID)
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("measure", measure.rawValue)
        w.key("period")
        w.beginObject()
        w.field("from", periodFrom)
        w.field("to", periodTo)
        w.endObject()
        w.field("title", title)
        w.field("summary", summary)
        w.field("ruleID", ruleID)
        w.field("ruleVersion", ruleVersion)
        w.field("evidence", evidence)
        w.key("thresholds")
        w.beginObject()
        for (k, v) in thresholds {
            w.key(k)
            w.int(v)
        }
        w.endObject()
        w.field("months", months)
        w.field("anomaly", anomaly?.rawValue)
        w.field("month", month)
        w.field("amountFen", amountFen)
        w.endObject()
    }
}

/// A finding closed by later facts (a payment started, a reason was recorded, the entitlement ended).
public struct FindingResolved: EventPayload, Equatable {
    public static let eventType = "FindingResolved"
    public var findingID: String
    public var householdID: String
    public var personID: String?
    public var measure: Measure
    /// Hex id of the fact event that closed the finding.
    public var resolvedBy: String
    public var title: String
    public var summary: String
    public var ruleID: String
    public var ruleVersion: String
    public var evidence: [String]

    public init(
        findingID: String, householdID: String, personID: String?, measure: Measure, resolvedBy: String,
        title: String, summary: String, ruleID: String, ruleVersion: String, evidence: [String]
    ) {
        self.findingID = findingID
        self.householdID = householdID
        self.personID = personID
        self.measure = measure
        self.resolvedBy = resolvedBy
        self.title = title
        self.summary = summary
        self.ruleID = ruleID
        self.ruleVersion = ruleVersion
        self.evidence = evidence
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var f = FindingResolved(
            findingID: "", householdID: "", personID: nil, measure: .dibao, resolvedBy: "", title: "", summary: "",
            ruleID: "", ruleVersion: "", evidence: [])
        var measure: Measure?
        try r.readObject { r, k in
            switch k {
            case "findingID": f.findingID = try r.readString()
            case "householdID": f.householdID = try r.readString()
            case "personID": f.personID = try r.readString()
            case "measure":
                guard let m = Measure(rawValue: try r.readString()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "measure")
                }
                measure = m
            case "resolvedBy": f.resolvedBy = try r.readString()
            case "title": f.title = try r.readString()
            case "summary": f.summary = try r.readString()
            case "ruleID": f.ruleID = try r.readString()
            case "ruleVersion": f.ruleVersion = try r.readString()
            case "evidence": f.evidence = try r.readStringArray()
            default: try r.skipValue()
            }
        }
        guard !f.findingID.isEmpty else { throw EventDecodingError.missingField(type: t, field: "findingID") }
        guard let measure else { throw EventDecodingError.missingField(type: t, field: "measure") }
        f.measure = measure
        self = f
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("findingID", findingID)
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("measure", measure.rawValue)
        w.field("resolvedBy", resolvedBy)
        w.field("title", title)
        w.field("summary", summary)
        w.field("ruleID", ruleID)
        w.field("ruleVersion", ruleVersion)
        w.field("evidence", evidence)
        w.endObject()
    }
}

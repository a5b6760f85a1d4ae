import GongguCore

/// Tags the three finding event types that share one payload shape.
public protocol FindingType: Sendable {
    /// Event type name in the log.
    static var eventType: String { get }
}

/// 应享未享: entitled and not receiving for at least `gapMonths` months.
public enum GapFinding: FindingType { public static let eventType = EventType.entitlementGap.rawValue }
/// 四个不摘: a main measure of a household that left poverty stopped without reason.
public enum DiscontinuationFinding: FindingType {
    public static let eventType = EventType.assistanceDiscontinued.rawValue
}
/// A payment that should not have been made (after death or move-out, twice, while excluded, out of band).
public enum AnomalyFinding: FindingType { public static let eventType = EventType.paymentAnomaly.rawValue }

/// Event payload of `EntitlementGap`.
public typealias EntitlementGap = Finding<GapFinding>
/// Event payload of `AssistanceDiscontinued`.
public typealias AssistanceDiscontinued = Finding<DiscontinuationFinding>
/// Event payload of `PaymentAnomaly`.
public typealias PaymentAnomaly = Finding<AnomalyFinding>

/// One verifier finding (docs/RULES-verify.md, "Findings"): stable `findingID`, household, optional person, measure,
/// period, Chinese `title`/`summary`, and the explanation (`ruleID`, `ruleVersion`, `evidence`,
/// `thresholds`). `months` is set for gaps and discontinuations; `anomaly`, `month`, `amountFen`
/// for anomalies. The fields live in `FindingBody` (one table for the three types); they read and
/// write as the finding's own (`finding.householdID`).
@dynamicMemberLookup
public struct Finding<T: FindingType>: EventPayload, Equatable {
    public static var eventType: String { T.eventType }

    public var body: FindingBody

    public subscript<V>(dynamicMember path: WritableKeyPath<FindingBody, V>) -> V {
        get { body[keyPath: path] }
        set { body[keyPath: path] = newValue }
    }

    public init(
        findingID: String, householdID: String, personID: String?, measure: Measure, periodFrom: String,
        periodTo: String, title: String, summary: String, ruleID: String, ruleVersion: String, evidence: [String],
        thresholds: [(String, Int)], months: Int? = nil, anomaly: AnomalyKind? = nil, month: String? = nil,
        amountFen: Int? = nil
    ) {
        body = FindingBody(
            findingID: findingID, householdID: householdID, personID: personID, measure: measure, periodFrom: periodFrom,
            periodTo: periodTo, title: title, summary: summary, ruleID: ruleID, ruleVersion: ruleVersion,
            evidence: evidence, thresholds: thresholds, months: months, anomaly: anomaly, month: month,
            amountFen: amountFen)
    }

    public init(json r: inout JSONReader) throws {
        do {
            body = try FindingBody.fields.read(&r)
        } catch let e as EventDecodingError {
            throw e.naming(T.eventType)
        }
    }

    public func write(to w: inout JSONWriter) { FindingBody.fields.write(body, to: &w) }

    public static func == (a: Self, b: Self) -> Bool { a.jsonBytes == b.jsonBytes }
}

/// The fields of a finding (`Finding`), whatever its event type.
public struct FindingBody: Sendable {
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

    /// The wire form, declared once. A finding written before any of the explanation fields existed
    /// reads them as empty.
    public static let fields = EventFields<Self>(
        "Finding",
        blank: Self(
            findingID: "", householdID: "", personID: nil, measure: .dibao, periodFrom: "", periodTo: "", title: "",
            summary: "", ruleID: "", ruleVersion: "", evidence: [], thresholds: [], months: nil, anomaly: nil, month: nil,
            amountFen: nil),
        [
            .required("findingID", \.findingID),
            .required("householdID", \.householdID),
            .optional("personID", \.personID),
            .required("measure", \.measure),
            .object("period", type: "Finding", [.defaulted("from", \.periodFrom, ""), .defaulted("to", \.periodTo, "")]),
            .defaulted("title", \.title, ""),
            .defaulted("summary", \.summary, ""),
            .defaulted("ruleID", \.ruleID, ""),
            .defaulted("ruleVersion", \.ruleVersion, ""),
            .defaulted("evidence", \.evidence, []),
            .namedNumbers("thresholds", \.thresholds),
            .optional("months", \.months),
            .optional("anomaly", \.anomaly),
            .optional("month", \.month),
            .optional("amountFen", \.amountFen),
        ])
}

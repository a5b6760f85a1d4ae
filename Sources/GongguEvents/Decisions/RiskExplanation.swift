import GongguCore

// Decision events of the risk monitor. Envelope (docs/RULES-risk.md §4): subject = household id, region = the
// household's 12-digit region, occurredAt = the causing input's, causation = the input's id, id derived.

/// One number a decision compared against, e.g. `monitoringLineFen` = 760000.
public struct RiskThreshold: Sendable, Equatable {
    public var name: String
    public var value: Int
    public init(_ name: String, _ value: Int) {
        self.name = name
        self.value = value
    }
}

/// What every risk decision carries for people (docs/RULES-risk.md §4): Chinese `title` and `summary`, and the
/// explanation — rule id, rule version, evidence (hex event ids of the facts used) and thresholds.
/// Its keys sit in the decision's own object (`EventField.inline`).
public struct RiskExplanation: Sendable, Equatable {
    public var title: String
    public var summary: String
    public var ruleID: String
    public var ruleVersion: String
    /// Hex ids of the fact events used.
    public var evidence: [String]
    public var thresholds: [RiskThreshold]

    public init(
        title: String, summary: String, ruleID: String, ruleVersion: String, evidence: [String],
        thresholds: [RiskThreshold]
    ) {
        self.title = title
        self.summary = summary
        self.ruleID = ruleID
        self.ruleVersion = ruleVersion
        self.evidence = evidence
        self.thresholds = thresholds
    }

    public static let empty = RiskExplanation(
        title: "", summary: "", ruleID: "", ruleVersion: "", evidence: [], thresholds: [])

    /// The explanation's keys, spliced into each decision's table; every one may be absent (empty).
    public static let fields: [EventField<Self>] = [
        .defaulted("title", \.title, ""),
        .defaulted("summary", \.summary, ""),
        .defaulted("ruleID", \.ruleID, ""),
        .defaulted("ruleVersion", \.ruleVersion, ""),
        .defaulted("evidence", \.evidence, []),
        .custom(
            "thresholds", \.thresholds, absent: [],
            read: { r in try EventField<Self>.readNamedNumbers(&r).map { RiskThreshold($0.0, $0.1) } },
            write: { t, w in EventField<Self>.writeNamedNumbers(t.map { ($0.name, $0.value) }, &w) }),
    ]
}

/// Risk level of a household, ordered. Carried in payloads by `key`.
public enum RiskLevel: UInt8, CaseIterable, Comparable, Sendable, EventValue {
    case none, low, medium, high

    /// Name in rule documents and payloads.
    public var key: String { ["none", "low", "medium", "high"][Int(rawValue)] }

    /// Chinese label.
    public var chinese: String { ["无风险", "低风险", "中风险", "高风险"][Int(rawValue)] }

    public init?(key: String) {
        guard let l = RiskLevel.allCases.first(where: { $0.key == key }) else { return nil }
        self = l
    }

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rawValue < b.rawValue }

    public static func read(_ r: inout JSONReader) throws -> RiskLevel {
        guard let l = RiskLevel(key: try r.readString()) else { throw InvalidEventValue() }
        return l
    }

    public func write(to w: inout JSONWriter) { w.string(key) }
}

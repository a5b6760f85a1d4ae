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

    /// Name in rule documents and payloads. (A `switch`, as `chinese` and `read`: an array literal
    /// here was allocated at every call, on every risk decision written and every one the notifier read.)
    public var key: String {
        switch self {
        case .none: return "none"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        }
    }

    /// Chinese label.
    public var chinese: String {
        switch self {
        case .none: return "无风险"
        case .low: return "低风险"
        case .medium: return "中风险"
        case .high: return "高风险"
        }
    }

    public init?(key: String) {
        switch key {
        case "none": self = .none
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: return nil
        }
    }

    /// The level whose `key` has these UTF-8 bytes.
    static func level(keyBytes b: UnsafeBufferPointer<UInt8>) -> RiskLevel? {
        func equal(_ key: StaticString) -> Bool {
            guard b.count == key.utf8CodeUnitCount else { return false }
            for i in 0..<b.count where b[i] != key.utf8Start[i] { return false }
            return true
        }
        if equal("high") { return .high }
        if equal("medium") { return .medium }
        if equal("low") { return .low }
        if equal("none") { return RiskLevel.none }
        return nil
    }

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rawValue < b.rawValue }

    /// Reads the key from the string's bytes, building no string (escapes resolved as `readString` does).
    public static func read(_ r: inout JSONReader) throws -> RiskLevel {
        guard let l = try r.withStringBytes({ RiskLevel.level(keyBytes: $0) }) else { throw InvalidEventValue() }
        return l
    }

    public func write(to w: inout JSONWriter) { w.string(key) }
}

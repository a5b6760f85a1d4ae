import GongguCore

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

    static let empty = RiskExplanation(
        title: "", summary: "", ruleID: "", ruleVersion: "", evidence: [], thresholds: [])

    func write(to w: inout JSONWriter) {
        w.field("title", title)
        w.field("summary", summary)
        w.field("ruleID", ruleID)
        w.field("ruleVersion", ruleVersion)
        w.field("evidence", evidence)
        w.key("thresholds")
        w.beginObject()
        for t in thresholds {
            w.key(t.name)
            w.int(t.value)
        }
        w.endObject()
    }

    /// Reads one of the explanation keys; returns false for any other key (left unread).
    mutating func read(_ r: inout JSONReader, _ k: JSONKey) throws -> Bool {
        switch k {
        case "title": title = try r.readString()
        case "summary": summary = try r.readString()
        case "ruleID": ruleID = try r.readString()
        case "ruleVersion": ruleVersion = try r.readString()
        case "evidence": evidence = try r.readStringArray()
        case "thresholds":
            var out: [RiskThreshold] = []
            try r.readObject { r, k in out.append(RiskThreshold(k.string, try r.readInt())) }
            thresholds = out
        default: return false
        }
        return true
    }
}

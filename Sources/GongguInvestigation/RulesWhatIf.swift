import GongguCore
import GongguEvents
import GongguRisk
import GongguVerify

/// How one decision differs between the rules in force and the proposed rules.
public enum RuleDifferenceKind: String, Sendable, CaseIterable {
    /// 新增: only with the proposed rules.
    case added
    /// 取消: only with the rules in force.
    case removed
    /// 变化: in both (same id) with different compared fields.
    case changed

    public var chinese: String {
        switch self {
        case .added: return "新增"
        case .removed: return "取消"
        case .changed: return "变化"
        }
    }
}

/// One decision that a proposed rule document adds, removes or changes, with both explanations.
public struct RuleDifference: Sendable, Equatable {
    public var kind: RuleDifferenceKind
    /// The decision under the rules in force (nil when added).
    public var inForce: RuleDecision?
    /// The decision under the proposed rules (nil when removed).
    public var proposed: RuleDecision?
    /// The changed rule keys that can apply to the household (defaults, or an override of its region).
    public var ruleKeys: [RuleKeyChange]

    /// Whichever side exists (proposed first).
    public var decision: RuleDecision { proposed ?? inForce! }
}

/// What `gonggu rules diff` reports.
public struct RulesWhatIfReport: Sendable {
    /// The rule set compared (`risk`, `verify`).
    public var ruleSet: String
    /// The version in force at the end of the replay, and the proposed document's version and date.
    public var inForceVersion: String
    public var proposedVersion: String
    public var proposedFrom: String
    /// Keys whose values differ between the document in force and the proposed one.
    public var ruleChanges: [RuleKeyChange]
    /// Differences sorted by household, decision kind and id.
    public var differences: [RuleDifference]
    /// Decisions in each run (after the region filter).
    public var inForceCount: Int
    public var proposedCount: Int
}

/// `gonggu rules diff`: the service's fold rebuilt twice from its log, in-process and read-only, as
/// the service rebuilds itself (`FoldReplayer`: own ticks and activations, and each `InputConsumed`
/// marker's upstream range at the point the service consumed it) — once as it was, once with the
/// proposed document additionally activated — in one pass over the logs (`PairedFold`), and the
/// decisions compared by id.
public enum RulesWhatIf {
    /// Compares the decisions of the fold of `proposed.ruleSet` (`risk` or `verify`) over `logs`.
    /// - Parameters:
    ///   - instant: replay only what was recorded by then (nil: everything).
    ///   - regionPrefix: report only households whose region starts with it.
    ///   - progress: called now and then with (events applied, events expected) over both runs.
    public static func compare(
        proposed: RuleDocument, logs: LogSet, until instant: Timestamp? = nil, regionPrefix: String? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> RulesWhatIfReport {
        guard let source = logs.source(stream: proposed.ruleSet), source.isLocal else {
            throw InvestigationError.noLogs("\(proposed.ruleSet) log")
        }
        let total = try 2 * expectedEvents(source, logs)
        let proposal = Event(
            RulesActivated(
                ruleSet: proposed.ruleSet, version: proposed.version, effectiveFrom: proposed.effectiveFrom,
                document: proposed.text),
            id: EventID.derived("rules-diff|\(proposed.ruleSet)|\(proposed.version)"), subject: proposed.ruleSet,
            region: "", occurredAt: 0)
        let until = instant ?? Int64.max
        let replayer = FoldReplayer(logs: logs)
        let ownInputs: Set<String> = [ClockTicked.eventType, RulesActivated.eventType]

        // One pass over the logs feeding both runs (`PairedFold`): the reading is shared, and each fold
        // goes on a thread of its own.
        func run<F: ServiceFold>(_ a: F, _ b: F) throws -> ([RuleDecision], [RuleDecision]) {
            var pair = PairedFold(
                WhatIfFold(a, proposal: nil, keep: RuleDecision.init),
                WhatIfFold(b, proposal: proposal, keep: RuleDecision.init)
            ) { progress?(2 * $0, total) }
            _ = try replayer.replay(&pair, service: source, until: until, isOwnInput: ownInputs.contains)
            pair.finish()
            return (pair.first.fold.kept, pair.second.fold.kept)
        }
        var before: [RuleDecision]
        var after: [RuleDecision]
        var inForce: RuleDocument
        if proposed.ruleSet == RiskRules.makeBook().ruleSet {
            (before, after) = try run(try RiskFold(), try RiskFold())
            inForce = try lastActivated(source, until: until) ?? RuleDocument(text: RiskRules.defaultDocument)
        } else {
            (before, after) = try run(VerifyFold(), VerifyFold())
            inForce = try lastActivated(source, until: until) ?? RuleDocument(text: VerifyRules.defaultDocument)
        }
        progress?(total, total)
        if let regionPrefix {
            before = before.filter { $0.region.hasPrefix(regionPrefix) }
            after = after.filter { $0.region.hasPrefix(regionPrefix) }
        }
        let changes = RuleDocumentDiff.changes(from: inForce, to: proposed)
        return RulesWhatIfReport(
            ruleSet: proposed.ruleSet, inForceVersion: inForce.version, proposedVersion: proposed.version,
            proposedFrom: proposed.effectiveFrom, ruleChanges: changes,
            differences: differences(before, after, changes), inForceCount: Set(before.map(\.id)).count,
            proposedCount: Set(after.map(\.id)).count)
    }

    /// Pairs the two runs' decisions by id. A decision emitted more than once under one id (raised
    /// again) counts by its latest form.
    static func differences(_ before: [RuleDecision], _ after: [RuleDecision], _ changes: [RuleKeyChange])
        -> [RuleDifference]
    {
        let a = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let b = Dictionary(after.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var out: [RuleDifference] = []
        func keys(_ d: RuleDecision) -> [RuleKeyChange] { changes.filter { $0.applies(to: d.region) } }
        for (id, d) in b {
            if let old = a[id] {
                if old.kind != d.kind || old.detail != d.detail || old.householdID != d.householdID
                    || old.date != d.date
                {
                    out.append(RuleDifference(kind: .changed, inForce: old, proposed: d, ruleKeys: keys(d)))
                }
            } else {
                out.append(RuleDifference(kind: .added, inForce: nil, proposed: d, ruleKeys: keys(d)))
            }
        }
        for (id, d) in a where b[id] == nil {
            out.append(RuleDifference(kind: .removed, inForce: d, proposed: nil, ruleKeys: keys(d)))
        }
        return out.sorted {
            ($0.decision.householdID, $0.decision.kind, $0.decision.id)
                < ($1.decision.householdID, $1.decision.kind, $1.decision.id)
        }
    }

    /// The last document the service's log activated by `until` (what "in force" is compared with).
    static func lastActivated(_ source: LogSource, until: Timestamp) throws -> RuleDocument? {
        var last: RuleDocument?
        for e in try source.events(subject: source.stream)
        where e.type == RulesActivated.eventType && e.recordedAt <= until {
            if let p = try? e.decode(RulesActivated.self), let d = try? RuleDocument(text: p.document) { last = d }
        }
        return last
    }

    /// Upstream events one replay is expected to apply (the heads of the logs it consumes).
    static func expectedEvents(_ source: LogSource, _ logs: LogSet) throws -> Int {
        let upstreams: [Service] = source.stream == Service.risk.rawValue ? [.intake, .verify] : [.intake]
        let upstream = upstreams.map(\.rawValue)
        var n = 0
        for name in upstream { n += Int(try logs.source(stream: name)?.local?.lastSeq ?? 0) }
        return n
    }
}

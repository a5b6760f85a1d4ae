import GongguCore

/// The yearly post-assessment indicators (docs/REPORT.md) as a deterministic fold over the four service
/// logs. Each log feeds its own tally, and every tally keeps the earliest or latest of competing facts
/// by (business time, seq), so the result does not depend on how the logs are interleaved: the only
/// inputs are the events, their business time (`occurredAt`, dates in payloads) and the report year.
///
/// ```swift
/// var fold = ReportFold(year: 2025, regionPrefix: "22")
/// for e in intakeEvents { fold.apply(e, from: .intake) }   // … and risk, verify, notify
/// let data = fold.finish(cuts: cuts, rule: .bySeq)
/// ```
public struct ReportFold: Sendable {
    public let period: ReportPeriod
    public let regionPrefix: String
    var facts: FactTally
    var findings = FindingTally()
    var risk = RiskTally()
    var feedback = FeedbackTally()
    /// Events used per log.
    public private(set) var used: [ReportLog: Int] = [:]

    public init(year: Int, regionPrefix: String = "") {
        period = ReportPeriod(year: year)
        self.regionPrefix = regionPrefix
        facts = FactTally(period: period)
    }

    /// A fold of a later seq range of intake's log (for folding intake's log in ranges on several
    /// threads): join it with `absorb(_:log:)`, in log order, into the fold of the ranges before it.
    /// Only intake's log may be split: the other tallies are small and read on one thread.
    public static func segment(year: Int, regionPrefix: String = "") -> ReportFold {
        var fold = ReportFold(year: year, regionPrefix: regionPrefix)
        fold.facts = FactTally(period: fold.period, isSegment: true)
        return fold
    }

    /// Event types the fold reads from each log: a reader may skip every other event.
    public static func types(of log: ReportLog) -> [String] {
        switch log {
        case .intake: return FactTally.types
        case .verify: return FindingTally.types
        case .risk: return RiskTally.types
        case .notify: return FeedbackTally.types
        }
    }

    /// Intake fact types that only count with business time from `inYearOnlyFrom` to the year's end (the
    /// others count up to its end). A reader may skip those outside that window by `occurredAt`.
    public static let inYearOnlyTypes: [String] = FactTally.inYearOnlyTypes

    /// The first business instant at which an `inYearOnlyTypes` fact may count: 1 December of the year
    /// before, because a subsidy paid for that month is a main measure active at the start of the year.
    public var inYearOnlyFrom: Timestamp { period.runUpStart }

    /// Folds one event of `log`. Events of other types, undecodable payloads and events whose business
    /// time lies outside what an indicator reads are ignored.
    public mutating func apply(_ event: Event, from log: ReportLog) {
        let usedIt: Bool
        switch log {
        case .intake: usedIt = facts.apply(event)
        case .verify: usedIt = findings.apply(event, period)
        case .risk: usedIt = risk.apply(event, period)
        case .notify: usedIt = feedback.apply(event, period)
        }
        if usedIt { used[log, default: 0] += 1 }
    }

    /// Takes over what `other` folded from `log` (for reading the logs on several threads, one fold
    /// each). Both folds must be for the same year. For intake, `other` may be a `segment` holding the
    /// seq range that follows what this fold holds: the result equals one fold over both ranges.
    public mutating func absorb(_ other: ReportFold, log: ReportLog) {
        precondition(other.period == period, "folds of different years")
        switch log {
        case .intake:
            if other.facts.isSegment { facts.append(other.facts) } else { facts = other.facts }
        case .verify: findings = other.findings
        case .risk: risk = other.risk
        case .notify: feedback = other.feedback
        }
        if log == .intake && other.facts.isSegment {
            used[log, default: 0] += other.used[log] ?? 0
        } else {
            used[log] = other.used[log]
        }
    }
}

/// Orders competing facts: business time first, then the seq in their log.
struct Stamp: Comparable, Sendable {
    var time: Timestamp
    var seq: Int64

    static func < (a: Stamp, b: Stamp) -> Bool { (a.time, a.seq) < (b.time, b.seq) }
}

extension Stamp {
    init(_ e: Event) { self.init(time: e.occurredAt, seq: e.seq) }
}

/// The business date text of a timestamp.
func dateText(_ t: Timestamp) -> String { BusinessCalendar.dateText(ofDay: BusinessCalendar.day(of: t)) }

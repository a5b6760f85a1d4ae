import GongguCore

/// The four service logs a report is computed from.
public enum ReportLog: String, Sendable, CaseIterable {
    case intake, risk, verify, notify

    /// Label staff see in the report.
    public var chinese: String {
        switch self {
        case .intake: return "数据接收（intake）"
        case .risk: return "风险监测（risk）"
        case .verify: return "待遇核查（verify）"
        case .notify: return "通知（notify）"
        }
    }
}

/// Where a report stopped reading one log: every event with `seq ≤ cutoffSeq` was considered, none
/// after. Logs are append-only and gapless, so the pair (cut-off seq, chain hash at it) names exactly
/// the events used, whatever is appended later.
public struct LogCut: Sendable, Equatable {
    public var log: ReportLog
    /// Last seq considered (0: the log was empty or absent).
    public var cutoffSeq: Int64
    /// Hex SHA-256 chain hash stored with the event at `cutoffSeq` (empty when `cutoffSeq` is 0).
    public var chainHash: String
    /// Events the fold used (of the types the indicators read).
    public var eventsUsed: Int

    public init(log: ReportLog, cutoffSeq: Int64, chainHash: String, eventsUsed: Int = 0) {
        self.log = log
        self.cutoffSeq = cutoffSeq
        self.chainHash = chainHash
        self.eventsUsed = eventsUsed
    }
}

/// How the cut-off seqs were chosen, shown in the report's source block.
public enum CutoffRule: Sendable, Equatable {
    /// Explicit seqs, or the logs' heads when the report was made (reproduce with `--upto`).
    case bySeq
    /// The prefix of each log recorded before this instant (`--closed-at`).
    case recordedBefore(Timestamp)
}

import GongguCore
import GongguEvents

/// The signals that raise a household's risk (docs/RULES-risk.md §3). Raw values are bit positions in the compact
/// per-household masks; `key` is the name used in rule documents and decision payloads.
public enum RiskSignal: UInt8, CaseIterable, Sendable {
    /// Per-capita income below the monitoring line of its year.
    case incomeBelowLine
    /// Per-capita income fell year on year by at least the configured percentage.
    case incomeSharpFall
    /// Eligible inpatient self-paid spending in a calendar year at or above the threshold.
    case inpatient
    /// Eligible outpatient self-paid spending in a calendar month at or above the threshold.
    case outpatient
    /// Schooling costs in a calendar year at or above the threshold.
    case schooling
    /// Disaster losses in a calendar year at or above the threshold.
    case disaster
    /// Accident losses in a calendar year at or above the threshold.
    case accident
    /// A new disabled member, or a member re-graded to a more severe grade.
    case disability
    /// The household lost its last member with (full or weak) labour capacity.
    case labourLoss
    /// The latest home visit reported hardship.
    case visitHardship
    /// The household applied for monitoring itself (自主申报).
    case selfApplication
    /// A benefit was lost: an open verifier finding (discontinuation or entitlement gap).
    case benefitLoss

    /// Name used in rule documents (`weights`, `riskTypes`) and in payloads (`causes`).
    public var key: String {
        switch self {
        case .incomeBelowLine: return "incomeBelowLine"
        case .incomeSharpFall: return "incomeSharpFall"
        case .inpatient: return "inpatient"
        case .outpatient: return "outpatient"
        case .schooling: return "schooling"
        case .disaster: return "disaster"
        case .accident: return "accident"
        case .disability: return "disability"
        case .labourLoss: return "labourLoss"
        case .visitHardship: return "visitHardship"
        case .selfApplication: return "selfApplication"
        case .benefitLoss: return "benefitLoss"
        }
    }

    /// Rule id carried in decisions raised by this signal.
    public var ruleID: String { "risk.signal.\(key)" }

    /// Chinese label for staff.
    public var chinese: String {
        switch self {
        case .incomeBelowLine: return "人均纯收入低于监测线"
        case .incomeSharpFall: return "人均纯收入大幅下降"
        case .inpatient: return "住院自付费用较大"
        case .outpatient: return "门诊自付费用较大"
        case .schooling: return "教育支出较大"
        case .disaster: return "遭受灾害"
        case .accident: return "遭遇意外事故"
        case .disability: return "新增残疾或残疾等级加重"
        case .labourLoss: return "家庭失去唯一劳动力"
        case .visitHardship: return "走访发现困难"
        case .selfApplication: return "农户自主申报"
        case .benefitLoss: return "帮扶待遇中断或应享未享"
        }
    }

    /// Signals that stay active for `signalWindowDays` after their date; the others follow the state
    /// they describe (income until the next assessment, labour until regained, visit until the next
    /// visit, benefit loss until the finding is resolved).
    public var isWindowed: Bool {
        switch self {
        case .inpatient, .outpatient, .schooling, .disaster, .accident, .disability, .selfApplication: return true
        default: return false
        }
    }

    /// Sudden-hardship signals that suggest 突发严重困难户 for a household that is not 脱贫户.
    public var isSudden: Bool {
        switch self {
        case .inpatient, .outpatient, .disaster, .accident: return true
        default: return false
        }
    }

    var bit: UInt16 { 1 << UInt16(rawValue) }

    init?(key: String) {
        guard let s = RiskSignal.allCases.first(where: { $0.key == key }) else { return nil }
        self = s
    }
}

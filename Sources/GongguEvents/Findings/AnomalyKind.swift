/// Kinds of payment anomaly (`anomaly` field of `PaymentAnomaly`).
public enum AnomalyKind: String, Sendable, CaseIterable, EventEnum {
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

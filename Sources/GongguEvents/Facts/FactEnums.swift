/// Enumerations shared by fact events. Raw values are the stable English codes stored in payloads;
/// `chinese` gives the label staff see.

/// Household poverty status (docs/INTAKE.md §4).
public enum PovertyStatus: String, Sendable, CaseIterable {
    /// 脱贫户: left poverty.
    case lifted
    /// 脱贫不稳定户 (监测户).
    case monitoredUnstable
    /// 边缘易致贫户 (监测户).
    case monitoredMarginal
    /// 突发严重困难户 (监测户).
    case monitoredSudden
    /// 一般户.
    case ordinary

    public var chinese: String {
        switch self {
        case .lifted: return "脱贫户"
        case .monitoredUnstable: return "脱贫不稳定户"
        case .monitoredMarginal: return "边缘易致贫户"
        case .monitoredSudden: return "突发严重困难户"
        case .ordinary: return "一般户"
        }
    }

    /// Whether the status is one of the three monitored types.
    public var isMonitored: Bool { self == .monitoredUnstable || self == .monitoredMarginal || self == .monitoredSudden }
}

/// Labour capacity of a household member (docs/INTAKE.md §4).
public enum LabourCapacity: String, Sendable, CaseIterable {
    /// 有劳动力.
    case full
    /// 弱劳动力.
    case weak
    /// 无劳动力.
    case none

    public var chinese: String {
        switch self {
        case .full: return "有劳动力"
        case .weak: return "弱劳动力"
        case .none: return "无劳动力"
        }
    }
}

/// Disability category, the 19th character of the card number (docs/INTAKE.md §4).
public enum DisabilityCategory: Int, Sendable, CaseIterable {
    case visual = 1, hearing, speech, physical, intellectual, mental, multiple

    public var chinese: String {
        ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"][rawValue - 1]
    }
}

/// Civil-affairs social assistance programmes (docs/RULES-verify.md).
public enum AssistanceProgramme: String, Sendable, CaseIterable {
    /// 低保.
    case dibao
    /// 低保边缘.
    case dibaoMarginal
    /// 特困供养.
    case tekun

    public var chinese: String {
        switch self {
        case .dibao: return "低保"
        case .dibaoMarginal: return "低保边缘"
        case .tekun: return "特困供养"
        }
    }
}

/// The two disability subsidies (两项补贴).
public enum SubsidyKind: String, Sendable, CaseIterable {
    /// 困难残疾人生活补贴.
    case living
    /// 重度残疾人护理补贴.
    case nursing

    public var chinese: String { self == .living ? "困难残疾人生活补贴" : "重度残疾人护理补贴" }
}

/// Why a benefit stopped (docs/RULES-verify.md: payments stop from the month after).
public enum StopReason: String, Sendable, CaseIterable {
    case death, movedOut, fraud, failedReview, withdrawn, incomeAboveLine, eligibilityChanged, other

    public var chinese: String {
        switch self {
        case .death: return "死亡"
        case .movedOut: return "户籍迁出本省"
        case .fraud: return "骗取"
        case .failedReview: return "复核不合格"
        case .withdrawn: return "本人申请退出"
        case .incomeAboveLine: return "收入超过标准"
        case .eligibilityChanged: return "条件变化"
        case .other: return "其他"
        }
    }
}

/// Department-screening expense kinds.
public enum ExpenseKind: String, Sendable, CaseIterable {
    /// 住院自付.
    case inpatient
    /// 门诊自付 (monthly).
    case outpatient
    /// 教育支出.
    case schooling
    /// 灾害损失.
    case disaster
    /// 意外事故.
    case accident

    public var chinese: String {
        switch self {
        case .inpatient: return "住院自付费用"
        case .outpatient: return "门诊自付费用"
        case .schooling: return "教育支出"
        case .disaster: return "灾害损失"
        case .accident: return "意外事故损失"
        }
    }
}

/// 残联 project kinds.
public enum ProjectKind: String, Sendable, CaseIterable {
    /// 康复 (incl. child rehabilitation assistance).
    case rehabilitation
    /// 实用技术培训.
    case training
    /// 产业扶持.
    case productionSupport
    /// 无障碍改造.
    case accessibility

    public var chinese: String {
        switch self {
        case .rehabilitation: return "康复服务"
        case .training: return "实用技术培训"
        case .productionSupport: return "产业扶持"
        case .accessibility: return "无障碍改造"
        }
    }
}

/// Life events that end entitlements.
public enum LifeEventKind: String, Sendable, CaseIterable {
    /// 死亡.
    case death
    /// 户籍迁出本省.
    case movedOut

    public var chinese: String { self == .death ? "死亡" : "户籍迁出本省" }
}

/// Decisions of the rural revitalization bureau (乡村振兴局).
public enum BureauDecisionKind: String, Sendable, CaseIterable {
    /// 纳入监测 confirmed.
    case inclusionConfirmed
    /// 不予纳入.
    case inclusionDeclined
    /// 风险消除.
    case riskEliminated
    /// 落实帮扶措施.
    case measureTaken

    public var chinese: String {
        switch self {
        case .inclusionConfirmed: return "确认纳入监测"
        case .inclusionDeclined: return "不予纳入监测"
        case .riskEliminated: return "确认风险消除"
        case .measureTaken: return "落实帮扶措施"
        }
    }
}

extension PovertyStatus: EventEnum {}
extension LabourCapacity: EventEnum {}
extension DisabilityCategory: EventEnum {}
extension AssistanceProgramme: EventEnum {}
extension SubsidyKind: EventEnum {}
extension StopReason: EventEnum {}
extension ExpenseKind: EventEnum {}
extension ProjectKind: EventEnum {}
extension LifeEventKind: EventEnum {}
extension BureauDecisionKind: EventEnum {}

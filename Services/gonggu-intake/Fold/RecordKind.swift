import GongguCore
import GongguEvents

/// The kinds of record intake accepts, one per fact type (docs/INTAKE.md §1). The raw value is the name
/// used on the command line, in the network protocol and in `RecordRejected.kind`.
public enum RecordKind: String, Sendable, CaseIterable {
    /// 残联 annual survey row → `DisabilityRecorded`.
    case survey
    /// Household member → `MemberRecorded`.
    case member
    /// Household poverty status → `HouseholdStatusRecorded`.
    case household
    /// Household net income → `IncomeAssessed`.
    case income
    /// Civil-affairs 低保 / 低保边缘 / 特困 → `AssistanceRecorded`.
    case assistance
    /// Resident pension and premium paid by government → `PensionRecorded`.
    case pension
    /// One monthly payment of a disability subsidy → `SubsidyPaid`.
    case subsidy
    /// Medical, schooling, disaster or accident expense → `ExpenseReported`.
    case expense
    /// 残联 project → `ProjectRecorded`.
    case project
    /// Home visit → `HomeVisitReported`.
    case visit
    /// Death or move-out → `LifeEventRecorded`.
    case life
    /// Rural revitalization bureau decision → `BureauDecisionRecorded`.
    case decision
    /// Policy document or project archive → `DocumentArchived`.
    case document
    /// An office's receipt for a notification of its outbox file (处理结果/处理日期) → `ReceiptRecorded`.
    case receipt

    /// The name staff see.
    public var chinese: String {
        switch self {
        case .survey: return "残疾人动态更新调查"
        case .member: return "家庭成员"
        case .household: return "户类型（脱贫/监测）"
        case .income: return "家庭收入"
        case .assistance: return "民政救助（低保/低保边缘/特困）"
        case .pension: return "城乡居民养老保险"
        case .subsidy: return "残疾人两项补贴发放"
        case .expense: return "部门推送支出（医疗/教育/灾害/意外）"
        case .project: return "残联项目"
        case .visit: return "走访探视"
        case .life: return "死亡/户籍迁出"
        case .decision: return "乡村振兴局决定"
        case .document: return "政策文件/项目档案"
        case .receipt: return "通知处理回执"
        }
    }

    /// The fact event type this kind produces.
    public var eventType: String {
        switch self {
        case .survey: return DisabilityRecorded.eventType
        case .member: return MemberRecorded.eventType
        case .household: return HouseholdStatusRecorded.eventType
        case .income: return IncomeAssessed.eventType
        case .assistance: return AssistanceRecorded.eventType
        case .pension: return PensionRecorded.eventType
        case .subsidy: return SubsidyPaid.eventType
        case .expense: return ExpenseReported.eventType
        case .project: return ProjectRecorded.eventType
        case .visit: return HomeVisitReported.eventType
        case .life: return LifeEventRecorded.eventType
        case .decision: return BureauDecisionRecorded.eventType
        case .document: return DocumentArchived.eventType
        case .receipt: return ReceiptRecorded.eventType
        }
    }

    /// Parses a kind from its English name or its Chinese name.
    public init?(name: String) {
        if let k = RecordKind(rawValue: name) {
            self = k
            return
        }
        guard let k = RecordKind.allCases.first(where: { $0.chinese == name }) else { return nil }
        self = k
    }

    /// The fields (columns) of this kind, with their header aliases.
    public var fields: [FieldSpec] { KindSchemas.fields(of: self) }
}

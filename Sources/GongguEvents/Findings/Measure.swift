import GongguCore

/// The entitlements and main assistance measures the verifier checks (docs/RULES-verify.md). Raw values are the
/// stable codes carried in findings (`measure`); `chinese` is the one label every service shows (the
/// risk monitor once had its own, differently worded).
public enum Measure: String, Sendable, CaseIterable, EventEnum {
    /// 低保 of the whole household.
    case dibao
    /// 单人户施保: a severely disabled adult of a 低保边缘 household covered on their own.
    case singlePersonDibao
    /// 困难残疾人生活补贴.
    case living
    /// 重度残疾人护理补贴.
    case nursing
    /// Resident pension premium paid by government (代缴).
    case pension
    /// 残疾儿童康复救助.
    case childRehabilitation
    /// 无障碍改造.
    case accessibility

    /// Label staff see.
    public var chinese: String {
        switch self {
        case .dibao: return "低保"
        case .singlePersonDibao: return "单人户施保"
        case .living: return "困难残疾人生活补贴"
        case .nursing: return "重度残疾人护理补贴"
        case .pension: return "城乡居民养老保险保费代缴"
        case .childRehabilitation: return "残疾儿童康复救助"
        case .accessibility: return "无障碍改造"
        }
    }

    /// Dense index (0…6) for per-person bit sets and arrays.
    public var index: Int {
        switch self {
        case .dibao: return 0
        case .singlePersonDibao: return 1
        case .living: return 2
        case .nursing: return 3
        case .pension: return 4
        case .childRehabilitation: return 5
        case .accessibility: return 6
        }
    }

    /// The measures a person can be entitled to, in evaluation order (household 低保 is not
    /// means-tested here: the verifier only watches it for continuity).
    public static let personal: [Measure] = [
        .singlePersonDibao, .living, .nursing, .pension, .childRehabilitation, .accessibility,
    ]

    /// The measure of a subsidy kind.
    public init(_ subsidy: SubsidyKind) { self = subsidy == .living ? .living : .nursing }
}

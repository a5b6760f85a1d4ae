import GongguCore
import GongguEvents
import GongguVerify

/// One number of the report: a stable ASCII id (used in CSV file names and tests), the Chinese label
/// staff see, and the unit counted (户 households, 人 persons, 件 findings or notifications).
public struct Indicator: Hashable, Sendable, Comparable {
    public let id: String
    public let label: String
    public let unit: String

    public init(_ id: String, _ label: String, _ unit: String) {
        self.id = id
        self.label = label
        self.unit = unit
    }

    public static func < (a: Indicator, b: Indicator) -> Bool { a.id < b.id }

    // The id alone identifies an indicator: hashing it only keeps case-book appends cheap.
    public static func == (a: Indicator, b: Indicator) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }

    /// Every indicator of the report, in table order.
    public static var all: [Indicator] {
        [lifted, measureAtStart, noMeasureAtStart, continued, discontinued]
            + CoverageMeasure.allCases.flatMap { [entitled($0), receiving($0), unmet($0)] }
            + [monitored, recommended, included, eliminationRecommended, eliminated,
               rehabNeeded, rehabServed, accessibilityNeeded, accessibilityDone]
            + FindingKind.allCases.map(openFindings)
            + [feedbackSent, feedbackAcknowledged, feedbackAnswered]
    }

    // MARK: Continuity (四个不摘)
    /// Households with disabled members that left poverty by January of the year.
    public static let lifted = Indicator("lifted", "脱贫残疾人家庭", "户")
    /// Of `lifted`, those with at least one main measure active on 1 January: the rate's denominator.
    public static let measureAtStart = Indicator("measureAtStart", "年初在享主要帮扶措施", "户")
    /// Of `lifted`, those with no main measure active on 1 January: their own line, never "continued".
    public static let noMeasureAtStart = Indicator("noMeasureAtStart", "年初无在享主要帮扶措施", "户")
    /// Of `measureAtStart`, those whose measures active at the start all continued (or stopped for a
    /// valid reason): the rate's numerator.
    public static let continued = Indicator("continued", "主要帮扶措施全部延续", "户")
    /// Of `measureAtStart`, those with a measure active at the start stopped without reason in the year.
    public static let discontinued = Indicator("discontinued", "主要帮扶措施中断", "户")

    // MARK: Monitoring (防返贫监测)
    public static let monitored = Indicator("monitored", "年末监测户", "户")
    public static let recommended = Indicator("recommended", "建议纳入监测", "户")
    public static let included = Indicator("included", "新纳入监测（乡村振兴局确认）", "户")
    public static let eliminationRecommended = Indicator("eliminationRecommended", "建议风险消除", "户")
    public static let eliminated = Indicator("eliminated", "风险消除（乡村振兴局确认）", "户")

    // MARK: Services
    public static let rehabNeeded = Indicator("rehabNeeded", "需要康复服务", "人")
    public static let rehabServed = Indicator("rehabServed", "获得康复服务", "人")
    public static let accessibilityNeeded = Indicator("accessibilityNeeded", "需要无障碍改造", "户")
    public static let accessibilityDone = Indicator("accessibilityDone", "已完成无障碍改造", "户")

    // MARK: Feedback to the bureau
    public static let feedbackSent = Indicator("feedbackSent", "向乡村振兴局发送风险反馈", "件")
    public static let feedbackAcknowledged = Indicator("feedbackAcknowledged", "乡村振兴局已确认接收", "件")
    public static let feedbackAnswered = Indicator("feedbackAnswered", "乡村振兴局已作出决定", "件")

    // MARK: Coverage (应享尽享), per entitlement

    public static func entitled(_ m: CoverageMeasure) -> Indicator {
        Indicator("entitled.\(m.rawValue)", "\(m.chinese)：应享", "人")
    }
    public static func receiving(_ m: CoverageMeasure) -> Indicator {
        Indicator("receiving.\(m.rawValue)", "\(m.chinese)：已享", "人")
    }
    public static func unmet(_ m: CoverageMeasure) -> Indicator {
        Indicator("unmet.\(m.rawValue)", "\(m.chinese)：应享未享", "人")
    }

    // MARK: Open findings at year end, by type
    public static func openFindings(_ type: FindingKind) -> Indicator {
        Indicator("open.\(type.rawValue)", "年末未关闭：\(type.chinese)", "件")
    }
}

/// The entitlements of the coverage table.
public enum CoverageMeasure: String, Sendable, CaseIterable {
    case dibao, living, nursing, pension, childRehabilitation

    public var chinese: String {
        switch self {
        case .dibao: return "低保（含单人户施保）"
        case .living: return "困难残疾人生活补贴"
        case .nursing: return "重度残疾人护理补贴"
        case .pension: return "养老保险保费代缴"
        case .childRehabilitation: return "残疾儿童康复救助"
        }
    }

    /// Short label for charts.
    public var short: String {
        switch self {
        case .dibao: return "低保"
        case .living: return "生活补贴"
        case .nursing: return "护理补贴"
        case .pension: return "保费代缴"
        case .childRehabilitation: return "儿童康复"
        }
    }

    /// The verifier measure(s) whose gap findings mean "entitled, not receiving".
    public init?(_ measure: Measure) {
        switch measure {
        case .dibao, .singlePersonDibao: self = .dibao
        case .living: self = .living
        case .nursing: self = .nursing
        case .pension: self = .pension
        case .childRehabilitation: self = .childRehabilitation
        case .accessibility: return nil
        }
    }
}

/// The verifier's finding types, as counted among open findings.
public enum FindingKind: CaseNamed, Sendable {
    case entitlementGap
    case discontinued
    case paymentAnomaly

    /// The event type of the finding; its name is the raw value.
    public var eventType: EventType {
        switch self {
        case .entitlementGap: return .entitlementGap
        case .discontinued: return .assistanceDiscontinued
        case .paymentAnomaly: return .paymentAnomaly
        }
    }

    public var rawValue: String { eventType.rawValue }

    public var chinese: String {
        switch self {
        case .entitlementGap: return "应享未享"
        case .discontinued: return "帮扶措施中断"
        case .paymentAnomaly: return "发放异常"
        }
    }
}

/// Classes of a number of days, each up to an upper bound (the last class open-ended), with the
/// Chinese labels of the report's tables.
public protocol DayClass: RawRepresentable, CaseIterable where RawValue == Int {
    /// The largest day count of each class but the last, ascending.
    static var upperBounds: [Int] { get }
    /// One label per class, in order.
    static var labels: [String] { get }
}

extension DayClass {
    public init(days: Int) {
        self.init(rawValue: Self.upperBounds.firstIndex { days <= $0 } ?? Self.upperBounds.count)!
    }

    public var chinese: String { Self.labels[rawValue] }
}

/// Age classes of open findings (days from the finding to 31 December).
public enum AgeClass: Int, Sendable, DayClass {
    case upTo30, upTo90, upTo180, upTo365, over365

    public static let upperBounds = [30, 90, 180, 365]
    public static let labels = ["30天以内", "31–90天", "91–180天", "181–365天", "超过1年"]
}

/// Classes of response time in days (acknowledgement or decision after a feedback was sent).
public enum ResponseClass: Int, Sendable, DayClass {
    case sameDay, upTo3, upTo7, upTo14, upTo30, upTo60, over60

    public static let upperBounds = [0, 3, 7, 14, 30, 60]
    public static let labels = ["当天", "1–3天", "4–7天", "8–14天", "15–30天", "31–60天", "60天以上"]
}

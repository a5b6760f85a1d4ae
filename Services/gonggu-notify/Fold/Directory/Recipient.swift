import GongguCore
import GongguEvents

/// What kind of organisation a recipient is.
public enum RecipientKind: String, Sendable, CaseIterable {
    /// 乡村振兴局: receives risk feedback and answers with decisions.
    case bureau
    /// 残联 office: receives verifier findings as work items.
    case office

    /// Event types a recipient of this kind receives when its entry lists none.
    public var defaultTypes: [String] {
        switch self {
        case .bureau: return NotifyEventTypes.bureauDefaults
        case .office: return NotifyEventTypes.officeDefaults
        }
    }

    /// Chinese label for texts.
    public var chinese: String {
        switch self {
        case .bureau: return "乡村振兴局"
        case .office: return "残联"
        }
    }
}

/// Administrative level of a recipient; fixes the length of its region prefix.
public enum RecipientLevel: String, Sendable, CaseIterable, Comparable {
    case county
    case city
    case province

    /// Digits of the region prefix at this level (county 6, prefecture 4, province 2).
    public var prefixLength: Int {
        switch self {
        case .county: return 6
        case .city: return 4
        case .province: return 2
        }
    }

    var rank: Int {
        switch self {
        case .county: return 0
        case .city: return 1
        case .province: return 2
        }
    }

    public static func < (a: RecipientLevel, b: RecipientLevel) -> Bool { a.rank < b.rank }
}

/// A way to reach a recipient. The edge decides how; the domain only records which.
public enum RecipientChannel: Sendable, Equatable {
    /// Live delivery over ZeroMQ with CURVE (the recipient connects with its key).
    case zmq
    /// A daily outbox file (CSV and JSON Lines) for offices without a client.
    case outbox
    /// HTTP POST of each notification to `url`.
    case webhook(url: String)

    /// The channel's name as written in the directory and in `NotificationDelivered`.
    public var name: String {
        switch self {
        case .zmq: return "zmq"
        case .outbox: return "outbox"
        case .webhook: return "webhook"
        }
    }
}

/// One organisation that receives notifications, as configured in the recipient directory.
public struct Recipient: Sendable, Equatable {
    /// Stable id, also the outbox file name prefix (letters, digits, `-`, `_`, `.`).
    public var id: String
    /// Name in Chinese, e.g. 长春市南关区乡村振兴局.
    public var name: String
    public var kind: RecipientKind
    public var level: RecipientLevel
    /// Jurisdiction: a region prefix of `level.prefixLength` digits.
    public var region: String
    /// CURVE public key, Z85 (40 characters).
    public var publicKey: String
    /// Event types this recipient receives, in configured order.
    public var types: [String]
    /// Recipient one level up that receives what this one leaves unacknowledged.
    public var escalateTo: String?
    public var channels: [RecipientChannel]
    /// A revoked recipient receives nothing and its key is refused, from the activation on.
    public var revoked: Bool

    public init(
        id: String, name: String, kind: RecipientKind, level: RecipientLevel, region: String, publicKey: String,
        types: [String]? = nil, escalateTo: String? = nil, channels: [RecipientChannel] = [.zmq],
        revoked: Bool = false
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.level = level
        self.region = region
        self.publicKey = publicKey
        self.types = types ?? kind.defaultTypes
        self.escalateTo = escalateTo
        self.channels = channels
        self.revoked = revoked
    }

    /// Whether an event of `type` in `region` belongs to this recipient (ignores `revoked`).
    public func covers(type: String, region eventRegion: String) -> Bool {
        eventRegion.hasPrefix(region) && types.contains(type)
    }

    /// The webhook URL, if the recipient has that channel.
    public var webhookURL: String? {
        for case let .webhook(url) in channels { return url }
        return nil
    }
}

/// Event types the notifier routes, and their Chinese labels.
public enum NotifyEventTypes {
    /// What a bureau receives by default.
    public static let bureauDefaults = [EventType.riskFeedback, .recommendationOverdue].map(\.rawValue)
    /// What a 残联 office receives by default (verifier findings and monitoring without assistance).
    public static let officeDefaults = [
        EventType.entitlementGap, .assistanceDiscontinued, .paymentAnomaly, .findingResolved,
        .monitoringWithoutAssistance,
    ].map(\.rawValue)
    /// Every upstream type the notifier can route.
    public static let routable: Set<String> = Set(bureauDefaults + officeDefaults)
    /// `NotificationCreated.kind` of an escalation, and the type shown for it.
    public static let escalation = EventType.notificationEscalated.rawValue

    /// Chinese label of an event type, for the outbox and texts.
    public static func label(_ type: String) -> String {
        switch type {
        case EventType.riskFeedback.rawValue: return "风险反馈"
        case EventType.recommendationOverdue.rawValue: return "建议逾期未办"
        case EventType.entitlementGap.rawValue: return "应享未享"
        case EventType.assistanceDiscontinued.rawValue: return "帮扶措施中断"
        case EventType.paymentAnomaly.rawValue: return "发放异常"
        case EventType.findingResolved.rawValue: return "问题已解决"
        case EventType.monitoringWithoutAssistance.rawValue: return "监测户未落实帮扶"
        case escalation: return "逾期未确认督办"
        default: return type
        }
    }
}

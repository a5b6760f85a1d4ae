import GongguNotify

/// One way a recipient's entry differs between two recipient directories.
public struct RecipientEntryChange: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        /// Only in the proposed directory.
        case added
        /// Only in the directory in force.
        case removed
        case revoked
        case name
        case jurisdiction
        case types
        case escalateTo
        case channels
        case publicKey
        /// The directory's `escalation.afterDays` (recipient `*`).
        case escalationDays

        /// The label staff see.
        public var chinese: String {
            switch self {
            case .added: return "新增单位"
            case .removed: return "删除单位"
            case .revoked: return "撤销状态"
            case .name: return "名称"
            case .jurisdiction: return "层级和辖区"
            case .types: return "接收的通知种类"
            case .escalateTo: return "逾期上报单位"
            case .channels: return "接收渠道"
            case .publicKey: return "公钥"
            case .escalationDays: return "逾期上报天数"
            }
        }
    }

    public var recipient: String
    public var field: Field
    /// Both values as text (empty when absent); types as Chinese labels.
    public var old: String
    public var new: String

    /// `单位 字段：old → new`.
    public var chinese: String {
        "\(recipient) \(field.chinese)：\(old.isEmpty ? "（无）" : old) → \(new.isEmpty ? "（无）" : new)"
    }
}

/// The entries that differ between two recipient directories, recipient by recipient (by id), in the
/// proposed document's order then the removed ones; and whether the escalation period differs.
public enum RecipientDirectoryDiff {
    public static func changes(from old: RecipientDirectory, to new: RecipientDirectory) -> [RecipientEntryChange] {
        var out: [RecipientEntryChange] = []
        if old.escalationAfterDays != new.escalationAfterDays {
            out.append(
                RecipientEntryChange(
                    recipient: "*", field: .escalationDays, old: "\(old.escalationAfterDays)",
                    new: "\(new.escalationAfterDays)"))
        }
        for r in new.recipients {
            guard let o = old.recipient(r.id) else {
                out.append(RecipientEntryChange(recipient: r.id, field: .added, old: "", new: describe(r)))
                continue
            }
            func add(_ f: RecipientEntryChange.Field, _ a: String, _ b: String) {
                if a != b { out.append(RecipientEntryChange(recipient: r.id, field: f, old: a, new: b)) }
            }
            add(.revoked, o.revoked ? "已撤销" : "有效", r.revoked ? "已撤销" : "有效")
            add(.name, o.name, r.name)
            add(.jurisdiction, "\(o.level.rawValue) \(o.region)", "\(r.level.rawValue) \(r.region)")
            add(.types, types(o.types), types(r.types))
            add(.escalateTo, o.escalateTo ?? "", r.escalateTo ?? "")
            add(.channels, o.channels.map(\.name).joined(separator: "、"), r.channels.map(\.name).joined(separator: "、"))
            add(.publicKey, o.publicKey == r.publicKey ? "" : "旧公钥", o.publicKey == r.publicKey ? "" : "新公钥")
        }
        for o in old.recipients where new.recipient(o.id) == nil {
            out.append(RecipientEntryChange(recipient: o.id, field: .removed, old: describe(o), new: ""))
        }
        return out
    }

    static func types(_ list: [String]) -> String { list.map(NotifyEventTypes.label).joined(separator: "、") }

    static func describe(_ r: Recipient) -> String {
        "\(r.name)（\(r.level.rawValue) \(r.region)\(r.revoked ? "，已撤销" : "")；\(types(r.types))）"
    }
}

import GongguCore
import GongguEvents
import GongguNotify

/// How events are shown to investigators: a Chinese/English table or JSON Lines. Resident ID numbers
/// (and card numbers, which contain them) are masked with `PersonalDataMask` unless `unmasked` is
/// set for an investigator entitled to see them; the choice applies to every field.
public struct EventText: Sendable {
    public var unmasked: Bool
    /// Add the whole payload (masked likewise) under each table row.
    public var payloads: Bool

    public init(unmasked: Bool = false, payloads: Bool = false) {
        self.unmasked = unmasked
        self.payloads = payloads
    }

    /// Masks ID numbers in `text` unless unmasked output was asked for.
    public func mask(_ text: String) -> String { unmasked ? text : PersonalDataMask.maskText(text) }

    /// The table header (two lines).
    public var header: String {
        let columns = [
            pad("记录时间 recorded (CST)", 24), pad("发生 occurred", 13), pad("日志 log:seq", 26), pad("类型 type", 28),
            pad("主体 subject", 22), pad("区划 region", 13), "事件 id",
        ]
        return columns.joined(separator: " ") + "\n" + String(repeating: "-", count: 150)
    }

    /// One event as a table row, with its cause and a one-line summary under it.
    public func row(_ located: LocatedEvent) -> String {
        let e = located.event
        var line = [
            pad(InstantText.format(e.recordedAt), 24), pad(InstantText.date(e.occurredAt), 13),
            pad("\(located.source.name):\(e.seq)", 26), pad(e.type, 28), pad(mask(e.subject), 22), pad(e.region, 13),
            e.id.description,
        ].joined(separator: " ")
        var detail: [String] = []
        if let c = e.causation { detail.append("因 cause \(c)") }
        let summary = Self.summary(e)
        if !summary.isEmpty { detail.append(mask(summary)) }
        if !detail.isEmpty { line += "\n    ↳ " + detail.joined(separator: "  ") }
        if payloads { line += "\n    " + mask(e.payloadText) }
        return line
    }

    /// One event as one JSON object (a line of JSON Lines): envelope, log and seq, times both as
    /// milliseconds and as CST text, and the payload object.
    public func jsonLine(_ located: LocatedEvent) -> String {
        let e = located.event
        var w = JSONWriter(capacity: 512 + e.payload.count)
        w.beginObject()
        w.field("log", located.source.name)
        w.field("stream", located.source.stream)
        w.field("seq", Int(e.seq))
        w.field("id", e.id.description)
        w.field("type", e.type)
        w.field("version", e.version)
        w.field("subject", e.subject)
        w.field("region", e.region)
        w.field("occurredAt", Int(e.occurredAt))
        w.field("occurred", InstantText.format(e.occurredAt))
        w.field("recordedAt", Int(e.recordedAt))
        w.field("recorded", InstantText.format(e.recordedAt))
        w.field("causation", e.causation?.description)
        w.field("correlation", e.correlation?.description)
        w.key("payload")
        if (try? JSONValue.parse(e.payload)) != nil { w.raw(e.payload) } else { w.string(e.payloadText) }
        w.endObject()
        return mask(w.string)
    }

    /// A one-line summary: the Chinese title of a decision, finding or notification; the source record
    /// of a fact; otherwise the payload's short scalar fields.
    public static func summary(_ e: Event) -> String {
        if e.type == NotificationReceipts.eventType { return receiptsSummary(e) }
        guard let p = try? JSONValue.parse(e.payload), let fields = p.objectValue else { return "" }
        var parts: [String] = []
        if let title = p["title"]?.stringValue, !title.isEmpty { parts.append(title) }
        if let source = p["source"], let file = source["file"]?.stringValue, !file.isEmpty {
            parts.append("来源 source \(file):\(source["line"]?.intValue ?? 0)")
        }
        if let rule = p["ruleID"]?.stringValue, !rule.isEmpty {
            parts.append("规则 rule \(rule)@\(p["ruleVersion"]?.stringValue ?? "?")")
        }
        if parts.isEmpty || p["source"] != nil {
            let skip: Set<String> = ["title", "summary", "source", "document", "raw", "sourcePayload", "explanation"]
            let scalars = fields.filter { !skip.contains($0.0) }.compactMap { key, value -> String? in
                switch value {
                case .string(let s) where s.count <= 40: return "\(key)=\(s)"
                case .number(let n): return "\(key)=\(n == n.rounded() ? String(Int64(n)) : String(n))"
                case .bool(let b): return "\(key)=\(b)"
                default: return nil
                }
            }
            parts.append(scalars.prefix(8).joined(separator: " "))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }

    /// A recipient's receipts: how many deliveries and acknowledgements, and the first few notifications.
    static func receiptsSummary(_ e: Event) -> String {
        let receipts = LoggedReceipt.all(in: e)
        let delivered = receipts.filter { $0.kind == .delivered }.count
        let ids = receipts.prefix(3).map {
            "\($0.kind == .delivered ? "送达" : "确认") \($0.notificationID.prefix(12))…"
        }
        return "送达 delivered \(delivered)，确认 acknowledged \(receipts.count - delivered)  "
            + ids.joined(separator: " ") + (receipts.count > 3 ? " …" : "")
    }

    /// Pads to `width` display columns (CJK characters count two).
    func pad(_ s: String, _ width: Int) -> String {
        let w = s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.value != 0x2192 ? 2 : 1) }
        return w >= width ? s : s + String(repeating: " ", count: width - w)
    }
}

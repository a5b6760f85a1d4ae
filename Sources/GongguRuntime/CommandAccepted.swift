import GongguCore

/// An accepted control command, recorded in the service's own log before it is carried out: who sent
/// it (an operator key's name, or `uid:N(account)` of a local peer), over which channel, and a short
/// detail (the tick's date, the imported file and kind, the rule document's SHA-256). Never personal
/// data. The host appends it as it is (no behaviour sees it) and skips it on rebuild; consumers skip it
/// too. Subject: the sender.
public struct CommandAccepted: EventPayload, Equatable {
    public static let eventType = "CommandAccepted"
    public static let schemaVersion = 1
    public var command: String
    public var by: String
    public var channel: String
    public var detail: String

    public init(command: String, by: String, channel: String, detail: String) {
        self.command = command
        self.by = by
        self.channel = channel
        self.detail = detail
    }

    public init(json r: inout JSONReader) throws {
        var s = CommandAccepted(command: "", by: "", channel: "", detail: "")
        try r.readObject { r, k in
            switch k {
            case "command": s.command = try r.readString()
            case "by": s.by = try r.readString()
            case "channel": s.channel = try r.readString()
            case "detail": s.detail = try r.readString()
            default: try r.skipValue()
            }
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("command", command)
        w.field("by", by)
        w.field("channel", channel)
        w.field("detail", detail)
        w.endObject()
    }
}

import GongguCore

/// An accepted control command, recorded in the service's own log before it is carried out: who sent
/// it (an operator key's name, or `uid:N(account)` of a local peer), over which channel, and a short
/// detail (the tick's date, the imported file and kind, the rule document's SHA-256). Never personal
/// data. The host appends it as it is (no behaviour sees it) and skips it on rebuild; consumers skip it
/// too. Subject: the sender.
public struct CommandAccepted: TabledPayload, Equatable {
    public static let eventType = EventType.commandAccepted.rawValue
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

    /// The wire form, declared once; every key may be absent and reads as "".
    public static let fields = EventFields<Self>(
        eventType, blank: Self(command: "", by: "", channel: "", detail: ""),
        [
            .defaulted("command", \.command, ""),
            .defaulted("by", \.by, ""),
            .defaulted("channel", \.channel, ""),
            .defaulted("detail", \.detail, ""),
        ])
}

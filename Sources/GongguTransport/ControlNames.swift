/// Control commands by name: the strings on the wire stay as they are (`PING`, `IMPORT_BEGIN`, …);
/// code names them with these constants instead of repeating literals.
public struct ControlCommand: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let ping = ControlCommand(rawValue: "PING")
    public static let status = ControlCommand(rawValue: "STATUS")
    public static let reload = ControlCommand(rawValue: "RELOAD")
    public static let replay = ControlCommand(rawValue: "REPLAY")
    public static let snapshot = ControlCommand(rawValue: "SNAPSHOT")
    public static let digest = ControlCommand(rawValue: "DIGEST")
    public static let rules = ControlCommand(rawValue: "RULES")
    public static let rulesShow = ControlCommand(rawValue: "RULES_SHOW")
    public static let continuity = ControlCommand(rawValue: "CONTINUITY")
    public static let pending = ControlCommand(rawValue: "PENDING")
    public static let overdue = ControlCommand(rawValue: "OVERDUE")
    public static let receiptCheck = ControlCommand(rawValue: "RECEIPT_CHECK")
    public static let importBegin = ControlCommand(rawValue: "IMPORT_BEGIN")
    public static let importChunk = ControlCommand(rawValue: "IMPORT_CHUNK")
    public static let importEnd = ControlCommand(rawValue: "IMPORT_END")
    public static let tick = ControlCommand(rawValue: "TICK")
    public static let submit = ControlCommand(rawValue: "SUBMIT")
    public static let append = ControlCommand(rawValue: "APPEND")
}

/// The stable `code` of an `ERROR` reply (`{"code": …, "message": …}`), by name; wire strings unchanged.
public struct ReplyCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let badRequest = ReplyCode(rawValue: "bad_request")
    public static let busy = ReplyCode(rawValue: "busy")
    public static let unavailable = ReplyCode(rawValue: "unavailable")
    public static let unknownSession = ReplyCode(rawValue: "unknown_session")
    public static let unknownCommand = ReplyCode(rawValue: "unknown_command")
    public static let tooMany = ReplyCode(rawValue: "too_many")
    public static let tooLarge = ReplyCode(rawValue: "too_large")
    public static let invalidRules = ReplyCode(rawValue: "invalid_rules")
    public static let internalError = ReplyCode(rawValue: "internal")
    public static let badKind = ReplyCode(rawValue: "bad_kind")
    public static let workbook = ReplyCode(rawValue: "workbook")
    public static let unsupported = ReplyCode(rawValue: "unsupported")
    public static let unauthorised = ReplyCode(rawValue: "unauthorised")
    public static let starting = ReplyCode(rawValue: "starting")
    public static let malformed = ReplyCode(rawValue: "malformed")
    public static let kindNotAllowed = ReplyCode(rawValue: "kind_not_allowed")
    public static let badFormat = ReplyCode(rawValue: "bad_format")
    public static let badEncoding = ReplyCode(rawValue: "bad_encoding")
}

extension CommandRequest {
    /// The command, by name.
    public var name: ControlCommand { ControlCommand(rawValue: command) }
}

extension CommandReply {
    /// An error reply with a named code and an English message (never personal data).
    public static func error(_ code: ReplyCode, _ message: String) -> CommandReply { error(code.rawValue, message) }
}

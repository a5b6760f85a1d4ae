import GongguCore

/// Why a bureau decision is refused: a stable code (also used in wire error replies) and a Chinese
/// message.
public struct DecisionRefusal: Error, Equatable, CustomStringConvertible {
    /// Stable refusal codes.
    public enum Code: String, Sendable {
        /// The sender is not a known, non-revoked bureau.
        case notBureau = "not_bureau"
        /// The decision date is not a real `YYYY-MM-DD` date.
        case invalidDate = "invalid_date"
        /// The household was never notified to any recipient, so its region is unknown.
        case unknownHousehold = "unknown_household"
        /// The household lies outside the bureau's jurisdiction.
        case outsideJurisdiction = "outside_jurisdiction"
        /// `inReplyTo` names no notification or source event known here.
        case unknownReply = "unknown_reply"
        /// `inReplyTo` is about another household.
        case replyMismatch = "reply_mismatch"
        /// The same decision was already forwarded.
        case duplicate
    }

    public let code: Code
    /// Chinese, for the bureau; holds no personal data beyond the household id.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "decision refused: \(code.rawValue)" }
}

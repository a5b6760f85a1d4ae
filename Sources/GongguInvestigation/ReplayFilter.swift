import GongguCore

/// What `gonggu replay` selects. Every condition given must hold.
public struct ReplayFilter: Sendable {
    /// Which envelope time `from` / `to` bound.
    public enum TimeField: String, Sendable {
        /// Business time (`occurredAt`): "what happened in March".
        case occurred
        /// When the log recorded it (`recordedAt`): "what the services knew by then".
        case recorded
    }

    /// A household id, or a person's resident ID (which also selects their households' events).
    public var subject: String?
    /// Region code prefix (e.g. `2201` for 长春).
    public var regionPrefix: String?
    /// Event types (any of them); empty for all.
    public var types: Set<String> = []
    /// Inclusive lower bound, milliseconds.
    public var from: Timestamp?
    /// Inclusive upper bound, milliseconds.
    public var to: Timestamp?
    public var timeField: TimeField = .occurred
    /// With a subject: also the deliveries and acknowledgements of the notifications about it (the
    /// notifier records those under the recipient, not the household).
    public var includeDeliveries = true

    public init(
        subject: String? = nil, regionPrefix: String? = nil, types: Set<String> = [], from: Timestamp? = nil,
        to: Timestamp? = nil, timeField: TimeField = .occurred
    ) {
        self.subject = subject
        self.regionPrefix = regionPrefix
        self.types = types
        self.from = from
        self.to = to
        self.timeField = timeField
    }

    /// Whether `event` passes the conditions other than the subject.
    public func matches(_ event: Event) -> Bool {
        if !types.isEmpty, !types.contains(event.type) { return false }
        if let regionPrefix, !event.region.hasPrefix(regionPrefix) { return false }
        let t = timeField == .occurred ? event.occurredAt : event.recordedAt
        if let from, t < from { return false }
        if let to, t > to { return false }
        return true
    }
}

/// How a subject given by the investigator was understood.
public struct SubjectResolution: Sendable, Equatable {
    /// The subject as given.
    public var asked: String
    /// It is a resident ID number (a person).
    public var isPerson: Bool
    /// The households it stands for: itself for a household id; for a person, every household whose
    /// membership facts name them.
    public var households: [String]
    /// The subject keys looked up in the subject index.
    public var keys: [String] { isPerson ? [asked] + households : [asked] }

    /// Whether `text` has the shape of a resident ID number: 18 characters, 17 digits and a digit or X
    /// with a valid GB 11643 check character, or the old 15-digit form.
    public static func looksLikeResidentID(_ text: String) -> Bool {
        let b = Array(text.utf8)
        if b.count == 15 { return b.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard b.count == 18, b[..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for i in 0..<17 { sum += Int(b[i] - 48) * weights[i] }
        let check = Array("10X98765432".utf8)[sum % 11]
        return b[17] == check || (check == UInt8(ascii: "X") && b[17] == UInt8(ascii: "x"))
    }
}

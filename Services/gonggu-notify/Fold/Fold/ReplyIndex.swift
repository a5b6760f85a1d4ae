import GongguCore

/// What a bureau may answer by besides a notification id — the source event id, or the risk monitor's
/// recommendation id — mapped to the first notification about it.
///
/// Both are 32 lowercase hex digits whenever a Gonggu service made them, so they are kept as
/// `NotificationKey`s (two inline words; the table gains up to two entries per notification); any
/// other text is kept as it is.
struct ReplyIndex: Equatable {
    private var hex: [NotificationKey: NotificationKey] = [:]
    private var other: [String: NotificationKey] = [:]

    /// The first notification about `reference`, nil when none.
    subscript(_ reference: String) -> NotificationKey? {
        if let key = NotificationKey(reference) { return hex[key] }
        return other[reference]
    }

    /// Notes `notification` for `reference` unless a notification is noted for it already.
    mutating func noteFirst(_ reference: String, _ notification: NotificationKey) {
        if let key = NotificationKey(reference) {
            noteFirst(key, notification)
        } else if other[reference] == nil {
            other[reference] = notification
        }
    }

    /// Notes `notification` for the hex reference `reference` (a source event's id) unless a
    /// notification is noted for it already.
    mutating func noteFirst(_ reference: NotificationKey, _ notification: NotificationKey) {
        // In-place access through the default subscript fills an empty slot and leaves a filled one
        // as it is: one probe either way.
        Self.leave(&hex[reference, default: notification])
    }

    private static func leave(_: inout NotificationKey) {}

    /// Every entry as text, sorted by reference (for the state digest).
    var sortedText: [(reference: String, notification: String)] {
        (hex.map { ($0.key.description, $0.value.description) } + other.map { ($0.key, $0.value.description) })
            .sorted { $0.0 < $1.0 }
    }
}

/// The events one input causes, with the envelope they share: causation = the input, correlation =
/// the input's, `occurredAt` = the input's unless the fold sets a business time (a tick's day). Each
/// fold derives the ids its own way (`EventID.derived(from:_:index:)`).
public struct CausedEvents {
    /// What the outputs take from their input: its id (their causation), its correlation and its region
    /// (a 12-digit code: a string stored inline, nothing to retain).
    public struct Cause: Sendable {
        public let id: EventID
        public let correlation: EventID?
        public let region: String

        @inlinable
        public init(id: EventID, correlation: EventID?, region: String) {
            self.id = id
            self.correlation = correlation
            self.region = region
        }
    }

    /// The input (only what the outputs take of it: a fold builds one of these per input it applies,
    /// and a copy of the whole event would retain its strings and payload for nothing).
    public let cause: Cause
    public var occurredAt: Timestamp
    public var events: [Event] = []

    @inlinable
    public init(cause: Event) {
        self.cause = Cause(id: cause.id, correlation: cause.correlation, region: cause.region)
        occurredAt = cause.occurredAt
    }

    @inlinable
    public mutating func append<P: EventPayload>(_ payload: P, id: EventID, subject: String, region: String) {
        events.append(
            Event(
                payload, id: id, subject: subject, region: region, occurredAt: occurredAt, causation: cause.id,
                correlation: cause.correlation))
    }
}

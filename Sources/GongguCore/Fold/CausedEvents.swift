/// The events one input causes, with the envelope they share: causation = the input, correlation =
/// the input's, `occurredAt` = the input's unless the fold sets a business time (a tick's day). Each
/// fold derives the ids its own way (`EventID.derived(from:_:index:)`).
public struct CausedEvents {
    public let cause: Event
    public var occurredAt: Timestamp
    public var events: [Event] = []

    @inlinable
    public init(cause: Event) {
        self.cause = cause
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

/// A service's state as a deterministic fold over events (docs/ARCHITECTURE.md).
///
/// The runtime feeds every input event, in log order, to `apply`; the fold updates its state and
/// returns the events to append to the service's own log. It never reads the wall clock, never does
/// I/O, and derives output ids from the input (`EventID.derived(from:_:index:)`) with
/// `occurredAt` taken from the input, so the same inputs always give the same outputs. Elapsed-time
/// decisions are taken on `ClockTicked` events, which are inputs like any other.
public protocol ServiceFold {
    /// Applies one input event and returns the new events it causes (possibly none).
    mutating func apply(_ event: Event) -> [Event]
    /// A stable digest of the whole state (hex SHA-256 over a canonical dump): equal states, equal digests.
    func stateDigest() -> String
}

import GongguCore

/// A clock tick: the business date a service has reached, appended by the service itself to its
/// own log so replay takes elapsed-time decisions at the same points. Subject: the service name.
public struct ClockTicked: TabledPayload, Equatable {
    public static let eventType = EventType.clockTicked.rawValue
    /// Business date `YYYY-MM-DD` the tick stands for.
    public var date: String

    public init(date: String) { self.date = date }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(eventType, blank: Self(date: ""), [.required("date", \.date)])
}

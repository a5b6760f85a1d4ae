import GongguCore

/// A synthetic payload of a chosen size, for backbone tests and benchmarks (`gonggu dev emit`).
public struct SyntheticRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.syntheticRecorded.rawValue
    public var n: Int
    public var filler: String

    public init(n: Int, filler: String) {
        self.n = n
        self.filler = filler
    }

    /// The wire form, declared once; absent keys read as 0 and "".
    public static let fields = EventFields<Self>(
        eventType, blank: Self(n: 0, filler: ""), [.defaulted("n", \.n, 0), .defaulted("filler", \.filler, "")])
}

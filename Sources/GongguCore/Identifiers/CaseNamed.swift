/// A closed set of cases named by a computed `rawValue` (one taken from an event type, say):
/// `init?(rawValue:)` finds the case whose name matches.
public protocol CaseNamed: RawRepresentable, CaseIterable where RawValue: Equatable {}

extension CaseNamed {
    public init?(rawValue: RawValue) {
        guard let match = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = match
    }
}

import GongguCore
import GongguEvents

/// A household member as the risk monitor knows them (for investigators' as-of views).
public struct RiskMemberView: Sendable, Equatable {
    public var personID: String
    public var name: String
    public var labour: LabourCapacity
    /// Disability category and grade, nil / 0 when the person has no recorded disability.
    public var category: DisabilityCategory?
    public var grade: Int
    /// False once the person left the household, died or moved out.
    public var present: Bool
}

/// An active risk signal with the figures it compared and the facts it used.
public struct RiskSignalView: Sendable, Equatable {
    /// Signal key, e.g. `incomeBelowLine`.
    public var key: String
    /// `YYYY-MM-DD` the signal was raised.
    public var date: String
    public var amount: Int
    public var threshold: Int
    /// Hex ids of the fact events used.
    public var evidence: [String]
}

extension RiskFold {
    /// The members of household `id`, in the order they became known; nil when the household is unknown.
    public func members(household id: String) -> [RiskMemberView]? {
        guard let hh = household(id) else { return nil }
        return hh.members.map {
            RiskMemberView(
                personID: $0.personID, name: $0.name, labour: $0.labour,
                category: DisabilityCategory(rawValue: Int($0.category)), grade: Int($0.grade), present: $0.present)
        }
    }

    /// The active signals of household `id` with their explanation; nil when the household is unknown.
    public func signals(household id: String) -> [RiskSignalView]? {
        guard let hh = household(id) else { return nil }
        return hh.signals.sorted { $0.signal.rawValue < $1.signal.rawValue }.map {
            RiskSignalView(
                key: $0.signal.key, date: Calendar.text($0.day), amount: $0.amount, threshold: $0.threshold,
                evidence: $0.evidence.map(\.description))
        }
    }
}

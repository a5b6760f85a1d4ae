/// When a snapshot is due by count (`snapshot.every_events`, `snapshot.growth_percent`).
///
/// A snapshot costs in proportion to the state it copies and encodes, and the state grows with the
/// events folded. A fixed spacing (a snapshot every 500,000 events) made the snapshot work of a
/// bulk import grow with the square of its size: the 600,000-household province (11 million intake
/// events, each folded by intake, the verifier, the risk monitor and the notifier) wrote about 22
/// snapshots per service, each of the state so far — on the same two cores as the import.
/// With the spacing also growing with what the last snapshot covered (by `growthPercent` of it), the
/// sizes grow geometrically and the work of all snapshots stays within a constant factor of the last
/// one (100 %: at most twice it); a fixed spacing is still the minimum, and `snapshot.every_minutes`
/// and the graceful stop's snapshot are untouched. The price: after a crash, replay covers the
/// events since the last snapshot — up to `growthPercent` % of what that snapshot covered (or the
/// minutes of `snapshot.every_minutes`), instead of at most `every_events`.
public struct SnapshotSchedule: Sendable, Equatable {
    /// `snapshot.every_events`: new events before a snapshot by count at least (0: none by count).
    public var everyEvents: Int
    /// `snapshot.growth_percent`: new events before a snapshot by count also at least this percentage
    /// of the events the last snapshot covered (0: `everyEvents` alone, the fixed spacing of before).
    public var growthPercent: Int

    public init(everyEvents: Int, growthPercent: Int) {
        self.everyEvents = everyEvents
        self.growthPercent = growthPercent
    }

    /// Whether a snapshot is due by count: `fresh` events (own log and upstream events applied) since
    /// the last snapshot, which covered `covered` (0 when there was none).
    public func dueByCount(fresh: Int64, covered: Int64) -> Bool {
        guard everyEvents > 0, fresh > 0 else { return false }
        let spacing = max(Int64(everyEvents), covered / 100 * Int64(growthPercent))
        return fresh >= spacing
    }
}

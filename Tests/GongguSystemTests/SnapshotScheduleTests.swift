import GongguCore
import GongguRooms
import GongguRuntime
import XCTest

/// Snapshots by count during a bulk import: their spacing grows with what the last one covered, so
/// the work of all of them stays within a constant factor of the last (`SnapshotSchedule`).
final class SnapshotScheduleTests: XCTestCase {
    /// Walks `total` events in steps of `step` (a loop turn's batch) and returns the seqs a snapshot was
    /// taken at, as `ServiceHost.snapshotIfDue` does by count.
    private func snapshots(_ schedule: SnapshotSchedule, total: Int64, step: Int64) -> [Int64] {
        var last: Int64 = 0
        var taken: [Int64] = []
        var at: Int64 = 0
        while at < total {
            at = min(total, at + step)
            if schedule.dueByCount(fresh: at - last, covered: last) {
                taken.append(at)
                last = at
            }
        }
        return taken
    }

    func testTheSpacingGrowsWithTheCoveredEventsSoTheirWorkStaysLinear() {
        // The 600,000-household province: 11 million intake events, 20,000 a batch.
        let taken = snapshots(SnapshotSchedule(everyEvents: 500_000, growthPercent: 100), total: 11_000_000, step: 20_000)
        XCTAssertEqual(taken, [500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000])
        // What they copy and encode together: under twice the last one, and under 1.5 × the log.
        let work = taken.reduce(0, +)
        XCTAssertLessThan(work, 2 * taken.last!)
        XCTAssertLessThan(Double(work), 1.5 * 11_000_000)
    }

    func testGrowthZeroKeepsTheFixedSpacing() {
        let taken = snapshots(SnapshotSchedule(everyEvents: 500_000, growthPercent: 0), total: 11_000_000, step: 20_000)
        XCTAssertEqual(taken.count, 22)
        XCTAssertEqual(taken.first, 500_000)
        XCTAssertEqual(taken.last, 11_000_000)
    }

    func testEveryEventsIsTheMinimumAndZeroTurnsCountingOff() {
        let s = SnapshotSchedule(everyEvents: 1_000, growthPercent: 50)
        XCTAssertFalse(s.dueByCount(fresh: 999, covered: 0))
        XCTAssertTrue(s.dueByCount(fresh: 1_000, covered: 0))
        XCTAssertTrue(s.dueByCount(fresh: 1_000, covered: 2_000))
        XCTAssertFalse(s.dueByCount(fresh: 1_999, covered: 4_000))
        XCTAssertTrue(s.dueByCount(fresh: 2_000, covered: 4_000))
        XCTAssertFalse(SnapshotSchedule(everyEvents: 0, growthPercent: 100).dueByCount(fresh: 1 << 40, covered: 0))
        XCTAssertFalse(s.dueByCount(fresh: 0, covered: 0))
    }

    func testSettingsReadTheKeyWithItsDefaultAndRefuseNegatives() throws {
        func settings(_ json: String) throws -> ServiceSettings {
            try ServiceSettings(
                service: Rooms.topology.names[0], topology: Rooms.topology,
                config: Config(root: try JSONValue.parse(json), environment: [:]))
        }
        XCTAssertEqual(try settings("{}").snapshotSchedule, SnapshotSchedule(everyEvents: 500_000, growthPercent: 100))
        XCTAssertEqual(
            try settings(#"{"snapshot": {"growth_percent": 0, "every_events": 10}}"#).snapshotSchedule,
            SnapshotSchedule(everyEvents: 10, growthPercent: 0))
        XCTAssertThrowsError(try settings(#"{"snapshot": {"growth_percent": -1}}"#))
        let c = Config(root: try JSONValue.parse(#"{"snapshot": {"growth_percent": 50}}"#), environment: [:])
        XCTAssertEqual(c.unknownKeys(known: ConfigKeys.service, streams: Rooms.topology.names), [])
    }
}

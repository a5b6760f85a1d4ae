import GongguCore
import XCTest

@testable import GongguIntakeService

/// `IntakeEvents.newlyAppended` (which submitted records the log took now, the rest being duplicates)
/// answers as a set of the recorded ids claimed in submission order would, for every batch.
final class NewlyAppendedTests: XCTestCase {
    private func event(_ n: UInt64) -> Event {
        Event(id: EventID(high: n, low: n &* 31), type: "T", subject: "s", region: "r", occurredAt: 0, payload: [])
    }

    /// The reference: each recorded id is claimed by the first submitted event that has it.
    private func reference(_ events: [Event], _ recorded: [Event]) -> [Bool] {
        var appended = Set(recorded.map(\.id))
        return events.map { appended.remove($0.id) != nil }
    }

    func testBatchesWithRepeatsAndHeldIDs() {
        var g = SplitMix64(seed: 5)
        for round in 0..<300 {
            let events = (0..<g.below(40)).map { _ in event(g.next() % 25) }
            // What intake's fold passes: first occurrences of ids not held before (held: a third).
            var seen = Set<EventID>()
            let recorded = events.filter { $0.id.low % 3 != 0 && seen.insert($0.id).inserted }
            XCTAssertEqual(IntakeEvents.newlyAppended(events, recorded: recorded), reference(events, recorded), "round \(round)")
        }
    }

    /// Recorded events that are not the submitted ones in order (an extra event, another order) take
    /// the set's answer.
    func testRecordedOutOfOrderOrWithOthers() {
        let a = event(1), b = event(2), c = event(3), x = event(9)
        for (events, recorded) in [([a, b, c], [c, a]), ([a, b], [a, x, b]), ([a, a, b], [b, a]), ([a], [x])] {
            XCTAssertEqual(IntakeEvents.newlyAppended(events, recorded: recorded), reference(events, recorded))
        }
        XCTAssertEqual(IntakeEvents.newlyAppended([a, b, a, c], recorded: [a, c]), [true, false, false, true])
    }
}

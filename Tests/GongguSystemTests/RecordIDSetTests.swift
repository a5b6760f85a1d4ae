import GongguCore
import GongguIntakeService
import XCTest

/// `RecordIDSet` (65,536 sorted partitions, grown in place) answers as a
/// `Set` would.
final class RecordIDSetTests: XCTestCase {
    /// Inserts, removals and look-ups against a `Set`, across merges of the partitions' additions.
    func testTheSetAgreesWithASet() {
        var g = SplitMix64(seed: 7)
        var set = RecordIDSet()
        var reference = Set<EventID>()
        var pool: [EventID] = []
        for step in 0..<60_000 {
            let id: EventID
            if !pool.isEmpty, g.next() % 3 == 0 {
                id = pool[g.below(pool.count)]
            } else {
                id = EventID(high: g.next(), low: g.next())
                pool.append(id)
            }
            if step % 11 == 0 {
                XCTAssertEqual(set.remove(id), reference.remove(id) != nil, "remove at step \(step)")
            } else {
                XCTAssertEqual(set.insert(id), reference.insert(id).inserted, "insert at step \(step)")
            }
        }
        XCTAssertEqual(set.count, reference.count)
        for id in pool { XCTAssertEqual(set.contains(id), reference.contains(id)) }
    }
}

import GongguCore
import GongguIntakeService
import XCTest

/// `RecordIDSet` (sorted partitions plus sets of recent additions, merged as they grow) answers as a
/// `Set` would.
final class RecordIDSetTests: XCTestCase {
    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Inserts, removals and look-ups against a `Set`, across merges of the partitions' additions.
    func testTheSetAgreesWithASet() {
        var g = Generator(state: 7)
        var set = RecordIDSet()
        var reference = Set<EventID>()
        var pool: [EventID] = []
        for step in 0..<60_000 {
            let id: EventID
            if !pool.isEmpty, g.next() % 3 == 0 {
                id = pool[Int(g.next() % UInt64(pool.count))]
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

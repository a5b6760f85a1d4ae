import XCTest

@testable import GongguVerify

final class MemberListTests: XCTestCase {
    /// Appends, removals and moves give what an array of the same operations gives, element for element.
    func testBehavesAsAnArray() {
        var list = MemberList()
        var array: [Int32] = []
        var seed: UInt64 = 2026
        func next(_ n: UInt64) -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return (seed >> 33) % n
        }
        for _ in 0..<5_000 {
            if next(3) == 0, !array.isEmpty {
                let victim = array[Int(next(UInt64(array.count)))]
                list.removeAll { $0 == victim }
                array.removeAll { $0 == victim }
            } else {
                let m = Int32(next(40))
                list.append(m)
                array.append(m)
            }
            XCTAssertEqual(Array(list), array)
            XCTAssertEqual(list.count, array.count)
            XCTAssertEqual(list.isEmpty, array.isEmpty)
        }
        XCTAssertEqual(MemberList([1, 2, 3, 4]), [1, 2, 3, 4])
        XCTAssertNotEqual(MemberList([1, 2]), [2, 1])
        XCTAssertEqual(Array(MemberList()), [])
    }
}

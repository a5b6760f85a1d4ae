import XCTest

@testable import GongguRuntime

/// What a local follower keeps of the chain its reads checked, so the host need not hash the same
/// events again for its `InputConsumed` anchors: it answers only within one unbroken walk.
final class VerifiedChainWindowTests: XCTestCase {
    /// A distinct 32-byte "hash" per seq (`walk` tells two walks apart).
    private func h(_ seq: Int64, walk: UInt8 = 0) -> [UInt8] { [walk] + withUnsafeBytes(of: seq.bigEndian, Array.init) + Array(repeating: 7, count: 23) }
    private func chain(_ seqs: ClosedRange<Int64>, walk: UInt8 = 0) -> [UInt8] { seqs.flatMap { h($0, walk: walk) } }

    func testAnswersWithinOneWalkAndForgetsWhatIsBehind() {
        var w = VerifiedChainWindow()
        XCTAssertNil(w.take(start: 0, end: 1), "nothing read yet")
        w.add(after: 0, chain: chain(0...100))
        let run = w.take(start: 0, end: 40)
        XCTAssertEqual(run?.start, h(0))
        XCTAssertEqual(run?.end, h(40))
        XCTAssertNil(w.take(start: 10, end: 50), "before the last run's end is forgotten")
        XCTAssertNil(w.take(start: 40, end: 60), "an unanswered run forgets what is before its end too")
        XCTAssertEqual(w.take(start: 60, end: 100)?.end, h(100))
        XCTAssertNil(w.take(start: 100, end: 101), "beyond what was read")
        XCTAssertNil(w.take(start: 100, end: 100), "an empty run")
    }

    func testAReadFromTheLastHashContinuesTheWalk() {
        var w = VerifiedChainWindow()
        w.add(after: 0, chain: chain(0...50))
        w.add(after: 50, chain: chain(50...90))
        XCTAssertEqual(w.take(start: 20, end: 90).map { [$0.start, $0.end] }, [h(20), h(90)])
    }

    /// A read that starts elsewhere, or from another hash at the same seq, starts a new walk: the old
    /// one's hashes are not chained to it.
    func testAReadThatDoesNotContinueStartsAnewWalk() {
        var w = VerifiedChainWindow()
        w.add(after: 0, chain: chain(0...50))
        w.add(after: 50, chain: chain(50...80, walk: 1))
        XCTAssertNil(w.take(start: 20, end: 50), "the first walk is gone")
        XCTAssertEqual(w.take(start: 50, end: 80)?.start, h(50, walk: 1))

        w.add(after: 200, chain: chain(200...210))
        XCTAssertNil(w.take(start: 80, end: 200), "a jump")
        XCTAssertEqual(w.take(start: 200, end: 210)?.end, h(210))
    }

    /// A consumer that never asks does not make it grow without end.
    func testHoldsAtMostItsCapacity() {
        var w = VerifiedChainWindow(capacity: 1_000)
        let step = Int64(100)
        var after: Int64 = 0
        while after < Int64(w.capacity) * 3 {
            w.add(after: after, chain: chain(after...(after + step)))
            after += step
        }
        XCTAssertLessThanOrEqual(w.last - w.base + 1, Int64(w.capacity) + step)
        XCTAssertGreaterThanOrEqual(w.last - w.base + 1, Int64(w.capacity / 2))
        XCTAssertEqual(w.take(start: after - 10, end: after)?.end, h(after))
    }
}

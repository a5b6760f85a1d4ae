@testable import GongguRuntime
import XCTest

/// `LoopWait`, from its rule: an upstream the merge will not read is not polled; a steady stream of
/// small reads waits a millisecond on the behaviour's sockets only; a big read, a first read and a
/// trickle do not wait; a turn without work waits up to 10 ms.
final class LoopWaitTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    func testTheTable() {
        let all = [true, true, true]
        let cases: [(String, Bool, Int, UInt64?, [Bool], LoopWait)] = [
            ("idle turn: every upstream, 10 ms", false, 0, nil, all, .init(upstreams: [0, 1, 2], timeoutMs: 10, coalescing: false)),
            ("work without reads: no wait", true, 0, nil, all, .init(upstreams: [0, 1, 2], timeoutMs: 0, coalescing: false)),
            ("first read ever: no wait", true, 5, nil, all, .init(upstreams: [0, 1, 2], timeoutMs: 0, coalescing: false)),
            ("steady small reads: 1 ms, no upstream", true, 5, 1 * ms / 2, all, .init(upstreams: [], timeoutMs: 1, coalescing: true)),
            ("just inside the window", true, 255, 2 * ms - 1, all, .init(upstreams: [], timeoutMs: 1, coalescing: true)),
            ("at the window: a trickle, no wait", true, 5, 2 * ms, all, .init(upstreams: [0, 1, 2], timeoutMs: 0, coalescing: false)),
            ("a batch (256 read): no wait", true, 256, 1 * ms / 2, all, .init(upstreams: [0, 1, 2], timeoutMs: 0, coalescing: false)),
            ("full queue not polled (idle)", false, 0, nil, [true, false, true], .init(upstreams: [0, 2], timeoutMs: 10, coalescing: false)),
            ("every queue full: only own sockets", false, 0, nil, [false, false, false], .init(upstreams: [], timeoutMs: 10, coalescing: false)),
            ("full queue not polled (worked)", true, 300, 1 * ms / 2, [false, true, true], .init(upstreams: [1, 2], timeoutMs: 0, coalescing: false)),
        ]
        for (name, worked, read, since, wants, expected) in cases {
            XCTAssertEqual(LoopWait.plan(worked: worked, read: read, sinceLastRead: since, wantsMore: wants), expected, name)
        }
    }

    func testNoUpstreamsNoReads() {
        XCTAssertEqual(
            LoopWait.plan(worked: false, read: 0, sinceLastRead: nil, wantsMore: []),
            .init(upstreams: [], timeoutMs: 10, coalescing: false))
    }
}

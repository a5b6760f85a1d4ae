import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguTransport
import XCTest

/// Start-up replay re-reads the upstream range each `InputConsumed` marker names. It must read that
/// range and nothing more: reading a full replay batch per marker made a notifier with thousands of
/// small markers take minutes to start (gonggu-bench pipeline, 30,000 households: 87 s).
final class ConsumedRangeReplayTests: XCTestCase {
    /// An upstream of `count` events that notes how many events it handed out.
    final class CountingSource: EventSource {
        let stream = "risk"
        let events: [Event]
        private(set) var handedOut = 0

        init(count: Int) {
            events = (1...count).map { i in
                var e = Event(
                    id: EventID.derived(from: EventID(high: 1, low: 1), "e", index: i), type: "RiskFeedback", subject: "H\(i)",
                    region: "220182101201", occurredAt: 0, payload: Array("{}".utf8))
                e.seq = Int64(i)
                return e
            }
        }

        func read(_ request: ReplayRequest) throws -> EventBatch {
            let from = Int(request.after)
            let slice = Array(events[min(from, events.count)..<min(from + request.limit, events.count)])
            handedOut += slice.count
            return EventBatch(events: slice, scannedTo: slice.last?.seq ?? request.after, latest: Int64(events.count))
        }
    }

    func testReplayReadsOnlyTheConsumedRange() throws {
        let source = CountingSource(count: 20_000)
        var applied: [Int64] = []
        for (after, through) in [(10, 13), (13, 14), (100, 7_100)] as [(Int64, Int64)] {
            try InputConsumed(stream: "risk", after: after, through: through).replay(from: source) { applied.append($0.seq) }
        }
        XCTAssertEqual(applied, Array(11...14) + Array(101...7_100))
        XCTAssertEqual(source.handedOut, applied.count, "the source was asked for events outside the consumed ranges")
    }

    func testAMissingUpstreamRangeIsAnError() throws {
        let source = CountingSource(count: 5)
        XCTAssertThrowsError(try InputConsumed(stream: "risk", after: 3, through: 9).replay(from: source) { _ in })
    }
}

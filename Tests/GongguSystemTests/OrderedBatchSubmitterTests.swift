import Foundation
@testable import GongguIntakeService
import XCTest

@testable import GongguServices

/// The import parser's hand-over to the log (`OrderedBatchSubmitter`): batches are submitted in order
/// while the producer goes on, no more than `depth` at once, and nothing after a refused batch.
final class OrderedBatchSubmitterTests: XCTestCase {
    /// Batches submitted, in submission order (touched on the submitter's queue only, read after drain).
    final class Record: @unchecked Sendable {
        var submitted: [Int] = []
        var inFlight = 0
        var maxInFlight = 0
        let lock = NSLock()
    }

    func testBatchesAreSubmittedInOrderWhileTheProducerContinues() throws {
        let record = Record()
        let gate = DispatchSemaphore(value: 0)
        let submitter = OrderedBatchSubmitter<Int>(depth: 2) { n in
            if n == 0 { gate.wait() }  // the first commit is slow
            record.submitted.append(n)
        }
        try submitter.enqueue(0)
        // The producer is not held up by the slow first batch: a second one queues at once.
        try submitter.enqueue(1)
        XCTAssertEqual(record.submitted, [], "nothing submitted before the first finished")
        gate.signal()
        for n in 2..<50 { try submitter.enqueue(n) }
        XCTAssertNil(submitter.drain())
        XCTAssertEqual(record.submitted, Array(0..<50))
    }

    func testAtMostDepthBatchesAreHeldAtOnce() throws {
        let record = Record()
        let release = DispatchSemaphore(value: 0)
        let submitter = OrderedBatchSubmitter<Int>(depth: 2) { n in
            release.wait()
            record.submitted.append(n)
        }
        try submitter.enqueue(0)
        try submitter.enqueue(1)
        let third = DispatchSemaphore(value: 0)
        Thread {
            try? submitter.enqueue(2)
            third.signal()
        }.start()
        XCTAssertEqual(third.wait(timeout: .now() + 0.3), .timedOut, "a third batch waits for a free slot")
        release.signal()
        XCTAssertEqual(third.wait(timeout: .now() + 5), .success, "and is taken once the first is submitted")
        release.signal()
        release.signal()
        XCTAssertNil(submitter.drain())
        XCTAssertEqual(record.submitted, [0, 1, 2])
    }

    struct Refused: Error, Equatable {}

    func testNothingAfterARefusedBatchIsSubmitted() throws {
        let record = Record()
        let gate = DispatchSemaphore(value: 0)
        let submitter = OrderedBatchSubmitter<Int>(depth: 3) { n in
            if n == 1 {
                gate.wait()
                throw Refused()
            }
            record.submitted.append(n)
        }
        try submitter.enqueue(0)
        try submitter.enqueue(1)
        try submitter.enqueue(2)  // queued behind the batch that will be refused
        gate.signal()
        XCTAssertEqual(submitter.drain() as? Refused, Refused())
        XCTAssertThrowsError(try submitter.enqueue(3)) { XCTAssertEqual($0 as? Refused, Refused()) }
        XCTAssertEqual(submitter.drain() as? Refused, Refused(), "the failure stays")
        XCTAssertEqual(record.submitted, [0], "batch 2 was queued before the refusal and not submitted")
    }
}

import Foundation
import GongguHarness
import XCTest

/// The one deadline-based wait of the tests, the bench and `gonggu demo`.
final class WaitForTests: XCTestCase {
    struct Refused: Error {}

    func testReturnsOnceTheConditionHolds() throws {
        var polls = 0
        try waitFor("the third poll", timeout: 30, interval: 0) {
            polls += 1
            return polls == 3
        }
        XCTAssertEqual(polls, 3)
    }

    func testTimesOutNamingWhatWasAwaitedAndTheStateThen() {
        var polls = 0
        XCTAssertThrowsError(try waitFor("a condition that never holds (\(polls) polls)", timeout: 0.05) {
            polls += 1
            return false
        }) { error in
            guard let timeout = error as? WaitTimedOut else { return XCTFail("\(error)") }
            XCTAssertEqual(timeout.seconds, 0.05)
            XCTAssertGreaterThan(polls, 0)
            // `what` is read at the timeout, so it can say how things stood then.
            XCTAssertEqual(timeout.what, "a condition that never holds (\(polls) polls)")
            XCTAssertEqual("\(timeout)", "timed out after 0.05 s waiting for \(timeout.what)")
        }
    }

    func testAnErrorOfTheConditionEndsTheWaitAtOnce() {
        var polls = 0
        XCTAssertThrowsError(try waitFor("never", timeout: 30) {
            polls += 1
            throw Refused()
        }) { error in XCTAssertTrue(error is Refused, "\(error)") }
        XCTAssertEqual(polls, 1)
    }
}

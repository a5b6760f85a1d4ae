import GongguCore
import GongguHarness
import GongguServices
import XCTest

/// `PipelineLauncher.isIdle` (the demo's and the pipeline bench's "all work done") over STATUS replies:
/// caught-up cursors alone are not enough while the notifier holds receipts it has applied but not yet
/// committed (deliveries and acknowledgements are group-committed within 20 ms).
final class IdleSnapshotTests: XCTestCase {
    /// STATUS replies of a pipeline whose consumers have all caught up, the notifier holding `awaiting`
    /// uncommitted receipts.
    private func statuses(awaiting: Int, riskCursorOnVerify: Int = 40) -> [String: JSONValue?] {
        func parse(_ text: String) -> JSONValue? { try? JSONValue.parse(text) }
        return [
            "intake": parse(#"{"lastSeq": 100, "upstreams": []}"#),
            "verify": parse(#"{"lastSeq": 40, "upstreams": [{"stream": "intake", "cursor": 100}]}"#),
            "risk": parse(
                #"{"lastSeq": 30, "upstreams": [{"stream": "intake", "cursor": 100}, "#
                    + #"{"stream": "verify", "cursor": \#(riskCursorOnVerify)}]}"#),
            "notify": parse(
                #"{"lastSeq": 90, "receiptsAwaitingCommit": \#(awaiting), "upstreams": "#
                    + #"[{"stream": "risk", "cursor": 30}, {"stream": "verify", "cursor": 40}, "#
                    + #"{"stream": "intake", "cursor": 100}]}"#),
        ]
    }

    func testCaughtUpPipelineGivesASnapshot() {
        XCTAssertEqual(
            PipelineLauncher.progressSnapshot(statuses(awaiting: 0)), ["intake=100", "verify=40", "risk=30", "notify=90"])
    }

    func testConsumerBehindItsUpstreamIsNotIdle() {
        XCTAssertNil(PipelineLauncher.progressSnapshot(statuses(awaiting: 0, riskCursorOnVerify: 39)))
    }

    func testMissingServiceIsNotIdle() {
        var st = statuses(awaiting: 0)
        st["verify"] = .some(nil)
        XCTAssertNil(PipelineLauncher.progressSnapshot(st))
    }

    func testReceiptsAwaitingCommitAreNotIdle() {
        XCTAssertNil(PipelineLauncher.progressSnapshot(statuses(awaiting: 3)))
    }
}

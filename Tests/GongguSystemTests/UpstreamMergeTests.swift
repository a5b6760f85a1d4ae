import GongguCore
import GongguEvents
import GongguRuntime
import XCTest

/// `UpstreamMerge` and `UpstreamBasis` on their own: the order of release is a function of the
/// upstream logs, whatever the order and the batches in which their events were read.
final class UpstreamMergeTests: XCTestCase {
    func testTheBasisIsAddedAsTheLastFieldAndReadBack() {
        let stamped = UpstreamBasis.stamp(Array(#"{"a":1,"b":"x"}"#.utf8), [("verify", 7), ("intake", 12)])
        XCTAssertEqual(String(decoding: stamped, as: UTF8.self), #"{"a":1,"b":"x","basis":{"intake":12,"verify":7}}"#)
        XCTAssertEqual(UpstreamBasis.read(stamped), ["intake": 12, "verify": 7])
        XCTAssertEqual(String(decoding: UpstreamBasis.stamp(Array("{}".utf8), [("intake", 3)]), as: UTF8.self), #"{"basis":{"intake":3}}"#)
        // Stamped once only; a payload written before the field existed has none.
        XCTAssertEqual(UpstreamBasis.stamp(stamped, [("intake", 99)]), stamped)
        XCTAssertNil(UpstreamBasis.read(Array(#"{"a":1,"b":"x"}"#.utf8)))
        XCTAssertNil(UpstreamBasis.read(Array(#"{"note":"basis"}"#.utf8)))
    }

    /// A snapshot keeps the positions a replay of what was applied rebuilds, not what held events
    /// told: after a restart those are read again, perhaps after the other upstream's next events.
    func testASnapshotKeepsWhatWasAppliedNotWhatIsHeld() throws {
        // The verifier's findings derived at facts 2, 3 and 5.
        let verify = [2, 3, 5].enumerated().map { i, b in event("verify", seq: Int64(i + 1), payload: #"{"basis":{"intake":\#(b)}}"#) }
        func order(_ runs: [(stream: String, events: [Event])]) -> [String] {
            runs.flatMap { run in run.events.map { "\(run.stream)\($0.seq)" } }
        }
        var live = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        live.enqueue(Array(intake().prefix(2)), stream: "intake")
        live.enqueue(verify, stream: "verify")
        let runs = live.release()
        XCTAssertEqual(order(runs), ["intake1", "intake2", "verify1"], "verify 2 and 3 held for intake 3 and 5")
        var written = JSONWriter()
        live.writeSnapshot(to: &written)

        var replayed = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        for run in runs { for e in run.events { replayed.replayed(e, stream: run.stream) } }
        var expected = JSONWriter()
        replayed.writeSnapshot(to: &expected)
        XCTAssertEqual(written.string, expected.string)

        // Restored, then intake read again before the verifier: the order of a merge that never stopped.
        var restored = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        try restored.restore(snapshot: try JSONValue.parse(written.bytes))
        restored.enqueue(Array(intake().dropFirst(2)), stream: "intake")
        var after = order(restored.release())
        restored.enqueue(Array(verify.dropFirst()), stream: "verify")
        after += order(restored.release())
        // (Intake 6 waits until the verifier is known to have passed it.)
        XCTAssertEqual(after, ["intake3", "verify2", "intake4", "intake5", "verify3"])

        var other = UpstreamMerge(streams: ["intake"], follows: [:])
        XCTAssertThrowsError(try other.restore(snapshot: try JSONValue.parse(written.bytes)))
    }

    // Intake: facts 1…6. Verifier (follows intake): a finding derived at fact 2, its marker through 3,
    // a finding derived at fact 5, its marker through 6.
    private func intake() -> [Event] { (1...6).map { event("intake", seq: $0, payload: "{}") } }
    private func verify() -> [Event] {
        [
            event("verify", seq: 1, payload: #"{"f":1,"basis":{"intake":2}}"#),
            marker(seq: 2, through: 3),
            event("verify", seq: 3, payload: #"{"f":2,"basis":{"intake":5}}"#),
            marker(seq: 4, through: 6),
        ]
    }
    /// The order, markers left out: where a marker falls among the other upstream's events changes no
    /// state, and it waits for nothing.
    private let expected = ["intake1", "intake2", "verify1", "intake3", "intake4", "intake5", "verify3", "intake6"]

    private func event(_ stream: String, seq: Int64, payload: String) -> Event {
        var e = Event(
            id: EventID.derived("\(stream)|\(seq)"), type: "Fact", subject: "H", region: "22", occurredAt: 0,
            payload: Array(payload.utf8))
        e.seq = seq
        return e
    }

    private func marker(seq: Int64, through: Int64) -> Event {
        var e = Event(
            InputConsumed(stream: "intake", after: 0, through: through), id: EventID.derived("verify|m|\(seq)"),
            subject: "intake", region: "", occurredAt: 0)
        e.seq = seq
        return e
    }

    /// Feeds the two streams in `arrivals` (stream, how many) and releases after each; returns the order.
    private func merged(_ arrivals: [(String, Int)]) -> [String] {
        var merge = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        var pending = ["intake": intake()[...], "verify": verify()[...]]
        var order: [String] = []
        for (stream, n) in arrivals {
            let batch = pending[stream]!.prefix(n)
            pending[stream] = pending[stream]!.dropFirst(n)
            merge.enqueue(Array(batch), stream: stream)
            for run in merge.release() {
                order += run.events.filter { $0.type != InputConsumed.eventType }.map { "\(run.stream)\($0.seq)" }
            }
        }
        return order
    }

    func testTheOrderIsTheSameWhateverArrivedFirst() {
        XCTAssertEqual(merged([("intake", 6), ("verify", 4)]), expected, "verifier late")
        XCTAssertEqual(merged([("verify", 4), ("intake", 6)]), expected, "intake late")
        XCTAssertEqual(merged([("intake", 1), ("verify", 1), ("intake", 2), ("verify", 2), ("intake", 3), ("verify", 1)]), expected)
        XCTAssertEqual(merged([("verify", 1), ("intake", 4), ("verify", 3), ("intake", 2)]), expected)
    }

    func testIntakeWaitsUntilTheVerifierIsKnownToHavePassedIt() {
        // With nothing from the verifier, intake's first fact cannot go: a finding may be derived before it.
        XCTAssertEqual(merged([("intake", 6)]), [])
        let merge = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        var m = merge
        m.enqueue(intake(), stream: "intake")
        XCTAssertEqual(m.held.first?.waitingFor, ["verify"])
        XCTAssertEqual(m.applied("intake"), 0)
    }

    func testEventsWithoutBasisAndUnrelatedUpstreamsWaitForNothing() {
        // Upstreams configured as unrelated (`upstream.verify.follows: []`): as read, earlier-configured first.
        var merge = UpstreamMerge(streams: ["intake", "verify"], follows: [:])
        merge.enqueue(Array(verify().prefix(1)), stream: "verify")
        merge.enqueue(Array(intake().prefix(1)), stream: "intake")
        XCTAssertEqual(merge.release().map(\.stream), ["intake", "verify"])
        // An old verifier log (no basis): its findings wait for nothing, its markers still let intake go.
        var old = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        old.enqueue([event("verify", seq: 1, payload: #"{"f":1}"#), marker(seq: 2, through: 3)], stream: "verify")
        old.enqueue(intake(), stream: "intake")
        XCTAssertEqual(old.release().flatMap { r in r.events.map { "\(r.stream)\($0.seq)" } }, ["intake1", "intake2", "intake3", "verify1", "verify2"])
    }

    func testStartUpReplayRestoresWhatTheVerifierIsKnownToHavePassed() {
        // Replayed: intake 1…3 and the verifier's first two events; then intake 4 is read.
        var merge = UpstreamMerge(streams: ["intake", "verify"], follows: ["verify": ["intake"]])
        for e in intake().prefix(3) { merge.replayed(e, stream: "intake") }
        for e in verify().prefix(2) { merge.replayed(e, stream: "verify") }
        XCTAssertEqual(merge.appliedOrdinal("verify"), 1, "markers are not counted")
        merge.enqueue([intake()[3]], stream: "intake")
        XCTAssertTrue(merge.release().isEmpty, "the verifier has not passed fact 4 yet")
        merge.enqueue(Array(verify()[2...]), stream: "verify")
        XCTAssertEqual(merge.release().flatMap { r in r.events.map { "\(r.stream)\($0.seq)" } }, ["intake4"])
    }
}

import GongguCore
import XCTest

@testable import GongguNotify

/// The notifier follows two upstreams (risk monitor and benefit verifier) whose events reach it
/// interleaved as timing decides, and the risk monitor's own order of decisions depends on how its
/// upstreams were merged: the same events in another order must give the same notifications and the
/// same state digest (docs/RELIABILITY.md, "Crash test").
final class UpstreamInterleavingTests: XCTestCase {
    static let regions = ["220102001001", "220182100200", "220102005006"]

    /// The directory, and each upstream's events in its own order.
    private func streams() -> (directory: Event, risk: [Event], verify: [Event]) {
        var s = Script()
        let directory = s.directory(directoryDocument(afterDays: 3))
        var risk: [Event] = []
        var verify: [Event] = []
        let riskTypes = ["RiskFeedback", "RecommendationOverdue", "MonitoringWithoutAssistance"]
        let verifyTypes = ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved"]
        // A household lives in one region; households are shared by both upstreams.
        func region(_ h: Int) -> String { Self.regions[h % Self.regions.count] }
        for i in 0..<12 {
            let (h, k) = (i % 5, i % 4)
            risk.append(
                s.upstream(riskTypes[i % riskTypes.count], household: "H-\(h)", region: region(h), day: day0 + i))
            verify.append(
                s.upstream(verifyTypes[i % verifyTypes.count], household: "H-\(k)", region: region(k), day: day0 + i))
        }
        return (directory, risk, verify)
    }

    /// Merges two streams keeping each one's order: `pattern[i]` true takes the next verify event.
    private func merge(_ risk: [Event], _ verify: [Event], verifyFirst: (Int) -> Bool) -> [Event] {
        var out: [Event] = []
        var (i, j) = (0, 0)
        while i < risk.count || j < verify.count {
            if j < verify.count && (i == risk.count || verifyFirst(i + j)) {
                out.append(verify[j])
                j += 1
            } else {
                out.append(risk[i])
                i += 1
            }
        }
        return out
    }

    private func outputSet(_ outputs: [Event]) -> [EventID: [UInt8]] {
        Dictionary(outputs.map { ($0.id, $0.payload) }, uniquingKeysWith: { a, _ in a })
    }

    func testTheMergeOfRiskAndVerifyDoesNotChangeNotificationsOrDigest() {
        let (directory, risk, verify) = streams()
        var late = Script()
        // A tick well after everything: every notification is overdue and escalates in one sweep,
        // which visits them in arrival order.
        let tick = late.tick(day0 + 30)
        let merges: [(String, [Event])] = [
            ("risk, then verify", risk + verify),
            ("verify, then risk", verify + risk),
            ("alternating", merge(risk, verify) { $0 % 2 == 0 }),
            ("verify in bursts", merge(risk, verify) { $0 % 5 < 3 }),
            // The risk monitor decided about two households in the other order (its upstreams merged
            // differently): same decisions, another order in its log.
            ("risk's order changed", [risk[1], risk[0]] + risk[2...] + verify),
        ]
        let reference = runFold([directory] + merges[0].1 + [tick])
        XCTAssertGreaterThanOrEqual(
            created(reference.outputs).count, risk.count + verify.count, "every event is routed")
        XCTAssertFalse(escalations(reference.outputs).isEmpty, "the tick escalates")
        for (name, events) in merges.dropFirst() {
            let run = runFold([directory] + events + [tick])
            XCTAssertEqual(outputSet(run.outputs), outputSet(reference.outputs), name)
            XCTAssertEqual(run.fold.stateDigest(), reference.fold.stateDigest(), name)
        }
    }

    /// What the digest leaves out is only the arrival order: an acknowledgement still changes it.
    func testTheDigestStillCoversWhatHappenedToNotifications() {
        let (directory, risk, verify) = streams()
        let run = runFold([directory] + risk + verify)
        let first = created(run.outputs)[0]
        var ack = Script()
        ack.acknowledged(first.notificationID, by: first.recipient, day: day0 + 20)
        let acknowledged = runFold([directory] + risk + verify + ack.events)
        XCTAssertNotEqual(acknowledged.fold.stateDigest(), run.fold.stateDigest())
    }
}

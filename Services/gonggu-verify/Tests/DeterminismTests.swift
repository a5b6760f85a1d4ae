import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// Replay and restart: the same events give the same outputs (ids and bytes) and the same digest.
final class DeterminismTests: XCTestCase {
    static let events = syntheticEvents(households: 150)

    static func fold(_ events: ArraySlice<Event>, into fold: inout VerifyFold) -> [Event] {
        var out: [Event] = []
        for e in events { out += fold.apply(e) }
        return out
    }

    func testScenarioProducesEveryKindOfFinding() {
        var f = VerifyFold()
        let out = Self.fold(Self.events[...], into: &f)
        let types = Set(out.map(\.type))
        for t in [EntitlementGap.eventType, AssistanceDiscontinued.eventType, PaymentAnomaly.eventType,
                  FindingResolved.eventType] {
            XCTAssertTrue(types.contains(t), "scenario lacks \(t)")
        }
    }

    func testSameEventsSameOutputsAndDigest() {
        var a = VerifyFold(), b = VerifyFold()
        let oa = Self.fold(Self.events[...], into: &a)
        let ob = Self.fold(Self.events[...], into: &b)
        XCTAssertEqual(oa, ob)
        XCTAssertEqual(a.stateDigest(), b.stateDigest())
        XCTAssertFalse(oa.isEmpty)
        // Ids are unique, and no finding id is raised twice.
        XCTAssertEqual(Set(oa.map(\.id)).count, oa.count)
        let raisedIDs = oa.filter { $0.type != FindingResolved.eventType }.map { Self.findingID($0) }
        XCTAssertEqual(Set(raisedIDs).count, raisedIDs.count)
        let resolvedIDs = oa.filter { $0.type == FindingResolved.eventType }.map { Self.findingID($0) }
        XCTAssertEqual(Set(resolvedIDs).count, resolvedIDs.count)
        XCTAssertTrue(Set(resolvedIDs).isSubset(of: Set(raisedIDs)))
    }

    /// Rebuild from the first k events (outputs already logged are discarded), then continue: the
    /// continuation equals the tail of the single run, for several k.
    func testRestartAtAnyPoint() {
        var whole = VerifyFold()
        let all = Self.events
        var outputsByInput: [[Event]] = []
        for e in all { outputsByInput.append(whole.apply(e)) }
        let digest = whole.stateDigest()
        for k in [0, 1, all.count / 7, all.count / 3, all.count / 2, all.count - 1, all.count] {
            var first = VerifyFold()
            let head = Self.fold(all[..<k], into: &first)
            XCTAssertEqual(head, Array(outputsByInput[..<k].joined()), "k=\(k)")
            var rebuilt = VerifyFold()
            _ = Self.fold(all[..<k], into: &rebuilt)
            XCTAssertEqual(rebuilt.stateDigest(), first.stateDigest(), "k=\(k)")
            let tail = Self.fold(all[k...], into: &rebuilt)
            XCTAssertEqual(tail, Array(outputsByInput[k...].joined()), "k=\(k)")
            XCTAssertEqual(rebuilt.stateDigest(), digest, "k=\(k)")
            let ids = (head + tail).filter { $0.type != FindingResolved.eventType }.map { Self.findingID($0) }
            XCTAssertEqual(Set(ids).count, ids.count, "k=\(k): a finding raised twice")
        }
    }

    /// The digest changes with the state (it is not a constant).
    func testDigestTracksState() {
        var f = VerifyFold()
        let d0 = f.stateDigest()
        _ = f.apply(Self.events[0])
        XCTAssertNotEqual(f.stateDigest(), d0)
        XCTAssertEqual(VerifyFold().stateDigest(), d0)
    }

    static func findingID(_ e: Event) -> String {
        (try? JSONValue.parse(e.payload))?["findingID"]?.stringValue ?? ""
    }
}

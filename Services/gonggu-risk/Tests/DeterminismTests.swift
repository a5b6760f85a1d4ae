import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Replay and determinism (docs/ARCHITECTURE.md): same events in, same outputs and digest; a restart (rebuild from
/// the first k inputs, then continue) gives exactly the outputs of one uninterrupted fold.
final class DeterminismTests: XCTestCase {
    static let events = SyntheticProvince.events(households: 150)

    func testSameEventsSameOutputsAndDigest() {
        let a = Run(Self.events)
        let b = Run(Self.events)
        XCTAssertEqual(a.outputs, b.outputs)
        XCTAssertEqual(a.fold.stateDigest(), b.fold.stateDigest())
        // The stream exercises every decision type.
        for type in [
            RiskAssessed.eventType, MonitoringRecommended.eventType, RiskFeedback.eventType,
            RiskEliminationRecommended.eventType, RecommendationOverdue.eventType,
            MonitoringWithoutAssistance.eventType,
        ] {
            XCTAssertFalse(a.of(type).isEmpty, "no \(type) in the synthetic stream")
        }
        XCTAssertEqual(Set(a.outputs.map(\.id)).count, a.outputs.count, "output ids are unique")
        // Every output decodes back to its payload (round trip of the wire form).
        for e in a.outputs {
            switch e.type {
            case RiskAssessed.eventType: XCTAssertNoThrow(try e.decode(RiskAssessed.self))
            case MonitoringRecommended.eventType: XCTAssertNoThrow(try e.decode(MonitoringRecommended.self))
            case RiskEliminationRecommended.eventType: XCTAssertNoThrow(try e.decode(RiskEliminationRecommended.self))
            case RiskFeedback.eventType: XCTAssertNoThrow(try e.decode(RiskFeedback.self))
            case RecommendationOverdue.eventType: XCTAssertNoThrow(try e.decode(RecommendationOverdue.self))
            case MonitoringWithoutAssistance.eventType: XCTAssertNoThrow(try e.decode(MonitoringWithoutAssistance.self))
            default: XCTFail("unexpected output \(e.type)")
            }
        }
    }

    func testRestartGivesTheSameOutputsWithoutDuplicates() {
        let whole = Run(Self.events)
        for k in [1, Self.events.count / 2 + 7, Self.events.count - 1] {
            // Before the restart: the outputs of the first k inputs were committed.
            let first = Run(Array(Self.events[..<k]))
            // Restart: rebuild the fold from the first k inputs (outputs discarded, already in the log), continue.
            var rebuilt = Run(Array(Self.events[..<k]))
            rebuilt.outputs = []
            for e in Self.events[k...] { rebuilt.outputs += rebuilt.fold.apply(e) }
            XCTAssertEqual(first.outputs + rebuilt.outputs, whole.outputs, "k = \(k)")
            XCTAssertEqual(rebuilt.fold.stateDigest(), whole.fold.stateDigest(), "k = \(k)")
        }
    }

    func testOwnOutputsFedBackAreIgnored() {
        var run = Run(Self.events)
        let digest = run.fold.stateDigest()
        for e in run.outputs.prefix(200) { XCTAssertEqual(run.fold.apply(e), []) }
        XCTAssertEqual(run.fold.stateDigest(), digest)
    }

    func testDigestDiffersWhenStateDiffers() {
        let a = Run(Self.events)
        let b = Run(Array(Self.events.dropLast(50)))
        XCTAssertNotEqual(a.fold.stateDigest(), b.fold.stateDigest())
    }

    func testCountsAndViewsArePure() {
        let run = Run(Self.events)
        let all = run.fold.counts(regionPrefix: "")
        let perCounty = SyntheticProvince.counties.map { run.fold.counts(regionPrefix: $0) }
        XCTAssertEqual(all.households, run.fold.householdCount)
        XCTAssertEqual(perCounty.map(\.households).reduce(0, +), all.households)
        XCTAssertEqual(perCounty.map(\.monitored).reduce(0, +), all.monitored)
        XCTAssertEqual(perCounty.map(\.newlyIncluded).reduce(0, +), all.newlyIncluded)
        XCTAssertEqual(all.byLevel.reduce(0, +), all.households)
        XCTAssertGreaterThan(all.newlyIncluded, 0)
        XCTAssertGreaterThan(all.eliminated, 0)
        let year = run.fold.counts(regionPrefix: "22", from: "2023-01-01", to: "2023-12-31")
        XCTAssertLessThanOrEqual(year.newlyIncluded, all.newlyIncluded)
        XCTAssertEqual(run.fold.stateDigest(), Run(Self.events).fold.stateDigest(), "queries do not change state")
        XCTAssertNil(run.fold.view(household: "nobody"))
        let view = run.fold.view(household: "HH1")!
        XCTAssertLessThanOrEqual(view.recentDecisions.count, 5)
        XCTAssertEqual(view.region.count, 12)
    }
}

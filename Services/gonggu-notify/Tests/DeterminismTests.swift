import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

final class DeterminismTests: XCTestCase {
    /// A busy month: four counties, findings and feedback, deliveries, acknowledgements (some by the
    /// wrong recipient, some twice), daily ticks, a directory change revoking a bureau, decisions.
    private func scenario(seed: UInt64 = 42) -> [Event] {
        var rng = seed
        func next(_ n: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(n))
        }
        let regions = ["220102001001", "220182100200", "222401003004", "220103005006"]
        let types = ["RiskFeedback", "EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved",
                     "RecommendationOverdue", "MonitoringWithoutAssistance"]
        var s = Script()
        s.directory(directoryDocument(afterDays: 3))
        var fold = NotifyFold()
        for e in s.events { _ = fold.apply(e) }
        var mark = s.events.count
        for d in 0..<30 {
            let day = day0 + d
            s.tick(day)
            for _ in 0..<6 {
                let h = "H-\(next(40))"
                s.upstream(types[next(types.count)], household: h, region: regions[next(regions.count)], day: day,
                           title: "标题\(h)", summary: "内容,\"\(h)\"\n第二行")
            }
            if d == 10 {
                var recipients = standardRecipients
                recipients[3].revoked = true
                s.directory(directoryDocument(recipients, afterDays: 3), day: day)
            }
            // Apply what was added so far to learn the ids the recipients act on.
            var created: [NotificationCreated] = []
            for e in s.events[mark...] { created += GongguNotifyTests.created(fold.apply(e)) }
            mark = s.events.count
            for n in created {
                switch next(6) {
                case 0: break
                case 1: s.delivered(n.notificationID, to: n.recipient, day: day)
                case 2:
                    s.delivered(n.notificationID, to: n.recipient, day: day)
                    s.acknowledged(n.notificationID, by: n.recipient, day: day + next(3))
                case 3: s.acknowledged(n.notificationID, by: "220102-bureau", day: day)
                case 4:
                    s.acknowledged(n.notificationID, by: n.recipient, day: day)
                    s.acknowledged(n.notificationID, by: n.recipient, day: day)
                default:
                    if n.recipient.hasSuffix("-bureau") {
                        s.decision(
                            BureauDecisionSubmitted(
                                recipient: n.recipient, inReplyTo: n.notificationID, decision: .measureTaken,
                                date: BusinessCalendar.dateText(ofDay: day), householdID: n.householdID,
                                measure: "产业帮扶"), day: day)
                    }
                }
            }
            for e in s.events[mark...] { _ = fold.apply(e) }
            mark = s.events.count
        }
        return s.events
    }

    func testSameInputsSameOutputsAndDigest() {
        let events = scenario()
        let a = runFold(events), b = runFold(events)
        XCTAssertEqual(a.outputs, b.outputs)
        XCTAssertEqual(a.fold.stateDigest(), b.fold.stateDigest())
        // The scenario exercises every path.
        let types = Set(a.outputs.map(\.type))
        XCTAssertEqual(types, [NotificationCreated.eventType, NotificationEscalated.eventType,
                               DecisionForwarded.eventType, DecisionRefused.eventType])
        XCTAssertGreaterThan(a.fold.anomalies.foreignAcknowledgements, 0)
        XCTAssertGreaterThan(a.fold.anomalies.duplicateAcknowledgements, 0)
        XCTAssertGreaterThan(a.fold.counts(regionPrefix: "").escalated, 0)
        // Output ids are unique.
        XCTAssertEqual(Set(a.outputs.map(\.id)).count, a.outputs.count)
    }

    /// Restart at any point: rebuild by replaying the prefix (outputs discarded, recordedAt now set
    /// as read back from the log), then continue live: same outputs after the split, same digest.
    func testSplitFoldRestartEquality() {
        let events = scenario(seed: 7)
        let full = runFold(events)
        var outputsAfter: [Int: [Event]] = [:]
        var reference = NotifyFold()
        var acc: [Event] = []
        for (i, e) in events.enumerated() {
            outputsAfter[i] = []
            acc = reference.apply(e)
            outputsAfter[i] = acc
        }
        for split in [0, 1, events.count / 3, events.count / 2, events.count - 1] {
            var rebuilt = NotifyFold()
            for (i, var e) in events[..<split].enumerated() {
                e.seq = Int64(i + 1)
                e.recordedAt = 1_900_000_000_000 + Int64(i)
                _ = rebuilt.apply(e)
            }
            var continued: [Event] = []
            for e in events[split...] { continued += rebuilt.apply(e) }
            let expected = (split..<events.count).flatMap { outputsAfter[$0]! }
            XCTAssertEqual(continued, expected, "split at \(split)")
            XCTAssertEqual(rebuilt.stateDigest(), full.fold.stateDigest(), "split at \(split)")
        }
    }

    /// The digest and the snapshot of a known scenario, pinned: the digest is compared across builds
    /// (a follower's, a replay's) and snapshots are read by later builds, so neither form may change by
    /// accident (e.g. when the two walks over the state share code).
    func testTheDigestAndSnapshotOfAKnownScenarioStayTheSame() throws {
        let fold = runFold(scenario(seed: 7)).fold
        XCTAssertEqual(fold.stateDigest(), "5ffc6cd907c0264da644d7bea27644e2a7431aa3b4dbf7e67fbd097ea1207904")
        var w = JSONWriter()
        fold.writeSnapshot(to: &w)
        XCTAssertEqual(SHA256.hash(w.bytes).hexString, "1730726e031f0baf52b183b758eb86bb93a2cd9ce8646036187dbc744b771083")
        let restored = try JSONReader.read(w.bytes) { try NotifyFold(snapshot: &$0) }
        XCTAssertEqual(restored.stateDigest(), fold.stateDigest())
    }

    func testDigestSeesEveryChange() {
        var s = Script()
        s.directory()
        s.upstream("RiskFeedback", household: "H-A", region: "220102001001", day: day0)
        let base = runFold(s.events)
        let id = created(base.outputs).first!.notificationID
        let recipient = created(base.outputs).first!.recipient
        var variants: [String] = [base.fold.stateDigest()]
        for extra in 0..<4 {
            var t = s
            switch extra {
            case 0: t.delivered(id, to: recipient, day: day0)
            case 1: t.acknowledged(id, by: recipient, day: day0)
            case 2: t.tick(day0 + 1)
            default: t.upstream("EntitlementGap", household: "H-A", region: "220102001001", day: day0)
            }
            variants.append(runFold(t.events).fold.stateDigest())
        }
        XCTAssertEqual(Set(variants).count, variants.count)
    }

    func testStateStaysCompact() {
        let events = scenario(seed: 3)
        let fold = runFold(events).fold
        let counts = fold.notificationCount
        // Acknowledged notifications keep no texts or source payload.
        XCTAssertEqual(fold.table.rows.filter { $0.open != nil }.count, counts.open)
        XCTAssertEqual(fold.table.rows.filter { $0.isClosed == ($0.open != nil) }.count, 0)
        let acknowledged = fold.counts(regionPrefix: "").acknowledged
        XCTAssertGreaterThan(acknowledged, 0)
        XCTAssertEqual(counts.total - counts.open, acknowledged)
    }
}

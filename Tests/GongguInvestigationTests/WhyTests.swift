import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import XCTest

/// `why` over the province: every decision, finding and notification type reaches a source record (an
/// intake fact with its file and line), across the logs, with the rule version in force.
final class WhyTests: ProvinceTestCase {
    /// Every type a service decides, with the service whose log holds it.
    static let decisionTypes: [(service: String, type: String)] = [
        ("risk", "RiskAssessed"), ("risk", "MonitoringRecommended"), ("risk", "RiskFeedback"),
        ("risk", "RiskEliminationRecommended"), ("risk", "RecommendationOverdue"),
        ("risk", "MonitoringWithoutAssistance"),
        ("verify", "EntitlementGap"), ("verify", "AssistanceDiscontinued"), ("verify", "PaymentAnomaly"),
        ("verify", "FindingResolved"), ("notify", "NotificationCreated"), ("notify", "NotificationEscalated"),
    ]

    /// Up to `n` events spread over the list (first, last and between).
    func sample(_ events: [Event], _ n: Int) -> [Event] {
        guard events.count > n else { return events }
        return (0..<n).map { events[$0 * (events.count - 1) / (n - 1)] }
    }

    func testEveryDecisionTypeReachesASourceRecord() throws {
        let p = try province()
        let logs = try p.openLogs()
        for (service, type) in Self.decisionTypes {
            let events = try p.events(service).filter { $0.type == type }
            XCTAssertFalse(events.isEmpty, "the province produced no \(type): the table would not test it")
            for e in sample(events, 6) {
                let report = try Why.explain(e.id, logs: logs)
                let asked = try XCTUnwrap(report.links.first)
                XCTAssertEqual(asked.located?.event.id, e.id)
                XCTAssertEqual(asked.located?.source.stream, service)
                XCTAssertEqual(asked.located?.event.seq, e.seq)
                XCTAssertFalse(report.sources.isEmpty, "\(type) \(e.id) reaches no source record")
                for s in report.sources {
                    XCTAssertEqual(s.located?.source.stream, "intake", "\(type): a source record is an intake fact")
                    XCTAssertGreaterThan(s.sourceLine ?? 0, 1, "\(type): source records carry their line")
                }
                for link in report.links {
                    guard let at = link.located else { continue }
                    XCTAssertGreaterThan(at.event.seq, 0)
                    XCTAssertTrue(at.source.name.hasSuffix(".log.sqlite"), at.source.name)
                }
                if let version = asked.ruleVersion {
                    let rules = try XCTUnwrap(asked.rules, "\(type) names rule version \(version)")
                    XCTAssertEqual(rules.version, version)
                    XCTAssertTrue(rules.builtIn || rules.activation != nil, "\(type): version \(version) not found")
                }
                // Every evidence id of a link is followed and found.
                for link in report.links where !link.repeated && !link.evidence.isEmpty {
                    let followed = Set(
                        report.links.filter { $0.role == .evidence && $0.located != nil }.map(\.id.description))
                    XCTAssertTrue(Set(link.evidence).isSubset(of: followed), "\(type): evidence not followed")
                }
            }
        }
    }

    func testNotificationChainCrossesTheLogs() throws {
        let p = try province()
        let logs = try p.openLogs()
        let notifications = try p.events("notify").filter { $0.type == "NotificationCreated" }
        let aboutRisk = try XCTUnwrap(
            notifications.first { $0.payloadText.contains("\"sourceType\":\"RiskFeedback\"") })
        let report = try Why.explain(aboutRisk.id, logs: logs)
        let streams = report.links.compactMap { $0.located?.source.stream }
        XCTAssertEqual(streams.first, "notify")
        XCTAssertTrue(Set(streams).isSuperset(of: ["notify", "risk", "intake"]), "\(streams)")
        // The chain runs notify → risk → intake in that order along the causation links.
        let causes = report.links.filter { $0.role == .cause }.compactMap { $0.located?.source.stream }
        XCTAssertEqual(causes.first, "risk")
        let aboutFinding = try XCTUnwrap(
            notifications.first { $0.payloadText.contains("\"sourceType\":\"EntitlementGap\"") })
        let findingStreams = try Why.explain(aboutFinding.id, logs: logs).links.compactMap { $0.located?.source.stream }
        XCTAssertTrue(Set(findingStreams).isSuperset(of: ["notify", "verify", "intake"]), "\(findingStreams)")
    }

    func testRuleVersionActivatedByEventIsNamed() throws {
        let p = try province()
        let logs = try p.openLogs()
        let risk = try p.events("risk")
        let activation = try XCTUnwrap(risk.first { $0.type == "RulesActivated" })
        let later = try XCTUnwrap(
            risk.first {
                $0.seq > activation.seq && $0.payloadText.contains("\"ruleVersion\":\"\(ProvinceFixture.ruleVersion)\"")
            },
            "a decision under the activated version")
        let rules = try XCTUnwrap(try Why.explain(later.id, logs: logs).links.first?.rules)
        XCTAssertEqual(rules.version, ProvinceFixture.ruleVersion)
        XCTAssertFalse(rules.builtIn)
        XCTAssertEqual(rules.activation?.event.id, activation.id)
        XCTAssertEqual(rules.activation?.event.seq, activation.seq)
        XCTAssertEqual(rules.effectiveFrom?.count, 10)
        let earlier = try XCTUnwrap(risk.first { $0.payloadText.contains("\"ruleVersion\":\"2025.1\"") })
        let builtIn = try XCTUnwrap(try Why.explain(earlier.id, logs: logs).links.first?.rules)
        XCTAssertTrue(builtIn.builtIn)
        XCTAssertNil(builtIn.activation)
    }

    func testUnknownEventIsReported() throws {
        let logs = try province().openLogs()
        XCTAssertThrowsError(try Why.explain(EventID.derived("nothing"), logs: logs)) {
            XCTAssertEqual($0 as? InvestigationError, .eventNotFound(EventID.derived("nothing").description))
        }
    }

    func testCommandPrintsEveryLinkWithLogAndSeq() throws {
        let p = try province()
        let decision = try XCTUnwrap(try p.events("risk").first { $0.type == "MonitoringRecommended" })
        let (status, output) = try ProvinceFixture.gonggu([
            "why", decision.id.description, "--logs", p.launcher.dataDirectory,
        ])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("risk.log.sqlite seq \(decision.seq)"), output)
        XCTAssertTrue(output.contains("intake.log.sqlite seq "), output)
        XCTAssertTrue(output.contains("源记录 source record: "), output)
        XCTAssertTrue(output.contains("生效规则 rules in force: risk "), output)
        XCTAssertFalse(Self.containsWholeResidentID(output), "IDs are masked by default")
        let (jsonStatus, json) = try ProvinceFixture.gonggu([
            "why", decision.id.description, p.launcher.dataDirectory, "--json",
        ])
        XCTAssertEqual(jsonStatus, 0, json)
        let parsed = try JSONValue.parse(json)
        XCTAssertFalse((parsed["sourceRecords"]?.arrayValue ?? []).isEmpty)
        let (missing, _) = try ProvinceFixture.gonggu([
            "why", EventID.derived("x").description, p.launcher.dataDirectory,
        ])
        XCTAssertEqual(missing, 66)
    }

    /// Whether `text` holds an 18-character resident ID number standing alone.
    static func containsWholeResidentID(_ text: String) -> Bool { wholeResidentID(in: text) != nil }

    /// The first whole resident ID number in `text` with a little context, for failure messages.
    static func wholeResidentID(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            var j = i
            while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == "X" { j += 1 }
            if j > i {
                let run = String(String.UnicodeScalarView(scalars[i..<j]))
                // Standing alone: a run inside a word (a hex event id) is not an ID number.
                func isLetter(_ k: Int) -> Bool {
                    k >= 0 && k < scalars.count && (("a"..."z").contains(scalars[k]) || ("A"..."Z").contains(scalars[k]))
                }
                if SubjectResolution.looksLikeResidentID(run), !isLetter(i - 1), !isLetter(j) {
                    let lo = max(0, i - 40)
                    let hi = min(scalars.count, j + 10)
                    return String(String.UnicodeScalarView(scalars[lo..<hi]))
                }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguNotify
import GongguRisk
import GongguVerify
import XCTest

/// `asof` over the province: the state rebuilt at each checkpoint is the state the running service
/// reported then (equal fold digests), and the household views agree with counts taken from the raw
/// events recorded by that instant.
final class AsOfTests: ProvinceTestCase {
    func testRebuiltStatesEqualTheServicesDigestsAtEveryCheckpoint() throws {
        let p = try province()
        let logs = try p.openLogs()
        XCTAssertEqual(p.checkpoints.count, 21, "seven checkpoints of three services")
        for cp in p.checkpoints {
            let state = try AsOf.rebuild(at: cp.instant, logs: logs, services: [cp.service])
            let rebuilt = try XCTUnwrap(state.rebuilds.first { $0.service == cp.service })
            XCTAssertEqual(rebuilt.lastSeq, cp.lastSeq, "\(cp.label) \(cp.service): replayed through the same seq")
            XCTAssertEqual(rebuilt.stateDigest, cp.digest, "\(cp.label) \(cp.service): same state as the service")
        }
        // The states differ between checkpoints (the test would not notice a rebuild that ignores the instant).
        let riskDigests = p.checkpoints.filter { $0.service == "risk" }.map(\.digest)
        XCTAssertGreaterThan(Set(riskDigests).count, 3)
    }

    /// Households with findings, recommendations and notifications.
    func sampleHouseholds(_ p: ProvinceFixture) throws -> [String] {
        var picked: [String] = []
        for type in ["EntitlementGap", "FindingResolved", "AssistanceDiscontinued", "PaymentAnomaly"] {
            picked += try p.events("verify").filter { $0.type == type }.prefix(4).map(\.subject)
        }
        for type in ["MonitoringRecommended", "RecommendationOverdue", "RiskEliminationRecommended"] {
            picked += try p.events("risk").filter { $0.type == type }.prefix(4).map(\.subject)
        }
        picked += try p.events("intake").filter { $0.type == "MemberRecorded" }.prefix(4).map(\.subject)
        var seen = Set<String>()
        return picked.filter { seen.insert($0).inserted }
    }

    func testHouseholdViewsMatchTheRawEventsAtSeveralInstants() throws {
        let p = try province()
        let logs = try p.openLogs()
        let intake = try p.events("intake")
        let verify = try p.events("verify")
        let risk = try p.events("risk")
        let notify = try p.events("notify")
        let households = try sampleHouseholds(p)
        XCTAssertGreaterThan(households.count, 10)
        // One instant per checkpoint label: when the last of the three services reached it.
        var instants: [String: Timestamp] = [:]
        for cp in p.checkpoints { instants[cp.label] = max(instants[cp.label] ?? 0, cp.instant) }
        var compared = 0
        for (label, t) in instants.sorted(by: { $0.value < $1.value }) {
            let state = try AsOf.rebuild(at: t, logs: logs)
            for h in households {
                let report = try state.report(subject: h)
                let view = try XCTUnwrap(report.households.first)
                XCTAssertEqual(view.householdID, h)
                let known = intake.filter { $0.subject == h && $0.recordedAt <= t }
                if known.isEmpty {
                    XCTAssertNil(view.risk, "\(label): unknown before its facts")
                    continue
                }
                compared += 1
                // Open findings = raised − resolved, by finding id, among verifier events recorded by t.
                var open = Set<String>()
                for e in verify where e.subject == h && e.recordedAt <= t {
                    let id = try JSONValue.parse(e.payload)["findingID"]?.stringValue ?? ""
                    if e.type == "EntitlementGap" || e.type == "AssistanceDiscontinued" { open.insert(id) }
                    if e.type == "FindingResolved" { open.remove(id) }
                }
                XCTAssertEqual(
                    Set(view.verify?.openFindings.map(\.findingID) ?? []), open, "\(label) \(h): open findings")
                // Risk level = the last assessment recorded by t.
                let lastAssessment = risk.last { $0.subject == h && $0.type == "RiskAssessed" && $0.recordedAt <= t }
                let level =
                    try lastAssessment.map { try JSONValue.parse($0.payload)["level"]?.stringValue ?? "" } ?? "none"
                XCTAssertEqual(view.risk?.level.key, level, "\(label) \(h): risk level")
                // Open recommendations = recommendations not yet answered: none are answered here.
                let recommendations = risk.filter {
                    $0.subject == h && $0.recordedAt <= t
                        && ($0.type == "MonitoringRecommended" || $0.type == "RiskEliminationRecommended")
                }
                XCTAssertEqual(view.risk?.openRecommendations.count ?? 0, recommendations.count, "\(label) \(h)")
                // Members = every person the membership facts name; cards = persons surveyed.
                let members = Set(
                    try known.filter { $0.type == "DisabilityRecorded" || $0.type == "MemberRecorded" }
                        .map { try JSONValue.parse($0.payload)["personID"]?.stringValue ?? "" })
                XCTAssertEqual(Set(view.members.map(\.personID)), members, "\(label) \(h): members")
                let surveyed = Set(
                    try known.filter { $0.type == "DisabilityRecorded" }
                        .map { try JSONValue.parse($0.payload)["personID"]?.stringValue ?? "" })
                XCTAssertEqual(Set(view.cards.map(\.personID)), surveyed, "\(label) \(h): cards")
                // Notifications = those created by t; acknowledged ones are those whose acknowledgement was recorded.
                let created = notify.filter {
                    $0.subject == h && $0.type == "NotificationCreated" && $0.recordedAt <= t
                }
                XCTAssertEqual(view.notifications.count, created.count, "\(label) \(h): notifications")
                // Deliveries are entries of the recipient's NotificationReceipts events.
                let deliveredIDs = Set(
                    try notify.filter { $0.type == "NotificationReceipts" && $0.recordedAt <= t }
                        .flatMap { try JSONValue.parse($0.payload)["entries"]?.arrayValue ?? [] }
                        .filter { $0["kind"]?.stringValue == "delivered" }
                        .map { $0["notificationID"]?.stringValue ?? "" })
                for n in view.notifications {
                    XCTAssertEqual(
                        n.deliveries > 0, deliveredIDs.contains(n.notificationID), "\(label) \(h): delivered")
                }
            }
        }
        XCTAssertGreaterThan(compared, 40)
    }

    func testResidentIDAndCommandOutput() throws {
        let p = try province()
        let fact = try XCTUnwrap(try p.events("intake").first { $0.type == "DisabilityRecorded" })
        let person = try XCTUnwrap(try JSONValue.parse(fact.payload)["personID"]?.stringValue)
        let last = try XCTUnwrap(p.checkpoints.last)
        let report = try AsOf.report(subject: person, at: last.instant, logs: try p.openLogs())
        XCTAssertTrue(report.subject.isPerson)
        XCTAssertEqual(report.households.map(\.householdID), [fact.subject])
        XCTAssertTrue(report.households[0].members.contains { $0.personID == person })

        let date = InstantText.format(last.instant)
        let (status, text) = try ProvinceFixture.gonggu(["asof", date, "--subject", person, p.launcher.dataDirectory])
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("户 household \(fact.subject)"), text)
        XCTAssertTrue(text.contains("风险 risk:"), text)
        XCTAssertTrue(text.contains("残疾证 cards:"), text)
        XCTAssertTrue(text.contains("未结核查发现 open findings"), text)
        XCTAssertNil(WhyTests.wholeResidentID(in: text), "masked by default")
        let (jsonStatus, json) = try ProvinceFixture.gonggu([
            "asof", date, "--subject", fact.subject, "--logs", p.launcher.dataDirectory, "--json",
        ])
        XCTAssertEqual(jsonStatus, 0, json)
        let v = try JSONValue.parse(json)
        XCTAssertEqual(v["households"]?.arrayValue?.first?["householdID"]?.stringValue, fact.subject)
        XCTAssertEqual(v["rebuilt"]?.arrayValue?.count, 3)
        let (before, _) = try ProvinceFixture.gonggu([
            "asof", InstantText.format(p.beforeAll), "--subject", "HH-NOBODY", p.launcher.dataDirectory,
        ])
        XCTAssertEqual(before, 0, "an unknown household is shown as unknown, not an error")
    }
}

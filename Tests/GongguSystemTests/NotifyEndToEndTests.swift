import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguRuntime
import GongguHarness
import GongguServices
import GongguTransport
import XCTest

/// The notifier with real processes: routing by county, re-delivery of what was not
/// acknowledged, refusal of unknown keys, escalation after the configured time, and decisions back.
final class NotifyEndToEndTests: PipelineTestCase {
    static let bureauTypes = ["RiskFeedback", "RecommendationOverdue"]

    func recipients() -> [PipelineLauncher.Recipient] {
        [
            .init(id: "22-bureau", name: "吉林省乡村振兴局", kind: "bureau", level: "province", region: "22", types: ["RecommendationOverdue"]),
            .init(id: "2201-bureau", name: "长春市乡村振兴局", kind: "bureau", level: "city", region: "2201", types: ["RecommendationOverdue"], escalateTo: "22-bureau"),
            .init(id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102", types: Self.bureauTypes, escalateTo: "2201-bureau"),
            .init(id: "222401-bureau", name: "延吉市乡村振兴局", kind: "bureau", level: "county", region: "222401", types: Self.bureauTypes, escalateTo: "22-bureau"),
        ]
    }

    func client(_ id: String) throws -> RecipientClient {
        try RecipientClient(keyFile: launcher.keyFile(id), serverPublicKeyFile: launcher.publicKeyFile("notify"), endpoint: launcher.recipientEndpoint)
    }

    /// Survey and subsidy fixtures + a tick: the verifier finds nursing-subsidy gaps in HH001 (220102…) and HH004
    /// (222401…), the risk monitor recommends monitoring for both and sends feedback to each county.
    func startWithFeedback() throws {
        let l = try makeLauncher(recipients: recipients())
        try l.startAll()
        let (status, out) = try importFile(fixture("survey_utf8.csv"), kind: "survey")
        XCTAssertEqual(status, 0, out)
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        // Ticks are taken after everything known so far has been folded.
        try l.waitIdle(timeout: 60)
        tick("2025-12-31", services: ["verify", "risk"])
        try l.waitIdle(timeout: 60)
    }

    func testEachCountyGetsOnlyItsOwnFeedbackAndUnacknowledgedOnesComeBack() throws {
        try startWithFeedback()
        let a = try client("220102-bureau")
        let firstA = try a.collect()
        XCTAssertFalse(firstA.isEmpty, "the 南关区 bureau receives feedback")
        XCTAssertTrue(firstA.allSatisfy { ($0["region"]?.stringValue ?? "").hasPrefix("220102") }, "only its county")
        XCTAssertTrue(firstA.contains { $0["household"]?.stringValue == "HH001" })
        let b = try client("222401-bureau")
        let firstB = try b.collect()
        XCTAssertFalse(firstB.isEmpty)
        XCTAssertTrue(firstB.allSatisfy { ($0["region"]?.stringValue ?? "").hasPrefix("222401") }, "only its county")
        XCTAssertTrue(firstB.contains { $0["household"]?.stringValue == "HH004" })
        // A goes away without acknowledging: on reconnect it gets the same notifications again, in order.
        a.close()
        let a2 = try client("220102-bureau")
        let again = try a2.collect()
        XCTAssertEqual(again.map { $0["id"]?.stringValue }, firstA.map { $0["id"]?.stringValue })
        try a2.ack(again)
        try launcher.waitIdle(timeout: 30)
        a2.close()
        // Acknowledged: nothing comes back.
        let a3 = try client("220102-bureau")
        XCTAssertEqual(try a3.collect(quiet: 1.5).count, 0, "acknowledged notifications are not re-delivered")
        a3.close()
        b.close()
    }

    func testUnknownKeyGetsNothing() throws {
        try startWithFeedback()
        let strangerDir = root + "/stranger"
        try KeyFiles.write(try CurveKeyPair.generate(), name: "stranger", directory: strangerDir)
        let stranger = try RecipientClient(
            keyFile: "\(strangerDir)/stranger.key", serverPublicKeyFile: launcher.publicKeyFile("notify"),
            endpoint: launcher.recipientEndpoint)
        XCTAssertEqual(try stranger.collect(quiet: 2).count, 0)
        stranger.close()
        // Meanwhile the legitimate bureau is served normally.
        let a = try client("220102-bureau")
        XCTAssertFalse(try a.collect().isEmpty)
        a.close()
    }

    func testUnacknowledgedFeedbackEscalatesAfterConfiguredDays() throws {
        try startWithFeedback()
        let b = try client("222401-bureau")
        let got = try b.collect()
        XCTAssertFalse(got.isEmpty)
        // Not acknowledged. Two days later nothing escalates (threshold 3 days) …
        tick("2026-01-02", services: ["notify"])
        try launcher.waitIdle(timeout: 30)
        let province = try client("22-bureau")
        XCTAssertEqual(try province.collect(quiet: 1.5).count, 0, "not yet overdue")
        // … five days later the province (B's escalation target) is told, once.
        tick("2026-01-05", services: ["notify"])
        try launcher.waitIdle(timeout: 30)
        let escalations = try province.collect()
        XCTAssertEqual(escalations.count, got.count, "one escalation per unacknowledged notification")
        XCTAssertTrue(escalations.allSatisfy { $0["escalationOf"] != nil })
        tick("2026-01-06", services: ["notify"])
        try launcher.waitIdle(timeout: 30)
        XCTAssertEqual(try province.collect(quiet: 1.5).count, 0, "escalated once, not again")
        province.close()
        b.close()
    }

    func testBureauDecisionIsForwardedToIntakeAsAFact() throws {
        try startWithFeedback()
        let a = try client("220102-bureau")
        let got = try a.collect()
        let feedback = try XCTUnwrap(got.first { $0["household"]?.stringValue == "HH001" })
        let decision = """
            {"type":"decision","inReplyTo":"\(feedback["id"]?.stringValue ?? "")","household":"HH001",\
            "decision":"inclusionConfirmed","date":"2026-01-03","householdType":"monitoredMarginal"}
            """
        try a.socket.send(Array(decision.utf8))
        try a.ack(got)
        var forwarded = false
        try waitFor("decision to reach intake", timeout: 30) {
            let log = try GongguStoreTestAccess.events(path: launcher.logPath("intake"))
            forwarded = log.contains { $0.type == BureauDecisionRecorded.eventType && $0.subject == "HH001" }
            return forwarded
        }
        XCTAssertTrue(forwarded)
        a.close()
    }

    /// Duplicate decisions (docs/PROTOCOL.md §1.4) at the edge: the same decision sent again — byte for byte, or
    /// without `inReplyTo` and with a note — is answered `duplicate` and reaches intake once; a decision with a date
    /// that is no real date is `invalid_date`; a `hello` with a field it does not have is `unknown_field`.
    func testDecisionSentAgainIsAnsweredDuplicateAndReachesIntakeOnce() throws {
        try startWithFeedback()
        let a = try client("220102-bureau")
        let got = try a.collect()
        let feedback = try XCTUnwrap(got.first { $0["household"]?.stringValue == "HH001" })
        let decision = """
            {"type":"decision","inReplyTo":"\(feedback["id"]?.stringValue ?? "")","household":"HH001",\
            "decision":"inclusionConfirmed","date":"2026-01-03","householdType":"monitoredMarginal"}
            """
        let resent = """
            {"type":"decision","household":"HH001","decision":"inclusionConfirmed","date":"2026-01-03",\
            "householdType":"monitoredMarginal","note":"再次提交"}
            """
        let badDate = #"{"type":"decision","household":"HH001","decision":"measureTaken","date":"2026-02-30"}"#
        let helloWithField = #"{"type":"hello","recipient":"220102-bureau"}"#
        var replies: [String] = []
        for text in [decision, decision, resent, badDate, helloWithField] {
            try a.socket.send(Array(text.utf8))
            replies.append(try a.nextReply())
        }
        XCTAssertEqual(replies, ["decisionAccepted", "duplicate", "duplicate", "invalid_date", "unknown_field"])
        var recorded = 0
        try waitFor("decision to reach intake", timeout: 30) {
            let log = try GongguStoreTestAccess.events(path: launcher.logPath("intake"))
            recorded = log.filter { $0.type == BureauDecisionRecorded.eventType && $0.subject == "HH001" }.count
            return recorded > 0
        }
        try launcher.waitIdle(timeout: 30)
        let log = try GongguStoreTestAccess.events(path: launcher.logPath("intake"))
        recorded = log.filter { $0.type == BureauDecisionRecorded.eventType && $0.subject == "HH001" }.count
        XCTAssertEqual(recorded, 1, "forwarded once")
        a.close()
    }
}

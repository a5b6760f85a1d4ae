import Foundation
import GongguClients
import GongguCore
import GongguRooms
import GongguHarness
import GongguRuntime
import GongguServices
import XCTest

extension PipelineLauncher {
    /// A services file for the CLI's `--config` (`{"intake": {"control": "…"}, …}`).
    func writeServicesFile() throws -> String {
        var w = JSONWriter()
        w.beginObject()
        for s in Self.services {
            w.key(s)
            w.beginObject()
            w.field("control", control(s))
            w.endObject()
        }
        w.endObject()
        let path = "\(configDirectory)/services.json"
        try w.string.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// `gonggu status`: the verdict over STATUS replies (table-driven), and the
/// command against a running pipeline — the table and `--json` show version, uptime, last seq,
/// upstream cursors and lag, connected recipients, pending and overdue notifications and records
/// rejected today; exit 0 when healthy, 1 with a service down.
final class StatusTests: PipelineTestCase {
    static func reply(_ json: String) -> JSONValue? { try? JSONValue.parse(json) }

    func testVerdictOverStatusReplies() {
        let intake = Self.reply(#"{"service":"intake","lastSeq":500,"upstreams":[]}"#)
        let verifyBehind = Self.reply(
            #"{"lastSeq":10,"upstreams":[{"stream":"intake","cursor":100,"latest":100,"lag":0}]}"#)
        let verifyCaughtUp = Self.reply(
            #"{"lastSeq":10,"upstreams":[{"stream":"intake","cursor":500,"latest":500,"lag":0}]}"#)
        let verifyReportsLag = Self.reply(
            #"{"lastSeq":10,"upstreams":[{"stream":"intake","cursor":0,"latest":700,"lag":700}]}"#)
        let verifyFailing = Self.reply(#"{"lastSeq":10,"upstreams":[],"lastError":"disk I/O error"}"#)
        let cases: [(name: String, replies: [String: JSONValue?], maxLag: Int, expected: [String])] = [
            ("all caught up", ["intake": intake, "verify": verifyCaughtUp], 0, []),
            (
                "down", ["intake": intake, "verify": JSONValue?.none], 10_000,
                ["verify: 无响应 down (no answer on the control socket)"]
            ),
            (
                "missing reply counts as down", ["intake": intake], 10_000,
                ["verify: 无响应 down (no answer on the control socket)"]
            ),
            // The follower believes it is current (heartbeats stopped); the upstream's own last seq says 400 behind.
            (
                "lag from the upstream's last seq", ["intake": intake, "verify": verifyBehind], 399,
                ["verify: 落后上游 intake lags 400 events (more than 399)"]
            ),
            ("lag within the threshold", ["intake": intake, "verify": verifyBehind], 400, []),
            // The upstream is down: the follower's own figure still counts.
            (
                "lag as the follower reports it", ["intake": JSONValue?.none, "verify": verifyReportsLag], 500,
                [
                    "intake: 无响应 down (no answer on the control socket)",
                    "verify: 落后上游 intake lags 700 events (more than 500)",
                ]
            ),
            (
                "append failing", ["intake": intake, "verify": verifyFailing], 10_000,
                ["verify: 无法写入日志 cannot append to its log: disk I/O error"]
            ),
        ]
        for c in cases {
            let got = StatusCheck.problems(services: ["intake", "verify"], replies: c.replies, maxLag: c.maxLag).map(
                \.description)
            XCTAssertEqual(got, c.expected, c.name)
        }
    }

    func testStatusOfARunningPipelineAndOfOneWithAServiceDown() throws {
        let l = try makeLauncher(
            recipients: [
                .init(
                    id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
                .init(
                    id: "222401-bureau", name: "延吉市乡村振兴局", kind: "bureau", level: "county", region: "222401",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
            ], escalationAfterDays: 3)
        try l.startAll()
        let services = try l.writeServicesFile()
        // Records with rejections, feedback for two counties, then days pass without acknowledgement.
        try importFile(fixture("survey_utf8.csv"), kind: "survey")
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        try l.waitIdle(timeout: 60)
        tick("2025-12-31", services: ["verify", "risk"])
        try l.waitIdle(timeout: 60)
        tick("2026-01-10", services: ["notify"])
        try l.waitIdle(timeout: 60)
        let bureau = try RecipientClient(
            keyFile: l.keyFile("220102-bureau"), serverPublicKeyFile: l.publicKeyFile("notify"),
            endpoint: l.recipientEndpoint)
        defer { bureau.close() }
        XCTAssertFalse(try bureau.collect().isEmpty)

        var json = JSONValue.null
        try waitFor("status to show the connected bureau and the overdue count") {
            let (status, out) = (try? runCLI(["status", "--json", "--config", services])) ?? (-1, "")
            guard status == 0, let v = try? JSONValue.parse(out) else { return false }
            json = v
            return v["services"]?["notify"]?["connectedRecipients"]?.intValue == 1
                && (v["services"]?["notify"]?["overdueNotifications"]?.intValue ?? 0) > 0
        }
        XCTAssertEqual(json["healthy"]?.boolValue, true)
        let rejected = try XCTUnwrap(json["services"]?["intake"]?["rejectedRecords"]?.intValue)
        XCTAssertGreaterThan(rejected, 0, "the survey fixture has rejected rows")
        XCTAssertEqual(json["services"]?["intake"]?["rejectedToday"]?.intValue, rejected, "all rejected today")
        for s in PipelineLauncher.services {
            let v = try XCTUnwrap(json["services"]?[s])
            XCTAssertEqual(v["down"]?.boolValue, false)
            XCTAssertEqual(v["version"]?.stringValue, GongguVersion.current)
            XCTAssertNotNil(v["uptimeSeconds"]?.intValue)
            XCTAssertGreaterThan(v["lastSeq"]?.intValue ?? 0, 0, s)
            let upstreams = v["upstreams"]?.arrayValue ?? []
            XCTAssertEqual(
                upstreams.compactMap { $0["stream"]?.stringValue }.sorted(),
                (Rooms.topology.upstreams(of: s)).sorted())
            for u in upstreams {
                XCTAssertEqual(u["lag"]?.intValue, 0, "\(s) caught up with \(u["stream"]?.stringValue ?? "")")
                XCTAssertEqual(
                    u["cursor"]?.intValue, json["services"]?[u["stream"]?.stringValue ?? ""]?["lastSeq"]?.intValue)
            }
        }
        let notify = try XCTUnwrap(json["services"]?["notify"])
        XCTAssertGreaterThan(notify["openNotifications"]?.intValue ?? 0, 0, "pending: none acknowledged")

        var (status, table) = try runCLI(["status", "--config", services])
        XCTAssertEqual(status, 0, table)
        for text in [
            "service", "uptime", "last seq", "intake", "verify", "risk", "notify", "rejected today \(rejected)",
            "recipients connected 1", "pending", "overdue", "healthy",
        ] {
            XCTAssertTrue(table.contains(text), "table shows \(text):\n\(table)")
        }

        // One service down: exit 1, in the table and in JSON.
        l.stop("verify")
        (status, table) = try runCLI(["status", "--config", services])
        XCTAssertEqual(status, 1, table)
        XCTAssertTrue(
            table.contains("DOWN") && table.contains("UNHEALTHY") && table.contains("verify: 无响应 down"), table)
        let (jsonStatus, out) = try runCLI(["status", "--json", "--config", services])
        XCTAssertEqual(jsonStatus, 1)
        let down = try JSONValue.parse(out)
        XCTAssertEqual(down["healthy"]?.boolValue, false)
        XCTAssertEqual(down["services"]?["verify"]?["down"]?.boolValue, true)
        XCTAssertEqual(down["problems"]?.arrayValue?.compactMap { $0["service"]?.stringValue }, ["verify"])
        // Checking one healthy service alone still succeeds (a per-container health check).
        XCTAssertEqual(try runCLI(["status", "--service", "intake", "--config", services]).0, 0)
    }
}

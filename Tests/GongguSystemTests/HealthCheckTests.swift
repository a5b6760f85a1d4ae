import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import GongguServices
import XCTest

/// Health (docs/MONITORING.md, "Health"): `gonggu status --check` in the Nagios plugin convention against a real
/// pipeline with a lagging follower (notify cut off from intake's publisher, as by a partition, so it
/// falls behind intake), overdue notifications (notify) and then a service down (risk): exit codes 1
/// and 2, one line, perfdata after `|`; 3 (UNKNOWN) for bad usage; `--live` and `--ready` as probes.
/// And the verdict's disk thresholds over crafted replies.
final class HealthCheckTests: PipelineTestCase {
    func testDiskThresholdsOverReplies() {
        func reply(free: Double) -> JSONValue? {
            try? JSONValue.parse(
                Array(#"{"lastSeq":1,"upstreams":[],"diskFreeBytes":\#(free),"diskSizeBytes":1000}"#.utf8))
        }
        let cases: [(free: Double, state: HealthCheck.State, perf: String)] = [
            (500, .ok, "'intake_disk_free'=50.0%;20.0:;10.0:;0;100"),
            (150, .warning, "'intake_disk_free'=15.0%;20.0:;10.0:;0;100"),
            (50, .critical, "'intake_disk_free'=5.0%;20.0:;10.0:;0;100"),
        ]
        for c in cases {
            let r = HealthCheck.evaluate(
                services: ["intake"], replies: ["intake": reply(free: c.free)], thresholds: .init())
            XCTAssertEqual(r.state, c.state, "\(c.free)")
            XCTAssertTrue(r.perfdata.contains(c.perf), "\(r.perfdata)")
            XCTAssertFalse(r.line.contains("\n"))
        }
    }

    func testCheckWithALaggingServiceOverdueNotificationsAndAServiceDown() throws {
        let l = try makeLauncher(
            recipients: [
                .init(
                    id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
                .init(
                    id: "222401-bureau", name: "延吉市乡村振兴局", kind: "bureau", level: "county", region: "222401",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
            ], escalationAfterDays: 3)
        // notify never hears intake's publisher: it catches up at start, then falls behind intake. It
        // takes risk's and verify's events as they come (`follows: []`): under the deterministic merge
        // it would otherwise hold them until it had applied the intake facts they were derived from.
        let notifyConfig = "\(l.configDirectory)/notify.json"
        let text = try String(contentsOfFile: notifyConfig, encoding: .utf8)
        for s in ["intake", "risk", "verify"] { XCTAssertTrue(text.contains("\"\(l.publish(s))\""), s) }
        try text.replacingOccurrences(of: l.publish("intake"), with: "ipc://\(root)/partitioned.sock")
            .replacingOccurrences(of: "\"\(l.publish("risk"))\"", with: "\"\(l.publish("risk"))\",\"follows\":[]")
            .replacingOccurrences(of: "\"\(l.publish("verify"))\"", with: "\"\(l.publish("verify"))\",\"follows\":[]")
            .write(toFile: notifyConfig, atomically: true, encoding: .utf8)
        func head(_ service: String) -> Int? { l.call(service, "STATUS")?.body?["lastSeq"]?.intValue }
        func cursor(_ service: String, on upstream: String) -> Int? {
            l.call(service, "STATUS")?.body?["upstreams"]?.arrayValue?
                .first { $0["stream"]?.stringValue == upstream }?["cursor"]?.intValue
        }
        // notify starts after the first import and reads it at its start; the second it never hears of.
        for s in ["intake", "verify", "risk"] { try l.start(s) }
        for s in ["intake", "verify", "risk"] { try l.waitReady(s) }
        let services = try l.writeServicesFile()
        try importFile(fixture("survey_utf8.csv"), kind: "survey")
        let firstHead = try XCTUnwrap(head("intake"))
        try l.start("notify")
        try l.waitReady("notify")
        try waitFor("notify to read intake's first import at its start") { cursor("notify", on: "intake") == firstHead }
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        func caughtUp(_ service: String, _ upstreams: [String]) -> Bool {
            upstreams.allSatisfy { up in cursor(service, on: up).map { $0 == head(up) } ?? false }
        }
        let intakeHead = try XCTUnwrap(head("intake"))
        XCTAssertGreaterThan(intakeHead, 0)
        try waitFor("verify and risk to consume", timeout: 60) {
            caughtUp("verify", ["intake"]) && caughtUp("risk", ["intake", "verify"])
        }
        tick("2025-12-31", services: ["verify", "risk"])
        try waitFor("risk and notify to consume the ticks' outputs", timeout: 60) {
            caughtUp("risk", ["intake", "verify"]) && caughtUp("notify", ["risk", "verify"])
        }
        tick("2026-01-10", services: ["notify"])
        var overdue = 0
        try waitFor("overdue notifications", timeout: 60) {
            overdue = l.call("notify", "STATUS")?.body?["overdueNotifications"]?.intValue ?? 0
            return overdue > 0
        }
        XCTAssertEqual(cursor("notify", on: "intake"), firstHead, "notify is cut off from intake's publisher")
        let lag = intakeHead - firstHead
        XCTAssertGreaterThan(lag, 0)

        func check(_ extra: [String]) throws -> (Int32, String) {
            // The machine's disk is not under test here (the disk thresholds are, above): 0 % never alerts.
            try runCLI(["status", "--check", "--config", services, "--warn-disk", "0", "--crit-disk", "0"] + extra)
        }
        // Lag and overdue as warnings.
        var (code, out) = try check(["--warn-lag", "1", "--crit-lag", "1000000", "--crit-overdue", "1000000"])
        XCTAssertEqual(code, 1, out)
        var lines = out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, out)
        XCTAssertTrue(out.hasPrefix("GONGGU WARNING - "), out)
        XCTAssertTrue(out.contains("notify 落后上游 intake \(lag) 条事件 (intake lags \(lag) events)"), out)
        XCTAssertTrue(out.contains("notify 逾期未确认通知 \(overdue) 条"), out)
        let perf = try XCTUnwrap(out.split(separator: "|").last).split(separator: " ").map(String.init)
        XCTAssertTrue(perf.contains("'notify_lag_intake'=\(lag);1;1000000;0"), "\(perf)")
        XCTAssertTrue(perf.contains("'notify_overdue'=\(overdue);1;1000000;0"), "\(perf)")
        XCTAssertTrue(perf.contains("'risk_lag_intake'=0;1;1000000;0"), "\(perf)")
        XCTAssertTrue(perf.contains("'intake_up'=1;;1:;0;1"), "\(perf)")
        XCTAssertTrue(
            perf.contains { $0.hasPrefix("'intake_disk_free'=") && $0.hasSuffix("%;0.0:;0.0:;0;100") }, "\(perf)")
        // Overdue past its critical threshold.
        (code, out) = try check(["--warn-lag", "1", "--crit-lag", "1000000", "--crit-overdue", "\(overdue)"])
        XCTAssertEqual(code, 2, out)
        XCTAssertTrue(out.hasPrefix("GONGGU CRITICAL - notify 逾期未确认通知"), out)
        // Within the default thresholds the lag is no problem; the overdue ones still are.
        (code, out) = try check(["--warn-overdue", "\(overdue + 1)", "--crit-overdue", "\(overdue + 2)"])
        XCTAssertEqual(code, lag >= 1000 ? 1 : 0, out)

        // Probes: all live; notify not ready (lag), intake ready.
        XCTAssertEqual(try runCLI(["status", "--live", "--config", services]).0, 0)
        (code, out) = try runCLI(["status", "--ready", "--service", "notify", "--max-lag", "1", "--config", services])
        XCTAssertEqual(code, 1, out)
        XCTAssertTrue(out.contains("notify 未就绪 (not ready)"), out)
        XCTAssertEqual(try runCLI(["status", "--ready", "--service", "intake", "--config", services]).0, 0)

        // A service down: CRITICAL, and not live.
        XCTAssertEqual(l.stop("risk"), 0)
        (code, out) = try check(["--timeout", "5"])
        XCTAssertEqual(code, 2, out)
        lines = out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, out)
        XCTAssertTrue(out.hasPrefix("GONGGU CRITICAL - risk 无响应 (down)"), out)
        XCTAssertTrue(out.contains("'risk_up'=0;;1:;0;1"), out)
        (code, out) = try runCLI(["status", "--live", "--timeout", "5", "--config", services])
        XCTAssertEqual(code, 1, out)
        XCTAssertTrue(out.contains("risk 无响应 (not live)"), out)
        XCTAssertEqual(try runCLI(["status", "--live", "--service", "notify", "--config", services]).0, 0)

        // Bad usage is UNKNOWN (3), as plugins must.
        (code, out) = try check(["--warn-lag", "many"])
        XCTAssertEqual(code, 3, out)
        XCTAssertTrue(out.hasPrefix("GONGGU UNKNOWN - "), out)
    }
}

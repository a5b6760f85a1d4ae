import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import XCTest

/// The shipped alert rules and Grafana dashboard (docs/monitoring/): promtool accepts the rules (Debian's
/// `prometheus` package; skipped without it), the dashboard is JSON, and every `gonggu_…` metric they
/// name is one a service exposes.
final class MonitoringFilesTests: XCTestCase {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/monitoring")

    func testPromtoolAcceptsTheAlertRules() throws {
        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            throw XCTSkip("promtool is absent (apt-get install prometheus)")
        }
        let r = try runToCompletion(
            URL(fileURLWithPath: promtool), ["check", "rules", folder.appendingPathComponent("gonggu-alerts.yml").path])
        let text = r.output
        XCTAssertEqual(r.status, 0, text)
        XCTAssertTrue(text.contains("SUCCESS"), text)
    }

    func testRulesAndDashboardNameOnlyExposedMetrics() throws {
        // Every family a service can expose: the host's, plus the notifier's own.
        let status = StatusBoard(service: "notify", version: "test")
        status.set("acceptedRecords", .number(1))
        let metrics = ServiceMetrics(service: "notify", version: "test", status: status)
        metrics.setDisk(free: 1, size: 2)
        var exposed = Set(
            metrics.render().split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map {
                String($0.split(separator: " ")[2])
            })
        for name in ["pending", "overdue", "escalated"] { exposed.insert("gonggu_notify_notifications_\(name)") }
        exposed.insert("gonggu_notify_recipients_connected")
        for h in ["gonggu_commit_duration_seconds"] {
            for s in ["_bucket", "_sum", "_count"] { exposed.insert(h + s) }
        }

        let dashboard = try Data(contentsOf: folder.appendingPathComponent("gonggu-grafana.json"))
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: dashboard))
        let rules = try String(contentsOf: folder.appendingPathComponent("gonggu-alerts.yml"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"gonggu_[a-z_]+"#)
        for text in [rules, String(decoding: dashboard, as: UTF8.self)] {
            let names = Set(
                pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                    String(text[Range($0.range, in: text)!])
                })
            XCTAssertFalse(names.isEmpty)
            for name in names { XCTAssertTrue(exposed.contains(name), "\(name) is not exposed") }
        }
    }
}

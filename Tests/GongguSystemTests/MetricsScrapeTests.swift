import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguRooms
import GongguHarness
import GongguRuntime
import GongguServices
import XCTest

/// Metrics (docs/MONITORING.md): every running service's `/metrics`, scraped over HTTP and parsed by
/// an independent parser (Python `prometheus_client.parser`), holds the figures its log holds — events
/// appended = the log's head seq, consumed = the upstream's head seq once idle, rejects by code =
/// `RecordRejected` events by code, the last tick, pending/overdue by recipient level = the notifier's
/// STATUS; replay progress after a restart = the log's head; the textfile parses to the same families.
final class MetricsScrapeTests: PipelineTestCase {
    static let python = "/usr/bin/python3"
    var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/scrape_metrics.py")
            .path
    }

    /// One parsed scrape: samples by `name{label="value",…}` (labels sorted), plus what the probe saw.
    struct Scrape {
        var samples: [String: Double] = [:]
        var types: [String: String] = [:]
        var contentType = ""
        var notFound = 0
        var notAllowed = 0

        subscript(_ name: String, _ labels: [String: String] = [:]) -> Double? { samples[Self.key(name, labels)] }

        static func key(_ name: String, _ labels: [String: String]) -> String {
            name + "{" + labels.keys.sorted().map { "\($0)=\"\(labels[$0]!)\"" }.joined(separator: ",") + "}"
        }

        func all(_ name: String) -> [(labels: String, value: Double)] {
            samples.filter { $0.key.hasPrefix(name + "{") }.map { ($0.key, $0.value) }
        }
    }

    func parse(_ arguments: [String]) throws -> Scrape {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python)
        p.arguments = [script] + arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: errors, as: UTF8.self))
        let v = try JSONValue.parse([UInt8](data))
        var s = Scrape()
        s.contentType = v["content_type"]?.stringValue ?? ""
        s.notFound = v["not_found"]?.intValue ?? 0
        s.notAllowed = v["not_allowed"]?.intValue ?? 0
        for (family, f) in v["families"]?.objectValue ?? [] {
            s.types[family] = f["type"]?.stringValue
            for sample in f["samples"]?.arrayValue ?? [] {
                guard let a = sample.arrayValue, a.count == 3, let name = a[0].stringValue else { continue }
                var labels: [String: String] = [:]
                for (k, lv) in a[1].objectValue ?? [] { labels[k] = lv.stringValue }
                s.samples[Scrape.key(name, labels)] = a[2].doubleValue ?? .nan
            }
        }
        return s
    }

    func scrape(_ service: String) throws -> Scrape {
        let port = try XCTUnwrap(launcher.metricsPort(service), "\(service) logged its metrics port")
        return try parse(["http://127.0.0.1:\(port)"])
    }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw XCTSkip("\(Self.python) is absent")
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: Self.python)
        probe.arguments = ["-c", "import prometheus_client.parser"]
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3-prometheus-client is absent") }
    }

    func testEachServiceScrapedAndParsedMatchesItsLog() throws {
        let l = try makeLauncher(
            recipients: [
                .init(
                    id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
                .init(
                    id: "222401-bureau", name: "延吉市乡村振兴局", kind: "bureau", level: "county", region: "222401",
                    types: ["RiskFeedback", "RecommendationOverdue"]),
            ], escalationAfterDays: 3)
        l.metrics = true
        try l.prepare()
        try startWithRiskFeedback()
        tick("2026-01-10", services: ["notify"])
        try l.waitIdle(timeout: 60)
        let bureau = try RecipientClient(
            keyFile: l.keyFile("220102-bureau"), serverPublicKeyFile: l.publicKeyFile("notify"),
            endpoint: l.recipientEndpoint)
        defer { bureau.close() }
        XCTAssertFalse(try bureau.collect().isEmpty)
        try l.waitIdle(timeout: 60)

        // The logs, read directly.
        var heads: [String: Int] = [:]
        var events: [String: [Event]] = [:]
        for s in PipelineLauncher.services {
            events[s] = try GongguStoreTestAccess.events(path: l.logPath(s))
            heads[s] = events[s]!.count
        }
        var scrapes: [String: Scrape] = [:]
        try waitFor("the notifier's figures to show the connected bureau and overdue notifications") {
            guard let n = try? scrape("notify") else { return false }
            return n["gonggu_notify_recipients_connected", ["service": "notify"]] == 1
                && (n["gonggu_notify_notifications_overdue", ["service": "notify", "level": "county"]] ?? 0) > 0
        }
        for s in PipelineLauncher.services { scrapes[s] = try scrape(s) }

        for s in PipelineLauncher.services {
            let m = scrapes[s]!
            let svc = ["service": s]
            XCTAssertEqual(m.contentType, "text/plain; version=0.0.4; charset=utf-8", s)
            XCTAssertEqual(m.notFound, 404, s)
            XCTAssertEqual(m.notAllowed, 405, s)
            XCTAssertEqual(m["gonggu_build_info", ["service": s, "version": GongguVersion.current]], 1, s)
            XCTAssertEqual(m["gonggu_log_events_appended_total", svc], Double(heads[s]!), "\(s): appended = log head")
            XCTAssertEqual(m.types["gonggu_log_events_appended"], "counter", s)
            XCTAssertEqual(m["gonggu_replay_complete", svc], 1, s)
            XCTAssertEqual(m["gonggu_log_append_failing", svc], 0, s)
            XCTAssertGreaterThan(m["gonggu_data_filesystem_free_bytes", svc] ?? 0, 0, s)
            // The commit histogram: cumulative buckets, +Inf = count, and a commit per appended batch.
            XCTAssertEqual(m.types["gonggu_commit_duration_seconds"], "histogram", s)
            let count = try XCTUnwrap(m["gonggu_commit_duration_seconds_count", svc])
            XCTAssertEqual(m["gonggu_commit_duration_seconds_bucket", ["service": s, "le": "+Inf"]], count, s)
            let buckets = m.all("gonggu_commit_duration_seconds_bucket").map(\.value).sorted()
            XCTAssertEqual(buckets.last, count, s)
            XCTAssertGreaterThan(count, 0, "\(s) committed since start")
            XCTAssertGreaterThan(m["gonggu_commit_duration_seconds_sum", svc] ?? 0, 0, s)
            // Consumed = the upstream's head; no lag once idle.
            for up in Rooms.topology.upstreams(of: s) {
                let labels = ["service": s, "upstream": up]
                XCTAssertEqual(
                    m["gonggu_upstream_events_consumed_total", labels], Double(heads[up]!), "\(s) consumed \(up)")
                XCTAssertEqual(m["gonggu_upstream_lag_events", labels], 0, "\(s) lag on \(up)")
            }
        }
        // Rejects by code = the intake log's RecordRejected events by code.
        var byCode: [String: Int] = [:]
        for e in events["intake"]! where e.type == RecordRejected.eventType {
            byCode[try e.decode(RecordRejected.self).code, default: 0] += 1
        }
        XCTAssertFalse(byCode.isEmpty, "the survey fixture has rejected rows")
        let intake = scrapes["intake"]!
        XCTAssertEqual(intake.all("gonggu_records_rejected_total").count, byCode.count)
        for (code, n) in byCode {
            XCTAssertEqual(
                intake["gonggu_records_rejected_total", ["service": "intake", "code": code]], Double(n), code)
        }
        // The last tick, as the Unix time of its midnight in +08:00.
        let midnight = Double(BusinessCalendar.dayNumber("2026-01-10")! * 86400 - 8 * 3600)
        XCTAssertEqual(scrapes["notify"]!["gonggu_clock_last_tick_timestamp_seconds", ["service": "notify"]], midnight)
        XCTAssertEqual(scrapes["intake"]!["gonggu_clock_last_tick_timestamp_seconds", ["service": "intake"]], 0)
        // Pending and overdue by level add up to the notifier's own STATUS figures.
        let status = try XCTUnwrap(l.call("notify", "STATUS")?.body)
        let notify = scrapes["notify"]!
        let pending = notify.all("gonggu_notify_notifications_pending").map(\.value).reduce(0, +)
        let overdue = notify.all("gonggu_notify_notifications_overdue").map(\.value).reduce(0, +)
        XCTAssertEqual(pending, Double(status["openNotifications"]?.intValue ?? -1))
        XCTAssertEqual(overdue, Double(status["overdueNotifications"]?.intValue ?? -1))
        XCTAssertGreaterThan(pending, 0)
        XCTAssertEqual(notify["gonggu_notify_notifications_pending", ["service": "notify", "level": "province"]], 0)

        // The textfile: written atomically, parsed by the same parser, the same families.
        for s in PipelineLauncher.services {
            let file = try parse(["--file", l.metricsTextfile(s)])
            XCTAssertEqual(Set(file.types.keys), Set(scrapes[s]!.types.keys), s)
            XCTAssertEqual(file["gonggu_build_info", ["service": s, "version": GongguVersion.current]], 1)
        }

        // Replay progress after a restart: the whole own log, complete (the snapshot the stop wrote
        // removed, so the replay walks everything: SnapshotStartTests cover the start from one).
        XCTAssertEqual(l.stop("verify"), 0)
        let verifyData = URL(fileURLWithPath: l.logPath("verify")).deletingLastPathComponent().path
        for f in try FileManager.default.contentsOfDirectory(atPath: verifyData) where f.contains(".snapshot-") {
            try FileManager.default.removeItem(atPath: "\(verifyData)/\(f)")
        }
        try l.start("verify")
        try l.waitReady("verify")
        let verify = try scrape("verify")
        XCTAssertEqual(verify["gonggu_replay_events_total", ["service": "verify"]], Double(heads["verify"]!))
        XCTAssertEqual(verify["gonggu_replay_target_events", ["service": "verify"]], Double(heads["verify"]!))
        XCTAssertEqual(verify["gonggu_replay_complete", ["service": "verify"]], 1)
    }
}

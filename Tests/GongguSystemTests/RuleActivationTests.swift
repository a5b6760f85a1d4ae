import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguRisk
import GongguServices
import XCTest

/// A new rule version is itself an event; an invalid document is refused with a clear
/// message (Chinese and English) and the running version stays.
final class RuleActivationTests: PipelineTestCase {
    func testInvalidRulesAreRefusedAndValidOnesBecomeEvents() throws {
        let l = try makeLauncher(recipients: [])
        try l.startAll()
        func rules(_ text: String) -> (String, JSONValue?)? {
            var w = JSONWriter()
            w.beginObject()
            w.field("document", text)
            w.endObject()
            return l.call("risk", "RULES", body: w.string).map { ($0.status, $0.body) }
        }
        // Not JSON, wrong rule set, a broken threshold: each refused, nothing appended.
        // Each attempt is recorded (`CommandAccepted`: authorised, before it runs); nothing else is appended.
        func nonCommandEvents() throws -> Int {
            try GongguStoreTestAccess.events(path: l.logPath("risk")).filter { $0.type != CommandAccepted.eventType }.count
        }
        let before = try nonCommandEvents()
        for bad in ["{nope", RiskRules.defaultDocument.replacingOccurrences(of: "\"ruleSet\": \"risk\"", with: "\"ruleSet\": \"verify\"")] {
            let reply = try XCTUnwrap(rules(bad))
            XCTAssertEqual(reply.0, "ERROR")
            XCTAssertEqual(reply.1?["code"]?.stringValue, "invalid_rules")
            XCTAssertTrue(reply.1?["message"]?.stringValue?.contains("规则文件") ?? false, "Chinese reason")
        }
        XCTAssertEqual(try nonCommandEvents(), before, "the running version stays")
        // A valid new version (effective from 2026) is appended as RulesActivated.
        let next = RiskRules.defaultDocument.replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"2026.1\"")
            .replacingOccurrences(of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2026-01-01\"")
        XCTAssertNotEqual(next, RiskRules.defaultDocument)
        XCTAssertEqual(rules(next)?.0, "OK")
        let activated = try GongguStoreTestAccess.events(path: l.logPath("risk")).filter { $0.type == RulesActivated.eventType }
        let payload = try XCTUnwrap(activated.last).decode(RulesActivated.self)
        XCTAssertEqual(payload.version, "2026.1")
        XCTAssertEqual(payload.effectiveFrom, "2026-01-01")
    }

    /// `gonggu rules activate` sends a file through `RULES` and prints the version
    /// the service reports in force; `gonggu rules show` asks the service; a refused file changes nothing.
    func testRulesCommandActivatesAndShowsTheVersionInForce() throws {
        let l = try makeLauncher(recipients: [])
        try l.startAll()
        let control = l.control("risk")
        let show = try runCLI(["rules", "show", "--service", "risk", "--control", control])
        XCTAssertEqual(show.0, 0, show.1)
        XCTAssertTrue(show.1.contains("版本：2025.1") && show.1.contains("内置默认规则"), show.1)

        let dir = try makeTemporaryDirectory("rules")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Effective 2026-01-01, before today (the tests run after it): in force from now on.
        let next = RiskRules.defaultDocument
            .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"2026.1\"")
            .replacingOccurrences(of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2026-01-01\"")
        try next.write(toFile: "\(dir)/risk-2026.json", atomically: true, encoding: .utf8)
        let broken = next.replacingOccurrences(of: "\"overdueDays\": 30, ", with: "")
        XCTAssertNotEqual(broken, next)
        try broken.write(toFile: "\(dir)/broken.json", atomically: true, encoding: .utf8)

        // Each attempt is recorded (`CommandAccepted`: authorised, before it runs); nothing else is appended.
        func nonCommandEvents() throws -> Int {
            try GongguStoreTestAccess.events(path: l.logPath("risk")).filter { $0.type != CommandAccepted.eventType }.count
        }
        let before = try nonCommandEvents()
        let refused = try runCLI(["rules", "activate", "\(dir)/broken.json", "--service", "risk", "--control", control])
        XCTAssertEqual(refused.0, 65, refused.1)
        XCTAssertTrue(refused.1.contains("defaults.followUp.overdueDays"), refused.1)
        XCTAssertEqual(try GongguStoreTestAccess.events(path: l.logPath("risk")).count, before, "nothing appended")

        let activate = ["rules", "activate", "\(dir)/risk-2026.json", "--service", "risk", "--control", control]
        let activated = try runCLI(activate)
        XCTAssertEqual(activated.0, 0, activated.1)
        XCTAssertTrue(activated.1.contains("已启用：risk 版本 2026.1，自 2026-01-01 起施行"), activated.1)
        XCTAssertTrue(activated.1.contains("施行的版本：2026.1（自 2026-01-01 起）"), activated.1)
        let payload = try XCTUnwrap(
            GongguStoreTestAccess.events(path: l.logPath("risk")).last { $0.type == RulesActivated.eventType }
        ).decode(RulesActivated.self)
        XCTAssertEqual(payload.version, "2026.1")

        let again = try runCLI(activate)
        XCTAssertEqual(again.0, 0, again.1)
        XCTAssertTrue(again.1.contains("此前已启用"), again.1)

        let now = try runCLI(["rules", "show", "--service", "risk", "--control", control])
        XCTAssertEqual(now.0, 0, now.1)
        XCTAssertTrue(now.1.contains("版本：2026.1") && now.1.contains("已启用的规则文件"), now.1)
        XCTAssertTrue(now.1.contains("2025.1  自 2021-01-01 起  built-in"), now.1)
        let document = try runCLI(["rules", "show", "--service", "risk", "--control", control, "--document"])
        XCTAssertEqual(document.0, 0)
        XCTAssertEqual(document.1, next + "\n", "--document prints the document in force as activated")
    }
}

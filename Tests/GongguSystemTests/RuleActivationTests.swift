import Foundation
import GongguCore
import GongguRisk
import GongguServices
import XCTest

/// Issue 4: a new rule version is itself an event; an invalid document is refused with a clear
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
        let before = try GongguStoreTestAccess.events(path: l.logPath("risk")).count
        for bad in ["{nope", RiskRules.defaultDocument.replacingOccurrences(of: "\"ruleSet\": \"risk\"", with: "\"ruleSet\": \"verify\"")] {
            let reply = try XCTUnwrap(rules(bad))
            XCTAssertEqual(reply.0, "ERROR")
            XCTAssertEqual(reply.1?["code"]?.stringValue, "invalid_rules")
            XCTAssertTrue(reply.1?["message"]?.stringValue?.contains("规则文件") ?? false, "Chinese reason")
        }
        XCTAssertEqual(try GongguStoreTestAccess.events(path: l.logPath("risk")).count, before, "the running version stays")
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
}

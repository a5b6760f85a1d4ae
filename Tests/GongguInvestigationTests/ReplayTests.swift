import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguInvestigation
import GongguStore
import XCTest

/// `replay` over the province: filters select exactly what the raw logs say they should, and the
/// merge is causal.
final class ReplayTests: ProvinceTestCase {
    /// The household with the most risk decisions (a busy history).
    func busyHousehold(_ p: ProvinceFixture) throws -> String {
        var counts: [String: Int] = [:]
        for e in try p.events("risk") where e.type == "MonitoringRecommended" { counts[e.subject, default: 0] += 1 }
        for e in try p.events("notify") where e.type == "NotificationCreated" { counts[e.subject, default: 0] += 1 }
        return try XCTUnwrap(counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
    }

    func assertCausal(_ events: [LocatedEvent], file: StaticString = #filePath, line: UInt = #line) {
        var position: [EventID: Int] = [:]
        for (i, e) in events.enumerated() { position[e.event.id] = i }
        var lastSeq: [String: Int64] = [:]
        for (i, e) in events.enumerated() {
            if let c = e.event.causation, let at = position[c] {
                XCTAssertLessThan(at, i, "\(e.event.type) before its cause", file: file, line: line)
            }
            XCTAssertGreaterThan(e.event.seq, lastSeq[e.source.name] ?? 0, "log order kept", file: file, line: line)
            lastSeq[e.source.name] = e.event.seq
        }
    }

    func testHouseholdSubjectSelectsExactlyItsEventsInCausalOrder() throws {
        let p = try province()
        let household = try busyHousehold(p)
        let got = try Replay.collect(ReplayFilter(subject: household), logs: try p.openLogs())
        // Expected from the raw logs: every event with the household as subject, plus deliveries and
        // acknowledgements of its notifications (recorded under the recipient).
        var expected = Set<EventID>()
        var notificationIDs = Set<String>()
        for s in PipelineLauncherServices.all {
            for e in try p.events(s) where e.subject == household {
                expected.insert(e.id)
                if e.type == "NotificationCreated",
                    let id = try JSONValue.parse(e.payload)["notificationID"]?.stringValue
                {
                    notificationIDs.insert(id)
                }
            }
        }
        // A recipient's receipts event about any of the household's notifications.
        for e in try p.events("notify") where e.type == "NotificationReceipts" {
            let entries = try JSONValue.parse(e.payload)["entries"]?.arrayValue ?? []
            if entries.contains(where: { notificationIDs.contains($0["notificationID"]?.stringValue ?? "") }) {
                expected.insert(e.id)
            }
        }
        XCTAssertEqual(Set(got.map(\.event.id)), expected)
        XCTAssertEqual(got.count, expected.count, "no event twice")
        XCTAssertTrue(Set(got.map(\.source.stream)).isSuperset(of: ["intake", "risk", "notify"]))
        assertCausal(got)
    }

    func testResidentIDFindsTheHouseholdsEvents() throws {
        let p = try province()
        let household = try busyHousehold(p)
        let fact = try XCTUnwrap(
            try p.events("intake").first { $0.type == "DisabilityRecorded" && $0.subject == household })
        let person = try XCTUnwrap(try JSONValue.parse(fact.payload)["personID"]?.stringValue)
        let logs = try p.openLogs()
        let resolution = try Replay.resolve(subject: person, in: logs)
        XCTAssertTrue(resolution.isPerson)
        XCTAssertTrue(resolution.households.contains(household))
        let byPerson = Set(try Replay.collect(ReplayFilter(subject: person), logs: logs).map(\.event.id))
        let byHousehold = Set(try Replay.collect(ReplayFilter(subject: household), logs: logs).map(\.event.id))
        XCTAssertTrue(byHousehold.isSubset(of: byPerson))
        XCTAssertTrue(logs.source(stream: "intake")!.personLookupIsIndexed, "the writer added the person index")
    }

    func testTypeRegionAndTimeFilters() throws {
        let p = try province()
        let logs = try p.openLogs()
        let all = PipelineLauncherServices.all.flatMap { (try? p.events($0)) ?? [] }
        // Two types (repeatable --type), all logs.
        let types: Set<String> = ["MonitoringRecommended", "EntitlementGap"]
        let typed = try Replay.collect(ReplayFilter(types: types), logs: logs)
        XCTAssertEqual(typed.count, all.filter { types.contains($0.type) }.count)
        XCTAssertTrue(typed.allSatisfy { types.contains($0.event.type) })
        // One type and a region prefix (SQL-side filter).
        let region = try XCTUnwrap(all.first { $0.type == "RiskFeedback" }?.region.prefix(4)).description
        let regional = try Replay.collect(ReplayFilter(regionPrefix: region, types: ["RiskFeedback"]), logs: logs)
        XCTAssertEqual(regional.count, all.filter { $0.type == "RiskFeedback" && $0.region.hasPrefix(region) }.count)
        XCTAssertGreaterThan(regional.count, 0)
        // A business-time window over facts.
        let from = InstantText.parse("2025-01-01", endOfDay: false)!
        let to = InstantText.parse("2025-03-31", endOfDay: true)!
        let window = try Replay.collect(ReplayFilter(types: ["SubsidyPaid"], from: from, to: to), logs: logs)
        XCTAssertEqual(
            window.count, all.filter { $0.type == "SubsidyPaid" && $0.occurredAt >= from && $0.occurredAt <= to }.count)
        XCTAssertGreaterThan(window.count, 0)
        // A recorded-time window: nothing was recorded before the services started.
        var early = ReplayFilter(to: p.beforeAll, timeField: .recorded)
        early.types = []
        XCTAssertEqual(try Replay.collect(early, logs: logs).count, 0)
    }

    func testWholeMergeIsCausalAndComplete() throws {
        let p = try province()
        let logs = try p.openLogs()
        let merged = try Replay.collect(ReplayFilter(), logs: logs)
        let total = try PipelineLauncherServices.all.reduce(0) { $0 + (try p.events($1).count) }
        XCTAssertEqual(merged.count, total)
        assertCausal(merged)
        // Filtered merges keep the order too, even when the causes in between are left out.
        assertCausal(
            try Replay.collect(ReplayFilter(types: ["NotificationCreated", "DisabilityRecorded"]), logs: logs))
    }

    func testReplayEndpointGivesTheSameEvents() throws {
        let p = try province()
        let household = try busyHousehold(p)
        let local = try Replay.collect(
            ReplayFilter(subject: household), logs: try LogSet(paths: [p.launcher.logPath("risk")]))
        let remote = try Replay.collect(
            ReplayFilter(subject: household), logs: try LogSet(paths: [p.launcher.control("risk")]))
        XCTAssertEqual(remote.map(\.event.id), local.map(\.event.id))
        XCTAssertEqual(remote.first?.source.stream, "risk")
        XCTAssertGreaterThan(local.count, 0)
    }

    func testCommandTableMasksAndJSONLinesParse() throws {
        let p = try province()
        let household = try busyHousehold(p)
        let (status, table) = try ProvinceFixture.gonggu(["replay", p.launcher.dataDirectory, "--subject", household])
        XCTAssertEqual(status, 0, table)
        XCTAssertTrue(table.contains("DisabilityRecorded"), table)
        XCTAssertTrue(table.contains("intake.log.sqlite:"), table)
        XCTAssertNil(WhyTests.wholeResidentID(in: table), "masked by default")
        let (_, unmasked) = try ProvinceFixture.gonggu([
            "replay", p.launcher.dataDirectory, "--subject", household, "--unmasked",
        ])
        XCTAssertTrue(WhyTests.containsWholeResidentID(unmasked), "shown when asked")
        let (jsonStatus, jsonl) = try ProvinceFixture.gonggu([
            "replay", "--logs", p.launcher.dataDirectory, "--subject", household, "--jsonl", "--type", "RiskAssessed",
            "--type", "DisabilityRecorded",
        ])
        XCTAssertEqual(jsonStatus, 0)
        let lines = jsonl.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertGreaterThan(lines.count, 0)
        for line in lines {
            let v = try JSONValue.parse(String(line))
            XCTAssertTrue(["RiskAssessed", "DisabilityRecorded"].contains(v["type"]?.stringValue ?? ""))
            XCTAssertEqual(v["subject"]?.stringValue, household)
            XCTAssertNotNil(v["payload"]?.objectValue)
            XCTAssertGreaterThan(v["seq"]?.intValue ?? 0, 0)
        }
        XCTAssertNil(WhyTests.wholeResidentID(in: jsonl))
    }
}

enum PipelineLauncherServices {
    static let all = ["intake", "verify", "risk", "notify"]
}

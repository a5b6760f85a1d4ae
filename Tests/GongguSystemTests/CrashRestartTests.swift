import Foundation
import GongguCore
import GongguHarness
import GongguServices
import GongguSimulation
import XCTest

/// The verifier and the risk monitor under crashes (a small crash test; docs/RELIABILITY.md, "Crash test"): the
/// verifier and the risk monitor are killed with SIGKILL again and again while a province streams in, restarted each
/// time; at the end their decisions equal those of an uninterrupted run, none is duplicated, every cursor caught up and
/// every log verifies.
final class CrashRestartTests: XCTestCase {
    func imports(_ l: PipelineLauncher, province: String) throws {
        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: province + "/manifest.json")!))
        for entry in manifest["files"]?.arrayValue ?? [] {
            let (status, output) = try ServiceProcess.gonggu([
                "import", "\(province)/\(entry["file"]!.stringValue!)", "--kind", entry["kind"]!.stringValue!,
                "--control", l.control("intake"), "--allow-rejects", "--quiet",
            ])
            XCTAssertEqual(status, 0, output)
        }
    }

    func finish(_ l: PipelineLauncher) throws {
        try l.waitIdle(timeout: 120)
        for s in ["verify", "risk"] {
            XCTAssertEqual(l.call(s, "TICK", body: "{\"date\":\"\(Simulator.referenceDate)\"}", timeoutMs: 60_000)?.status, "OK")
            try l.waitIdle(timeout: 120)
        }
    }

    /// Decisions as comparable keys: findings by finding id, risk decisions by type and household.
    func decisions(_ l: PipelineLauncher) throws -> (verify: [String], risk: [String]) {
        let verify = try GongguStoreTestAccess.events(path: l.logPath("verify")).compactMap { e -> String? in
            guard ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved"].contains(e.type) else { return nil }
            return "\(e.type)|\((try? JSONValue.parse(e.payload))?["findingID"]?.stringValue ?? "?")"
        }
        let risk = try GongguStoreTestAccess.events(path: l.logPath("risk")).compactMap { e -> String? in
            guard ["MonitoringRecommended", "RiskFeedback", "RiskEliminationRecommended"].contains(e.type) else { return nil }
            return "\(e.type)|\(e.subject)"
        }
        return (verify, risk)
    }

    func testKilledFoldsEndWithTheDecisionsOfAnUninterruptedRun() throws {
        let root = try makeTemporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let province = root + "/province"
        try Simulator(households: 1500, seed: 5).write(to: province)
        let recipients: [PipelineLauncher.Recipient] = []

        let calm = PipelineLauncher(directory: root + "/calm", recipients: recipients, binDirectory: ServiceProcess.binDirectory)
        try calm.prepare()
        try calm.startAll()
        try imports(calm, province: province)
        try finish(calm)
        let expected = try decisions(calm)
        calm.stopAll()
        XCTAssertFalse(expected.verify.isEmpty)
        XCTAssertFalse(expected.risk.isEmpty)

        let crashy = PipelineLauncher(directory: root + "/crashy", recipients: recipients, binDirectory: ServiceProcess.binDirectory)
        try crashy.prepare()
        try crashy.startAll()
        defer { crashy.stopAll() }
        let importer = Thread { [self] in try? imports(crashy, province: province) }
        importer.start()
        var kills = 0
        var victim = "verify"
        while !importer.isFinished || kills < 6 {
            // Kill once the victim has made progress since its last start: mid-stream, at an arbitrary point.
            let before = crashy.call(victim, "STATUS", timeoutMs: 1000)?.body?["lastSeq"]?.intValue ?? 0
            var progressed = false
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                let now = crashy.call(victim, "STATUS", timeoutMs: 1000)?.body?["lastSeq"]?.intValue ?? 0
                if now > before {
                    progressed = true
                    break
                }
                usleep(20_000)
            }
            crashy.kill9(victim)
            kills += 1
            try crashy.start(victim)
            try crashy.waitReady(victim)
            victim = victim == "verify" ? "risk" : "verify"
            if !progressed && importer.isFinished && kills >= 6 { break }
        }
        try finish(crashy)
        let got = try decisions(crashy)
        print("crash test: \(kills) SIGKILLs; verify decisions \(got.verify.count), risk decisions \(got.risk.count)")
        XCTAssertGreaterThanOrEqual(kills, 6)
        XCTAssertEqual(Set(got.verify).count, got.verify.count, "no verifier decision twice")
        XCTAssertEqual(Set(got.risk).count, got.risk.count, "no risk decision twice")
        XCTAssertEqual(got.verify.sorted(), expected.verify.sorted(), "same findings as the uninterrupted run")
        XCTAssertEqual(got.risk.sorted(), expected.risk.sorted(), "same risk decisions as the uninterrupted run")
        for s in PipelineLauncher.services {
            XCTAssertTrue(try GongguStoreTestAccess.verify(path: crashy.logPath(s)), "\(s) log verifies")
        }
    }
}

import Foundation
import GongguCore
import GongguRuntime
import GongguHarness
import GongguServices
import GongguTransport
import XCTest

/// A deployment of the four services in a temporary folder, torn down after the test.
class PipelineTestCase: XCTestCase {
    var launcher: PipelineLauncher!
    var root = ""

    func makeLauncher(recipients: [PipelineLauncher.Recipient], escalationAfterDays: Int = 3) throws -> PipelineLauncher {
        root = try makeTemporaryDirectory("pipe")
        let l = PipelineLauncher(
            directory: root, recipients: recipients, escalationAfterDays: escalationAfterDays,
            binDirectory: ServiceProcess.binDirectory)
        try l.prepare()
        launcher = l
        return l
    }

    override func tearDown() {
        launcher?.stopAll()
        if let l = launcher, testRun?.failureCount ?? 0 > 0 {
            for s in PipelineLauncher.services {
                let log = (try? String(contentsOfFile: "\(l.logsDirectory)/\(s).log", encoding: .utf8)) ?? ""
                print("--- \(s) log (last lines)\n" + log.split(separator: "\n").suffix(15).joined(separator: "\n"))
            }
        }
        if !root.isEmpty, testRun?.failureCount ?? 0 == 0 { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Imports a file through the CLI, as staff do; returns the exit status and output.
    @discardableResult
    func importFile(_ path: String, kind: String, allowRejects: Bool = true) throws -> (Int32, String) {
        var args = ["import", path, "--kind", kind, "--control", launcher.control("intake")]
        if allowRejects { args.append("--allow-rejects") }
        return try runCLI(args)
    }

    func runCLI(_ args: [String]) throws -> (Int32, String) { try ServiceProcess.gonggu(args) }

    /// Starts the deployment, imports the survey and subsidy fixtures and ticks the assessment date
    /// (2025-12-31) to the verifier and the risk monitor: the bureaus then have risk feedback waiting.
    func startWithRiskFeedback() throws {
        try launcher.startAll()
        try importFile(fixture("survey_utf8.csv"), kind: "survey")
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        try launcher.waitIdle(timeout: 60)
        tick("2025-12-31", services: ["verify", "risk"])
        try launcher.waitIdle(timeout: 60)
    }

    func tick(_ date: String, services: [String] = ["verify", "risk", "notify"]) {
        for s in services {
            XCTAssertEqual(launcher.call(s, "TICK", body: "{\"date\":\"\(date)\"}", timeoutMs: 30_000)?.status, "OK", "tick \(s)")
        }
    }

    /// Fixture files of the intake tests (in the intake room; copied into the test bundle's resources there, here by path).
    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/gonggu-intake/Tests/Fixtures/\(name)").path
    }
}

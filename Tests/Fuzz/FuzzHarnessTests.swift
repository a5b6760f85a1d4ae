import Foundation
import GongguFuzz
import XCTest

/// The bounded CI run (docs/FUZZING.md, "CI"): every parser replays its saved corpus (seeds and the inputs
/// of crashes found and fixed) and then takes mutated inputs for a few seconds, in a child process, so
/// a crash is reported with its saved input rather than taking the test runner down. Seconds per
/// target: `GONGGU_FUZZ_SECONDS` (default 8; 9 targets ≈ 80 s in all).
final class FuzzHarnessTests: XCTestCase {
    static var corpusRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus").path
    }

    static var binary: URL {
        var url = Bundle(for: FuzzHarnessTests.self).bundleURL
        while url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url.appendingPathComponent("gonggu-fuzz")
    }

    var secondsPerTarget: String { ProcessInfo.processInfo.environment["GONGGU_FUZZ_SECONDS"] ?? "8" }

    /// Runs `gonggu-fuzz` with `arguments`; returns its exit status (or −signal), stdout and stderr.
    func fuzz(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal
        let status = signalled ? -process.terminationStatus : process.terminationStatus
        return (status, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "gonggu-fuzz-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testEveryTargetHasASavedCorpus() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpusRoot).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(Set(folders), Set(FuzzTargets.all.map(\.name)), "one corpus folder per target")
        for target in FuzzTargets.all {
            let entries = try FuzzRunner.loadCorpus([Self.corpusRoot + "/" + target.name])
            XCTAssertGreaterThan(entries.count, 0, "\(target.name) has seeds")
            XCTAssertLessThan(entries.map(\.count).reduce(0, +), 256 * 1024, "\(target.name) corpus stays small")
        }
    }

    func testEveryParserSurvivesItsCorpusAndABoundedMutationRun() throws {
        let seed = ProcessInfo.processInfo.environment["GONGGU_FUZZ_SEED"] ?? "\(UInt32.random(in: 1...UInt32.max))"
        for target in FuzzTargets.all {
            let artifacts = try temporaryFolder()
            let corpus = Self.corpusRoot + "/" + target.name
            let run = try fuzz([
                "run", "--target", target.name, "--seconds", secondsPerTarget, "--seed", seed, "--corpus", corpus,
                "--artifacts", artifacts, "--timeout-ms", "10000", "--max-len", "4096",
            ])
            let saved = (try? FileManager.default.contentsOfDirectory(atPath: artifacts)) ?? []
            XCTAssertEqual(
                run.status, 0,
                "\(target.name) (seed \(seed)) failed; inputs saved: \(saved); re-run with GONGGU_FUZZ_SEED=\(seed)\n"
                    + run.errors.suffix(2000))
            let report = try XCTUnwrap(
                run.output.split(separator: "\n").last.map { Array($0.utf8) }, "\(target.name) printed its figures")
            let figures = try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any]
            let executions = figures?["executions"] as? Int ?? 0
            let corpusCount = figures?["corpus"] as? Int ?? 0
            XCTAssertGreaterThan(executions, corpusCount, "\(target.name) ran mutations beyond its corpus")
            XCTAssertGreaterThan(figures?["accepted"] as? Int ?? 0, 0, "\(target.name) accepted some inputs")
            XCTAssertGreaterThan(figures?["refused"] as? Int ?? 0, 0, "\(target.name) refused some inputs")
        }
    }

    func testACrashingInputIsCaughtAndSaved() throws {
        let corpus = try temporaryFolder(), artifacts = try temporaryFolder()
        try Data("TRAP and more".utf8).write(to: URL(fileURLWithPath: corpus + "/trap"))
        let run = try fuzz([
            "run", "--target", "self-test-trap", "--seconds", "5", "--corpus", corpus, "--artifacts", artifacts,
        ])
        XCTAssertLessThan(run.status, 0, "the process died of a signal")
        let saved = try FileManager.default.contentsOfDirectory(atPath: artifacts)
        XCTAssertEqual(saved.count, 1)
        XCTAssertTrue(saved[0].hasPrefix("crash-self-test-trap-"))
        XCTAssertEqual(FileManager.default.contents(atPath: artifacts + "/" + saved[0]), Data("TRAP and more".utf8))
    }

    func testAHangingInputIsCaughtAndSaved() throws {
        let corpus = try temporaryFolder(), artifacts = try temporaryFolder()
        try Data("HANG".utf8).write(to: URL(fileURLWithPath: corpus + "/hang"))
        let began = Date()
        let run = try fuzz([
            "run", "--target", "self-test-hang", "--seconds", "30", "--corpus", corpus, "--artifacts", artifacts,
            "--timeout-ms", "500",
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertLessThan(Date().timeIntervalSince(began), 20, "stopped by the per-input limit, not the budget")
        let saved = try FileManager.default.contentsOfDirectory(atPath: artifacts)
        XCTAssertEqual(saved, saved.filter { $0.hasPrefix("hang-self-test-hang-") })
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(FileManager.default.contents(atPath: artifacts + "/" + saved[0]), Data("HANG".utf8))
    }

    func testMutationsRepeatFromTheirSeed() {
        let mutator = Mutator(dictionary: [Array("\"".utf8), [0xEF, 0xBB, 0xBF]], maxLength: 4096)
        let base = Array("身份证号,户编号\n220102198001010012,HH001\n".utf8)
        func sequence(_ seed: UInt64) -> [[UInt8]] {
            var random = FuzzRandom(seed: seed)
            return (0..<200).map { _ in mutator.mutate(base, other: base, random: &random) }
        }
        XCTAssertEqual(sequence(7), sequence(7))
        XCTAssertNotEqual(sequence(7), sequence(8))
        XCTAssertTrue(sequence(9).allSatisfy { $0.count <= 4096 })
    }
}

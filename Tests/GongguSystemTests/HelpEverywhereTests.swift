import Foundation
import XCTest

/// Every command and subcommand of `gonggu`, and the service executables, `gonggu-bench` and
/// `gonggu-fuzz`, answer `--help` and `-h` with usage on stdout and exit 0, without side effects:
/// each runs in an empty folder that must still be empty afterwards.
final class HelpEverywhereTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("help") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs a built executable in the empty folder; a command that ignored `--help` and started
    /// working is killed at the deadline and fails the test.
    private func run(_ binary: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> (status: Int32, out: String, err: String)
    {
        let p = Process()
        p.executableURL = ServiceProcess.executable(binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir
        p.environment = env
        let outFile = URL(fileURLWithPath: NSTemporaryDirectory() + "help-out-\(UUID().uuidString)")
        let errFile = URL(fileURLWithPath: NSTemporaryDirectory() + "help-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTFail("\(binary) \(args.joined(separator: " ")) did not answer within 60 s", file: file, line: line)
        }
        let out = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return (p.terminationStatus, out, err)
    }

    private func assertHelp(
        _ binary: String, _ args: [String], mentions: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let r = try run(binary, args, file: file, line: line)
        let call = "\(binary) \(args.joined(separator: " "))"
        XCTAssertEqual(r.status, 0, "\(call): \(r.out)\(r.err)", file: file, line: line)
        XCTAssertTrue(r.out.contains("usage:"), "\(call) prints usage: \(r.out)", file: file, line: line)
        XCTAssertTrue(r.out.contains(mentions), "\(call) names '\(mentions)': \(r.out)", file: file, line: line)
        let first = r.out.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(
            first.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
            "\(call): a Chinese summary line first, got '\(first)'", file: file, line: line)
        XCTAssertEqual(r.err, "", "\(call): nothing on stderr", file: file, line: line)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        XCTAssertEqual(left, [], "\(call) created files in the working folder", file: file, line: line)
    }

    /// `gonggu help --list` is the registry main.swift dispatches through; every entry answers both flags.
    func testEveryGongguCommandAndSubcommandAnswersHelp() throws {
        let listed = try run("gonggu", ["help", "--list"])
        XCTAssertEqual(listed.status, 0, listed.err)
        let paths = listed.out.split(separator: "\n").map(String.init)
        // The registry holds the commands the top-level usage has always listed, with their subcommands.
        for expected in [
            "log verify", "log tail", "import", "rejects", "status", "tick", "keys new", "keys rotate", "backup",
            "restore", "recipient", "continuity", "report", "simulate", "demo", "replay", "why", "asof",
            "rules show", "rules diff", "recipients diff", "snapshot list", "snapshot take", "dev emit",
        ] {
            XCTAssertTrue(paths.contains(expected), "\(expected) missing from \(paths)")
        }
        let top = try run("gonggu", ["--help"])
        XCTAssertEqual(top.status, 0)
        for path in paths {
            let words = path.split(separator: " ").map(String.init)
            XCTAssertTrue(top.out.contains("\n  \(words[0]) "), "top-level usage lists \(words[0])")
            for flag in ["--help", "-h"] {
                try assertHelp("gonggu", words + [flag], mentions: "gonggu \(path)")
            }
            try assertHelp("gonggu", ["help"] + words, mentions: "gonggu \(path)")
        }
        // The flag after other options still wins: no demo in the working folder, no keys written.
        try assertHelp("gonggu", ["demo", "--households", "5", "-h"], mentions: "gonggu demo")
        try assertHelp("gonggu", ["keys", "new", "someone", "--help"], mentions: "gonggu keys new")
        // Unknown commands stay usage errors.
        XCTAssertEqual(try run("gonggu", ["no-such-command", "--help"]).status, 64)
        XCTAssertEqual(try run("gonggu", ["help", "no-such-command"]).status, 64)
    }

    func testServiceExecutablesAnswerHelp() throws {
        for s in ["intake", "risk", "verify", "notify"] {
            for flag in ["--help", "-h"] {
                try assertHelp("gonggu-\(s)", [flag], mentions: "usage: gonggu-\(s)")
                try assertHelp("gonggu-\(s)", ["--config", "\(dir)/absent.json", flag], mentions: "usage: gonggu-\(s)")
            }
            XCTAssertEqual(try run("gonggu-\(s)", ["--no-such-option"]).status, 64)
        }
    }

    /// `gonggu-bench` and every suite its usage names: `--help` prints the usage instead of running the suite.
    func testBenchAndFuzzAnswerHelp() throws {
        let usage = try run("gonggu-bench", ["--help"]).out
        let suites = usage.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard let i = words.firstIndex(of: "gonggu-bench"), i + 1 < words.count else { return nil }
            return String(words[i + 1])
        }.flatMap { $0.split(separator: "|").map(String.init) }
        XCTAssertTrue(suites.contains("backbone") && suites.contains("chaos") && suites.contains("verify"), "\(suites)")
        for flag in ["--help", "-h"] {
            try assertHelp("gonggu-bench", [flag], mentions: "usage: gonggu-bench")
            for suite in suites { try assertHelp("gonggu-bench", [suite, flag], mentions: "usage: gonggu-bench") }
            try assertHelp("gonggu-fuzz", [flag], mentions: "usage: gonggu-fuzz")
            for verb in ["list", "run", "replay"] { try assertHelp("gonggu-fuzz", [verb, flag], mentions: "gonggu-fuzz \(verb)") }
        }
        try assertHelp("gonggu-fuzz", ["help"], mentions: "usage: gonggu-fuzz")
        XCTAssertEqual(try run("gonggu-bench", ["no-such-suite"]).status, 64)
        XCTAssertEqual(try run("gonggu-bench", ["backbone", "--evnets", "5"]).status, 64, "a misspelled option does not run")
        XCTAssertEqual(try run("gonggu-bench", ["risk", "--persons", "many"]).status, 64)
        XCTAssertEqual(try run("gonggu-fuzz", ["run", "--no-such-option"]).status, 64)
    }
}

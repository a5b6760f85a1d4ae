import Foundation
import GongguHarness
import GongguRuntime
import XCTest

/// The Docker image's HEALTHCHECK and compose's health timeouts leave
/// `gonggu status` its own wait, and `gonggu demo` prints the `GONGGU_*` settings an operator needs
/// to point the CLI at the running demo.
final class OperatorSurfaceTests: XCTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// `--timeout N` of a `gonggu status` command line (the status command's own wait, seconds).
    func statusWait(_ line: String) -> Int? {
        guard let r = line.range(of: #"--timeout"?,?\s*"?(\d+)"#, options: .regularExpression) else { return nil }
        return Int(line[r].filter(\.isNumber))
    }

    func seconds(_ value: Substring) -> Int? {
        value.hasSuffix("s") ? Int(value.dropLast()) : nil
    }

    /// The image's HEALTHCHECK (in the base stage, so every target has it) asks `gonggu status` about
    /// the service the container runs — found from PID 1's command line — with a wait shorter than
    /// Docker's own timeout; a container running something else (e.g. `gonggu help`) is healthy.
    func testImageHealthcheckAsksStatusAboutItsOwnService() throws {
        let dockerfile = try text("docker/Dockerfile")
        let logical = dockerfile.replacingOccurrences(of: "\\\n", with: " ")
        let line = try XCTUnwrap(
            logical.split(separator: "\n").first { $0.hasPrefix("HEALTHCHECK") }, "the image has a HEALTHCHECK")
        let base = try XCTUnwrap(dockerfile.range(of: "AS runtime-base"))
        let host = try XCTUnwrap(dockerfile.range(of: "AS host"))
        let at = try XCTUnwrap(dockerfile.range(of: "HEALTHCHECK"))
        XCTAssertTrue(at.lowerBound > base.lowerBound && at.lowerBound < host.lowerBound, "in runtime-base")
        let cmd = try XCTUnwrap(line.range(of: " CMD "))
        let options = line[..<cmd.lowerBound].split(separator: " ")
        let dockerTimeout = try XCTUnwrap(
            options.first { $0.hasPrefix("--timeout=") }.flatMap { seconds($0.dropFirst("--timeout=".count)) })
        let script = String(line[cmd.upperBound...])
        let wait = try XCTUnwrap(statusWait(script), "the status wait is explicit")
        XCTAssertGreaterThan(dockerTimeout, wait, "Docker's timeout must outlast gonggu status's own wait")

        // Run the check's shell with a stand-in `gonggu` that records its arguments.
        let dir = try makeTemporaryDirectory("health")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "#!/bin/sh\necho \"$@\" > \(dir)/args\nexit 3\n".write(
            toFile: "\(dir)/gonggu", atomically: true, encoding: .utf8)
        chmod("\(dir)/gonggu", 0o755)
        func check(_ cmdline: [String]) throws -> (Int32, String) {
            try? FileManager.default.removeItem(atPath: "\(dir)/args")
            FileManager.default.createFile(
                atPath: "\(dir)/cmdline", contents: Data(cmdline.map { $0 + "\0" }.joined().utf8))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            p.environment = ["PATH": "\(dir):/usr/bin:/bin", "GONGGU_HEALTH_CMDLINE": "\(dir)/cmdline"]
            try p.run()
            p.waitUntilExit()
            let args = (try? String(contentsOfFile: "\(dir)/args", encoding: .utf8)) ?? ""
            return (p.terminationStatus, args.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        for s in ["intake", "verify", "risk", "notify"] {
            let (status, args) = try check(["/usr/local/bin/gonggu-\(s)", "--config", "/etc/gonggu/config/\(s).json"])
            XCTAssertNotEqual(status, 0, "the status command's failure is the check's failure")
            XCTAssertTrue(args.hasPrefix("status --service \(s) --timeout \(wait)"), args)
        }
        let (status, args) = try check(["gonggu", "help"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(args, "", "no service to ask")
    }

    /// The CLI and every service report the version they were built with (`Services/version.sh --stamp`).
    func testBinariesReportTheVersionTheyWereBuiltWith() throws {
        let (status, out) = try ServiceProcess.gonggu(["--version"])
        XCTAssertEqual(status, 0, out)
        XCTAssertEqual(out, "gonggu \(GongguVersion.current)\n")
        XCTAssertNotEqual(GongguVersion.current, "0.1.0", "no hard-coded version")
        for s in ["intake", "verify", "risk", "notify"] {
            let p = Process()
            p.executableURL = ServiceProcess.executable("gonggu-\(s)")
            p.arguments = ["--version"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(text, "gonggu-\(s) \(GongguVersion.current)\n")
        }
    }

    func testComposeHealthTimeoutOutlastsStatusWait() throws {
        let lines = try text("docker/compose.yaml").split(separator: "\n")
        var checked = 0
        for (i, line) in lines.enumerated() where line.contains("test:") && line.contains("\"status\"") {
            let wait = try XCTUnwrap(statusWait(String(line)), "explicit --timeout in \(line)")
            let timeoutLine = try XCTUnwrap(
                lines[i...].prefix(6).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("timeout:") })
            let timeout = try XCTUnwrap(seconds(timeoutLine.split(separator: ":")[1].drop { $0 == " " }))
            XCTAssertGreaterThan(timeout, wait, String(line))
            checked += 1
        }
        XCTAssertEqual(checked, 4, "one health check per service")
    }

    /// `gonggu demo --keep-running` prints `export GONGGU_…=…` lines; with exactly those, `gonggu status`
    /// and `gonggu keys list` work against the running demo.
    func testDemoPrintsTheSettingsThatReachIt() throws {
        let dir = try makeTemporaryDirectory("demo-env")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = try ServiceProcess(
            "gonggu", ["demo", "--households", "300", "--seed", "7", "--dir", "\(dir)/demo", "--keep-running"],
            logTo: dir)
        defer {
            demo.signal(SIGTERM)
            _ = demo.wait(timeout: 60)
        }
        var output = ""
        try waitFor("the demo to keep running", timeout: 600) {
            output = (try? String(contentsOf: demo.output, encoding: .utf8)) ?? ""
            return output.contains("services keep running") || !demo.process.isRunning
        }
        var environment: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export GONGGU_") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            environment[String(pair[0])] = String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        for s in ["INTAKE", "VERIFY", "RISK", "NOTIFY"] {
            XCTAssertNotNil(environment["GONGGU_\(s)_CONTROL"], output)
        }
        XCTAssertNotNil(environment["GONGGU_KEYS_DIRECTORY"], output)
        let status = try ServiceProcess.gonggu(["status"], environment: environment)
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        let keys = try ServiceProcess.gonggu(["keys", "list"], environment: environment)
        XCTAssertEqual(keys.status, 0, keys.stderr)
        XCTAssertTrue(keys.stdout.contains("notify\t"), keys.stdout)
    }
}

import Foundation
import GongguCore
import GongguHarness
import GongguTransport
import XCTest

/// Runs the package's built executables as real processes for end-to-end tests.
final class ServiceProcess {
    let process = Process()
    let name: String
    let output: URL

    /// The folder holding the built executables (next to the test bundle).
    static var binDirectory: URL {
        var url = Bundle(for: ServiceProcess.self).bundleURL
        while url.pathExtension == "xctest" || url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url
    }

    static func executable(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }

    /// Runs the `gonggu` CLI to completion; returns its exit status and its output (stdout and stderr).
    static func gonggu(_ args: [String]) throws -> (Int32, String) {
        let r = try runToCompletion(executable("gonggu"), args)
        return (r.status, r.output)
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], logTo directory: String) throws {
        name = executable
        process.executableURL = Self.executable(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        output = URL(fileURLWithPath: directory).appendingPathComponent("\(executable)-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for exit; returns the exit status, or nil on timeout.
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func kill9() {
        signal(SIGKILL)
        _ = wait(timeout: 10)
    }

    func stop() {
        if process.isRunning {
            signal(SIGTERM)
            if wait(timeout: 10) == nil { kill9() }
        }
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
}

/// A fresh folder, private like a data folder.
func makeTemporaryDirectory(_ label: String = "sys") throws -> String {
    let path = NSTemporaryDirectory() + "gonggu-\(label)-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return path
}

/// Sends one command; nil when there is no answer.
func command(_ endpoint: String, _ name: String, _ body: String = "{}", timeoutMs: Int32 = 2000) -> (String, JSONValue?)? {
    let client = CommandClient(stream: "test", endpoint: endpoint, timeoutMs: timeoutMs)
    defer { client.close() }
    guard let reply = try? client.call(name, body: Array(body.utf8)) else { return nil }
    return (reply.status, try? JSONValue.parse(reply.body))
}

/// Waits until a service answers PING.
func waitReady(_ endpoint: String, timeout: TimeInterval = 30) throws {
    try waitFor("\(endpoint) to answer", timeout: timeout) { command(endpoint, "PING", timeoutMs: 300)?.0 == "OK" }
}

extension ServiceProcess {
    /// Runs the `gonggu` CLI to completion with extra environment variables; stdout and stderr apart.
    static func gonggu(_ args: [String], environment: [String: String]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let r = try runToCompletion(executable("gonggu"), args, environment: environment, separateErrors: true)
        return (r.status, r.output, r.errors)
    }
}

/// Starts `gonggu-verify` (data in `dataDirectory`, sockets under `dir`, control at `control`) following the
/// intake log at `intakeLog` by its file, so intake itself need not run. Its output goes to `dir`.
func startVerifyFollowingFile(intakeLog: String, dir: String, dataDirectory: String, control: String) throws
    -> ServiceProcess
{
    let config = "\(dir)/verify.json"
    let fields: [String: Any] = [
        "data": ["directory": dataDirectory],
        "endpoints": ["publish": "ipc://\(dir)/verify-pub.sock", "control": control],
        "upstreams": ["intake"],
        "upstream": [
            "intake": [
                "publish": "ipc://\(dir)/intake-pub.sock", "replay": "ipc://\(dir)/intake-ctl.sock",
                "read_file": true, "log": intakeLog,
            ]
        ],
    ]
    try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: config))
    return try ServiceProcess("gonggu-verify", ["--config", config], logTo: dir)
}

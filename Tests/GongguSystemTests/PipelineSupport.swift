import Foundation
import GongguCore
import GongguRuntime
import GongguServices
import GongguTransport
import XCTest

/// A recipient client in the test process (CURVE DEALER), to control exactly what it acknowledges.
final class TestRecipient {
    let socket: ZMQSocket
    private(set) var received: [JSONValue] = []

    init(keyFile: String, serverPublicKeyFile: String, endpoint: String) throws {
        socket = try ZMQSocket(.dealer, lingerMs: 1000, maxMessageSize: 4 << 20)
        try socket.makeCurveClient(try KeyFiles.readPair(keyFile), serverKey: try KeyFiles.readPublic(serverPublicKeyFile))
        try socket.connect(endpoint)
        try socket.send(Array("{\"type\":\"hello\"}".utf8))
    }

    /// Collects notifications until `count` arrived or `quiet` seconds pass without any.
    @discardableResult
    func collect(atLeast count: Int = Int.max, quiet: TimeInterval = 1.5, timeout: TimeInterval = 30) throws -> [JSONValue] {
        var got: [JSONValue] = []
        let deadline = Date().addingTimeInterval(timeout)
        var last = Date()
        while Date() < deadline && got.count < count && Date().timeIntervalSince(last) < quiet {
            guard try socket.waitReadable(timeoutMs: 50), let m = try socket.receiveMessage(dontWait: true),
                let v = try? JSONValue.parse(m.parts.last ?? [])
            else { continue }
            last = Date()
            if v["type"]?.stringValue == "notification" { got.append(v) }
        }
        received += got
        return got
    }

    func ack(_ notifications: [JSONValue]) throws {
        for n in notifications {
            try socket.send(Array("{\"type\":\"ack\",\"id\":\"\(n["id"]?.stringValue ?? "")\"}".utf8))
        }
    }

    /// The next message that is no notification: its `type`, or its `code` for an error; "none" if nothing
    /// came within `timeout` seconds.
    func nextReply(timeout: TimeInterval = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard try socket.waitReadable(timeoutMs: 50), let m = try socket.receiveMessage(dontWait: true),
                let v = try? JSONValue.parse(m.parts.last ?? []), let type = v["type"]?.stringValue,
                type != "notification"
            else { continue }
            return type == "error" ? v["code"]?.stringValue ?? "error" : type
        }
        return "none"
    }

    func close() { socket.close() }
}

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

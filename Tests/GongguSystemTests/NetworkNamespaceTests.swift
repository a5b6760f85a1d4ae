import Foundation
import GongguCore
import GongguRuntime
import GongguHarness
import GongguServices
import GongguTransport
import XCTest

/// Internal links across hosts (docs/OPERATIONS.md §12), for real. Intake and its followers run in two
/// network namespaces the test creates (joined by a veth pair with addresses that exist only inside
/// them; nothing reaches a real network), so the only way from one to the other is TCP: publish and
/// replay with CURVE, each follower authenticating with its own key, admitted by intake's ZAP handler.
/// A follower whose key intake does not list is refused and gets nothing. Needs root (`ip netns`).
final class NetworkNamespaceTests: XCTestCase {
    var dir = ""
    var namespaces: [String] = []
    var processes: [Process] = []
    var logs: [String: String] = [:]

    override func setUpWithError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else {
            throw XCTSkip("needs root and iproute2 (ip netns)")
        }
        dir = try makeTemporaryDirectory("netns")
    }

    override func tearDown() {
        for p in processes where p.isRunning {
            kill(p.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        processes = []
        // Deleting a namespace deletes its end of the veth pair, and with it the other end.
        for ns in namespaces { _ = try? ip(["netns", "delete", ns]) }
        namespaces = []
    }

    @discardableResult
    func ip(_ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Two namespaces `a` and `b`, each with loopback up, joined by a veth pair: `a` at `addressA`,
    /// `b` at `addressB` (a /30 that exists only between them).
    func makeNamespaces(addressA: String, addressB: String) throws -> (a: String, b: String) {
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let a = "gonggu-a-\(tag)", b = "gonggu-b-\(tag)"
        for ns in [a, b] {
            XCTAssertEqual(try ip(["netns", "add", ns]), 0)
            namespaces.append(ns)
            XCTAssertEqual(try ip(["-n", ns, "link", "set", "lo", "up"]), 0)
        }
        let va = "gva\(tag)", vb = "gvb\(tag)"
        XCTAssertEqual(try ip(["link", "add", va, "netns", a, "type", "veth", "peer", "name", vb, "netns", b]), 0)
        XCTAssertEqual(try ip(["-n", a, "addr", "add", "\(addressA)/30", "dev", va]), 0)
        XCTAssertEqual(try ip(["-n", b, "addr", "add", "\(addressB)/30", "dev", vb]), 0)
        XCTAssertEqual(try ip(["-n", a, "link", "set", va, "up"]), 0)
        XCTAssertEqual(try ip(["-n", b, "link", "set", vb, "up"]), 0)
        return (a, b)
    }

    /// Starts a service executable inside `namespace` (`ip netns exec` replaces itself with it).
    func start(_ executable: String, in namespace: String, config: [String: Any], name: String) throws {
        let path = "\(dir)/\(name).json"
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        let log = "\(dir)/\(name).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        p.arguments = ["netns", "exec", namespace, ServiceProcess.executable(executable).path, "--config", path]
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        processes.append(p)
        logs[name] = log
    }

    func log(_ name: String) -> String { (try? String(contentsOfFile: logs[name]!, encoding: .utf8)) ?? "" }

    func status(_ control: String) -> JSONValue? { command(control, "STATUS", timeoutMs: 2000)?.1 ?? nil }

    func cursor(_ control: String) -> Int {
        status(control)?["upstreams"]?.arrayValue?.first?["cursor"]?.intValue ?? -1
    }

    func follower(_ name: String, key: String, intakeAddress: String) -> [String: Any] {
        [
            "data": ["directory": "\(dir)/\(name)"],
            "endpoints": ["publish": "ipc://\(dir)/\(name)-publish.sock", "control": "ipc://\(dir)/\(name)-control.sock"],
            "heartbeat": ["milliseconds": 100],
            "control": ["key_file": "\(dir)/keys/\(key).key"],
            "upstreams": ["intake"],
            "upstream": [
                "intake": [
                    "read_file": false, "publish": "tcp://\(intakeAddress):7101", "replay": "tcp://\(intakeAddress):7102",
                    "server_public_key_file": "\(dir)/keys/intake.pub",
                ]
            ],
        ]
    }

    func testFollowersInAnotherNetworkNamespaceGetEverythingOverCurveAndAWrongKeyIsRefused() throws {
        for name in ["intake", "verify", "impostor"] {
            try KeyFiles.write(try CurveKeyPair.generate(), name: name, directory: "\(dir)/keys")
        }
        let addressA = "10.231.7.1", addressB = "10.231.7.2"
        let (a, b) = try makeNamespaces(addressA: addressA, addressB: addressB)
        let intakeLocal = "ipc://\(dir)/intake-control.sock"
        try start(
            "gonggu-intake", in: a,
            config: [
                "data": ["directory": "\(dir)/intake"],
                "endpoints": [
                    "publish": "tcp://\(addressA):7101", "control": "tcp://\(addressA):7102", "local_control": intakeLocal,
                ],
                "heartbeat": ["milliseconds": 100],
                "control": [
                    "key_file": "\(dir)/keys/intake.key",
                    "clients": [["name": "verify", "public_key_file": "\(dir)/keys/verify.pub", "roles": ["internal"]]],
                ],
            ], name: "intake")
        // The local control socket is a file: the test (in the root namespace) reaches it like an operator.
        try waitReady(intakeLocal)
        let verifyControl = "ipc://\(dir)/verify-control.sock", impostorControl = "ipc://\(dir)/impostor-control.sock"
        try start("gonggu-verify", in: b, config: follower("verify", key: "verify", intakeAddress: addressA), name: "verify")
        try start(
            "gonggu-verify", in: b, config: follower("impostor", key: "impostor", intakeAddress: addressA), name: "impostor")
        try waitReady(verifyControl)
        try waitReady(impostorControl)

        let survey = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/gonggu-intake/Tests/Fixtures/survey_utf8.csv").path
        let (importStatus, importOutput) = try ServiceProcess.gonggu(
            ["import", survey, "--kind", "survey", "--control", intakeLocal, "--allow-rejects", "--quiet"])
        XCTAssertEqual(importStatus, 0, importOutput)
        let intakeSeq = status(intakeLocal)?["lastSeq"]?.intValue ?? 0
        XCTAssertGreaterThan(intakeSeq, 1, "\(String(describing: status(intakeLocal)))")

        // The follower with a listed key gets every event across the namespaces, over CURVE only.
        try waitFor("verify to consume intake's log over TCP", timeout: 60) { cursor(verifyControl) == intakeSeq }
        // The impostor is refused by intake's ZAP handler (logged with its address) and gets nothing.
        try waitFor("intake to log the impostor's refusal", timeout: 60) {
            log("intake").split(separator: "\n").contains {
                $0.contains("connection with an unknown CURVE key refused") && $0.contains(addressB)
            }
        }
        XCTAssertEqual(cursor(impostorControl), 0, log("impostor"))
        XCTAssertTrue(log("intake").contains("\"socket\":\"control\""), log("intake"))
        XCTAssertTrue(log("intake").contains("\"socket\":\"publish\""), log("intake"))
        // Nothing in the root namespace can reach intake's TCP endpoints: they exist only inside `a`.
        XCTAssertNil(command("tcp://\(addressA):7102", "PING", timeoutMs: 500))
    }
}

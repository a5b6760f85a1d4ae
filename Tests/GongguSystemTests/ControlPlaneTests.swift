import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguServices
import GongguTransport
import XCTest

/// Who may drive the services (docs/OPERATIONS.md §12). Real service processes; local control over ipc
/// sockets the file system guards, CURVE operator keys with roles over TCP, and plain TCP refused.
final class ControlPlaneTests: XCTestCase {
    var processes: [ServiceProcess] = []
    var dir = ""

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("ctl")
    }

    override func tearDown() {
        for p in processes { p.stop() }
        processes = []
    }

    /// A TCP port on loopback the kernel just handed out and freed.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    func writeConfig(_ name: String, _ fields: [String: Any]) throws -> String {
        let path = "\(dir)/\(name).json"
        try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A key pair written as `gonggu keys new NAME` writes it; returns it.
    func newKey(_ name: String) throws -> CurveKeyPair {
        let keys = try CurveKeyPair.generate()
        try KeyFiles.write(keys, name: name, directory: "\(dir)/keys")
        return keys
    }

    func start(_ executable: String, config: String) throws -> ServiceProcess {
        let p = try ServiceProcess(executable, ["--config", config], logTo: dir)
        processes.append(p)
        return p
    }

    /// Runs a program as `nobody` (uid/gid 65534), with `groups` as its only supplementary groups.
    func runAsNobody(_ arguments: [String], groups: [Int], limit: TimeInterval = 30) throws -> (Int32?, String) {
        let out = "\(dir)/nobody-\(UUID().uuidString.prefix(6)).out"
        FileManager.default.createFile(atPath: out, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        let groupOption = groups.isEmpty ? ["--clear-groups"] : ["--groups=" + groups.map(String.init).joined(separator: ",")]
        p.arguments = ["--reuid=65534", "--regid=65534"] + groupOption + arguments
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        try handle.close()
        return (p.isRunning ? nil : p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func commandsAccepted(_ log: String) throws -> [CommandAccepted] {
        try GongguStoreTestAccess.events(path: log).filter { $0.type == CommandAccepted.eventType }
            .map { try $0.decode(CommandAccepted.self) }
    }

    // MARK: Local control: only the service group

    /// The runtime folder is made 0750 and the socket files 0660, so an account outside the service
    /// group (`nobody`) cannot reach intake's or verify's control endpoint, even with the folder's parent
    /// open to all; the same account *in* the group can, and its command is recorded under its uid.
    func testAnAccountOutsideTheServiceGroupCannotConnectToAnyControlEndpoint() throws {
        // The test's folder is 0700; open it (and a world-readable input file) so that only the
        // runtime folder's own mode stands between nobody and the sockets.
        chmod(dir, 0o755)
        let run = "\(dir)/run"
        let intakeControl = "ipc://\(run)/intake-control.sock", verifyControl = "ipc://\(run)/verify-control.sock"
        let intakeConfig = try writeConfig(
            "intake",
            [
                "data": ["directory": "\(dir)/intake"],
                "endpoints": ["publish": "ipc://\(run)/intake-publish.sock", "control": intakeControl],
            ])
        _ = try start("gonggu-intake", config: intakeConfig)
        try waitReady(intakeControl)
        let verifyConfig = try writeConfig(
            "verify",
            [
                "data": ["directory": "\(dir)/verify"],
                "endpoints": ["publish": "ipc://\(run)/verify-publish.sock", "control": verifyControl],
                "upstream": ["intake": ["log": "\(dir)/intake/intake.log.sqlite"]],
            ])
        _ = try start("gonggu-verify", config: verifyConfig)
        try waitReady(verifyControl)
        XCTAssertEqual(mode(run), 0o750)
        for socket in ["intake-control", "verify-control", "intake-publish", "verify-publish"] {
            XCTAssertEqual(mode("\(run)/\(socket).sock"), 0o660, socket)
        }
        let input = "\(dir)/one.csv"
        try "身份证号,户编号,区划代码\n".write(toFile: input, atomically: true, encoding: .utf8)
        chmod(input, 0o644)
        let gonggu = ServiceProcess.executable("gonggu").path

        // Outside the group: import fails as unreachable (69) naming the endpoint; status finds nobody.
        let (importStatus, importOutput) = try runAsNobody(
            [gonggu, "import", input, "--kind", "survey", "--control", intakeControl, "--connect-timeout", "2"], groups: [])
        XCTAssertEqual(importStatus, 69, importOutput)
        XCTAssertTrue(importOutput.contains(intakeControl), importOutput)
        for (service, endpoint) in [("intake", intakeControl), ("verify", verifyControl)] {
            let (status, output) = try runAsNobody(
                ["/usr/bin/env", "GONGGU_\(service.uppercased())_CONTROL=\(endpoint)", gonggu, "status", "--json"],
                groups: [])
            XCTAssertNotEqual(status, 0, output)
            XCTAssertFalse(output.contains("\"lastSeq\""), "nobody got an answer from \(service): \(output)")
        }

        // In the group (here the folder's group, root's 0): the same import goes through and is recorded.
        let (inGroupStatus, inGroupOutput) = try runAsNobody(
            [gonggu, "import", input, "--kind", "survey", "--control", intakeControl], groups: [0])
        // (A header without the survey's required columns: the file is refused, 65, after the session began.)
        XCTAssertNotEqual(inGroupStatus, 69, inGroupOutput)
        XCTAssertTrue(inGroupOutput.contains("导入 \(input)"), inGroupOutput)
        let accepted = try commandsAccepted("\(dir)/intake/intake.log.sqlite")
        XCTAssertEqual(accepted.count, 1, "\(accepted)")
        XCTAssertEqual(accepted.first?.command, "IMPORT_BEGIN")
        XCTAssertEqual(accepted.first?.channel, "local")
        XCTAssertTrue(accepted.first?.by.hasPrefix("uid:65534") ?? false, "\(accepted)")
    }

    /// The four services as the launcher lays them out (sockets in its folder, made 0750 here as systemd
    /// makes /run/gonggu, inside a folder open to all): nobody cannot reach the control endpoint of any
    /// of them; nobody in the folder's group (root's 0) reaches each.
    func testNobodyCannotReachTheControlEndpointOfAnyOfTheFourServices() throws {
        chmod(dir, 0o755)
        let l = PipelineLauncher(directory: "\(dir)/deploy", recipients: [], binDirectory: ServiceProcess.binDirectory)
        try l.prepare()
        defer { l.stopAll() }
        chmod("\(dir)/deploy", 0o750)
        try l.startAll()
        let gonggu = ServiceProcess.executable("gonggu").path
        for s in PipelineLauncher.services {
            let endpoint = l.control(s)
            XCTAssertEqual(mode(String(endpoint.dropFirst("ipc://".count))), 0o660, s)
            // Every endpoint: `status --service` also asks the service's upstreams (lag).
            let environment = PipelineLauncher.services.map { "GONGGU_\($0.uppercased())_CONTROL=\(l.control($0))" }
            let command = ["/usr/bin/env"] + environment + [gonggu, "status", "--service", s, "--json"]
            let (outside, outsideOutput) = try runAsNobody(command, groups: [])
            XCTAssertNotEqual(outside, 0, "\(s): \(outsideOutput)")
            XCTAssertFalse(outsideOutput.contains("\"lastSeq\""), "nobody got an answer from \(s): \(outsideOutput)")
            let (inside, insideOutput) = try runAsNobody(command, groups: [0], limit: 60)
            XCTAssertEqual(inside, 0, "\(s): \(insideOutput)")
            XCTAssertTrue(insideOutput.contains("\"lastSeq\""), "\(s): \(insideOutput)")
        }
    }

    // MARK: Operator keys and roles over TCP

    /// An operator key with the `clock` role only: TICK is accepted and recorded under the key's name;
    /// RULES is refused with a Chinese + English reason and the refusal is logged; an unknown key gets no
    /// answer at all (ZAP refuses the connection), which is logged too.
    func testAnOperatorKeyWithoutTheRulesRoleIsRefusedRulesAndTheRefusalIsLogged() throws {
        let server = try newKey("verify"), clerk = try newKey("clerk"), officer = try newKey("officer")
        let stranger = try CurveKeyPair.generate()
        let control = "tcp://127.0.0.1:\(Self.freePort())"
        let config = try writeConfig(
            "verify",
            [
                "data": ["directory": "\(dir)/verify"], "upstreams": [] as [String],
                "endpoints": ["publish": "ipc://\(dir)/verify-publish.sock", "control": control],
                "control": [
                    "key_file": "\(dir)/keys/verify.key",
                    "clients": [
                        ["name": "clerk", "public_key_file": "\(dir)/keys/clerk.pub", "roles": ["clock"]],
                        ["name": "officer", "public_key_file": "\(dir)/keys/officer.pub", "roles": ["rules"]],
                    ],
                ],
            ])
        let verify = try start("gonggu-verify", config: config)
        func call(_ keys: CurveKeyPair, _ name: String, _ body: String) -> (String, String)? {
            let client = CommandClient(stream: "verify", endpoint: control, timeoutMs: 2000, curve: (keys, server.publicKey))
            defer { client.close() }
            guard let r = try? client.call(name, body: Array(body.utf8)) else { return nil }
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }
        try waitFor("verify to answer the clerk") { call(clerk, "PING", "{}")?.0 == "OK" }

        let document = RuleSetName.verify.defaultDocument
        let rulesBody = JSONValue.object([("document", .string(document))]).jsonString
        let refused = call(clerk, "RULES", rulesBody)
        XCTAssertEqual(refused?.0, "ERROR", "\(String(describing: refused))")
        XCTAssertTrue(refused?.1.contains("forbidden") ?? false, "\(String(describing: refused))")
        XCTAssertTrue(refused?.1.contains("没有“规则”权限") ?? false, "\(String(describing: refused))")
        try waitFor("the refusal in the service's log") {
            verify.log.split(separator: "\n").contains {
                $0.contains("control command refused") && $0.contains("\"RULES\"") && $0.contains("clerk")
            }
        }
        XCTAssertEqual(call(clerk, "TICK", #"{"date": "2026-12-01"}"#)?.0, "OK")
        XCTAssertNotEqual(call(officer, "TICK", #"{"date": "2026-12-02"}"#)?.0, "OK")
        XCTAssertNil(call(stranger, "PING", "{}"), "an unknown key must not be answered")
        try waitFor("the unknown key's refusal in the log") { verify.log.contains("connection with an unknown CURVE key refused") }

        verify.stop()
        let accepted = try commandsAccepted("\(dir)/verify/verify.log.sqlite")
        XCTAssertEqual(accepted.map(\.command), ["TICK"], "\(accepted)")
        XCTAssertEqual(accepted.first?.by, "clerk")
        XCTAssertEqual(accepted.first?.channel, "curve")
        XCTAssertEqual(accepted.first?.detail, "2026-12-01")
    }

    // MARK: Plain TCP refused

    /// A TCP control, publish or upstream endpoint without CURVE keys: the service exits 78 at start
    /// with a Chinese and English message naming the key and the endpoint.
    func testATCPControlOrInternalEndpointWithoutCurveIsRefusedAtStart() throws {
        _ = try newKey("verify")
        let tcp = "tcp://127.0.0.1:\(Self.freePort())"
        let cases: [(String, [String: Any])] = [
            ("endpoints.control", ["endpoints": ["control": tcp, "publish": "ipc://\(dir)/p1.sock"], "upstreams": [] as [String]]),
            ("endpoints.publish", ["endpoints": ["control": "ipc://\(dir)/c2.sock", "publish": tcp], "upstreams": [] as [String]]),
            (
                "upstream.intake.publish",
                [
                    "endpoints": ["control": "ipc://\(dir)/c3.sock", "publish": "ipc://\(dir)/p3.sock"],
                    "control": ["key_file": "\(dir)/keys/verify.key"],
                    "upstream": ["intake": ["publish": tcp, "log": "\(dir)/none.sqlite"]],
                ]
            ),
        ]
        for (i, (key, fields)) in cases.enumerated() {
            var f = fields
            f["data"] = ["directory": "\(dir)/data\(i)"]
            let p = try start("gonggu-verify", config: try writeConfig("case\(i)", f))
            let status = p.wait(timeout: 60)
            XCTAssertEqual(status, 78, "\(key): \(p.log)")
            XCTAssertTrue(p.log.contains(key) && p.log.contains(tcp), "\(key): \(p.log)")
            XCTAssertTrue(p.log.contains("未配置 CURVE 加密认证，拒绝启动"), p.log)
            XCTAssertTrue(p.log.contains("without CURVE is refused"), p.log)
        }
    }

    /// The test-only override lets plain TCP through, and says so loudly at every start.
    func testThePlainTCPOverrideIsWarnedAboutAtStart() throws {
        let control = "tcp://127.0.0.1:\(Self.freePort())"
        let config = try writeConfig(
            "verify",
            [
                "data": ["directory": "\(dir)/verify"], "upstreams": [] as [String],
                "endpoints": ["publish": "ipc://\(dir)/verify-publish.sock", "control": control],
                "transport": ["insecure_plain_tcp": true],
            ])
        let verify = try start("gonggu-verify", config: config)
        try waitReady(control)
        XCTAssertTrue(verify.log.contains("INSECURE: plain TCP endpoint without CURVE"), verify.log)
        XCTAssertTrue(verify.log.contains("endpoints.control=\(control)"), verify.log)
    }
}

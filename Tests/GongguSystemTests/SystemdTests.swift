import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import XCTest

/// systemd (docs/OPERATIONS.md, "The units"): every unit passes `systemd-analyze verify` with no diagnostics and
/// declares what operations rely on; a real service process speaks the notify protocol (READY,
/// WATCHDOG pings, STOPPING) to a socket named by NOTIFY_SOCKET; the install script stages binaries,
/// units, configuration, keys and a 0700 data folder under DESTDIR, and the staged services start on
/// the shipped configuration.
final class SystemdTests: XCTestCase {
    static let services = ["intake", "verify", "risk", "notify"]
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
    var temporary: [String] = []

    override func tearDown() {
        for t in temporary { try? FileManager.default.removeItem(atPath: t) }
    }

    func unitText(_ service: String) throws -> String {
        try String(
            contentsOf: Self.repository.appendingPathComponent(
                "Services/gonggu-\(service)/systemd/gonggu-\(service).service"), encoding: .utf8)
    }

    func run(
        _ executable: String, _ args: [String], environment: [String: String] = [:], in directory: String? = nil
    ) throws -> (Int32, String) {
        let r = try runToCompletion(URL(fileURLWithPath: executable), args, environment: environment, directory: directory)
        return (r.status, r.output)
    }

    static let analyze = "/usr/bin/systemd-analyze"

    /// Copies of the units whose ExecStart names `binDirectory` (verify checks the binary exists).
    func unitCopies(binDirectory: String, from units: [String: String]) throws -> String {
        let dir = try makeTemporaryDirectory("units")
        temporary.append(dir)
        for (name, text) in units {
            try text.replacingOccurrences(of: "ExecStart=/usr/local/bin/", with: "ExecStart=\(binDirectory)/")
                .replacingOccurrences(of: "ExecStartPre=+/usr/local/bin/", with: "ExecStartPre=+\(binDirectory)/")
                .write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        }
        return dir
    }

    func testUnitsPassSystemdAnalyzeVerify() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.analyze) else {
            throw XCTSkip("systemd-analyze is not installed")
        }
        var units: [String: String] = [:]
        for s in Self.services { units["gonggu-\(s).service"] = try unitText(s) }
        units["gonggu.target"] = try String(
            contentsOf: Self.repository.appendingPathComponent("Services/gonggu.target"), encoding: .utf8)
        let dir = try unitCopies(binDirectory: ServiceProcess.binDirectory.path, from: units)
        for name in units.keys.sorted() {
            let (status, output) = try run(Self.analyze, ["verify", name], in: dir)
            XCTAssertEqual(status, 0, "\(name): \(output)")
            // verify exits 0 on unknown keys and bad values (it only warns): any output is a failure.
            XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "", "\(name) has diagnostics")
        }
        // The hardening, as systemd itself scores it (0 = fully locked down, 10 = not at all).
        let (status, output) = try run(
            Self.analyze, ["security", "--offline=yes", "--no-pager", "./gonggu-notify.service"], in: dir)
        if status == 0,
            let line = output.split(separator: "\n").first(where: { $0.contains("Overall exposure level") }),
            let score = line.split(separator: " ").compactMap({ Double($0) }).first
        {
            print("systemd-analyze security: \(line)")
            XCTAssertLessThanOrEqual(score, 2.0, line.description)
        }
    }

    /// What the issue requires of each unit, directive by directive.
    func testUnitsDeclareNotifyWatchdogRestartUserAndHardening() throws {
        let required = [
            "Type=notify", "NotifyAccess=main", "Restart=on-failure", "User=gonggu", "Group=gonggu", "UMask=0077",
            "ProtectSystem=strict", "ReadWritePaths=/var/lib/gonggu", "NoNewPrivileges=yes", "PrivateTmp=yes",
            "ProtectHome=yes",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "ProtectKernelTunables=yes", "ProtectControlGroups=yes",
            "LockPersonality=yes", "MemoryDenyWriteExecute=yes", "SystemCallFilter=@system-service",
            "CapabilityBoundingSet=",
            "PartOf=gonggu.target", "WantedBy=gonggu.target",
            "StateDirectoryMode=0700",
        ]
        for s in Self.services {
            let lines = Set(try unitText(s).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for directive in required {
                XCTAssertTrue(lines.contains(directive), "gonggu-\(s).service lacks \(directive)")
            }
            XCTAssertTrue(lines.contains("ExecStart=/usr/local/bin/gonggu-\(s) --config /etc/gonggu/\(s).json"), s)
            XCTAssertTrue(lines.contains { $0.hasPrefix("WatchdogSec=") }, s)
            // Reload only where SIGHUP re-reads something: intake its submission clients, the
            // notifier its recipient directory; verify and risk have nothing to re-read.
            XCTAssertEqual(
                lines.contains("ExecReload=/bin/kill -HUP $MAINPID"), ["intake", "notify"].contains(s),
                "gonggu-\(s).service: ExecReload")
            let reloadComment = lines.first { $0.hasPrefix("# SIGHUP") } ?? ""
            if s == "intake" { XCTAssertTrue(reloadComment.contains("submission client"), reloadComment) }
            if s == "notify" { XCTAssertTrue(reloadComment.contains("recipient directory"), reloadComment) }
            if s == "intake" { XCTAssertFalse(reloadComment.contains("recipient directory"), reloadComment) }
            if s == "notify" { XCTAssertFalse(reloadComment.contains("submission client"), reloadComment) }
            // Exit statuses a restart cannot cure (ServiceExitCode): usage, a damaged log, configuration.
            let prevented = lines.first { $0.hasPrefix("RestartPreventExitStatus=") }
                .map { $0.dropFirst("RestartPreventExitStatus=".count).split(separator: " ").compactMap { Int32($0) } }
            XCTAssertEqual(
                prevented.map(Set.init),
                Set([ServiceExitCode.usage, .logDamaged, .config].map(\.rawValue)),
                "gonggu-\(s).service: RestartPreventExitStatus")
            XCTAssertTrue(
                lines.allSatisfy { !$0.hasPrefix("ReadWritePaths=") || $0 == "ReadWritePaths=/var/lib/gonggu" },
                "data folder only")
        }
    }

    func testServiceSendsReadyWatchdogAndStoppingThroughNotifySocket() throws {
        let dir = try makeTemporaryDirectory("notify")
        temporary.append(dir)
        let socketPath = "\(dir)/notify.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in socketPath.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(bound, 0, "bind \(socketPath)")
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let config = """
            {"data": {"directory": "\(dir)/data"},
             "endpoints": {"publish": "ipc://\(dir)/pub.sock", "control": "ipc://\(dir)/ctl.sock"}}
            """
        try config.write(toFile: "\(dir)/intake.json", atomically: true, encoding: .utf8)
        // A 300 ms watchdog: the service pings every 150 ms (half, as systemd recommends).
        let service = try ServiceProcess(
            "gonggu-intake", ["--config", "\(dir)/intake.json"],
            environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "300000"], logTo: dir)
        defer { service.stop() }

        var messages: [String] = []
        func receive(until done: () -> Bool, within seconds: TimeInterval) {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done() && Date() < deadline {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { messages.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
        }
        func watchdogs() -> Int { messages.filter { $0 == "WATCHDOG=1" }.count }
        receive(until: { watchdogs() >= 5 }, within: 30)
        let ready = messages.firstIndex { $0.split(separator: "\n").contains("READY=1") }
        XCTAssertNotNil(ready, "READY=1 received: \(messages)")
        XCTAssertTrue(messages[ready ?? 0].contains("STATUS=intake ready"), messages[ready ?? 0])
        XCTAssertEqual(ready, 0, "READY comes first (after the state is rebuilt), then the pings")
        XCTAssertGreaterThanOrEqual(watchdogs(), 5, "several WATCHDOG=1 pings: \(messages)")
        XCTAssertEqual(command("ipc://\(dir)/ctl.sock", "PING")?.0, "OK", "ready means serving")

        service.signal(SIGTERM)
        receive(until: { messages.contains("STOPPING=1") }, within: 20)
        XCTAssertTrue(messages.contains("STOPPING=1"), "STOPPING=1 after SIGTERM: \(messages.suffix(3))")
        XCTAssertEqual(service.wait(timeout: 20), 0, "clean exit")
    }

    func testInstallScriptStagesAWorkingInstallation() throws {
        let destdir = try makeTemporaryDirectory("destdir")
        temporary.append(destdir)
        let bin = ServiceProcess.binDirectory.path
        let (status, output) = try run(
            "/bin/bash",
            [
                Self.repository.appendingPathComponent("Services/install.sh").path, "--bin-dir", bin, "--destdir",
                destdir,
            ])
        XCTAssertEqual(status, 0, output)
        let fm = FileManager.default
        func mode(_ path: String) -> Int {
            ((try? fm.attributesOfItem(atPath: destdir + path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        for b in ["gonggu"] + Self.services.map({ "gonggu-\($0)" }) {
            XCTAssertEqual(mode("/usr/local/bin/\(b)"), 0o755, b)
        }
        var units: [String: String] = [:]
        for name in Self.services.map({ "gonggu-\($0).service" }) + ["gonggu.target"] {
            let path = destdir + "/usr/local/lib/systemd/system/\(name)"
            XCTAssertEqual(mode("/usr/local/lib/systemd/system/\(name)"), 0o644, name)
            units[name] = try String(contentsOfFile: path, encoding: .utf8)
        }
        for s in Self.services { XCTAssertEqual(mode("/etc/gonggu/\(s).json"), 0o640, s) }
        XCTAssertEqual(mode("/etc/gonggu"), 0o750)
        XCTAssertEqual(mode("/etc/gonggu/recipients.json"), 0o640)
        // A staged tree (a package) holds no secret: every server installed from it would share its keys.
        // The keys are made on the server, at first start (ExecStartPre) or by the post-install step.
        XCTAssertEqual(mode("/etc/gonggu/keys"), 0o750)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: destdir + "/etc/gonggu/keys"), [], "no key in the package")
        XCTAssertTrue(output.contains("gonggu keys ensure"), output)
        for s in ["intake", "notify"] {
            XCTAssertTrue(
                units["gonggu-\(s).service"]?.contains(
                    "ExecStartPre=+/usr/local/bin/gonggu keys ensure intake notify notify-client "
                        + "--dir /etc/gonggu/keys --group gonggu") ?? false, s)
        }
        let keysDir = destdir + "/etc/gonggu/keys"
        let ensure = try ServiceProcess.gonggu(
            ["keys", "ensure", "intake", "notify", "notify-client", "--dir", keysDir])
        XCTAssertEqual(ensure.0, 0, ensure.1)
        for k in ["intake", "notify", "notify-client"] {
            XCTAssertEqual(mode("/etc/gonggu/keys/\(k).key"), 0o640, k)
            XCTAssertEqual(mode("/etc/gonggu/keys/\(k).pub"), 0o644, k)
        }
        let made = try String(contentsOfFile: keysDir + "/notify.key", encoding: .utf8)
        let again = try ServiceProcess.gonggu(["keys", "ensure", "intake", "notify", "notify-client", "--dir", keysDir])
        XCTAssertEqual(again.0, 0, again.1)
        XCTAssertEqual(try String(contentsOfFile: keysDir + "/notify.key", encoding: .utf8), made, "never replaced")
        XCTAssertEqual(mode("/var/lib/gonggu"), 0o700)
        XCTAssertEqual(mode("/var/log/gonggu"), 0o750, "the audit log's folder")
        XCTAssertTrue(fm.fileExists(atPath: destdir + "/usr/local/share/doc/gonggu/OPERATIONS.md"))
        // The default rule documents, as shipped, accepted by `gonggu rules check`.
        XCTAssertEqual(mode("/etc/gonggu/rules"), 0o750)
        for r in ["risk", "verify"] {
            XCTAssertEqual(mode("/etc/gonggu/rules/\(r).json"), 0o640, r)
            XCTAssertEqual(
                fm.contents(atPath: destdir + "/etc/gonggu/rules/\(r).json"),
                fm.contents(atPath: Self.repository.appendingPathComponent("Services/rules/\(r).json").path), r)
            let check = try ServiceProcess.gonggu(
                ["rules", "check", destdir + "/etc/gonggu/rules/\(r).json", "--service", r])
            XCTAssertEqual(check.0, 0, check.1)
        }

        // Installing again keeps configuration and keys.
        let key = try String(contentsOfFile: destdir + "/etc/gonggu/keys/notify.pub", encoding: .utf8)
        try "{\"data\": {\"directory\": \"/srv/gonggu\"}}".write(
            toFile: destdir + "/etc/gonggu/risk.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try run(
                "/bin/bash",
                [
                    Self.repository.appendingPathComponent("Services/install.sh").path, "--bin-dir", bin, "--destdir",
                    destdir,
                ]
            ).0, 0)
        XCTAssertEqual(try String(contentsOfFile: destdir + "/etc/gonggu/keys/notify.pub", encoding: .utf8), key)
        XCTAssertTrue(
            try String(contentsOfFile: destdir + "/etc/gonggu/risk.json", encoding: .utf8).contains("/srv/gonggu"))
        XCTAssertTrue(fm.fileExists(atPath: destdir + "/etc/gonggu/risk.json.new"), "the shipped version beside it")
        try fm.removeItem(atPath: destdir + "/etc/gonggu/risk.json")
        try fm.moveItem(atPath: destdir + "/etc/gonggu/risk.json.new", toPath: destdir + "/etc/gonggu/risk.json")

        if fm.isExecutableFile(atPath: Self.analyze) {
            let dir = try unitCopies(binDirectory: destdir + "/usr/local/bin", from: units)
            for name in units.keys.sorted() {
                let (status, output) = try run(Self.analyze, ["verify", name], in: dir)
                XCTAssertEqual(status, 0, output)
                XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "", "installed \(name)")
            }
        }
        try startStagedServices(destdir)
    }

    /// The staged binaries on the shipped configuration, with paths moved into DESTDIR and endpoints to
    /// ipc:// files (so nothing listens on this machine's ports): all four start, the notifier with its
    /// keys and recipient directory, and `gonggu status` calls them healthy.
    func startStagedServices(_ destdir: String) throws {
        var processes: [ServiceProcess] = []
        defer { for p in processes.reversed() { p.stop() } }
        func ipc(_ s: String, _ role: String) -> String { "ipc://\(destdir)/\(s)-\(role).sock" }
        for s in Self.services {
            let path = destdir + "/etc/gonggu/\(s).json"
            var text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "\"/etc/gonggu", with: "\"\(destdir)/etc/gonggu")
                .replacingOccurrences(of: "\"/var/lib/gonggu", with: "\"\(destdir)/var/lib/gonggu")
            text = text.replacingOccurrences(of: "tcp://127.0.0.1:7103", with: ipc("intake", "submission"))
                .replacingOccurrences(of: "tcp://127.0.0.1:7133", with: ipc("notify", "recipients"))
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var env = [
                "GONGGU_ENDPOINTS_PUBLISH": ipc(s, "publish"), "GONGGU_ENDPOINTS_CONTROL": ipc(s, "control"),
                "GONGGU_DATA_DIRECTORY": destdir + "/var/lib/gonggu",
            ]
            for up in ["intake", "verify", "risk"] {
                env["GONGGU_UPSTREAM_\(up.uppercased())_PUBLISH"] = ipc(up, "publish")
                env["GONGGU_UPSTREAM_\(up.uppercased())_REPLAY"] = ipc(up, "control")
            }
            processes.append(try ServiceProcess("gonggu-\(s)", ["--config", path], environment: env, logTo: destdir))
        }
        var services = JSONWriter()
        services.beginObject()
        for s in Self.services {
            services.key(s)
            services.beginObject()
            services.field("control", ipc(s, "control"))
            services.endObject()
        }
        services.endObject()
        try services.string.write(toFile: destdir + "/services.json", atomically: true, encoding: .utf8)
        var last = ""
        try waitFor("the staged services to be healthy") {
            let (status, out) =
                (try? run(ServiceProcess.executable("gonggu").path, ["status", "--config", destdir + "/services.json"]))
                ?? (-1, "")
            last = out
            return status == 0 || processes.contains { !$0.process.isRunning }
        }
        for p in processes {
            XCTAssertTrue(p.process.isRunning, "\(p.name) runs on the shipped configuration:\n\(p.log)")
        }
        XCTAssertTrue(last.contains("healthy"), last)
        let notifyLog = processes[3].log
        XCTAssertTrue(notifyLog.contains("recipient endpoint ready"), notifyLog)
    }
}

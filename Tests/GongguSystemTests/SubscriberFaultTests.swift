import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguServices
import GongguSimulation
import XCTest

/// Slow and lost subscribers at service level (docs/RELIABILITY.md): the real intake and verifier processes.
/// - a verifier paused with SIGSTOP while intake commits thousands of events through tiny high-water
///   marks (PUB and SUB both overflow and drop), then SIGCONT;
/// - the verifier following intake over TCP through a proxy that is cut (every connection dropped,
///   nothing listening) and reopened, once between imports and once in the middle of one.
/// Both recover by replay: the verifier's cursor markers cover intake's log from 1 to its end with no
/// gap, and its decisions and state digest equal those of a verifier that read the same log calmly.
final class SubscriberFaultTests: XCTestCase {
    var dir = ""
    var processes: [String: ServiceProcess] = [:]

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("subscriber")
    }

    override func tearDown() {
        for p in processes.values {
            p.signal(SIGCONT)
            p.stop()
        }
        if testRun?.failureCount ?? 0 > 0 {
            for p in processes.values {
                print("--- \(p.name)\n" + p.log.split(separator: "\n").suffix(10).joined(separator: "\n"))
            }
        } else {
            try? FileManager.default.removeItem(atPath: dir)
        }
        processes.removeAll()
    }

    // MARK: Deployment

    /// A free TCP port on 127.0.0.1 (bound once by the kernel's choice, then released).
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = TCPProxy.loopback(0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return UInt16(bigEndian: addr.sin_port)
    }

    struct Endpoints {
        var publish: String
        var control: String
    }

    func writeConfig(_ name: String, _ fields: [String: Any]) throws -> String {
        let path = "\(dir)/\(name).json"
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func startIntake(_ e: Endpoints, sendHWM: Int = 100_000) throws {
        let config = try writeConfig(
            "intake",
            [
                "data": ["directory": "\(dir)/intake"], "endpoints": ["publish": e.publish, "control": e.control],
                "heartbeat": ["milliseconds": 100],
                // The TCP run goes through byte proxies without keys: the loud test-only override.
                "transport": ["send_hwm": sendHWM, "insecure_plain_tcp": true],
            ])
        processes["intake"] = try ServiceProcess("gonggu-intake", ["--config", config], logTo: dir)
        try waitReady(e.control)
    }

    /// A verifier named `name` following intake: by its log file and PUB socket, or (`network`) only
    /// over the given endpoints.
    func startVerify(
        _ name: String, _ own: Endpoints, upstream: Endpoints, network: Bool = false, receiveHWM: Int = 100_000
    ) throws {
        let config = try writeConfig(
            name,
            [
                "data": ["directory": "\(dir)/\(name)"], "endpoints": ["publish": own.publish, "control": own.control],
                "heartbeat": ["milliseconds": 100], "transport": ["receive_hwm": receiveHWM, "insecure_plain_tcp": true],
                "upstreams": ["intake"],
                "upstream": [
                    "intake": [
                        "publish": upstream.publish, "replay": upstream.control, "read_file": !network,
                        "log": "\(dir)/intake/intake.log.sqlite",
                    ]
                ],
            ])
        processes[name] = try ServiceProcess("gonggu-verify", ["--config", config], logTo: dir)
        try waitReady(own.control)
    }

    func ipc(_ name: String) -> Endpoints {
        Endpoints(publish: "ipc://\(dir)/\(name)-pub.sock", control: "ipc://\(dir)/\(name)-ctl.sock")
    }

    func tcp() -> Endpoints {
        Endpoints(publish: "tcp://127.0.0.1:\(Self.freePort())", control: "tcp://127.0.0.1:\(Self.freePort())")
    }

    func status(_ e: Endpoints) -> JSONValue? { command(e.control, "STATUS", timeoutMs: 2000)?.1 ?? nil }
    func lastSeq(_ e: Endpoints) -> Int { status(e)?["lastSeq"]?.intValue ?? -1 }
    func upstream(_ e: Endpoints) -> JSONValue? { status(e)?["upstreams"]?.arrayValue?.first }
    func cursor(_ e: Endpoints) -> Int { upstream(e)?["cursor"]?.intValue ?? -1 }

    /// The simulated province's files, in manifest order.
    func provinceFiles() throws -> [(String, String)] {
        let p = "\(dir)/province"
        try Simulator(households: 400, seed: 21).write(to: p)
        return try manifestFiles(p)
    }

    func importFile(_ f: (String, String), into intake: Endpoints) throws {
        let (status, output) = try ServiceProcess.gonggu(
            ["import", f.0, "--kind", f.1, "--control", intake.control, "--allow-rejects", "--quiet"])
        XCTAssertEqual(status, 0, "import \(f.0): \(output)")
    }

    /// The verifier under test holds exactly what a calm verifier derives from the same intake log.
    func assertEqualsCalmVerifier(
        _ name: String, _ e: Endpoints, intake: Endpoints, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let intakeLast = lastSeq(intake)
        XCTAssertEqual(cursor(e), intakeLast, "caught up", file: file, line: line)
        let digest = command(e.control, "DIGEST", timeoutMs: 30_000)?.1?["digest"]?.stringValue
        processes.removeValue(forKey: name)?.stop()
        // The reference reads intake's log file only (its PUB endpoint has no publisher behind it).
        let calm = ipc("calm")
        try startVerify("calm", calm, upstream: Endpoints(publish: "ipc://\(dir)/nobody.sock", control: intake.control))
        try waitFor("the calm verifier to catch up", timeout: 60) { cursor(calm) == intakeLast }
        let calmDigest = command(calm.control, "DIGEST", timeoutMs: 30_000)?.1?["digest"]?.stringValue
        XCTAssertEqual(calmDigest, digest, "same state", file: file, line: line)
        processes.removeValue(forKey: "calm")?.stop()

        let faulted = try GongguStoreTestAccess.events(path: "\(dir)/\(name)/verify.log.sqlite")
        let reference = try GongguStoreTestAccess.events(path: "\(dir)/calm/verify.log.sqlite")
        func outputs(_ events: [Event]) -> [String] {
            events.filter { $0.type != "InputConsumed" }.map {
                "\($0.id)|\($0.type)|\(SHA256.hash($0.payload).hexString)"
            }
        }
        XCTAssertFalse(outputs(reference).isEmpty, file: file, line: line)
        XCTAssertEqual(Set(outputs(faulted)), Set(outputs(reference)), "same decisions", file: file, line: line)
        XCTAssertEqual(outputs(faulted).count, Set(outputs(faulted)).count, "none twice", file: file, line: line)
        var through = 0
        for m in faulted where m.type == "InputConsumed" {
            let v = try JSONValue.parse(m.payload)
            XCTAssertEqual(v["after"]?.intValue, through, "no gap in what was consumed", file: file, line: line)
            through = v["through"]?.intValue ?? -1
        }
        XCTAssertEqual(through, intakeLast, "every intake event consumed", file: file, line: line)
        let path = "\(dir)/\(name)/verify.log.sqlite"
        XCTAssertTrue(try GongguStoreTestAccess.verify(path: path), file: file, line: line)
    }

    // MARK: Tests

    /// Followed on the wire (`read_file` false): the events themselves cross PUB/SUB and overflow it.
    func testPausedVerifierOverflowsEveryHighWaterMarkAndRecoversByReplay() throws {
        let files = try provinceFiles()
        let intake = ipc("intake"), verify = ipc("verify")
        try startIntake(intake, sendHWM: 10)
        try startVerify("verify", verify, upstream: intake, network: true, receiveHWM: 10)
        try importFile(files[0], into: intake)
        try waitFor("the verifier to follow") { cursor(verify) == lastSeq(intake) }

        let paused = lastSeq(intake)
        processes["verify"]!.signal(SIGSTOP)
        for f in files.dropFirst() { try importFile(f, into: intake) }
        let during = lastSeq(intake) - paused
        // Far more than both queues (10 + 10 messages) and the socket buffers between them can hold.
        XCTAssertGreaterThan(during, 5000, "events committed while the verifier was stopped")
        processes["verify"]!.signal(SIGCONT)
        try waitFor("the verifier to catch up after SIGCONT", timeout: 120) { cursor(verify) == lastSeq(intake) }
        let gaps = upstream(verify)?["gaps"]?.intValue ?? 0
        XCTAssertGreaterThan(gaps, 0, "drops were detected and filled by replay")
        print("paused subscriber: \(during) events committed during SIGSTOP, \(gaps) gaps, caught up by replay")
        try assertEqualsCalmVerifier("verify", verify, intake: intake)
    }

    /// Reading intake's file (the default on one host), the verifier takes heartbeats only: however long
    /// it is stopped, nothing is dropped, it reads what it missed from the file and decides the same.
    func testPausedFileFollowerCatchesUpFromTheFileWithoutGaps() throws {
        let files = try provinceFiles()
        let intake = ipc("intake"), verify = ipc("verify")
        try startIntake(intake, sendHWM: 10)
        try startVerify("verify", verify, upstream: intake, receiveHWM: 10)
        try importFile(files[0], into: intake)
        try waitFor("the verifier to follow") { cursor(verify) == lastSeq(intake) }

        let paused = lastSeq(intake)
        processes["verify"]!.signal(SIGSTOP)
        for f in files.dropFirst() { try importFile(f, into: intake) }
        XCTAssertGreaterThan(lastSeq(intake) - paused, 5000, "events committed while the verifier was stopped")
        processes["verify"]!.signal(SIGCONT)
        try waitFor("the verifier to catch up after SIGCONT", timeout: 120) { cursor(verify) == lastSeq(intake) }
        XCTAssertEqual(upstream(verify)?["gaps"]?.intValue, 0, "heartbeats ahead of the cursor are wake-ups, not gaps")
        try assertEqualsCalmVerifier("verify", verify, intake: intake)
    }

    func testNetworkCutBetweenIntakeAndVerifierRecoversByReplay() throws {
        let files = try provinceFiles()
        XCTAssertGreaterThanOrEqual(files.count, 3)
        let intake = tcp(), verify = ipc("verify")
        try startIntake(intake)
        let pubPort = UInt16(intake.publish.split(separator: ":").last!)!
        let ctlPort = UInt16(intake.control.split(separator: ":").last!)!
        let pubProxy = try TCPProxy(target: pubPort), ctlProxy = try TCPProxy(target: ctlPort)
        defer {
            pubProxy.cut()
            ctlProxy.cut()
        }
        try pubProxy.open()
        try ctlProxy.open()
        let viaProxy = Endpoints(
            publish: "tcp://127.0.0.1:\(pubProxy.port)", control: "tcp://127.0.0.1:\(ctlProxy.port)")
        try startVerify("verify", verify, upstream: viaProxy, network: true)
        try importFile(files[0], into: intake)
        try waitFor("the verifier to follow over the network") { cursor(verify) == lastSeq(intake) }

        // Cut 1, between imports: the verifier notices, intake goes on.
        pubProxy.cut()
        ctlProxy.cut()
        try importFile(files[1], into: intake)
        // Silence is all the verifier sees of a cut (no events, no heartbeats): it stays behind.
        XCTAssertLessThan(cursor(verify), lastSeq(intake), "nothing arrives while cut")
        try pubProxy.open()
        try ctlProxy.open()
        try waitFor("the verifier to catch up after the cut", timeout: 60) { cursor(verify) == lastSeq(intake) }

        // Cut 2, in the middle of a stream: connections dropped while events flow.
        let before = cursor(verify)
        let rest = Array(files.dropFirst(2))
        let importer = Thread { [self] in for f in rest { try? importFile(f, into: intake) } }
        importer.start()
        try waitFor("the stream to flow") { cursor(verify) > before }
        pubProxy.cut()
        ctlProxy.cut()
        while !importer.isFinished { usleep(10_000) }
        XCTAssertLessThan(cursor(verify), lastSeq(intake), "the cut left the verifier behind")
        try pubProxy.open()
        try ctlProxy.open()
        try waitFor("the verifier to catch up after the second cut", timeout: 60) { cursor(verify) == lastSeq(intake) }
        let gaps = upstream(verify)?["gaps"]?.intValue ?? 0
        XCTAssertGreaterThan(gaps, 0, "the cuts were noticed as gaps and filled by replay")
        print("network cut: 2 cuts, \(lastSeq(intake)) intake events, \(gaps) gaps detected, caught up by replay")
        try assertEqualsCalmVerifier("verify", verify, intake: intake)
    }
}

/// A TCP forwarder on 127.0.0.1 that can be cut (listener closed, every connection reset) and
/// reopened on the same port: a network cut between two services, for tests.
final class TCPProxy: @unchecked Sendable {
    let target: UInt16
    let port: UInt16
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var sockets: Set<Int32> = []

    init(target: UInt16) throws {
        self.target = target
        port = SubscriberFaultTests.freePort()
    }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        return a
    }

    /// Starts listening and forwarding.
    func open() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw NSError(
                domain: "TCPProxy", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "cannot listen on \(port)"])
        }
        lock.lock()
        listener = fd
        lock.unlock()
        Thread { [self] in acceptLoop(fd) }.start()
    }

    /// Drops every connection and stops listening (peers see resets and refused connections).
    /// Under the lock, so no descriptor is shut down after its connection closed it (numbers are reused).
    func cut() {
        lock.lock()
        defer { lock.unlock() }
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)) }
        listener = -1
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(_ l: Int32) {
        defer { close(l) }
        while true {
            let client = accept(l, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = Self.loopback(target)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            lock.lock()
            let stillOpen = listener == l
            if stillOpen {
                sockets.insert(client)
                sockets.insert(upstream)
            }
            lock.unlock()
            guard stillOpen else {
                close(client)
                close(upstream)
                return
            }
            let pair = Pair(a: client, b: upstream, proxy: self)
            Thread { pair.pump(from: client, to: upstream) }.start()
            Thread { pair.pump(from: upstream, to: client) }.start()
        }
    }

    fileprivate func forgetAndClose(_ fds: [Int32]) {
        lock.lock()
        for fd in fds {
            sockets.remove(fd)
            close(fd)
        }
        lock.unlock()
    }

    /// One forwarded connection: closed when both directions ended.
    private final class Pair: @unchecked Sendable {
        let a: Int32, b: Int32
        let proxy: TCPProxy
        private let lock = NSLock()
        private var ended = 0

        init(a: Int32, b: Int32, proxy: TCPProxy) {
            self.a = a
            self.b = b
            self.proxy = proxy
        }

        func pump(from: Int32, to: Int32) {
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            loop: while true {
                let n = read(from, &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                var offset = 0
                while offset < n {
                    // MSG_NOSIGNAL: a peer gone must not raise SIGPIPE in the test process.
                    let w = buffer.withUnsafeBytes {
                        send(to, $0.baseAddress! + offset, n - offset, Int32(MSG_NOSIGNAL))
                    }
                    if w < 0 && errno == EINTR { continue }
                    if w <= 0 { break loop }
                    offset += w
                }
            }
            lock.lock()
            ended += 1
            let last = ended == 2
            if !last {
                // Wake the other direction (both descriptors are still open: nothing closed them yet).
                shutdown(from, Int32(SHUT_RDWR))
                shutdown(to, Int32(SHUT_RDWR))
            }
            lock.unlock()
            if last { proxy.forgetAndClose([a, b]) }
        }
    }
}

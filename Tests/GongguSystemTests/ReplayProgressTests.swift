import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import GongguStore
import GongguTransport
import XCTest

/// While a service replays its log at start it tells systemd how far it is
/// (`STATUS=`) and asks for more time (`EXTEND_TIMEOUT_USEC`) as long as it moves, answers STATUS with
/// the progress (`replay`, which `gonggu status` reports as a problem) and PING with `starting`.
final class ReplayProgressTests: XCTestCase {
    /// Replays own inputs, stopping at the `blockAt`-th until `release` is signalled.
    final class SlowReplay: ServiceBehaviour {
        let blockAt: Int
        let reached = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        private var replayed = 0
        init(blockAt: Int) { self.blockAt = blockAt }
        func isOwnInput(_ type: String) -> Bool { true }
        func process(input: Event) -> [Event] { [input] }
        func apply(upstream event: Event, stream: String) -> [Event] { [] }
        func replayOwnInput(_ event: Event) {
            replayed += 1
            if replayed == blockAt {
                reached.signal()
                release.wait()
            }
        }
        func stateDigest() -> String { "\(replayed)" }
    }

    func testReplayProgressReachesSystemdAndStatusAndPingWaitsForTheEnd() throws {
        let dir = try makeTemporaryDirectory("replay-progress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
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
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let config = Config(
            root: .object([
                ("data", .object([("directory", .string("\(dir)/data"))])),
                ("endpoints", .object([("publish", .string("ipc://\(dir)/pub")), ("control", .string("ipc://\(dir)/ctl"))])),
            ]), environment: [:])
        let settings = try ServiceSettings(service: "intake", config: config)
        try FileManager.default.createDirectory(atPath: "\(dir)/data", withIntermediateDirectories: true)
        let count = 5_000
        try EventLog(path: settings.logPath, stream: "intake").append(
            (1...count).map { i in
                Event(
                    id: EventID.derived("replay-progress|\(i)"), type: "Tick", subject: "s", region: "22", occurredAt: 0,
                    payload: Array("{}".utf8))
            }, recordedAt: 1)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: settings.logPath)

        let behaviour = SlowReplay(blockAt: 3_000)
        let host = ServiceHost(
            settings: settings, behaviour: behaviour, logger: Logger(label: "test", minimumLevel: .error),
            systemd: SystemdNotifier(environment: ["NOTIFY_SOCKET": socketPath]))
        host.replayReportSeconds = 0
        let running = HostThread(host)
        defer { _ = try? running.stop() }
        XCTAssertEqual(behaviour.reached.wait(timeout: .now() + 60), .success, "replay reached event 3,000")

        // Meanwhile: progress to systemd, STATUS with it, PING answered `starting`.
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(10)
        while !messages.contains(where: { $0.contains("EXTEND_TIMEOUT_USEC=") }), Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { messages.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
        }
        let progress = messages.first { $0.contains("EXTEND_TIMEOUT_USEC=") }
        XCTAssertNotNil(progress, "\(messages)")
        XCTAssertTrue(progress?.contains("STATUS=重放日志 replaying own log: seq ") ?? false, progress ?? "")
        XCTAssertTrue(progress?.contains(" of \(count) (") ?? false, progress ?? "")
        XCTAssertTrue(progress?.contains("EXTEND_TIMEOUT_USEC=30000000") ?? false, progress ?? "")
        XCTAssertFalse(messages.contains { $0.contains("READY=1") }, "not ready while replaying")

        let ping = command("ipc://\(dir)/ctl", "PING")
        XCTAssertNotEqual(ping?.0, "OK", "PING waits for the end of the replay")
        let status = command("ipc://\(dir)/ctl", "STATUS")
        XCTAssertEqual(status?.0, "OK")
        let replay = status?.1?["replay"]
        XCTAssertEqual(replay?["done"]?.boolValue, false)
        XCTAssertEqual(replay?["lastSeq"]?.intValue, count)
        let problems = StatusCheck.problems(services: ["intake"], replies: ["intake": status?.1], maxLag: 10)
        XCTAssertTrue(problems.contains { "\($0)".contains("replaying its log: seq ") }, "\(problems)")

        behaviour.release.signal()
        let ready = Date().addingTimeInterval(60)
        while command("ipc://\(dir)/ctl", "PING", timeoutMs: 300)?.0 != "OK", Date() < ready {}
        XCTAssertEqual(command("ipc://\(dir)/ctl", "PING")?.0, "OK")
        let after = command("ipc://\(dir)/ctl", "STATUS")?.1?["replay"]
        XCTAssertEqual(after?["done"]?.boolValue, true)
        XCTAssertEqual(after?["seq"]?.intValue, count)
        try running.stop()
    }
}

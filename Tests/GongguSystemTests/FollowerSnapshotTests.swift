import Foundation
import GongguCore
import GongguHarness
import GongguNotify
import GongguNotifyService
import GongguRiskService
import GongguRuntime
import GongguServices
import GongguStore
import GongguVerify
import GongguVerifyService
import XCTest

/// Snapshots of the services that follow upstreams (docs/RELIABILITY.md, "Snapshots of fold state"): a follower
/// restarted from its snapshot (several times, while its upstreams keep growing and its merge holds events read and not
/// applied) has the digest a full replay gives, and derives exactly what a twin that never stopped and never wrote a
/// snapshot derives: the same events (ids and payloads, `basis` included) and the same digest.
final class FollowerSnapshotTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }
        func contains(_ text: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            return lines.contains { $0.contains(text) }
        }
        func take() -> [String] {
            lock.lock()
            defer { lock.unlock() }
            let out = lines
            lines = []
            return out
        }
    }

    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "gonggu-follower-snapshot-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Settings of `service` (`twin`: its own log and endpoints, no snapshots), following the upstream
    /// log files by polling.
    private func settings(_ service: String, twin: Bool = false) throws -> ServiceSettings {
        var s = try FileFollowers.settings(service, dir)
        if twin {
            let base = "ipc://\(dir)/s-\(service)"
            s.logPath = "\(dir)/data/\(service)-twin.log.sqlite"
            s.publishEndpoint = "\(base)-twin-pub"
            s.controlEndpoint = "\(base)-twin-control"
            s.snapshotsEnabled = false
        }
        return s
    }

    private func behaviour(_ service: String) throws -> ServiceBehaviour { try FileFollowers.behaviour(service, dir) }

    func testRiskMonitorRestartedFromSnapshotsDecidesLikeATwinThatNeverStopped() throws {
        try restartedFromSnapshots("risk")
    }

    func testVerifierRestartedFromSnapshotsDecidesLikeATwinThatNeverStopped() throws {
        try restartedFromSnapshots("verify")
    }

    func testNotifierRestartedFromSnapshotsDecidesLikeATwinThatNeverStopped() throws {
        try restartedFromSnapshots("notify")
    }

    /// `service` and its twin follow the same upstream logs (the verifier runs throughout, and the risk
    /// monitor too when `service` is the notifier); `service` is stopped (a snapshot) and started again
    /// (from it) after each burst of intake.
    private func restartedFromSnapshots(_ service: String) throws {
        try FileFollowers.writeRecipients(dir)
        let province = DeterministicMergeTests.province
        let intake = try EventLog(path: "\(dir)/data/intake.log.sqlite", stream: "intake")
        let quiet = Logger(label: "follower-snapshot", minimumLevel: .error)
        let lines = Lines()
        let logger = Logger(label: "follower-snapshot", minimumLevel: .info, sink: { lines.add($0) })
        var hosts: [HostThread] = []
        defer { for h in hosts { try? h.stop() } }
        if service != "verify" {
            hosts.append(HostThread(ServiceHost(settings: try settings("verify"), behaviour: try behaviour("verify"), logger: quiet)))
        }
        if service == "notify" {
            hosts.append(HostThread(ServiceHost(settings: try settings("risk"), behaviour: try behaviour("risk"), logger: quiet)))
        }
        let twinBehaviour = try behaviour(service)
        hosts.append(HostThread(ServiceHost(settings: try settings(service, twin: true), behaviour: twinBehaviour, logger: quiet)))
        var followed = try behaviour(service)
        var host = HostThread(ServiceHost(settings: try settings(service), behaviour: followed, logger: logger))
        let logPath = try settings(service).logPath

        // The first half, then four bursts; after each, a stop (snapshot) and a start from it, not
        // waiting for the service to catch up (its merge holds what it read and had not applied).
        let half = province.count / 2
        var chunks = [0..<half]
        let step = (province.count - half + 3) / 4
        for start in stride(from: half, to: province.count, by: step) { chunks.append(start..<min(province.count, start + step)) }
        var restarts = 0
        for (n, chunk) in chunks.enumerated() {
            try intake.append(Array(province[chunk]), recordedAt: 1)
            if n == 0 {
                try waitFor("\(service) consumed the first half", timeout: 180, interval: 0.05) { try FileFollowers.consumed(logPath)["intake"] ?? 0 >= Int64(half) }
            } else {
                Thread.sleep(forTimeInterval: 0.05 * Double(n))
            }
            try host.stop()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: logPath)
            XCTAssertFalse(Snapshots.files(logPath: logPath).isEmpty, "a graceful stop leaves a snapshot")
            _ = lines.take()
            followed = try behaviour(service)
            host = HostThread(ServiceHost(settings: try settings(service), behaviour: followed, logger: logger))
            restarts += 1
            try waitFor("\(service) started again", timeout: 180, interval: 0.05) { lines.contains("service ready") }
            let started = lines.take()
            XCTAssertTrue(
                started.contains { $0.contains("state restored from snapshot") }, "start \(restarts) used its snapshot: \(started.suffix(5))")
            XCTAssertFalse(started.contains { $0.contains("snapshot not used") }, "\(started.filter { $0.contains("snapshot") })")
        }
        hosts.append(host)

        // Everyone caught up with everything.
        let last = Int64(province.count)
        try waitFor("every service caught up", timeout: 180, interval: 0.05) {
            let verifyLast = try FileFollowers.lastSeq("\(self.dir)/data/verify.log.sqlite")
            guard try FileFollowers.consumed("\(self.dir)/data/verify.log.sqlite")["intake"] == last else { return false }
            var want = service == "verify" ? ["intake": last] : ["intake": last, "verify": verifyLast]
            if service == "notify" {
                let r = try FileFollowers.consumed("\(self.dir)/data/risk.log.sqlite")
                guard r["intake"] == last, r["verify"] == verifyLast else { return false }
                want["risk"] = try FileFollowers.lastSeq("\(self.dir)/data/risk.log.sqlite")
            }
            let a = try FileFollowers.consumed(logPath), b = try FileFollowers.consumed(try self.settings(service, twin: true).logPath)
            return want.allSatisfy { a[$0.key] == $0.value && b[$0.key] == $0.value }
        }
        for h in hosts { try h.stop() }
        hosts = []
        let restarted = try FileFollowers.derived(logPath).mapValues(\.payload)
        let twin = try FileFollowers.derived(try settings(service, twin: true).logPath).mapValues(\.payload)
        XCTAssertGreaterThan(twin.count, 10, "the province leads to \(service) events")
        XCTAssertEqual(DeterministicMergeTests.differing(restarted, twin), 0, "\(service) events differing from the twin's")
        XCTAssertEqual(followed.stateDigest(), twinBehaviour.stateDigest(), "\(service) state after restarts from snapshots")

        // Started once more from its snapshot, and by a full replay: the twin's digest either way.
        let fromSnapshot = try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: logger)
        XCTAssertTrue(lines.take().contains { $0.contains("state restored from snapshot") })
        var noSnapshots = try settings(service)
        noSnapshots.snapshotsEnabled = false
        let fullReplay = try ServiceHost.digestAfterReplay(settings: noSnapshots, behaviour: try behaviour(service), logger: quiet)
        XCTAssertEqual(fromSnapshot, twinBehaviour.stateDigest())
        XCTAssertEqual(fullReplay, twinBehaviour.stateDigest())

        // `gonggu snapshot verify` rebuilds each snapshot from scratch (the upstream ranges read from the
        // upstream logs) and compares digests and merge positions.
        let (status, listed) = try ServiceProcess.gonggu(["snapshot", "verify", "--data", "\(dir)/data"])
        XCTAssertEqual(status, 0, listed)
        let mine = listed.split(separator: "\n").filter { $0.hasPrefix("\(service)\t") }
        XCTAssertFalse(mine.isEmpty, listed)
        XCTAssertTrue(mine.allSatisfy { $0.contains("一致 verified") }, listed)

        // A flipped byte in the newest snapshot: passed over with the reason, the state rebuilt in full.
        let newest = Snapshots.files(logPath: logPath)[0].path
        var bytes = Array(FileManager.default.contents(atPath: newest)!)
        bytes[bytes.count / 2] ^= 0x01
        for old in Snapshots.files(logPath: logPath).dropFirst() { try FileManager.default.removeItem(atPath: old.path) }
        try Data(bytes).write(to: URL(fileURLWithPath: newest))
        var noNewSnapshot = try settings(service)
        noNewSnapshot.snapshotsEnabled = true
        let afterCorrupt = try ServiceHost.digestAfterReplay(settings: noNewSnapshot, behaviour: try behaviour(service), logger: logger)
        let why = lines.take()
        XCTAssertEqual(afterCorrupt, twinBehaviour.stateDigest())
        XCTAssertTrue(why.contains { $0.contains("snapshot not used") && $0.contains("corrupt") }, "\(why.suffix(5))")

        // The verifier's and risk monitor's state is binary (format 3): a state cut short or with bytes
        // taken out of its middle, in a file whose checksum is right, fails the state's own read
        // (`state_refused`) and the state is rebuilt in full.
        if service != "notify" {
            let written = Snapshots.files(logPath: logPath)[0].path
            let (header, state) = try Snapshots.decode(Array(FileManager.default.contents(atPath: written)!))
            let (_, inner) = try Snapshots.splitFollower(state)
            XCTAssertTrue(BinaryFoldState.isBinary(inner), "\(service) writes its fold state in binary")
            let prefix = state.count - inner.count - 1
            for damaged in [
                Array(state.prefix(prefix + inner.count * 2 / 3)) + Array("}".utf8),
                Array(state[..<(prefix + inner.count / 2)]) + Array(state[(prefix + inner.count / 2 + 7)...]),
            ] {
                for old in Snapshots.files(logPath: logPath) { try FileManager.default.removeItem(atPath: old.path) }
                try Data(Snapshots.encode(header, state: damaged)).write(to: URL(fileURLWithPath: written))
                let rebuilt = try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: logger)
                let refused = lines.take()
                XCTAssertEqual(rebuilt, twinBehaviour.stateDigest())
                XCTAssertTrue(refused.contains { $0.contains("snapshot not used") && $0.contains("state_refused") }, "\(refused.suffix(5))")
                XCTAssertFalse(refused.contains { $0.contains("state restored from snapshot") })
            }
        }

        // A snapshot of a follower taken with other upstreams configured is refused the same way.
        var otherUpstreams = try settings(service)
        otherUpstreams.upstreams.removeLast()
        XCTAssertNoThrow(try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: quiet))
        _ = try? ServiceHost.digestAfterReplay(settings: otherUpstreams, behaviour: try behaviour(service), logger: logger)
        XCTAssertTrue(lines.take().contains { $0.contains("snapshot not used") && $0.contains("state_refused") })

        // A sound file whose state does not give the digest it claims: the state is taken at once and its
        // digest computed off the loop thread; before the loop's first turn the mismatch stops the
        // service as for a rebuild (nothing folded, no snapshot written), the file is set aside, and
        // the next start replays without it. (A start with the configured upstreams first: it replaces
        // the snapshot the start above wrote with other upstreams.)
        _ = try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: quiet)
        let sound = Snapshots.files(logPath: logPath)[0].path
        let (header, state) = try Snapshots.decode(Array(FileManager.default.contents(atPath: sound)!))
        var claimed = header
        claimed.digest = String(repeating: "0", count: 64)
        try Data(Snapshots.encode(claimed, state: state)).write(to: URL(fileURLWithPath: sound))
        for old in Snapshots.files(logPath: logPath).dropFirst() { try FileManager.default.removeItem(atPath: old.path) }
        let seqBefore = try FileFollowers.lastSeq(logPath)
        if service == "notify" {
            // The notifier checks at once (its state is small): full replay at the same start.
            let replayed = try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: logger)
            XCTAssertEqual(replayed, twinBehaviour.stateDigest())
            XCTAssertTrue(lines.take().contains { $0.contains("snapshot not used") && $0.contains("digest_differs") })
            return
        }
        XCTAssertThrowsError(
            try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: logger))
        let refused = lines.take()
        XCTAssertTrue(refused.contains { $0.contains("snapshot not used") && $0.contains("digest_differs") }, "\(refused.suffix(5))")
        XCTAssertEqual(try FileFollowers.lastSeq(logPath), seqBefore, "nothing appended")
        XCTAssertTrue(Snapshots.files(logPath: logPath).isEmpty, "set aside, none written")
        XCTAssertTrue(FileManager.default.fileExists(atPath: sound + ".rejected"))
        let afterRefused = try ServiceHost.digestAfterReplay(settings: try settings(service), behaviour: try behaviour(service), logger: logger)
        XCTAssertEqual(afterRefused, twinBehaviour.stateDigest())
        XCTAssertFalse(lines.take().contains { $0.contains("state restored from snapshot") })
    }
}

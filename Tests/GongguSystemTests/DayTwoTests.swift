import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguHarness
import GongguServices
import GongguTransport
import XCTest

/// Day-two sharp edges: `keys` exit codes and messages, an all-or-nothing
/// `tick` that refuses a date before the last tick unless `--force`, a revoked recipient told so, and
/// the notifier's server-key rotation (docs/OPERATIONS.md, "Server-key rotation").
final class DayTwoTests: PipelineTestCase {
    static let bureauTypes = ["RiskFeedback", "RecommendationOverdue"]
    static let bureau = PipelineLauncher.Recipient(
        id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
        types: bureauTypes)

    // MARK: keys

    func testKeysNewOnAnExistingNameExits73WithAChineseMessage() throws {
        let dir = try makeTemporaryDirectory("keys")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var (status, out) = try runCLI(["keys", "new", "bureau-1", "--dir", dir])
        XCTAssertEqual(status, 0, out)
        let before = FileManager.default.contents(atPath: "\(dir)/bureau-1.key")
        (status, out) = try runCLI(["keys", "new", "bureau-1", "--dir", dir])
        XCTAssertEqual(status, 73, "EX_CANTCREAT: \(out)")
        XCTAssertTrue(out.contains("已存在"), out)
        XCTAssertTrue(out.contains("already exists"), "the English key beside the Chinese text: \(out)")
        XCTAssertFalse(out.contains("invalid configuration"), out)
        XCTAssertEqual(FileManager.default.contents(atPath: "\(dir)/bureau-1.key"), before, "the existing key is untouched")
    }

    func testKeysListOfAMissingDirectoryExits66() throws {
        let missing = "/nonexistent-\(UUID().uuidString.prefix(8))/keys"
        let (status, out) = try runCLI(["keys", "list", "--dir", missing])
        XCTAssertEqual(status, 66, "EX_NOINPUT: \(out)")
        XCTAssertTrue(out.contains("不存在") && out.contains(missing), out)
        // An empty but existing directory still lists nothing, successfully.
        let dir = try makeTemporaryDirectory("keys")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try runCLI(["keys", "list", "--dir", dir]).0, 0)
    }

    // MARK: tick

    func ticks(_ service: String) throws -> [String] {
        try GongguStoreTestAccess.events(path: launcher.logPath(service)).filter { $0.type == ClockTicked.eventType }
            .compactMap { try? $0.decode(ClockTicked.self).date }
    }

    func testTickWithAServiceDownIsAppliedNowhere() throws {
        let l = try makeLauncher(recipients: [])
        try l.startAll()
        let services = try l.writeServicesFile()
        XCTAssertNotNil(l.stop("risk"))
        let (status, out) = try runCLI(["tick", "2025-12-31", "--config", services])
        XCTAssertEqual(status, 69, "EX_UNAVAILABLE: \(out)")
        XCTAssertTrue(out.contains("risk") && out.contains("未应答"), out)
        XCTAssertTrue(out.contains("未追加"), "says that no service got the tick: \(out)")
        XCTAssertEqual(try ticks("verify"), [], "all or nothing: verify did not take it")
        XCTAssertEqual(try ticks("notify"), [], "all or nothing: notify did not take it")
    }

    func testTickBeforeTheLastTickIsRefusedUnlessForced() throws {
        let l = try makeLauncher(recipients: [])
        try l.startAll()
        let services = try l.writeServicesFile()
        var (status, out) = try runCLI(["tick", "2025-12-31", "--config", services])
        XCTAssertEqual(status, 0, out)
        for s in ["verify", "risk", "notify"] {
            XCTAssertTrue(out.contains("\(s): 已追加"), out)
            XCTAssertEqual(try ticks(s), ["2025-12-31"], s)
        }
        // The same date again is not "before"; an earlier one is refused everywhere, naming the last tick.
        (status, out) = try runCLI(["tick", "2025-12-01", "--config", services])
        XCTAssertEqual(status, 65, "EX_DATAERR: \(out)")
        XCTAssertTrue(out.contains("2025-12-31") && out.contains("--force"), out)
        for s in ["verify", "risk", "notify"] { XCTAssertEqual(try ticks(s), ["2025-12-31"], s) }
        // --force: the operator means it (e.g. re-running a day after a restore).
        (status, out) = try runCLI(["tick", "2025-12-01", "--force", "--config", services])
        XCTAssertEqual(status, 0, out)
        for s in ["verify", "risk", "notify"] { XCTAssertEqual(try ticks(s), ["2025-12-31", "2025-12-01"], s) }
    }

    // MARK: recipients: revoked, server-key rotation

    func recipientCLI(key: String, serverKey: String, idleSeconds: Int = 3) throws -> (Int32, String) {
        try runCLI([
            "recipient", "--key", key, "--server-key", serverKey, "--endpoint", launcher.recipientEndpoint,
            "--idle-seconds", "\(idleSeconds)", "--json",
        ])
    }

    func startWithBureauNotifications() throws -> PipelineLauncher {
        let l = try makeLauncher(recipients: [Self.bureau])
        try startWithRiskFeedback()
        return l
    }

    func testRevokedRecipientIsToldItsKeyWasRefused() throws {
        let l = try makeLauncher(recipients: [Self.bureau])
        try l.startAll()
        let services = try l.writeServicesFile()
        let (status, out) = try runCLI([
            "keys", "revoke", Self.bureau.id, "--dir", l.keysDirectory, "--recipients",
            "\(l.configDirectory)/recipients.json", "--config", services,
        ])
        XCTAssertEqual(status, 0, out)
        let revokedKey = "\(l.keysDirectory)/revoked/\(Self.bureau.id).key"
        var last: (Int32, String) = (0, "")
        // The notifier applies the new allow-list on its loop right after RELOAD; wait for it.
        try waitFor("the revoked recipient to be refused", timeout: 60) {
            last = (try? recipientCLI(key: revokedKey, serverKey: l.publicKeyFile("notify"))) ?? (0, "")
            return last.0 != 0
        }
        XCTAssertEqual(last.0, 77, "EX_NOPERM: \(last.1)")
        XCTAssertTrue(last.1.contains("拒绝") && last.1.contains("revoked"), last.1)
        XCTAssertFalse(last.1.contains("received 0"), last.1)
    }

    func testNotifierServerKeyRotation() throws {
        let l = try startWithBureauNotifications()
        let oldPublic = "\(root)/notify-old.pub"
        try FileManager.default.copyItem(atPath: l.publicKeyFile("notify"), toPath: oldPublic)
        let oldKey = try KeyFiles.readPublic(oldPublic)

        // 1. A new pair under the same name; the old one is kept aside, not deleted.
        let (status, out) = try runCLI(["keys", "rotate", "notify", "--dir", l.keysDirectory])
        XCTAssertEqual(status, 0, out)
        let newKey = try KeyFiles.readPublic(l.publicKeyFile("notify"))
        XCTAssertNotEqual(newKey, oldKey)
        XCTAssertTrue(out.contains(newKey), "prints the new public key to hand out: \(out)")
        let retired = try FileManager.default.contentsOfDirectory(atPath: "\(l.keysDirectory)/retired")
        XCTAssertTrue(retired.contains { $0.hasPrefix("notify.") && $0.hasSuffix(".key") }, "\(retired)")
        // 2. Restart the notifier (systemctl restart gonggu-notify): it serves with the new key.
        XCTAssertEqual(l.stop("notify"), 0)
        try l.start("notify")
        try l.waitReady("notify")

        // A recipient still holding the old server key is told the handshake failed, not "received 0".
        var (s, o) = try recipientCLI(key: l.keyFile(Self.bureau.id), serverKey: oldPublic)
        XCTAssertEqual(s, 69, "EX_UNAVAILABLE: \(o)")
        XCTAssertTrue(o.contains("握手") && o.contains("--server-key"), o)
        // With the new public key it receives what was pending: nothing lost across the rotation.
        (s, o) = try recipientCLI(key: l.keyFile(Self.bureau.id), serverKey: l.publicKeyFile("notify"))
        XCTAssertEqual(s, 0, o)
        XCTAssertGreaterThan(o.components(separatedBy: "\"type\":\"notification\"").count - 1, 0, o)
    }
}

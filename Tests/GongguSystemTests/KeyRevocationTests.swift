import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguRuntime
import GongguHarness
import GongguServices
import GongguTransport
import XCTest

/// Keys (docs/OPERATIONS.md §4): `gonggu keys new|list|revoke`, and a revoked key stops working without
/// a restart — a recipient after SIGHUP to the notifier (what `systemctl reload` sends), a submission
/// client after `gonggu keys revoke` (which sends RELOAD to every service).
final class KeyRevocationTests: PipelineTestCase {
    static let bureauTypes = ["RiskFeedback", "RecommendationOverdue"]

    func recipient(_ id: String, keyFile: String? = nil) throws -> RecipientClient {
        try RecipientClient(
            keyFile: keyFile ?? launcher.keyFile(id), serverPublicKeyFile: launcher.publicKeyFile("notify"),
            endpoint: launcher.recipientEndpoint)
    }

    func testRevokedRecipientIsShutOutAfterSIGHUP() throws {
        let l = try makeLauncher(recipients: [
            .init(
                id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                types: Self.bureauTypes),
            .init(
                id: "222401-bureau", name: "延吉市乡村振兴局", kind: "bureau", level: "county", region: "222401",
                types: Self.bureauTypes),
        ])
        try startWithRiskFeedback()
        // Before: both bureaus receive their (unacknowledged) feedback.
        for id in ["220102-bureau", "222401-bureau"] {
            let r = try recipient(id)
            XCTAssertFalse(try r.collect().isEmpty, "\(id) is served before the revocation")
            r.close()
        }

        // Mark the recipient revoked in the directory file (no RELOAD), then SIGHUP the notifier.
        let (status, out) = try runCLI([
            "keys", "revoke", "220102-bureau", "--dir", l.keysDirectory, "--recipients",
            "\(l.configDirectory)/recipients.json",
            "--no-reload",
        ])
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("recipient 220102-bureau marked revoked"), out)
        let directory = try JSONValue.parse(
            String(contentsOfFile: "\(l.configDirectory)/recipients.json", encoding: .utf8))
        let entries = directory["recipients"]?.arrayValue ?? []
        XCTAssertEqual(entries.first { $0["id"]?.stringValue == "220102-bureau" }?["revoked"]?.boolValue, true)
        XCTAssertEqual(entries.first { $0["id"]?.stringValue == "222401-bureau" }?["revoked"]?.boolValue, false)
        let notifyPID = try XCTUnwrap(l.processes["notify"]).processIdentifier
        kill(notifyPID, SIGHUP)
        try waitFor("the notifier to activate the new directory", timeout: 30) {
            try GongguStoreTestAccess.events(path: l.logPath("notify")).filter { $0.type == "DirectoryActivated" }.count
                == 2
        }
        try l.waitIdle(timeout: 30)

        // After: the revoked bureau is not admitted and has nothing pending; the other one still is.
        XCTAssertEqual(
            l.call("notify", "PENDING", body: #"{"recipient":"220102-bureau"}"#)?.body?["pending"]?.intValue, 0)
        // Its key files were moved to revoked/; whoever holds the secret key still has it.
        let revoked = try recipient("220102-bureau", keyFile: "\(l.keysDirectory)/revoked/220102-bureau.key")
        XCTAssertEqual(try revoked.collect(quiet: 2).count, 0, "a revoked key gets nothing")
        revoked.close()
        // Not only nothing to send: the CURVE handshake itself is refused (ZAP allow-list reloaded).
        try waitFor("the notifier to refuse the revoked key") {
            ((try? String(contentsOfFile: "\(l.logsDirectory)/notify.log", encoding: .utf8)) ?? "")
                .contains("recipient refused (unknown or revoked key)")
        }
        let other = try recipient("222401-bureau")
        XCTAssertFalse(try other.collect().isEmpty, "the other bureau is still served")
        other.close()
        XCTAssertEqual(l.processes["notify"]?.processIdentifier, notifyPID, "no restart")
        XCTAssertTrue(l.processes["notify"]?.isRunning ?? false)
    }

    func testRevokedSubmissionClientIsRefusedAfterKeysRevoke() throws {
        let l = try makeLauncher(recipients: [])
        l.submissionClients = [("field-app-220182", ["visit"], "220182")]
        try l.prepare()
        try l.startAll()
        let services = try l.writeServicesFile()
        let visit =
            #"{"householdID":"H1","region":"220182101201","date":"2025-06-01","visitor":"王五","hardship":"income","#
            + #""selfApplication":"否"}"#
        func submit(keyFile: String) throws -> String {
            let client = CommandClient(
                stream: "intake", endpoint: l.submissionEndpoint, timeoutMs: 3000,
                curve: (try KeyFiles.readPair(keyFile), try KeyFiles.readPublic(l.publicKeyFile("intake"))))
            defer { client.close() }
            return try client.call("SUBMIT", body: Array("{\"kind\":\"visit\",\"records\":[\(visit)]}".utf8)).status
        }
        XCTAssertEqual(try submit(keyFile: l.keyFile("field-app-220182")), "OK")

        // `keys list` shows it; `keys revoke` moves the files away and reloads every service.
        var (status, out) = try runCLI(["keys", "list", "--dir", l.keysDirectory])
        XCTAssertTrue(out.contains("field-app-220182\t"), out)
        (status, out) = try runCLI([
            "keys", "revoke", "field-app-220182", "--dir", l.keysDirectory, "--config", services,
        ])
        XCTAssertEqual(status, 0, out)
        for s in PipelineLauncher.services { XCTAssertTrue(out.contains("\(s): 已重新加载 reloaded"), out) }
        (status, out) = try runCLI(["keys", "list", "--dir", l.keysDirectory])
        XCTAssertTrue(out.contains("field-app-220182\trevoked"), out)

        // The same secret key (kept by whoever held it) is no longer admitted: no reply at all.
        XCTAssertThrowsError(try submit(keyFile: "\(l.keysDirectory)/revoked/field-app-220182.key"))
        XCTAssertEqual(l.call("intake", "PING")?.status, "OK", "intake kept running")

        // A new key for the same office works at once after it is configured and reloaded.
        (status, out) = try runCLI(["keys", "new", "field-app-220182", "--dir", l.keysDirectory])
        XCTAssertEqual(status, 0, out)
        XCTAssertEqual(l.call("intake", "RELOAD")?.status, "OK")
        XCTAssertEqual(try submit(keyFile: l.keyFile("field-app-220182")), "OK")
    }
}

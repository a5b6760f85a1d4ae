import Foundation
import GongguClients
import GongguCore
import GongguHarness
import GongguServices
import XCTest

/// Health (docs/MONITORING.md, "Connected recipients: by heartbeat"): connected recipients are counted by heartbeat —
/// heard from within `recipients.alive_seconds` — not by their last `hello`: a silent client stops counting, and a
/// `ping` (answered `pong`) counts it again.
final class RecipientHeartbeatTests: PipelineTestCase {
    func testASilentRecipientStopsCountingAndAPingCountsItAgain() throws {
        let l = try makeLauncher(recipients: [
            .init(
                id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                types: ["RiskFeedback"])
        ])
        let path = "\(l.configDirectory)/notify.json"
        var config = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var recipients = try XCTUnwrap(config["recipients"] as? [String: Any])
        recipients["alive_seconds"] = 2
        config["recipients"] = recipients
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        try l.startAll()
        func connected() -> Int? { l.call("notify", "STATUS")?.body?["connectedRecipients"]?.intValue }

        let bureau = try RecipientClient(
            keyFile: l.keyFile("220102-bureau"), serverPublicKeyFile: l.publicKeyFile("notify"),
            endpoint: l.recipientEndpoint)
        defer { bureau.close() }
        try waitFor("the bureau to count as connected after its hello") { connected() == 1 }
        try waitFor("the silent bureau to stop counting") { connected() == 0 }
        try bureau.socket.send(Array(#"{"type":"ping"}"#.utf8))
        XCTAssertEqual(try bureau.nextReply(timeout: 10), "pong")
        try waitFor("the bureau to count again after its ping") { connected() == 1 }
        // A ping with a field is refused like any other message.
        try bureau.socket.send(Array(#"{"type":"ping","id":"x"}"#.utf8))
        XCTAssertEqual(try bureau.nextReply(timeout: 10), "unknown_field")
    }
}

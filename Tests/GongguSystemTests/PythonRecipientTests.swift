import Foundation
import GongguCore
import GongguServices
import XCTest

/// An independent client in Python (Debian's python3-zmq), written from
/// docs/PROTOCOL.md alone, receives and acknowledges notifications.
final class PythonRecipientTests: PipelineTestCase {
    static let python = "/usr/bin/python3"

    func testPythonClientReceivesAndAcknowledges() throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: Self.python)
        probe.arguments = ["-c", "import zmq; assert zmq.has('curve')"]
        guard FileManager.default.fileExists(atPath: Self.python), (try? probe.run()) != nil else {
            throw XCTSkip("\(Self.python) is absent (install python3-zmq)")
        }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3-zmq with CURVE is absent") }

        let l = try makeLauncher(recipients: [
            // Verifier findings too, so that one session brings several notifications.
            .init(id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                  types: ["RiskFeedback", "RecommendationOverdue", "EntitlementGap", "AssistanceDiscontinued",
                          "PaymentAnomaly"])
        ])
        try startWithRiskFeedback()

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/recipient_client.py").path
        func runClient() throws -> [JSONValue] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.python)
            p.arguments = [script, l.keyFile("220102-bureau"), l.publicKeyFile("notify"), l.recipientEndpoint, "--quiet", "2"]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        }
        let first = try runClient()
        let notifications = first.filter { $0["id"] != nil }
        XCTAssertFalse(notifications.isEmpty, "the Python client received notifications")
        XCTAssertTrue(notifications.allSatisfy { ($0["region"]?.stringValue ?? "").hasPrefix("220102") })
        XCTAssertEqual(first.last?["acknowledged"]?.intValue, notifications.count)
        // Both forms of PROTOCOL §1.4 were used: one acknowledgement alone, the rest by `ids`.
        XCTAssertGreaterThanOrEqual(notifications.count, 2)
        XCTAssertEqual(first.last?["ackMessages"]?["id"]?.intValue, 1)
        XCTAssertGreaterThanOrEqual(first.last?["ackMessages"]?["ids"]?.intValue ?? 0, 1)
        try l.waitIdle(timeout: 30)
        // Everything was acknowledged: a second session receives nothing.
        let second = try runClient()
        XCTAssertEqual(second.filter { $0["id"] != nil }.count, 0)
    }
}

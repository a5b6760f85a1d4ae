import GongguCore
import GongguRuntime
import GongguServices
import XCTest

/// The transport queues' defaults per service (docs/RELIABILITY.md, "Memory of intake", "Memory of the
/// followers"): each queued event is held in a service's memory, so the queues that stayed full through
/// an import are 10,000 deep; configurable, and the environment overrides.
final class HighWaterMarkSettingsTests: XCTestCase {
    func settings(_ service: String, _ transport: [(String, JSONValue)] = [], environment: [String: String] = [:]) throws
        -> ServiceSettings
    {
        try ServiceSettings(
            service: service, config: Config(root: .object([("transport", .object(transport))]), environment: environment))
    }

    func testDefaultsPerService() throws {
        let expected: [String: (send: Int32, receive: Int32)] = [
            "intake": (10_000, 100_000), "verify": (100_000, 10_000), "risk": (100_000, 10_000), "notify": (100_000, 100_000),
        ]
        for (service, hwm) in expected {
            let s = try settings(service)
            XCTAssertEqual(s.sendHighWaterMark, hwm.send, service)
            XCTAssertEqual(s.receiveHighWaterMark, hwm.receive, service)
        }
    }

    func testOverrides() throws {
        XCTAssertEqual(try settings("verify", [("receive_hwm", .number(500))]).receiveHighWaterMark, 500)
        XCTAssertEqual(try settings("risk", environment: ["GONGGU_TRANSPORT_RECEIVE_HWM": "100000"]).receiveHighWaterMark, 100_000)
        XCTAssertThrowsError(try settings("risk", [("receive_hwm", .number(-1))]))
    }
}

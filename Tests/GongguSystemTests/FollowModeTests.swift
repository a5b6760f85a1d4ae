import GongguCore
import GongguRuntime
import GongguTransport
import XCTest

/// How a service follows each upstream, from its settings: reading the upstream's file on this host
/// (the default), it takes heartbeats only and reads every event from the file; told not to read the
/// file (`upstream.<s>.read_file` false, another host), it takes every event from the wire.
final class FollowModeTests: XCTestCase {
    private func upstreams(_ upstream: [(String, JSONValue)]) throws -> [String: StreamFollower.Live] {
        let config = Config(
            root: .object([
                ("data", .object([("directory", .string("/var/lib/gonggu-test"))])),
                ("upstreams", .array([.string("intake"), .string("verify")])),
                ("upstream", .object(upstream)),
            ]),
            environment: [:])
        let settings = try ServiceSettings(service: "risk", config: config)
        return Dictionary(uniqueKeysWithValues: settings.upstreams.map { ($0.stream, $0.live) })
    }

    func testFileOnThisHostMeansHeartbeatsOnly() throws {
        XCTAssertEqual(try upstreams([]), ["intake": .heartbeats, "verify": .heartbeats])
    }

    func testAnUpstreamNotReadFromItsFileIsFollowedOnTheWire() throws {
        let got = try upstreams([("verify", .object([("read_file", .bool(false))]))])
        XCTAssertEqual(got, ["intake": .heartbeats, "verify": .events])
    }
}

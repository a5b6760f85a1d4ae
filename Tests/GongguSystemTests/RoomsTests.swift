import Foundation
import GongguCore
import GongguNotifyService
import GongguRooms
import GongguRuntime
import XCTest

/// One room per service: each service's defaults and upstreams are its room's data,
/// the runtime reads them as configuration (`ServiceTopology`) and names no service itself, and every
/// room holds the same parts.
final class RoomsTests: XCTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func testTheRoomsGiveTheDefaultsTheRuntimeOnceHeldItself() throws {
        let t = Rooms.topology
        XCTAssertEqual(t.names, ["intake", "verify", "risk", "notify"])
        XCTAssertEqual(t.upstreams(of: "intake"), [])
        XCTAssertEqual(t.upstreams(of: "verify"), ["intake"])
        XCTAssertEqual(t.upstreams(of: "risk"), ["intake", "verify"])
        XCTAssertEqual(t.upstreams(of: "notify"), ["risk", "verify", "intake"])
        XCTAssertEqual(t.followers(of: "intake"), ["verify", "risk", "notify"])
        XCTAssertEqual(
            t.services.map { [$0.publishPort, $0.controlPort] }, [[7101, 7102], [7121, 7122], [7111, 7112], [7131, 7132]])
        let empty = Config(root: .object([]), environment: [:])
        for name in t.names {
            let s = try ServiceSettings(service: name, topology: t, config: empty)
            let notify = name == "notify"
            XCTAssertEqual(s.indexBlockShift, notify ? 12 : 17, name)
            XCTAssertEqual(s.checkpoint, notify ? .background : .inCommit, name)
            XCTAssertEqual(s.pipelinedCommits, notify, name)
            XCTAssertEqual(s.upstreams.map(\.stream), t.upstreams(of: name), name)
            for up in s.upstreams { XCTAssertEqual(up.follows, t.upstreams(of: up.stream), "\(name) ← \(up.stream)") }
        }
        XCTAssertEqual(NotifyRoom.profile, t["notify"])
        XCTAssertTrue(t.clientKinds.contains("survey"))
        XCTAssertEqual(t.tickedServices, ["verify", "risk", "notify"])
    }

    func testEveryUpstreamIsAServiceListedBeforeItsFollowers() {
        let t = Rooms.topology
        for (i, s) in t.services.enumerated() {
            for up in s.upstreams {
                let j = t.names.firstIndex(of: up)
                XCTAssertNotNil(j, "\(s.name) follows \(up), which is no room")
                XCTAssertLessThan(j ?? .max, i, "\(up) must come before \(s.name)")
            }
        }
        let ports = t.services.flatMap { [$0.publishPort, $0.controlPort] }
        XCTAssertEqual(Set(ports).count, ports.count, "ports must be unique")
    }

    /// The runtime takes any topology: services it has never heard of get their defaults from their
    /// profiles, their upstreams' `follows` from the topology, and their names stand for `*` in keys.
    func testTheRuntimeRunsOnATopologyOfAnyNames() throws {
        let t = ServiceTopology([
            ServiceProfile(name: "a", publishPort: 1, controlPort: 2),
            ServiceProfile(name: "b", publishPort: 3, controlPort: 4, upstreams: ["a"], indexBlockShift: 10),
            ServiceProfile(name: "c", publishPort: 5, controlPort: 6, upstreams: ["b", "a"], pipelinedCommits: true),
        ])
        let config = Config(root: try JSONValue.parse(#"{"upstream": {"b": {"read_file": false}}}"#), environment: [:])
        let c = try ServiceSettings(service: "c", topology: t, config: config)
        XCTAssertEqual(c.upstreams.map(\.stream), ["b", "a"])
        XCTAssertEqual(c.upstreams.map(\.follows), [["a"], []])
        XCTAssertTrue(c.pipelinedCommits)
        XCTAssertEqual(try ServiceSettings(service: "b", topology: t, config: config).indexBlockShift, 10)
        XCTAssertThrowsError(try ServiceSettings(service: "intake", topology: t, config: config))
        XCTAssertEqual(config.unknownKeys(known: ConfigKeys.service, streams: t.names), [])
        XCTAssertEqual(config.unknownKeys(known: ConfigKeys.service, streams: Rooms.topology.names), ["upstream.b"])
    }

    /// No quoted service name in GongguRuntime's code (comments may give examples).
    func testTheRuntimeNamesNoService() throws {
        let folder = Self.repository.appendingPathComponent("Sources/GongguRuntime")
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") } ?? []
        XCTAssertGreaterThan(files.count, 20)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                for name in Rooms.topology.names where code.contains("\"\(name)\"") { found.append("\(file):\(n + 1) \(name)") }
            }
        }
        XCTAssertEqual(found, [])
    }

    func testEveryRoomBuildsItsService() throws {
        let none = Config(root: .object([]), environment: [:])
        for name in Rooms.topology.names { XCTAssertNotNil(try Rooms.behaviour(name, config: none), name) }
        XCTAssertTrue(try Rooms.behaviour("notify", config: none) is NotifyBehaviour)
        XCTAssertNil(try Rooms.behaviour("report", config: none))
    }

    func testEachRoomHoldsEveryPartOfItsService() throws {
        let package = try String(contentsOf: Self.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        for name in Rooms.topology.names {
            let room = "Services/gonggu-\(name)"
            for part in ["Fold", "Edge", "Main/main.swift", "Tests", "config.json", "systemd/gonggu-\(name).service"] {
                XCTAssertTrue(
                    FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent("\(room)/\(part)").path),
                    "\(room)/\(part)")
            }
            XCTAssertTrue(package.contains("path: \"\(room)/Edge\""), "\(name)'s edge target")
        }
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguStore
import GongguTransport
import XCTest

/// Each event a follower derives names, in its payload's `basis`, the position (ordinal) of the upstream
/// event it came from: markers and command records have none, and events that derive nothing still
/// count (docs/ARCHITECTURE.md, "The merge of several upstreams"). The host counts positions per run of
/// events and writes them before it stamps an output; these cases pin that the stamp is the position of
/// the deriving event itself, within a run and across runs.
final class UpstreamBasisStampTests: XCTestCase {
    /// Derives one output from each upstream event whose subject is listed, nothing from the others.
    final class SelectiveBehaviour: ServiceBehaviour {
        let deriving: Set<String>
        init(deriving: Set<String>) { self.deriving = deriving }
        func isOwnInput(_ type: String) -> Bool { false }
        func process(input: Event) -> [Event] { [input] }
        func apply(upstream event: Event, stream: String) -> [Event] {
            guard deriving.contains(event.subject) else { return [] }
            return [Event(id: EventID.derived(from: event.id, "Derived"), type: "Derived", subject: event.subject,
                          region: event.region, occurredAt: event.occurredAt, causation: event.id,
                          payload: Array(#"{"of":"\#(event.subject)"}"#.utf8))]
        }
        func replayOwnInput(_ event: Event) {}
        func stateDigest() -> String { "" }
    }

    private func fact(_ n: Int) -> Event {
        Event(id: EventID(high: 1, low: UInt64(n)), type: "Fact", subject: "H\(n)", region: "220182101201",
              occurredAt: 0, payload: Array("{}".utf8))
    }

    func testEachOutputNamesThePositionOfTheEventItCameFrom() throws {
        let folder = try makeTemporaryDirectory("basis-stamp")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let upstream = try EventLog(path: "\(folder)/intake.log.sqlite", stream: "intake")
        // Positions: H1 1, (a command record: none), H2 2, H3 3, H4 4.
        let command = Event(id: EventID(high: 2, low: 1), type: CommandAccepted.eventType, subject: "intake",
                            region: "", occurredAt: 0, payload: Array("{}".utf8))
        try upstream.append([fact(1), command, fact(2), fact(3), fact(4)], recordedAt: 1)
        let base = "ipc://\(folder)/s"
        let root: JSONValue = .object([
            ("data", .object([("directory", .string(folder))])),
            ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
            ("log", .object([("level", .string("error"))])),
            ("upstreams", .array([.string("intake")])),
            ("upstream", .object([("intake", .object([
                ("log", .string("\(folder)/intake.log.sqlite")), ("publish", .string("\(base)-intake-pub")),
            ]))])),
        ])
        // The upstream's publisher: a follower reading the upstream's file reads on its heartbeats.
        let publisher = try EventPublisher(stream: "intake", endpoint: "\(base)-intake-pub")
        defer { publisher.close() }
        let settings = try ServiceSettings(service: "verify", config: Config(root: root, environment: [:]))
        let host = ServiceHost(
            settings: settings, behaviour: SelectiveBehaviour(deriving: ["H2", "H4", "H7"]),
            logger: Logger(label: "test", minimumLevel: .error))
        let running = HostThread(host)
        defer { try? running.stop() }

        /// The `basis` position of each derived event, once `count` are logged (heartbeats announce `latest`).
        func derived(count: Int, latest: Int64) throws -> [String: Int64] {
            var outputs: [Event] = []
            try waitFor("\(count) derived events", timeout: 60) {
                try? publisher.heartbeat(latest: latest)
                guard let own = try? EventLog(path: settings.logPath, stream: "verify", readOnly: true),
                      let events = try? own.read(after: 0, limit: 1000)
                else { return false }
                outputs = events.filter { $0.type == "Derived" }
                return outputs.count >= count
            }
            var stamps: [String: Int64] = [:]
            for e in outputs { stamps[e.subject] = UpstreamBasis.read(e.payload)?["intake"] ?? -1 }
            return stamps
        }

        XCTAssertEqual(try derived(count: 2, latest: 5), ["H2": 2, "H4": 4])
        // A later run: positions go on from where the first run left them (H5 5, H6 6, H7 7).
        try upstream.append([fact(5), fact(6), fact(7)], recordedAt: 2)
        XCTAssertEqual(try derived(count: 3, latest: 8), ["H2": 2, "H4": 4, "H7": 7])
    }
}

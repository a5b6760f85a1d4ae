import Foundation
import GongguCore
import GongguEvents
import GongguRooms
import GongguHarness
import GongguRuntime
import GongguServices
import XCTest

/// The crash test at CI size (docs/RELIABILITY.md, "Crash test"): `gonggu-bench chaos` (the same driver as the
/// on-demand run at 100,000 households) kills a random service with SIGKILL at seeded random instants at least 20 times
/// while a province is imported and the downstream catches up, restarting it each time. The bench checks and prints its
/// comparison; this test checks the kept folders again by itself, so a mistake in the bench's own comparison cannot
/// hide a loss.
final class ChaosTests: XCTestCase {
    func testTwentyKillsEndWithTheLogsOfAnUninterruptedRun() throws {
        let dir = try makeTemporaryDirectory("chaos")
        let run = try runToCompletion(
            ServiceProcess.executable("gonggu-bench"),
            ["chaos", "--households", "300", "--kills", "20", "--seed", "7", "--dir", dir])
        let output = run.output
        print(output)
        XCTAssertEqual(run.status, 0, "the bench's own checks pass")

        // Rows of the kill table: "| # | service | log seq at kill | t (s) | phase |".
        let kills = output.split(separator: "\n").filter { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return line.hasPrefix("| ") && cells.count == 5 && Int(cells[0]) != nil
                && PipelineLauncher.services.contains(cells[1])
        }
        XCTAssertGreaterThanOrEqual(kills.count, 20, "at least 20 SIGKILLs")
        XCTAssertTrue(kills.contains { $0.contains("| intake |") }, "intake was killed too")

        for s in PipelineLauncher.services {
            let calm = try GongguStoreTestAccess.events(path: "\(dir)/calm/data/\(s).log.sqlite")
            let chaos = try GongguStoreTestAccess.events(path: "\(dir)/chaos/data/\(s).log.sqlite")
            let path = "\(dir)/chaos/data/\(s).log.sqlite"
            XCTAssertTrue(try GongguStoreTestAccess.verify(path: path), "\(s) chain verifies")
            XCTAssertEqual(chaos.map(\.seq), Array(1...Int64(chaos.count)), "\(s): seq without gaps")
            let expected = decisions(calm), got = decisions(chaos)
            XCTAssertEqual(got.count, Set(got).count, "\(s): nothing recorded twice")
            XCTAssertEqual(Set(got), Set(expected), "\(s): same events as the uninterrupted run")
            XCTAssertFalse(expected.isEmpty, "\(s) decided something")
            // Consumers' cursor markers cover their upstreams contiguously from 1 to the end.
            var through: [String: Int] = [:]
            for e in chaos where e.type == "InputConsumed" {
                let m = try JSONValue.parse(e.payload)
                let stream = m["stream"]?.stringValue ?? "?"
                XCTAssertEqual(m["after"]?.intValue, through[stream] ?? 0, "\(s) consumed \(stream) contiguously")
                through[stream] = m["through"]?.intValue
            }
            for up in Rooms.topology.upstreams(of: s) {
                let upstream = try GongguStoreTestAccess.events(path: "\(dir)/chaos/data/\(up).log.sqlite")
                XCTAssertEqual(through[up] ?? 0, upstream.count, "\(s) caught up with \(up)")
            }
        }
        if testRun?.failureCount ?? 0 == 0 { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// Every event but the cursor markers, as id, type and payload.
    func decisions(_ events: [Event]) -> [String] {
        // Not the records of who sent each command: one per attempt (a re-import after a kill adds one).
        events.filter { $0.type != "InputConsumed" && $0.type != CommandAccepted.eventType }.map { "\($0.id)|\($0.type)|\(SHA256.hash($0.payload).hexString)" }
    }
}

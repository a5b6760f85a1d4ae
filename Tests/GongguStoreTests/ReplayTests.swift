import GongguCore
import XCTest

@testable import GongguStore

final class ReplayTests: StoreTestCase {
    struct Stop: Error {}

    func testForEachOverManyChunksMatchesRead() throws {
        let log = try makeLog()
        let all = try log.append(sampleEvents(1_000), recordedAt: 1)
        for start in [Int64(0), 255, 256, 999, 1_000] {
            var seen: [Event] = []
            try log.forEach(after: start) { seen.append($0) }
            XCTAssertEqual(seen, Array(all[Int(start)...]), "after \(start)")
        }
    }

    func testBodyMayUseTheLogAndErrorsStopTheWalk() throws {
        let log = try makeLog()
        try log.append(sampleEvents(700), recordedAt: 1)
        var count = 0
        XCTAssertThrowsError(
            try log.forEach { event in
                XCTAssertEqual(try log.event(id: event.id)?.seq, event.seq)
                count += 1
                if count == 300 { throw Stop() }
            }
        ) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(count, 300)
        // The log is usable after an interrupted walk.
        XCTAssertEqual(try log.append(sampleEvents(1, from: 700), recordedAt: 2).first?.seq, 701)
    }

    func testMalformedRowStopsReplayAfterTheRowsBeforeIt() throws {
        guard let cli = Self.sqlite3CLI else { throw XCTSkip("sqlite3 command-line shell not installed") }
        do { try makeLog().append(sampleEvents(600), recordedAt: 1) }
        let done = try runSQLite3(
            cli, path: path(), sql: "DROP TRIGGER events_no_update; UPDATE events SET id = x'01' WHERE seq = 400;")
        XCTAssertEqual(done.status, 0, done.stderr)
        let log = try makeLog()
        var seen = 0
        XCTAssertThrowsError(try log.forEach { _ in seen += 1 }) { error in
            guard case .malformedRow(seq: 400, _)? = error as? EventLogError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(seen, 399)
    }
}

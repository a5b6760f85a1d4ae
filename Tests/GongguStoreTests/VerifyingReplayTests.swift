import GongguCore
import XCTest

@testable import GongguStore

/// The replay a service starts with verifies the chain in its own pass (docs/RELIABILITY.md, "Start only on a sound
/// log"): the body sees every event before the first bad one and none from it on, and the walk names it.
final class VerifyingReplayTests: StoreTestCase {
    /// A log of `count` events with `sql` run on it through a raw connection, triggers dropped.
    private func tampered(_ count: Int, _ sql: String) throws -> EventLog {
        do {
            let log = try makeLog()
            try log.append(sampleEvents(count), recordedAt: 1)
        }
        let db = try SQLiteDatabase(path: path())
        try db.execute("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; \(sql)")
        return try EventLog(path: path(), stream: "test", readOnly: true)
    }

    private func replay(_ log: EventLog, after: Int64 = 0) -> (seen: [Int64], error: Error?) {
        var seen: [Int64] = []
        do {
            try log.forEach(after: after, verifyingChain: true) { seen.append($0.seq) }
            return (seen, nil)
        } catch {
            return (seen, error)
        }
    }

    func testAnIntactLogReplaysWhole() throws {
        let log = try tampered(1_500, "SELECT 1")
        let (seen, error) = replay(log)
        XCTAssertNil(error)
        XCTAssertEqual(seen, Array(1...1_500))
        XCTAssertEqual(replay(log, after: 700).seen, Array(701...1_500), "from an anchor in the middle")
    }

    func testAnAlteredPayloadStopsTheReplayBeforeIt() throws {
        let log = try tampered(1_500, "UPDATE events SET payload = CAST('{}' AS BLOB) WHERE seq = 700")
        let (seen, error) = replay(log)
        XCTAssertEqual(seen, Array(1...699), "nothing from the bad event on reaches the fold")
        XCTAssertEqual(error as? LogDamage, .chainBroken(path: path(), seq: 700, problem: .hashMismatch))
    }

    func testADeletedRowStopsTheReplayAtTheGap() throws {
        let log = try tampered(1_500, "DELETE FROM events WHERE seq = 300")
        let (seen, error) = replay(log)
        XCTAssertEqual(seen, Array(1...299))
        XCTAssertEqual(error as? LogDamage, .chainBroken(path: path(), seq: 300, problem: .seqGap(found: 301)))
    }

    func testReadVerifiedHandsOnTheSoundPrefixThenThrows() throws {
        let log = try tampered(600, "UPDATE events SET subject = 'X' WHERE seq = 450")
        let first = try log.readVerified(after: 0, limit: 1_000, anchor: nil)
        XCTAssertEqual(first.events.map(\.seq), Array(1...449))
        XCTAssertThrowsError(try log.readVerified(after: 449, limit: 1_000, anchor: first.head)) {
            XCTAssertEqual($0 as? LogDamage, .chainBroken(path: path(), seq: 450, problem: .hashMismatch))
        }
    }

    func testIntegrityCheckOfASoundLogFindsNothing() throws {
        let log = try tampered(100, "SELECT 1")
        XCTAssertEqual(try log.checkStructure(.quick), [])
        XCTAssertEqual(try log.checkStructure(.full), [])
    }
}

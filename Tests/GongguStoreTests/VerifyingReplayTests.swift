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

    /// The chain a bounded read checked: the hash it started from, then each sound event's stored hash —
    /// the chain hash through it — and nothing of the bad row or after it.
    func testReadVerifiedChainIsTheStoredChainOfTheSoundEvents() throws {
        let log = try tampered(600, "UPDATE events SET subject = 'X' WHERE seq = 450")
        let stored = try (0...600).map { seq in try log.withDatabase { _ in try log.storedHash(at: Int64(seq)) } }
        func hashes(_ chain: [UInt8]) -> [[UInt8]] { stride(from: 0, to: chain.count, by: 32).map { Array(chain[$0..<$0 + 32]) } }
        let whole = try log.readVerifiedChain(after: 0, limit: 300, anchor: nil)
        XCTAssertEqual(hashes(whole.chain), Array(stored[0...300]))
        XCTAssertEqual(whole.head, stored[300])
        // Anchored on the head of the read before: the chain starts from that anchor.
        let tail = try log.readVerifiedChain(after: 300, limit: 1_000, anchor: whole.head)
        XCTAssertEqual(tail.events.map(\.seq), Array(301...449))
        XCTAssertEqual(hashes(tail.chain), Array(stored[300...449]))
        // The chain is the chain hash through each event, as a consumer would compute it.
        var previous = stored[300], scratch: [UInt8] = []
        for (i, e) in tail.events.enumerated() {
            previous = CanonicalEncoding.chainHash(previous: previous, event: e, scratch: &scratch)
            XCTAssertEqual(previous, hashes(tail.chain)[i + 1], "seq \(e.seq)")
        }
    }

    func testIntegrityCheckOfASoundLogFindsNothing() throws {
        let log = try tampered(100, "SELECT 1")
        XCTAssertEqual(try log.checkStructure(.quick), [])
        XCTAssertEqual(try log.checkStructure(.full), [])
    }
}

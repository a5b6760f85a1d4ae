import GongguCore
import XCTest

@testable import GongguStore

final class AppendReadTests: StoreTestCase {
    func testAppendThenReadRoundTripsEveryField() throws {
        let log = try makeLog()
        let input = sampleEvents(7)
        let recorded = try log.append(input, recordedAt: 1_767_225_600_123)
        XCTAssertEqual(recorded.map(\.seq), Array(1...7))
        XCTAssertTrue(recorded.allSatisfy { $0.recordedAt == 1_767_225_600_123 })
        for (a, b) in zip(input, recorded) {
            var expected = a
            expected.seq = b.seq
            expected.recordedAt = b.recordedAt
            XCTAssertEqual(b, expected)
        }
        XCTAssertEqual(try log.read(after: 0, limit: 100), recorded)
        XCTAssertEqual(try log.read(after: 5, limit: 100), Array(recorded[5...]))
        XCTAssertEqual(try log.read(after: 0, limit: 3), Array(recorded[..<3]))
        XCTAssertEqual(try log.read(after: 7, limit: 10), [])
        var streamed: [Event] = []
        try log.forEach(after: 2) { streamed.append($0) }
        XCTAssertEqual(streamed, Array(recorded[2...]))
    }

    func testEventByID() throws {
        let log = try makeLog()
        let recorded = try log.append(sampleEvents(5), recordedAt: 1)
        XCTAssertEqual(try log.event(id: recorded[3].id), recorded[3])
        XCTAssertNil(try log.event(id: EventID.derived("absent")))
    }

    func testHeadHashIsTheCanonicalChain() throws {
        let log = try makeLog()
        XCTAssertEqual(try log.headHash, CanonicalEncoding.genesis)
        let first = try log.append(sampleEvents(300), recordedAt: 42)
        let recorded = first + (try log.append(sampleEvents(3, from: 300), recordedAt: 43))
        var scratch: [UInt8] = []
        var hash = CanonicalEncoding.genesis
        for e in recorded { hash = CanonicalEncoding.chainHash(previous: hash, event: e, scratch: &scratch) }
        XCTAssertEqual(try log.headHash, hash)
        XCTAssertEqual(try log.verify(), .intact(count: 303, headHash: hash))
    }

    func testSeqIsGaplessAcrossBatchesAndReopen() throws {
        var log: EventLog? = try makeLog()
        // Batches below and above the pipelining threshold, and an empty batch.
        try log!.append(sampleEvents(3), recordedAt: 1)
        try log!.append([], recordedAt: 2)
        try log!.append(sampleEvents(700, from: 3), recordedAt: 3)
        XCTAssertEqual(try log!.lastSeq, 703)
        let head = try log!.headHash
        log = nil
        let reopened = try makeLog()
        XCTAssertEqual(try reopened.lastSeq, 703)
        XCTAssertEqual(try reopened.headHash, head)
        let more = try reopened.append(sampleEvents(2, from: 703), recordedAt: 4)
        XCTAssertEqual(more.map(\.seq), [704, 705])
        let seqs = try reopened.read(after: 0, limit: 10_000).map(\.seq)
        XCTAssertEqual(seqs, Array(1...705))
        XCTAssertTrue(try reopened.verify().isIntact)
    }

    func testDuplicateIDIsRefusedAndNothingOfTheBatchRemains() throws {
        let log = try makeLog()
        let first = sampleEvents(2)
        try log.append(first, recordedAt: 1)
        let batch = sampleEvents(2, from: 2) + [first[0]]
        XCTAssertThrowsError(try log.append(batch, recordedAt: 2)) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)")
        }
        XCTAssertEqual(try log.lastSeq, 2)
        XCTAssertEqual(try log.read(after: 0, limit: 10).count, 2)
    }

    func testInvalidEventsAreRejectedBeforeWriting() throws {
        let log = try makeLog()
        var bad = sampleEvents(1)[0]
        bad.subject = String(repeating: "x", count: 70_000)
        XCTAssertThrowsError(try log.append(sampleEvents(1, from: 1) + [bad], recordedAt: 1)) { error in
            XCTAssertEqual(error as? EventLogError, .invalidEvent(index: 1, reason: "subject longer than 65535 bytes"))
        }
        XCTAssertEqual(try log.lastSeq, 0)
    }

    func testStreamNameIsCheckedAndMetaRecorded() throws {
        let log = try makeLog(stream: "intake")
        XCTAssertEqual(log.stream, "intake")
        XCTAssertEqual(log.logID.count, 32)
        XCTAssertThrowsError(try EventLog(path: path(), stream: "risk")) { error in
            XCTAssertEqual(error as? EventLogError, .streamMismatch(expected: "risk", found: "intake"))
        }
        let any = try EventLog(path: path(), stream: nil, readOnly: true)
        XCTAssertEqual(any.stream, "intake")
        XCTAssertEqual(any.logID, log.logID)
        XCTAssertThrowsError(try EventLog(path: path("new.sqlite"), stream: nil))
    }

    func testSynchronousSettings() throws {
        let cases: [(Synchronous, Int64)] = [(.full, 2), (.normal, 1), (.off, 0)]
        for (setting, pragma) in cases {
            let log = try EventLog(path: path("sync-\(setting.rawValue).sqlite"), stream: "test", synchronous: setting)
            XCTAssertEqual(try log.withDatabase { try $0.scalarInt("PRAGMA synchronous") }, pragma, setting.rawValue)
        }
    }

    func testWriterUsesWALAndFullSyncByDefault() throws {
        let log = try EventLog(path: path(), stream: "test")
        try log.withDatabase { db in
            XCTAssertEqual(try db.scalarText("PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try db.scalarInt("PRAGMA synchronous"), 2)  // FULL
        }
    }
}

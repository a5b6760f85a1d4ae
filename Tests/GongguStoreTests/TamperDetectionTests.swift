import GongguCore
import XCTest

@testable import GongguStore

/// Tampering from outside the program: the `sqlite3` shell, with the append-only triggers dropped.
final class TamperDetectionTests: StoreTestCase {
    private func tamperedLog(_ sql: String) throws -> LogVerification {
        guard let cli = Self.sqlite3CLI else { throw XCTSkip("sqlite3 command-line shell not installed") }
        do {
            let log = try makeLog()
            try log.append(sampleEvents(1_200), recordedAt: 1)
            XCTAssertTrue(try log.verify().isIntact)
        }
        // The triggers refuse the change while they exist…
        let refused = try runSQLite3(cli, path: path(), sql: "UPDATE events SET subject = 'X' WHERE seq = 700;")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("append-only"), refused.stderr)
        // …so a tamperer drops them first.
        let done = try runSQLite3(
            cli, path: path(), sql: "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; \(sql)")
        XCTAssertEqual(done.status, 0, done.stderr)
        return try EventLog(path: path(), stream: "test", readOnly: true).verify()
    }

    func testAlteredPayloadIsDetectedAtItsSeq() throws {
        let result = try tamperedLog("UPDATE events SET payload = CAST('{\"n\":1}' AS BLOB) WHERE seq = 700;")
        XCTAssertEqual(result, .broken(seq: 700, problem: .hashMismatch, verified: 699))
    }

    func testAlteredEnvelopeFieldIsDetected() throws {
        let result = try tamperedLog("UPDATE events SET recorded_at = recorded_at + 1 WHERE seq = 3;")
        XCTAssertEqual(result, .broken(seq: 3, problem: .hashMismatch, verified: 2))
    }

    func testDeletedRowIsReportedAsGap() throws {
        let result = try tamperedLog("DELETE FROM events WHERE seq = 1000;")
        XCTAssertEqual(result, .broken(seq: 1000, problem: .seqGap(found: 1001), verified: 999))
    }

    func testRewrittenHashAloneIsDetected() throws {
        let result = try tamperedLog("UPDATE events SET hash = zeroblob(32) WHERE seq = 1200;")
        XCTAssertEqual(result, .broken(seq: 1200, problem: .hashMismatch, verified: 1199))
    }

    func testMalformedIDIsReported() throws {
        let result = try tamperedLog("UPDATE events SET id = x'0102' WHERE seq = 5;")
        guard case let .broken(seq, .malformedRow, verified) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(seq, 5)
        XCTAssertEqual(verified, 4)
    }
}

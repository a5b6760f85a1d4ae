import GongguCore
import XCTest

@testable import GongguStore

final class AppendOnlyTests: StoreTestCase {
    func testUpdateAndDeleteAreRefused() throws {
        let log = try makeLog()
        try log.append(sampleEvents(3), recordedAt: 1)
        try log.withDatabase { db in
            for sql in [
                "UPDATE events SET payload = x'00' WHERE seq = 2", "DELETE FROM events WHERE seq = 3",
                "UPDATE meta SET stream = 'other'", "DELETE FROM meta",
            ] {
                XCTAssertThrowsError(try db.execute(sql), sql) { error in
                    XCTAssertTrue(SQLiteResultCode.constraintTrigger ~= error, "\(error)")
                    XCTAssertTrue(SQLiteResultCode.constraint ~= error)
                }
            }
        }
        XCTAssertEqual(try log.read(after: 0, limit: 10).count, 3)
        XCTAssertTrue(try log.verify().isIntact)
    }

    func testDuplicateSeqIsRefusedByThePrimaryKey() throws {
        let log = try makeLog()
        try log.append(sampleEvents(2), recordedAt: 1)
        try log.withDatabase { db in
            let sql = "INSERT INTO events SELECT 2, x'00', type, version, subject, region, occurred_at, recorded_at, "
                + "causation, correlation, payload, hash, person FROM events WHERE seq = 1"
            XCTAssertThrowsError(try db.execute(sql)) { XCTAssertTrue(SQLiteResultCode.constraint ~= $0) }
        }
    }

    func testReadOnlyLogRefusesAppend() throws {
        _ = try makeLog()
        let reader = try EventLog(path: path(), stream: "test", readOnly: true)
        XCTAssertThrowsError(try reader.append(sampleEvents(1), recordedAt: 1)) {
            XCTAssertEqual($0 as? EventLogError, .readOnly)
        }
        XCTAssertThrowsError(try reader.withDatabase { try $0.execute("CREATE TABLE x(a)") }) {
            XCTAssertTrue(SQLiteResultCode.readOnly ~= $0, "\($0)")
        }
    }
}

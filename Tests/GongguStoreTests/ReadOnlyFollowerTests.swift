import GongguCore
import XCTest

@testable import GongguStore

final class ReadOnlyFollowerTests: StoreTestCase {
    func testReaderSeesTheWritersNewCommits() throws {
        let writer = try makeLog()
        let reader = try EventLog(path: path(), stream: "test", readOnly: true)
        XCTAssertEqual(try reader.lastSeq, 0)
        try writer.append(sampleEvents(3), recordedAt: 1)
        XCTAssertEqual(try reader.lastSeq, 3)
        XCTAssertEqual(try reader.headHash, try writer.headHash)
        try writer.append(sampleEvents(400, from: 3), recordedAt: 2)
        XCTAssertEqual(try reader.lastSeq, 403)
        XCTAssertEqual(try reader.read(after: 400, limit: 10).map(\.seq), [401, 402, 403])
        XCTAssertEqual(try reader.verify(), .intact(count: 403, headHash: try writer.headHash))
    }

    func testReaderReadsWhileWriterHoldsAnOpenTransaction() throws {
        let writer = try makeLog()
        try writer.append(sampleEvents(5), recordedAt: 1)
        let reader = try EventLog(path: path(), stream: "test", readOnly: true)
        // The reader sees the last commit, not the writer's uncommitted rows, and is not blocked.
        try writer.append(sampleEvents(5, from: 5), recordedAt: 2) { _ in
            XCTAssertEqual(try reader.lastSeq, 5)
            XCTAssertEqual(try reader.read(after: 0, limit: 100).count, 5)
        }
        XCTAssertEqual(try reader.lastSeq, 10)
    }

    func testReadingAMissingLogFails() {
        XCTAssertThrowsError(try EventLog(path: path("absent.sqlite"), stream: nil, readOnly: true)) {
            XCTAssertTrue(SQLiteResultCode.cantOpen ~= $0, "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("absent.sqlite")))
    }
}

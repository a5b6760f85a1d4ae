import XCTest

@testable import GongguStore

final class SQLiteDatabaseTests: StoreTestCase {
    func testErrorMatchesCodesAndHidesArguments() throws {
        let db = try SQLiteDatabase(path: path("plain.sqlite"))
        try db.execute("CREATE TABLE person(id TEXT PRIMARY KEY)")
        let insert = try db.prepare("INSERT INTO person(id) VALUES (?)")
        let secret = Self.residentID(1)
        try insert.run([secret])
        do {
            try insert.run([secret])
            XCTFail("duplicate accepted")
        } catch SQLiteResultCode.constraintPrimaryKey {
            // matched by extended code
        }
        XCTAssertThrowsError(try insert.run([secret])) { error in
            XCTAssertTrue(SQLiteResultCode.constraint ~= error)
            XCTAssertFalse(SQLiteResultCode.full ~= error)
            let text = "\(error)"
            XCTAssertFalse(text.contains(secret), text)
            XCTAssertTrue(text.contains("INSERT INTO person(id) VALUES (?)"), text)
            XCTAssertTrue(text.contains("UNIQUE constraint failed"), text)
        }
    }

    func testTransactionRollsBackOnError() throws {
        struct Boom: Error {}
        let db = try SQLiteDatabase(path: path("plain.sqlite"))
        try db.execute("CREATE TABLE t(v INTEGER)")
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            throw Boom()
        })
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM t"), 0)
        let v = try db.transaction { () -> Int64? in
            try db.execute("INSERT INTO t VALUES (2)")
            return try db.scalarInt("SELECT sum(v) FROM t")
        }
        XCTAssertEqual(v, 2)
    }

    func testStatementBindsAndReadsColumns() throws {
        let db = try SQLiteDatabase(path: path("plain.sqlite"))
        try db.execute("CREATE TABLE t(i INTEGER, s TEXT, b BLOB, d REAL, n)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.run([Int64(-5), "长春 2201", [UInt8]([0, 1, 255]), 2.5, nil])
        try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)").run([7, "", [UInt8](), 0.0, nil])
        let s = try db.prepare("SELECT i, s, b, d, n FROM t ORDER BY rowid")
        XCTAssertTrue(try s.step())
        XCTAssertEqual(s.int64(at: 0), -5)
        XCTAssertEqual(s.string(at: 1), "长春 2201")
        XCTAssertEqual(s.bytes(at: 2), [0, 1, 255])
        XCTAssertEqual(s.double(at: 3), 2.5)
        XCTAssertTrue(s.isNull(at: 4))
        XCTAssertTrue(try s.step())
        XCTAssertEqual(s.string(at: 1), "")
        XCTAssertEqual(s.bytes(at: 2), [])  // an empty blob, not NULL
        XCTAssertFalse(try s.step())
    }

    func testOpeningGarbageFails() throws {
        let file = path("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try EventLog(path: file, stream: "x")) { error in
            XCTAssertTrue(SQLiteResultCode.notADatabase ~= error, "\(error)")
        }
    }
}

/// Two connections switching one new file to WAL at the same moment (a service's indexer thread and
/// a tool both creating the sidecar; a writer and a migration) get SQLITE_BUSY at once from SQLite,
/// without its busy handler: the switch needs an exclusive lock it does not wait for.
final class WALSwitchRaceTests: StoreTestCase {
    func testConcurrentWALSwitchesOnANewFileBothSucceed() throws {
        let rounds = 60
        let failures = LockedCounter()
        for round in 0..<rounds {
            let file = path("race-\(round).sqlite")
            let group = DispatchGroup()
            for _ in 0..<2 {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    do {
                        let db = try SQLiteDatabase(path: file)
                        XCTAssertEqual(try db.enableWAL(), "wal")
                        try db.execute("CREATE TABLE IF NOT EXISTS t(v INTEGER)")
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
            group.wait()
        }
        XCTAssertEqual(failures.values, [], "\(failures.values.count) of \(2 * rounds) WAL switches failed")
    }
}

private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ value: String) { lock.lock(); list.append(value); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import GongguStore
import XCTest

/// A service starts only on a sound log (docs/RELIABILITY.md, "Start only on a sound log"). Each test tampers with a
/// stopped intake's log the way the outside tamper kit did — behind the append-only triggers, through a raw SQLite
/// connection, or by editing the file's bytes — then starts the real `gonggu-intake` process and checks that it
/// refuses: exit 65 (EX_DATAERR, listed in the units' `RestartPreventExitStatus=`), with a Chinese and English message
/// naming the file and the first bad seq. A flipped byte in an index page leaves the chain intact; `gonggu log verify`
/// finds it by `integrity_check` and names the index.
final class SoundLogTests: XCTestCase {
    var dir = ""
    var logPath: String { "\(dir)/intake/intake.log.sqlite" }
    var processes: [ServiceProcess] = []

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("soundlog")
        try FileManager.default.createDirectory(
            atPath: "\(dir)/intake", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A log file readable by others is refused before it is read (data folder permissions).
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let log = try EventLog(path: logPath, stream: "intake")
        let pad = String(repeating: "x", count: 40)
        let events = (1...400).map { i in
            Event(id: EventID(high: 42, low: UInt64(i)), type: "Fact", subject: "H\(i)", region: "220182101201",
                  occurredAt: Int64(i), payload: Array("{\"n\":\(i),\"pad\":\"\(pad)\"}".utf8))
        }
        try log.append(events, recordedAt: 1)
        // The writer's connection closes here: the WAL is copied back and removed.
    }

    override func tearDown() {
        for p in processes { p.stop() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs SQL on the log through a raw connection, with the append-only triggers dropped first.
    func tamper(_ sql: String) throws {
        let db = try SQLiteDatabase(path: logPath)
        try db.execute("DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete")
        try db.execute(sql)
    }

    /// Starts intake on the tampered log; returns its exit status (nil if it kept running) and output.
    func startIntake() throws -> (Int32?, String) {
        let config = "\(dir)/intake.json"
        let fields: [String: Any] = [
            "data": ["directory": "\(dir)/intake"],
            "endpoints": ["publish": "ipc://\(dir)/pub.sock", "control": "ipc://\(dir)/ctl.sock"],
        ]
        try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: config))
        let p = try ServiceProcess("gonggu-intake", ["--config", config], logTo: dir)
        processes.append(p)
        let status = p.wait(timeout: 30)
        return (status, p.log)
    }

    func assertRefused(seq: Int64?, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, output) = try startIntake()
        print("gonggu-intake exit status: \(status.map(String.init) ?? "still running")\n\(output)")
        XCTAssertEqual(status, 65, "a damaged log must stop the start with EX_DATAERR", file: file, line: line)
        let text = output.replacingOccurrences(of: "\\/", with: "/")
        XCTAssertTrue(text.contains("log damaged; refusing to start"), file: file, line: line)
        XCTAssertTrue(text.contains("日志") || text.contains("\\u65e5"), "Chinese message", file: file, line: line)
        XCTAssertTrue(text.contains(logPath), "the message names the file", file: file, line: line)
        if let seq {
            XCTAssertTrue(text.contains("first bad seq \(seq)"), "the message names seq \(seq)", file: file, line: line)
        }
    }

    func testAlteredPayloadRefusesTheStart() throws {
        try tamper("UPDATE events SET payload = CAST('{\"n\":999}' AS BLOB) WHERE seq = 120")
        try assertRefused(seq: 120)
    }

    func testDeletedRowRefusesTheStart() throws {
        try tamper("DELETE FROM events WHERE seq = 77")
        try assertRefused(seq: 77)
    }

    func testSwappedRowsRefuseTheStart() throws {
        try tamper(
            "UPDATE events SET seq = -1 WHERE seq = 200; UPDATE events SET seq = 200 WHERE seq = 201; "
                + "UPDATE events SET seq = 201 WHERE seq = -1")
        try assertRefused(seq: 200)
    }

    /// The file cut short by its last page (a copy interrupted, a disk that lost its tail).
    func testCutTailRefusesTheStart() throws {
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int)
        XCTAssertFalse(FileManager.default.fileExists(atPath: logPath + "-wal"), "the WAL was copied back")
        XCTAssertEqual(truncate(logPath, off_t(size - 8192)), 0)
        try assertRefused(seq: nil)
    }

    /// A byte flipped inside a leaf page of the id index (found through `dbstat`): the chain still
    /// verifies, so only SQLite's integrity check sees it; `gonggu log verify` must report it and name
    /// the index, and not say `ok`. Logs have no index since the sidecar index (LOG_INDEX.md): the test gives the stopped
    /// service's log the blocked id index of a log written before it (what an operator may verify).
    func testFlippedByteInAnIndexPageIsFoundByLogVerify() throws {
        let index = "events_id_block"
        try SQLiteDatabase(path: logPath, readOnly: false).execute("CREATE UNIQUE INDEX \(index) ON events(seq >> 17, id)")
        let (page, pageSize): (Int64, Int64) = try {
            let db = try SQLiteDatabase(path: logPath, readOnly: true)
            let s = try db.prepare("SELECT pageno FROM dbstat WHERE name = '\(index)' AND pagetype = 'leaf' LIMIT 1")
            guard try s.step() else { throw XCTSkip("no leaf page of \(index) (dbstat missing?)") }
            return (s.int64(at: 0), try XCTUnwrap(db.scalarInt("PRAGMA page_size")))
        }()
        // Cells fill a page from its end; the last cell ends with the 16-byte id and a 1–2 byte seq, so
        // a byte 5 from the end lies inside an id (further in, it may hit a record header instead).
        let offset = (page - 1) * pageSize + pageSize - 5
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: logPath))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: UInt64(offset))
        handle.write(Data([byte ^ 0x5a]))
        try handle.close()
        // The corruption really hit the index: SQLite's own check names it.
        let findings: [String] = try {
            let db = try SQLiteDatabase(path: logPath, readOnly: true)
            let s = try db.prepare("PRAGMA integrity_check")
            var lines: [String] = []
            while try s.step() { lines.append(s.string(at: 0) ?? "") }
            return lines
        }()
        XCTAssertNotEqual(findings, ["ok"])
        XCTAssertTrue(findings.contains { $0.contains(index) }, "integrity_check names \(index): \(findings)")

        let (status, output) = try ServiceProcess.gonggu(["log", "verify", logPath])
        print("gonggu log verify exit status: \(status)\n\(output)")
        XCTAssertEqual(status, 1)
        XCTAssertFalse(output.hasPrefix("ok"), "a damaged index must not verify ok")
        XCTAssertTrue(output.contains("damaged structures: \(index)"), "names the index")
        XCTAssertTrue(output.contains(logPath), "names the file")
    }

    /// File damage reaches the operator as a typed message with the path, not `SQLite error 26`.
    func testLogVerifyOfAFileThatIsNotADatabaseNamesItInChineseAndEnglish() throws {
        try Data(repeating: 0x41, count: 16384).write(to: URL(fileURLWithPath: logPath))
        let (status, output) = try ServiceProcess.gonggu(["log", "verify", logPath])
        print("gonggu log verify exit status: \(status)\n\(output)")
        XCTAssertEqual(status, 66)
        XCTAssertTrue(output.contains("不是 SQLite 数据库") && output.contains("not a database file"), output)
        XCTAssertTrue(output.contains(logPath))
        XCTAssertFalse(output.contains("SQLite error 26"), output)
    }
}

/// A consumer whose upstream log is broken: it folds the sound events before the break, then reports
/// the upstream in STATUS (`upstreamBroken`, with file and seq) and in an error line, instead of
/// retrying silently; a consumer whose *consumed* range is broken cannot rebuild and refuses to start.
final class BrokenUpstreamTests: XCTestCase {
    var dir = ""
    var intakeLog: String { "\(dir)/intake/intake.log.sqlite" }
    var processes: [ServiceProcess] = []
    var control: String { "ipc://\(dir)/verify-ctl.sock" }

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("brokenup")
        try FileManager.default.createDirectory(
            atPath: "\(dir)/intake", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let log = try EventLog(path: intakeLog, stream: "intake")
        let events = (1...400).map { i in
            Event(id: EventID(high: 43, low: UInt64(i)), type: "Unrelated", subject: "H\(i)", region: "220182101201",
                  occurredAt: Int64(i), payload: Array("{\"n\":\(i)}".utf8))
        }
        try log.append(events, recordedAt: 1)
    }

    override func tearDown() {
        for p in processes { p.stop() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    func alterIntake(seq: Int) throws {
        let db = try SQLiteDatabase(path: intakeLog)
        try db.execute("DROP TRIGGER IF EXISTS events_no_update")
        try db.execute("UPDATE events SET payload = CAST('{\"n\":-1}' AS BLOB) WHERE seq = \(seq)")
    }

    /// gonggu-verify following the intake log by its file; intake itself is not running.
    func startVerify() throws -> ServiceProcess {
        let p = try startVerifyFollowingFile(intakeLog: intakeLog, dir: dir, dataDirectory: "\(dir)/verify", control: control)
        processes.append(p)
        return p
    }

    func status() -> JSONValue? { command(control, "STATUS", timeoutMs: 1000)?.1 ?? nil }

    func testAConsumerReportsABrokenUpstreamInStatusAndKeepsRunning() throws {
        try alterIntake(seq: 120)
        let verify = try startVerify()
        try waitReady(control)
        try waitFor("STATUS to report the broken intake log") {
            status()?["upstreamBroken"]?["intake"]?["seq"]?.intValue == 120
        }
        let reply = try XCTUnwrap(status())
        print("STATUS: \(reply)")
        XCTAssertEqual(reply["upstreamBroken"]?["intake"]?["path"]?.stringValue, intakeLog)
        XCTAssertEqual(reply["upstreams"]?.arrayValue?.first?["cursor"]?.intValue, 119, "the sound part was consumed")
        XCTAssertTrue(verify.process.isRunning, "the consumer keeps serving its own log")
        try waitFor("the error line naming the file and seq") {
            verify.log.contains("upstream log broken; not consuming it") && verify.log.contains("\"seq\":120")
                && verify.log.contains(intakeLog)
        }
        XCTAssertFalse(verify.log.contains("upstream unavailable; retrying"), verify.log)
        // `gonggu status` (and its exit status 1) judges the reply so.
        let problems = StatusCheck.problems(services: ["verify"], replies: ["verify": reply], maxLag: 1_000_000)
        print("gonggu status problems: \(problems)")
        XCTAssertTrue(problems.contains { $0.message.contains("upstream intake log broken") }, "\(problems)")
    }

    func testAConsumerWhoseConsumedRangeIsBrokenRefusesToStart() throws {
        let first = try startVerify()
        try waitReady(control)
        try waitFor("verify to consume the whole intake log") {
            status()?["upstreams"]?.arrayValue?.first?["cursor"]?.intValue == 400
        }
        first.stop()
        XCTAssertEqual(first.process.terminationStatus, 0)
        try alterIntake(seq: 250)
        // The stop wrote a snapshot; a start from it re-reads only what follows (docs/RELIABILITY.md,
        // "Snapshots of fold state"). Without it the replay re-reads the consumed range, and must refuse.
        let verifyDirectory = "\(dir)/verify"
        for f in try FileManager.default.contentsOfDirectory(atPath: verifyDirectory) where f.contains(".snapshot-") {
            try FileManager.default.removeItem(atPath: "\(verifyDirectory)/\(f)")
        }
        let second = try startVerify()
        let code = second.wait(timeout: 30)
        print("gonggu-verify exit status: \(code.map(String.init) ?? "still running")\n\(second.log)")
        XCTAssertEqual(code, 65)
        XCTAssertTrue(second.log.contains("log damaged; refusing to start"))
        XCTAssertTrue(second.log.contains(intakeLog) && second.log.contains("first bad seq 250"), second.log)
    }
}

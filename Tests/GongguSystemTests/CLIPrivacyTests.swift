import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguStore
import GongguTransport
import XCTest

/// CSV the CLI prints carries masked resident IDs unless `--unmasked` is given, and
/// an unmasked export is recorded (audit log line, also on stderr) before a byte of it is printed.
/// Run against the built `gonggu` executable and a replay endpoint serving an intake log.
final class CLIPrivacyTests: XCTestCase {
    static let residentID = "220102199001011234"
    static let masked = "220102********1234"
    var dir = ""
    var server: CommandServer?

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("cli-privacy")
        let log = try EventLog(path: "\(dir)/intake.log.sqlite", stream: "intake")
        let rejected = RecordRejected(
            kind: "person", file: "南关区-残疾人.csv", line: 7, field: "身份证号",
            reason: "身份证号 \(Self.residentID) 的校验位不对", code: "bad_id_checksum",
            raw: "张三,\(Self.residentID),220102001001")
        try log.append(
            [
                Event(
                    rejected, id: EventID.derived("cli-privacy|1"), subject: "南关区-残疾人.csv", region: "220102001001",
                    occurredAt: BusinessCalendar.timestamp(ofDay: 20_000))
            ], recordedAt: BusinessCalendar.timestamp(ofDay: 20_000))
        let path = "\(dir)/intake.log.sqlite"
        let s = CommandServer(endpoint: "ipc://\(dir)/intake-control") {
            let reader = try EventLog(path: path, stream: "intake", readOnly: true)
            return { request in
                guard request.command == "REPLAY", let replay = try? ReplayRequest(json: request.body),
                    let batch = try? reader.batch(replay)
                else { return .error("bad_request", "REPLAY only") }
                return batch.reply
            }
        }
        try s.start()
        server = s
    }

    override func tearDown() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func rejects(_ extra: [String], audit: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try ServiceProcess.gonggu(
            ["rejects", "--control", "ipc://\(dir)/intake-control", "--format", "csv"] + extra,
            environment: ["GONGGU_AUDIT_LOG": audit, "USER": "王科员"])
    }

    func testRejectsCSVMasksResidentIDs() throws {
        let audit = "\(dir)/audit.log"
        let (status, out, err) = try rejects([], audit: audit)
        XCTAssertEqual(status, 0, err)
        XCTAssertTrue(out.contains("南关区-残疾人.csv"), out)
        XCTAssertFalse(out.contains(Self.residentID), "no whole ID in the CSV: \(out)")
        XCTAssertTrue(out.contains(Self.masked), out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: audit), "a masked export is not an audit event")
    }

    func testUnmaskedCSVIsRecordedBeforeItIsPrinted() throws {
        let audit = "\(dir)/audit.log"
        let (status, out, err) = try rejects(["--unmasked"], audit: audit)
        XCTAssertEqual(status, 0, err)
        XCTAssertTrue(out.contains(Self.residentID), "--unmasked prints the whole ID: \(out)")
        let text = try String(contentsOfFile: audit, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, text)
        let record = try JSONValue.parse(Array(lines[0].utf8))
        XCTAssertEqual(record["event"]?.stringValue, "unmasked_export")
        XCTAssertEqual(record["command"]?.stringValue, "rejects")
        XCTAssertEqual(record["operator"]?.stringValue, "王科员")
        XCTAssertEqual(record["rows"]?.intValue, 1)
        XCTAssertNotNil(record["uid"]?.intValue)
        XCTAssertEqual(
            ((try FileManager.default.attributesOfItem(atPath: audit))[.posixPermissions] as? NSNumber)?.intValue,
            0o640)
        XCTAssertTrue(err.contains("unmasked_export"), "the record is on stderr too: \(err)")
        XCTAssertFalse(text.contains(Self.residentID), "the audit line itself holds no ID")

        // Where the record cannot be written, nothing unmasked is printed.
        try "x".write(toFile: "\(dir)/not-a-folder", atomically: true, encoding: .utf8)
        let refused = try rejects(["--unmasked"], audit: "\(dir)/not-a-folder/audit.log")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertFalse(refused.stdout.contains(Self.residentID), refused.stdout)
        XCTAssertTrue(refused.stderr.contains("审计"), refused.stderr)
    }
}

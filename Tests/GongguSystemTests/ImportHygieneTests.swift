import Foundation
import GongguCore
import GongguHarness
import GongguIntake
import GongguServices
import GongguStore
import XCTest

/// Client behaviour of `gonggu import` and configuration hygiene, through the real
/// executables: a directory is refused (no crash), an unreachable or dying intake is reported within
/// seconds in Chinese naming the endpoint and what was stored, unknown option values and unknown
/// configuration keys are errors.
final class ImportHygieneTests: PipelineTestCase {
    /// Runs `gonggu` without waiting forever: the exit status (nil when it had to be killed after
    /// `limit` seconds), its output and its wall time.
    func runBounded(_ args: [String], limit: TimeInterval = 20) throws -> (Int32?, String, TimeInterval) {
        let dir = try makeTemporaryDirectory("cli")
        let started = Date()
        let p = try ServiceProcess("gonggu", args, logTo: dir)
        let status = p.wait(timeout: limit)
        let elapsed = Date().timeIntervalSince(started)
        if status == nil { p.kill9() }
        return (status, p.log, elapsed)
    }

    /// A TCP endpoint on loopback that nobody listens on (a port the kernel just handed out and freed).
    func deadEndpoint() throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        XCTAssertTrue(bound)
        return "tcp://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))"
    }

    func smallSurvey() throws -> String {
        let path = try makeTemporaryDirectory("in") + "/one.csv"
        try "身份证号,户编号,区划代码\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The tester's crash (`try!` inside Foundation's `readData(ofLength:)` on EISDIR: SIGILL, exit 132)
    /// happened with intake running, after `IMPORT_BEGIN`.
    func testImportOfADirectoryIsRefusedWithoutACrash() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let dir = try makeTemporaryDirectory("dir")
        let (status, output, _) = try runBounded(["import", dir, "--kind", "survey", "--control", l.control("intake")])
        XCTAssertEqual(status, 66, output)
        XCTAssertTrue(output.contains(dir) && output.contains("是一个文件夹"), output)
        XCTAssertEqual(l.call("intake", "STATUS")?.body?["lastSeq"]?.intValue, 0, "nothing stored")
    }

    func testImportAgainstAnEndpointNobodyListensOnFailsWithinFiveSeconds() throws {
        let endpoint = try deadEndpoint()
        let (status, output, elapsed) = try runBounded(
            ["import", try smallSurvey(), "--kind", "survey", "--control", endpoint])
        print("gonggu import against \(endpoint): exit \(status.map(String.init) ?? "killed"), \(elapsed) s: \(output)")
        XCTAssertLessThanOrEqual(elapsed, 5, "the issue demands ≤ 5 s")
        XCTAssertEqual(status, 69, output)
        XCTAssertTrue(output.contains("无法连接 intake 服务（\(endpoint)）"), output)
        XCTAssertTrue(output.contains("没有记录被保存"), output)
    }

    func testTheConnectTimeoutIsConfigurable() throws {
        let endpoint = try deadEndpoint()
        let (status, output, elapsed) = try runBounded(
            ["import", try smallSurvey(), "--kind", "survey", "--control", endpoint, "--connect-timeout", "1"])
        XCTAssertEqual(status, 69, output)
        XCTAssertLessThan(elapsed, 3, output)
        XCTAssertTrue(output.contains("1秒内没有应答"), output)
        let (bad, badOutput, _) = try runBounded(
            ["import", try smallSurvey(), "--kind", "survey", "--control", endpoint, "--connect-timeout", "soon"])
        XCTAssertEqual(bad, 64, badOutput)
        XCTAssertTrue(badOutput.contains("--connect-timeout") && badOutput.contains("soon"), badOutput)
    }

    func testUnknownEncodingAndFormatValuesAreUsageErrors() throws {
        let endpoint = try deadEndpoint()
        for (option, value) in [("encoding", "latin1"), ("format", "xls")] {
            let (status, output, _) = try runBounded(
                ["import", try smallSurvey(), "--kind", "survey", "--control", endpoint, "--\(option)", value])
            XCTAssertEqual(status, 64, "--\(option) \(value): \(output)")
            XCTAssertTrue(output.contains("--\(option)") && output.contains(value), output)
        }
    }

    /// Intake itself refuses unknown names (other clients than the CLI, which checks them first).
    func testIntakeRefusesUnknownEncodingAndFormatNames() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let encoding = l.call(
            "intake", "IMPORT_BEGIN", body: #"{"kind": "survey", "file": "a.csv", "encoding": "latin1"}"#)
        XCTAssertEqual(encoding?.status, "ERROR")
        XCTAssertEqual(encoding?.body?["code"]?.stringValue, "bad_encoding")
        XCTAssertTrue(encoding?.body?["message"]?.stringValue?.contains("latin1") ?? false)
        let format = l.call("intake", "IMPORT_BEGIN", body: #"{"kind": "survey", "file": "a.csv", "format": "xls"}"#)
        XCTAssertEqual(format?.body?["code"]?.stringValue, "bad_format")
        XCTAssertTrue(format?.body?["message"]?.stringValue?.contains("xls") ?? false)
    }

    func testAMisspelledServiceConfigurationKeyStopsTheStart() throws {
        let dir = try makeTemporaryDirectory("cfg")
        let config = dir + "/intake.json"
        let text = #"{"data": {"directory": "\#(dir)"}, "log": {"levl": "debug"}, "#
            + #""endpoints": {"control": "ipc://\#(dir)/c"}}"#
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let p = try ServiceProcess("gonggu-intake", ["--config", config], logTo: dir)
        defer { p.stop() }
        let status = p.wait(timeout: 20)
        XCTAssertEqual(status, 78, p.log)
        XCTAssertTrue(p.log.contains("log.levl"), p.log)
    }

    func testAMisspelledKeyInTheCLIServicesFileIsAConfigurationError() throws {
        let dir = try makeTemporaryDirectory("cfg")
        let services = dir + "/services.json"
        try #"{"intake": {"contol": "tcp://127.0.0.1:7102"}}"#
            .write(toFile: services, atomically: true, encoding: .utf8)
        let (status, output, _) = try runBounded(["status", "--config", services])
        XCTAssertEqual(status, 78, output)
        XCTAssertTrue(output.contains("intake.contol"), output)
    }

    /// Intake killed while `gonggu import` streams a file of several batches: the CLI returns within
    /// seconds, names the endpoint, says which lines were stored for certain, and that importing the
    /// file again is safe; importing it again after a restart stores every line exactly once.
    func testIntakeKilledMidImportIsReportedAndReimportingIsSafe() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let rows = 120_000
        let path = try ImportBatchesTests.writeSurvey(rows: rows, root: root)
        let cliDir = try makeTemporaryDirectory("cli")
        let cli = try ServiceProcess(
            "gonggu", ["import", path, "--kind", "survey", "--control", l.control("intake")], logTo: cliDir)
        defer { cli.stop() }
        try waitFor("the first batch to be committed", timeout: 120) {
            (l.call("intake", "STATUS", timeoutMs: 500)?.body?["lastSeq"]?.intValue ?? 0) >= 20_000
        }
        let killed = Date()
        l.kill9("intake")
        let status = cli.wait(timeout: 30)
        let elapsed = Date().timeIntervalSince(killed)
        let output = cli.log
        print(
            "gonggu import, intake killed mid-import: exit \(status.map(String.init) ?? "none"), "
                + "\(elapsed) s after the kill: \(output)")
        XCTAssertNotNil(status, "gonggu import still waits 30 s after intake died")
        XCTAssertLessThanOrEqual(elapsed, 5, output)
        XCTAssertEqual(status, 69, output)
        XCTAssertTrue(output.contains("intake 服务（\(l.control("intake"))）在导入过程中断开"), output)
        XCTAssertTrue(output.contains("重新导入整个文件是安全的"), output)
        // "已确认保存：文件第N行及之前的全部记录" (or "无" when no batch was confirmed before the kill) — and
        // the log holds at least those lines. More may be stored: a batch can commit after the last
        // reply intake sent, which no client can know; re-importing covers them.
        let pattern = try NSRegularExpression(pattern: "已确认保存：(?:文件第([0-9]+)行及之前的全部记录|无)")
        let match = pattern.firstMatch(in: output, range: NSRange(output.startIndex..., in: output))
        XCTAssertNotNil(match, output)
        let through = match.flatMap { Range($0.range(at: 1), in: output) }.flatMap { Int(output[$0]) } ?? 0
        let stored = try ImportBatchesTests.sourceLines(logPath: l.logPath("intake"))
        print("reported stored through line \(through); the log holds \(stored.count) records")
        if through > 0 {
            XCTAssertEqual(Array(stored.prefix(through - 1)), Array(2...through), "the lines reported as stored are")
        }
        XCTAssertLessThan(stored.count, rows, "the kill came before the end (else the test proves nothing)")

        // Importing the whole file again stores each line exactly once.
        try l.start("intake")
        try l.waitReady("intake")
        let (again, againOutput) = try importFile(path, kind: "survey", allowRejects: false)
        XCTAssertEqual(again, 0, againOutput)
        XCTAssertTrue(
            againOutput.contains(
                "read \(rows), accepted \(rows - stored.count), duplicate \(stored.count), rejected 0"),
            againOutput)
        XCTAssertEqual(try ImportBatchesTests.sourceLines(logPath: l.logPath("intake")), Array(2...(rows + 1)))
    }
}

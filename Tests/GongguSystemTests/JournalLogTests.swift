import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import XCTest

/// Logs (docs/MONITORING.md, "Logs for journald"): a service runs with its stderr read by a journald-like reader — a
/// pipe whose device and inode the service finds in `JOURNAL_STREAM`, as systemd sets them — that takes the sd-daemon
/// `<N>` prefix of each line as its priority, as journald does. `journalctl -p warning` (priority 4 or more urgent)
/// then shows exactly the warnings and errors; messages are Chinese with the English key beside them; time is local
/// with its offset (+08:00 under Asia/Shanghai). Without the journal on stderr, lines carry no prefix.
final class JournalLogTests: XCTestCase {
    /// One journal entry as journald would store it: PRIORITY from the prefix (6 when none), MESSAGE.
    struct Entry {
        var priority: Int
        var message: String
        var json: JSONValue?
        var hadPrefix: Bool
    }

    /// A journald-like reader of a process's stderr: collects entries as lines arrive.
    final class JournalReader: @unchecked Sendable {
        let pipe = Pipe()
        private let lock = NSLock()
        private var buffer: [UInt8] = []
        private var entries: [Entry] = []

        /// `JOURNAL_STREAM` for the pipe's write end: `DEVICE:INODE` of the stream, as systemd sets it.
        var journalStream: String {
            var st = stat()
            fstat(pipe.fileHandleForWriting.fileDescriptor, &st)
            return "\(st.st_dev):\(st.st_ino)"
        }

        func start() {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                lock.lock()
                defer { lock.unlock() }
                buffer += data
                while let nl = buffer.firstIndex(of: 0x0A) {
                    entries.append(Self.entry(String(decoding: buffer[..<nl], as: UTF8.self)))
                    buffer.removeSubrange(...nl)
                }
            }
        }

        func stop() { pipe.fileHandleForReading.readabilityHandler = nil }

        var all: [Entry] {
            lock.lock()
            defer { lock.unlock() }
            return entries
        }

        /// sd-daemon(3): `<N>` at the start of a line is its syslog priority; journald strips it.
        static func entry(_ line: String) -> Entry {
            var priority = 6
            var message = Substring(line)
            var prefixed = false
            if line.count >= 3, line.hasPrefix("<"), let d = Int(String(Array(line)[1])), Array(line)[2] == ">" {
                priority = d
                message = message.dropFirst(3)
                prefixed = true
            }
            return Entry(
                priority: priority, message: String(message), json: try? JSONValue.parse(Array(message.utf8)),
                hadPrefix: prefixed)
        }
    }

    var dir = ""

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("journal") }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// verify following an intake that never answers (read over the network, nobody there): it warns
    /// about the unavailable upstream every second or so.
    func verifyConfig() throws -> String {
        let config = "\(dir)/verify.json"
        let fields: [String: Any] = [
            "data": ["directory": "\(dir)/data"],
            "endpoints": ["publish": "ipc://\(dir)/verify-pub.sock", "control": "ipc://\(dir)/verify-ctl.sock"],
            "upstreams": ["intake"],
            "upstream": [
                "intake": [
                    "publish": "ipc://\(dir)/nobody-pub.sock", "replay": "ipc://\(dir)/nobody-ctl.sock",
                    "read_file": false,
                ]
            ],
        ]
        try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: config))
        return config
    }

    func run(
        _ arguments: [String], journal: Bool, until condition: @escaping ([Entry]) -> Bool, stop: Bool
    ) throws -> (status: Int32, entries: [Entry]) {
        let reader = JournalReader()
        let p = Process()
        p.executableURL = ServiceProcess.executable("gonggu-verify")
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "Asia/Shanghai"
        env["JOURNAL_STREAM"] = journal ? reader.journalStream : "1:1"
        p.environment = env
        p.standardError = reader.pipe
        p.standardOutput = FileHandle.nullDevice
        reader.start()
        try p.run()
        try? reader.pipe.fileHandleForWriting.close()
        try waitFor("the log lines expected", timeout: 60) { condition(reader.all) || !p.isRunning }
        if stop, p.isRunning { kill(p.processIdentifier, SIGTERM) }
        p.waitUntilExit()
        try waitFor("the last lines") { !stop || reader.all.contains { $0.json?["key"]?.stringValue == "stopped" } }
        reader.stop()
        return (p.terminationStatus, reader.all)
    }

    func testPrioritiesFilterExactlyTheWarningsAndTextsAreChineseInLocalTime() throws {
        let (status, entries) = try run(
            ["--config", try verifyConfig()], journal: true,
            until: { $0.contains { $0.json?["key"]?.stringValue == "upstream unavailable; retrying" } }, stop: true)
        XCTAssertEqual(status, 0)
        XCTAssertFalse(entries.isEmpty)
        let expected = ["error": 3, "warning": 4, "info": 6, "debug": 7]
        for e in entries {
            XCTAssertTrue(e.hadPrefix, "every line prefixed: \(e.message)")
            let json = try XCTUnwrap(e.json, "a JSON message: \(e.message)")
            let level = try XCTUnwrap(json["level"]?.stringValue)
            XCTAssertEqual(e.priority, expected[level], e.message)
            // Local time with its offset, Asia/Shanghai here.
            let ts = try XCTUnwrap(json["ts"]?.stringValue)
            XCTAssertTrue(ts.hasSuffix("+08:00") && ts.count == 29, ts)
            // Chinese text, the English key beside it.
            let key = try XCTUnwrap(json["key"]?.stringValue, e.message)
            XCTAssertEqual(json["msg"]?.stringValue, LogTexts.chinese[key])
        }
        // journalctl -p warning: priorities 0…4 — exactly the warnings and errors.
        let shown = entries.filter { $0.priority <= 4 }
        XCTAssertEqual(
            shown.map(\.message),
            entries.filter { ["warning", "error"].contains($0.json?["level"]?.stringValue ?? "") }.map(\.message))
        XCTAssertTrue(shown.contains { $0.json?["msg"]?.stringValue == "上游不可用，稍后重试" }, "\(shown.map(\.message))")
        XCTAssertFalse(shown.contains { $0.json?["key"]?.stringValue == "service ready" })
        XCTAssertTrue(entries.contains { $0.priority == 6 && $0.json?["key"]?.stringValue == "service ready" })

        // An error: a configuration the service refuses (exit 78), at priority 3.
        try #"{"metrics": {"listen": "nowhere"}}"#.write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        let refused = try run(["--config", "\(dir)/bad.json"], journal: true, until: { _ in false }, stop: false)
        XCTAssertEqual(refused.status, 78)
        let error = try XCTUnwrap(refused.entries.first { $0.json?["key"]?.stringValue == "configuration error" })
        XCTAssertEqual(error.priority, 3)
        XCTAssertEqual(error.json?["msg"]?.stringValue, "配置错误")
        XCTAssertTrue(error.json?["error"]?.stringValue?.contains("metrics.listen") ?? false, error.message)
    }

    func testNoPrefixWhenStderrIsNotTheJournal() throws {
        let (_, entries) = try run(
            ["--config", try verifyConfig()], journal: false,
            until: { $0.contains { $0.json?["key"]?.stringValue == "service ready" } }, stop: true)
        XCTAssertFalse(entries.isEmpty)
        for e in entries {
            XCTAssertFalse(e.hadPrefix, e.message)
            XCTAssertNotNil(e.json, e.message)
        }
    }

    /// Every literal message logged in Sources/ has its Chinese text (a new message without one fails here).
    func testEveryLoggedMessageHasAChineseText() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(
            pattern: #"logger\??\.(debug|info|warning|error)\(\s*"((?:[^"\\]|\\.)*)""#)
        var found = 0
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let message = String(text[Range(m.range(at: 2), in: text)!])
                found += 1
                XCTAssertNotNil(LogTexts.chinese[message], "\(file): no Chinese text for '\(message)' (LogTexts)")
            }
        }
        XCTAssertGreaterThan(found, 30)
    }
}

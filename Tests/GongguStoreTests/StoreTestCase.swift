import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// Base test case: a fresh temporary folder per test (removed afterwards) and sample events.
class StoreTestCase: XCTestCase {
    private(set) var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gonggu-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A path in the test's folder.
    func path(_ name: String = "log.sqlite") -> String { "\(directory)/\(name)" }

    /// A fresh writer log in the test's folder (synchronous OFF: throw-away files).
    func makeLog(
        _ name: String = "log.sqlite", stream: String = "test", blockShift: Int? = nil,
        checkpoint: WALCheckpointing = .inCommit
    ) throws -> EventLog {
        try EventLog(
            path: path(name), stream: stream, readOnly: false, synchronous: .off,
            blockShift: blockShift ?? EventLogSchema.blockShift, checkpoint: checkpoint)
    }

    /// A synthetic resident ID with a valid GB 11643 check character.
    static func residentID(_ n: Int) -> String {
        let sequence = String(100 + n % 900)
        let body = "22010219800101" + sequence.suffix(3)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// `count` events with distinct ids, alternating types and regions, subjects `H0`, `H1`, `H2`.
    func sampleEvents(_ count: Int, from start: Int = 0) -> [Event] {
        (start..<(start + count)).map { i in
            let type = i % 2 == 0 ? "DisabilityRecorded" : "SubsidyPaid"
            let region = i % 3 == 0 ? "220102001001" : "220203004002"
            let payload = Array(#"{"personID":"\#(Self.residentID(i))","n":\#(i)}"#.utf8)
            return Event(
                id: EventID.derived("sample|\(i)"), type: type, version: 1 + i % 2, subject: "H\(i % 3)",
                region: region,
                occurredAt: 1_735_660_800_000 + Int64(i), causation: i % 4 == 1 ? EventID.derived("cause|\(i)") : nil,
                correlation: i % 2 == 0 ? EventID.derived("import") : nil, payload: payload)
        }
    }

    /// `EXPLAIN QUERY PLAN` of `sql`, its detail column joined.
    func queryPlan(_ log: EventLog, _ sql: String) throws -> String {
        try log.withDatabase { db -> String in
            let s = try db.prepare("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try s.step() { details.append(s.string(at: 3) ?? "") }
            return details.joined(separator: "; ")
        }
    }

    /// `EXPLAIN QUERY PLAN` of `sql` in the sidecar index of the log at `logPath` (brought up to date
    /// first by `log`), its detail column joined.
    func sidecarQueryPlan(_ log: EventLog, _ sql: String) throws -> String {
        try log.updateIndex()
        let db = try SQLiteDatabase(path: LogIndex.path(forLog: log.path), readOnly: true)
        let s = try db.prepare("EXPLAIN QUERY PLAN " + sql)
        var details: [String] = []
        while try s.step() { details.append(s.string(at: 3) ?? "") }
        return details.joined(separator: "; ")
    }

    /// Path of the `sqlite3` command-line shell, or nil.
    static var sqlite3CLI: String? {
        ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs the `sqlite3` shell on `path` with `sql`; returns its exit status and standard error.
    func runSQLite3(_ cli: String, path: String, sql: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = [path, sql]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

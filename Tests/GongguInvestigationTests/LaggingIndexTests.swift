import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguStore
import XCTest

/// The investigator tools over logs whose sidecar index lags the head (a writer stopped while its
/// indexer was behind; docs/LOG_INDEX.md "A lagging index"): `replay --subject`, `why` and look-ups
/// by resident ID answer completely from the indexed part plus the tail, and a short tail is
/// scanned, not indexed first; a log without a sidecar is answered the same and indexed.
final class LaggingIndexReplayTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "gonggu-lag-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    let person = "110101199003070038"

    func events(_ range: Range<Int>) -> [Event] {
        range.map { n in
            if n % 10 == 0 {
                let member = MemberRecorded(
                    householdID: "HH\(n % 3)", personID: person, name: "测试", birthDate: "1990-03-07", labour: .none,
                    since: "2025-01-01", source: SourceRef(file: "m.csv", line: n + 2))
                return Event(member, id: EventID.derived("lag|\(n)"), subject: "HH\(n % 3)", region: "110101001001",
                    occurredAt: 1_000 + Int64(n))
            }
            return Event(
                id: EventID.derived("lag|\(n)"), type: "Fact", subject: "HH\(n % 3)", region: "110101001001",
                occurredAt: 1_000 + Int64(n), payload: Array("{}".utf8))
        }
    }

    var path: String { "\(dir)/intake.log.sqlite" }

    func indexedThrough() throws -> Int64? {
        let sidecar = LogIndex.path(forLog: path)
        guard FileManager.default.fileExists(atPath: sidecar) else { return nil }
        let db = try SQLiteDatabase(path: sidecar, readOnly: true)
        guard try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'index_meta'") == 1 else { return nil }
        return try db.scalarInt("SELECT indexed_through FROM index_meta")
    }

    /// 60 events indexed, then 45 more by a writer without its indexer.
    func writeLaggingLog() throws -> [Event] {
        var all: [Event] = []
        do {
            let log = try EventLog(path: path, stream: "intake", synchronous: .off)
            all += try log.append(events(0..<60), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 60))
        }
        let log = try EventLog(path: path, stream: "intake", synchronous: .off, indexing: false)
        all += try log.append(events(60..<105), recordedAt: 2)
        XCTAssertEqual(try indexedThrough(), 60)
        return all
    }

    func testReplayAndWhyAnswerCompletelyOverALaggingIndex() throws {
        let all = try writeLaggingLog()
        let logs = try LogSet(paths: [dir])
        for h in ["HH0", "HH1", "HH2"] {
            let got = try Replay.collect(ReplayFilter(subject: h), logs: logs).map(\.event.id)
            XCTAssertEqual(got, all.filter { $0.subject == h }.map(\.id), h)
        }
        // By resident ID: the households of every membership, indexed and in the tail.
        let byPerson = try Replay.collect(ReplayFilter(subject: person), logs: logs)
        XCTAssertEqual(Set(byPerson.map(\.event.subject)), ["HH0", "HH1", "HH2"])
        XCTAssertTrue(byPerson.contains { $0.event.id == all[100].id }, "a membership in the tail")
        XCTAssertTrue(byPerson.contains { $0.event.id == all[10].id }, "a membership in the indexed part")
        // `why` of an event in the tail and of one in the indexed part.
        for e in [all[100], all[20]] {
            let report = try Why.explain(e.id, logs: logs)
            XCTAssertEqual(report.links.first?.located?.event, e)
        }
        XCTAssertEqual(try indexedThrough(), 60, "a short tail is scanned, the sidecar left as it was")
    }

    func testReplayWithoutASidecarAnswersAndTheToolIndexesALongTail() throws {
        let all = try writeLaggingLog()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: LogIndex.path(forLog: path) + suffix) }
        let logs = try LogSet(paths: [dir])
        XCTAssertEqual(
            try Replay.collect(ReplayFilter(subject: "HH1"), logs: logs).map(\.event.id),
            all.filter { $0.subject == "HH1" }.map(\.id))
        XCTAssertNil(try indexedThrough(), "105 events: scanned, nothing indexed")
        // A tool whose limit the tail exceeds indexes it first (the CLI's case for long tails).
        let reader = try EventLog(path: path, stream: nil, readOnly: true)
        reader.tailScanLimit = 50
        XCTAssertEqual(try reader.events(subject: "HH2"), all.filter { $0.subject == "HH2" })
        XCTAssertEqual(try indexedThrough(), 105)
        XCTAssertEqual(
            try Replay.collect(ReplayFilter(subject: "HH2"), logs: try LogSet(paths: [dir])).map(\.event.id),
            all.filter { $0.subject == "HH2" }.map(\.id))
    }
}

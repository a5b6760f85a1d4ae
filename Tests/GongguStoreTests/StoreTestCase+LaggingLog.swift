import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// A log whose sidecar index lags behind its head, for the lagging-index and one-pass tests.
extension StoreTestCase {
    var sidecarPath: String { LogIndex.path(forLog: path()) }

    func membership(_ subject: String, person: String, _ n: Int) -> Event {
        Event(
            id: EventID.derived("member|\(subject)|\(n)"), type: "MemberRecorded", subject: subject,
            region: "220102001001", occurredAt: 0, payload: Array(#"{"personID":"\#(person)"}"#.utf8))
    }

    /// 100 events indexed by a writer's indexer (household `HA`'s membership of `person` first), then
    /// `tail` more by a writer without one (a writer stopped while its indexer lagged), in appends of
    /// at most 5,000, the last of them household `HZ`'s membership of `person`. Returns every recorded
    /// event.
    func laggingLog(tail: Int, person: String) throws -> [Event] {
        var all: [Event] = []
        do {
            let log = try makeLog()
            all += try log.append([membership("HA", person: person, 0)] + sampleEvents(99), recordedAt: 1)
            XCTAssertTrue(log.waitForIndex(through: 100))
        }
        let log = try EventLog(path: path(), stream: "test", synchronous: .off, indexing: false)
        for k in stride(from: 0, to: tail - 1, by: 5_000) {
            all += try log.append(sampleEvents(min(5_000, tail - 1 - k), from: 1_000 + k), recordedAt: 2)
        }
        all += try log.append([membership("HZ", person: person, 1)], recordedAt: 2)
        XCTAssertEqual(
            try LogIndex.state(try SQLiteDatabase(path: sidecarPath, readOnly: true))?.indexedThrough, 100)
        return all
    }

    /// The three key tables and the meta row, in key order.
    func tables(_ sidecar: String) throws -> [String] {
        let db = try SQLiteDatabase(path: sidecar, readOnly: true)
        var out: [String] = []
        for sql in [
            "SELECT hex(id) || ':' || seq FROM ids ORDER BY id, seq",
            "SELECT subject || ':' || seq FROM subjects ORDER BY subject, seq",
            "SELECT person || ':' || seq || ':' || subject FROM persons ORDER BY person, seq",
            "SELECT indexed_through || ':' || hex(through_hash) FROM index_meta",
        ] {
            let s = try db.prepare(sql)
            while try s.step() { out.append(s.string(at: 0) ?? "") }
        }
        return out
    }
}

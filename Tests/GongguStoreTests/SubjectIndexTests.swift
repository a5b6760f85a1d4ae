import GongguCore
import XCTest

@testable import GongguStore

/// The investigators' look-ups on a log without secondary indexes (LOG_INDEX.md): one seek in the sidecar
/// index and a rowid-range scan of the tail beyond it; never a scan of the whole log.
final class SubjectIndexTests: StoreTestCase {
    func testEventsBySubjectInLogOrder() throws {
        let log = try makeLog()
        let all = try log.append(sampleEvents(30), recordedAt: 1)
        XCTAssertEqual(try log.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertEqual(try log.events(subject: "nobody"), [])
    }

    func testNewLogsHaveNoSecondaryIndex() throws {
        let log = try makeLog()
        XCTAssertEqual(log.indexLayout, .sidecar)
        XCTAssertEqual(try log.withDatabase { try $0.scalarInt(EventLogSchema.countEventIndexes) }, 0)
    }

    /// The block size a writer asks for no longer shapes the file (it has no blocked index); still
    /// checked, so a configuration out of range is refused as before.
    func testBlockShiftIsStillCheckedButShapesNoIndex() throws {
        let log = try makeLog("small.sqlite", blockShift: 12)
        XCTAssertEqual(log.indexLayout, .sidecar)
        let all = try log.append(sampleEvents(30), recordedAt: 1)
        XCTAssertEqual(try log.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertThrowsError(try makeLog("bad.sqlite", blockShift: 30))
        XCTAssertThrowsError(try makeLog("bad.sqlite", blockShift: 3))
    }

    /// Each sidecar look-up is a search of its table's primary key; no scan, no sort.
    func testSidecarLookupsUseTheirKeys() throws {
        let log = try makeLog()
        try log.append(sampleEvents(30), recordedAt: 1)
        for (sql, table) in [
            (LogIndex.seqsByID, "ids"), (LogIndex.seqsBySubject, "subjects"), (LogIndex.subjectsByPerson, "persons"),
        ] {
            let plan = try sidecarQueryPlan(log, sql)
            XCTAssertTrue(plan.contains("SEARCH \(table) USING PRIMARY KEY"), plan)
            XCTAssertFalse(plan.contains("SCAN"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
        }
    }

    /// The tail beyond the sidecar is read by a rowid range (seq > indexed_through; the writer's
    /// duplicate check also below its batch), in seq order.
    func testTailScansAreRowidRanges() throws {
        let log = try makeLog()
        for sql in [LogIndex.tailByID, LogIndex.tailHasID, LogIndex.tailBySubject, LogIndex.tailByPerson] {
            let plan = try queryPlan(log, sql)
            let range = sql == LogIndex.tailHasID ? "(rowid>? AND rowid<?)" : "(rowid>?)"
            XCTAssertTrue(plan.contains("SEARCH events USING INTEGER PRIMARY KEY \(range)"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
        }
        let plan = try queryPlan(log, LogIndex.eventAt)
        XCTAssertTrue(plan.contains("SEARCH events USING INTEGER PRIMARY KEY (rowid=?)"), plan)
    }

    func testPersonLookupUsesTheSidecar() throws {
        let log = try makeLog()
        XCTAssertTrue(try log.hasPersonIndex)
        XCTAssertEqual(log.personSource, .column)
        try log.append(sampleEvents(30), recordedAt: 1)
        XCTAssertEqual(try log.households(ofPerson: Self.residentID(4)), ["H1"])
        XCTAssertTrue(try sidecarQueryPlan(log, LogIndex.subjectsByPerson).contains("SEARCH persons USING PRIMARY KEY"))
    }
}

import GongguCore
import XCTest

@testable import GongguStore

final class SubjectIndexTests: StoreTestCase {
    func testEventsBySubjectInLogOrder() throws {
        let log = try makeLog()
        let all = try log.append(sampleEvents(30), recordedAt: 1)
        XCTAssertEqual(try log.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertEqual(try log.events(subject: "nobody"), [])
    }

    func testNewLogsHaveTheBlockedLayout() throws {
        let log = try makeLog()
        XCTAssertEqual(log.indexLayout, .blocked(shift: EventLogSchema.blockShift))
        XCTAssertEqual(EventLogSchema.blockShift, 17)
    }

    /// The writer creating a log chooses its block size; the file keeps it whatever a later writer asks.
    func testBlockShiftIsChosenAtCreationAndKept() throws {
        var all: [Event] = []
        do {
            let log = try makeLog("small.sqlite", blockShift: 12)
            XCTAssertEqual(log.indexLayout, .blocked(shift: 12))
            all = try log.append(sampleEvents(30), recordedAt: 1)
        }
        let reopened = try makeLog("small.sqlite", blockShift: 17)
        XCTAssertEqual(reopened.indexLayout, .blocked(shift: 12))
        XCTAssertEqual(try reopened.events(subject: "H1"), all.filter { $0.subject == "H1" })
        XCTAssertThrowsError(try makeLog("bad.sqlite", blockShift: 30))
        XCTAssertThrowsError(try makeLog("bad.sqlite", blockShift: 3))
    }

    func testSubjectQueryUsesTheIndex() throws {
        let log = try makeLog()
        try log.append(sampleEvents(30), recordedAt: 1)
        let plan = try queryPlan(log, log.indexLayout.selectBySubject)
        XCTAssertTrue(plan.contains("USING INDEX events_subject_block"), plan)
        XCTAssertFalse(plan.contains("SCAN"), plan)
        XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
    }

    func testIDLookupUsesTheUniqueIndex() throws {
        let log = try makeLog()
        let plan = try queryPlan(log, log.indexLayout.selectByID)
        XCTAssertTrue(plan.contains("USING INDEX events_id_block"), plan)
        XCTAssertFalse(plan.contains("SCAN"), plan)
    }

    func testPersonLookupUsesTheIndex() throws {
        let log = try makeLog()
        XCTAssertTrue(try log.hasPersonIndex)
        XCTAssertEqual(log.personSource, .column)
        let plan = try queryPlan(log, log.indexLayout.selectPerson(.column))
        XCTAssertTrue(plan.contains("USING INDEX events_person_key_block"), plan)
        XCTAssertFalse(plan.contains("SCAN"), plan)
    }
}

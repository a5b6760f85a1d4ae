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

    func testSubjectQueryUsesTheIndex() throws {
        let log = try makeLog()
        try log.append(sampleEvents(30), recordedAt: 1)
        let plan = try log.withDatabase { db -> String in
            let s = try db.prepare("EXPLAIN QUERY PLAN " + EventLogSchema.selectBySubject)
            try s.bind("H1", at: 1)
            var details: [String] = []
            while try s.step() { details.append(s.string(at: 3) ?? "") }
            return details.joined(separator: "; ")
        }
        XCTAssertTrue(plan.contains("USING INDEX events_subject"), plan)
        XCTAssertFalse(plan.contains("SCAN"), plan)
        XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
    }

    func testIDLookupUsesTheUniqueIndex() throws {
        let log = try makeLog()
        let plan = try log.withDatabase { db -> String in
            let s = try db.prepare("EXPLAIN QUERY PLAN " + EventLogSchema.selectByID)
            var details: [String] = []
            while try s.step() { details.append(s.string(at: 3) ?? "") }
            return details.joined(separator: "; ")
        }
        XCTAssertTrue(plan.contains("USING INDEX events_id"), plan)
    }
}

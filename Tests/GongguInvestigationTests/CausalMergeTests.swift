import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguStore
import XCTest

/// The causal merge on hand-made logs whose clocks disagree with causality.
final class CausalMergeTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "gonggu-merge-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func event(_ label: String, type: String, cause: EventID? = nil, subject: String = "HH1") -> Event {
        Event(
            id: EventID.derived(label), type: type, subject: subject, region: "220102001001", occurredAt: 1_000,
            causation: cause, payload: Array("{}".utf8))
    }

    func testEffectRecordedWithAnEarlierClockStillComesAfterItsCause() throws {
        let a = try EventLog(path: "\(dir)/a.sqlite", stream: "intake")
        let b = try EventLog(path: "\(dir)/b.sqlite", stream: "risk")
        let c = try EventLog(path: "\(dir)/c.sqlite", stream: "notify")
        let fact = event("fact", type: "Fact")
        let decision = event("decision", type: "Decision", cause: fact.id)
        let notice = event("notice", type: "Notice", cause: decision.id)
        // The later services' clocks run behind: by time alone the notice would come first.
        try a.append([event("other", type: "Fact", subject: "HH2"), fact], recordedAt: 3_000)
        try b.append([decision], recordedAt: 2_000)
        try c.append([notice], recordedAt: 1_000)
        let logs = LogSet(sources: try ["a", "b", "c"].map { try LogSource(path: "\(dir)/\($0).sqlite") })

        let all = try Replay.collect(ReplayFilter(), logs: logs).map(\.event.id)
        XCTAssertLessThan(all.firstIndex(of: fact.id)!, all.firstIndex(of: decision.id)!)
        XCTAssertLessThan(all.firstIndex(of: decision.id)!, all.firstIndex(of: notice.id)!)
        // With the decision filtered out the notice still waits for the fact (transitive order).
        let some = try Replay.collect(ReplayFilter(types: ["Fact", "Notice"]), logs: logs).map(\.event.id)
        XCTAssertEqual(some, [EventID.derived("other"), fact.id, notice.id])
        // By subject: the same order.
        let subject = try Replay.collect(ReplayFilter(subject: "HH1"), logs: logs).map(\.event.id)
        XCTAssertEqual(subject, [fact.id, decision.id, notice.id])
    }

    func testUnrelatedEventsGoByTimeThenLogThenSeq() throws {
        let a = try EventLog(path: "\(dir)/a.sqlite", stream: "intake")
        let b = try EventLog(path: "\(dir)/b.sqlite", stream: "risk")
        try a.append([event("a1", type: "X"), event("a2", type: "X")], recordedAt: 5_000)
        try b.append([event("b1", type: "X")], recordedAt: 5_000)
        try b.append([event("b2", type: "X")], recordedAt: 4_000)
        // Given in the other order: the set puts intake before risk anyway (pipeline order).
        let logs = try LogSet(paths: ["\(dir)/b.sqlite", "\(dir)/a.sqlite"])
        let order = try Replay.collect(ReplayFilter(), logs: logs).map(\.event.id)
        // b2 was recorded earliest but comes after b1 in its log: log order is kept.
        XCTAssertEqual(order, ["a1", "a2", "b1", "b2"].map { EventID.derived($0) })
    }

    func testPersonIndexIsCreatedByTheWriterAndAnswers() throws {
        let log = try EventLog(path: "\(dir)/intake.sqlite", stream: "intake")
        let person = "110101199003070038"
        let fact = DisabilityRecorded(
            personID: person, householdID: "HH-A", name: "测试", birthDate: "1990-03-07", gender: "M",
            cardNumber: person + "11", category: .visual, grade: 1, labour: .none, surveyYear: 2024,
            source: SourceRef(file: "s.csv", line: 2))
        let member = MemberRecorded(
            householdID: "HH-B", personID: person, name: "测试", birthDate: "1990-03-07", labour: .none,
            since: "2025-01-01",
            source: SourceRef(file: "m.csv", line: 3))
        try log.append(
            [
                Event(fact, id: EventID.derived("f"), subject: "HH-A", region: "110101001001", occurredAt: 0),
                Event(member, id: EventID.derived("m"), subject: "HH-B", region: "110101001001", occurredAt: 0),
                Event(
                    id: EventID.derived("bad"), type: "MemberRecorded", subject: "HH-C", region: "", occurredAt: 0,
                    payload: Array("not json".utf8)),
            ], recordedAt: 1)
        XCTAssertTrue(try log.hasPersonIndex)
        XCTAssertEqual(try log.households(ofPerson: person), ["HH-A", "HH-B"])
        XCTAssertEqual(try log.households(ofPerson: "110101199003070054"), [])
        // That the lookups use the indexes is checked by GongguStoreTests.SubjectIndexTests.
    }

    func testLogWithoutPersonIndexStillAnswers() throws {
        let path = "\(dir)/old.sqlite"
        let writer = try EventLog(path: path, stream: "intake")
        let person = "110101199003070038"
        let member = MemberRecorded(
            householdID: "HH-B", personID: person, name: "", birthDate: "1990-03-07", labour: .none,
            since: "2025-01-01",
            source: SourceRef(file: "m.csv", line: 3))
        try writer.append(
            [Event(member, id: EventID.derived("m"), subject: "HH-B", region: "", occurredAt: 0)], recordedAt: 1)
        // A log written before the person index existed: the blocked id and subject indexes only.
        try writer.withDatabase {
            try $0.execute("""
                CREATE UNIQUE INDEX events_id_block ON events(seq >> 17, id);
                CREATE INDEX events_subject_block ON events(seq >> 17, subject, seq);
                """)
        }
        let reader = try EventLog(path: path, stream: nil, readOnly: true)
        XCTAssertFalse(try reader.hasPersonIndex)
        XCTAssertEqual(try reader.households(ofPerson: person), ["HH-B"])
        // The writer's next open moves the look-ups to the sidecar index (LOG_INDEX.md).
        _ = try EventLog(path: path, stream: "intake")
        XCTAssertTrue(try EventLog(path: path, stream: nil, readOnly: true).hasPersonIndex)
    }

    func testInstantsAndResidentIDShapes() {
        XCTAssertEqual(
            InstantText.parse("2025-03-02", endOfDay: false),
            BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber("2025-03-02")!))
        XCTAssertEqual(
            InstantText.parse("2025-03-02", endOfDay: true)! + 1,
            InstantText.parse("2025-03-03", endOfDay: false))
        let t = InstantText.parse("2025-03-02 14:05:06.7", endOfDay: true)!
        XCTAssertEqual(InstantText.format(t), "2025-03-02 14:05:06.700")
        XCTAssertEqual(InstantText.parse("2025-03-02T14:05", endOfDay: false), t - 6_700)
        XCTAssertNil(InstantText.parse("2025-13-02", endOfDay: false))
        XCTAssertNil(InstantText.parse("2025-03-02 25:00", endOfDay: false))
        XCTAssertTrue(SubjectResolution.looksLikeResidentID("110101199003070038"))
        XCTAssertFalse(SubjectResolution.looksLikeResidentID("110101199003070039"), "bad check character")
        XCTAssertFalse(SubjectResolution.looksLikeResidentID("HH220102000000001"))
    }
}

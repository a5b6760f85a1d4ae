import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// `FindingResolved` after a gap closes, one row per way it can close.
final class ResolutionTests: XCTestCase {
    struct Case {
        let name: String
        var grade = 1
        var care = true
        var pension = false
        var accessNeeded = false
        let gap: Measure
        /// Facts after the gap was raised; `resolved` says whether they close it.
        let close: (inout Feed, String, String) -> Void
        let resolved: Bool
        var reason: String = ""
    }

    static let cases: [Case] = [
        Case(name: "nursing payment starts", gap: .nursing, close: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-05", to: "2024-05")
        }, resolved: true, reason: "已开始享受"),
        Case(name: "back pay for an old month only", gap: .nursing, close: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-01", to: "2024-01")
        }, resolved: false),
        Case(name: "the person died", gap: .nursing, close: { f, p, h in
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-03-02", source: src), h,
                  date: "2024-05-03")
        }, resolved: true, reason: "本人已死亡"),
        Case(name: "re-graded, no longer entitled", gap: .nursing, close: { f, p, h in
            f.add(survey(p, h, birth: "1970-01-01", grade: 4), h, date: "2024-05-03")
        }, resolved: true, reason: "已不再符合"),
        Case(name: "accessibility works done", grade: 2, care: false, accessNeeded: true, gap: .accessibility,
             close: { f, p, h in
            f.add(ProjectRecorded(projectID: "A9", kind: .accessibility, householdID: h, personID: p,
                                  date: "2024-05-10", amountFen: 300_000, source: src), h, date: "2024-05-10")
        }, resolved: true, reason: "已实施无障碍改造"),
        Case(name: "pension premium paid", grade: 2, care: false, pension: true, gap: .pension, close: { f, p, h in
            f.add(PensionRecorded(householdID: h, personID: p, year: 2024, enrolled: true, governmentPaidFen: 10000,
                                  source: src), h, date: "2025-01-20")
        }, resolved: true, reason: "2024年政府代缴保费"),
    ]

    func testResolutionTable() throws {
        for c in Self.cases {
            var f = Feed()
            let p = residentID(birth: "1970-01-01", seq: 700 + c.name.count), h = "H-RS"
            f.add(survey(p, h, birth: "1970-01-01", grade: c.grade, care: c.care, pension: c.pension,
                         accessNeeded: c.accessNeeded), h, date: "2024-01-05")
            f.ticks(from: "2024-02", to: c.gap == .pension ? "2025-01" : "2024-05")
            let gap = try XCTUnwrap(f.gaps.first { $0.measure == c.gap }, c.name)
            let before = f.outputs.count
            c.close(&f, p, h)
            let after = Array(f.outputs[before...])
            let resolved = after.filter { $0.type == FindingResolved.eventType }.map { try! $0.decode(FindingResolved.self) }
            if c.resolved {
                XCTAssertEqual(resolved.map(\.findingID), [gap.findingID], c.name)
                XCTAssertEqual(resolved.first?.resolvedBy, f.inputs.last!.id.description, c.name)
                XCTAssertTrue(resolved.first?.summary.contains(c.reason) ?? false, c.name)
                XCTAssertEqual(resolved.first?.title,
                               "已解决：应享未享：张三 \(gap.measure.chinese)（自\(gap.periodFrom)起）", c.name)
            } else {
                XCTAssertTrue(resolved.isEmpty, c.name)
            }
            // Resolved or not, later months never raise the same cause again.
            f.ticks(from: c.gap == .pension ? "2025-02" : "2024-06", to: c.gap == .pension ? "2025-03" : "2024-06")
            XCTAssertEqual(f.gaps.filter { $0.findingID == gap.findingID }.count, 1, c.name)
        }
    }

    /// A gap that closed and opens again later is a new cause with its own id.
    func testGapReopensAsNewCause() {
        var f = Feed()
        let p = residentID(birth: "1970-01-01", seq: 801), h = "H-RO"
        f.add(survey(p, h, birth: "1970-01-01", grade: 1, care: true), h, date: "2024-01-05")
        f.ticks(from: "2024-02", to: "2024-04")
        f.pay(p, h, .nursing, from: "2024-01", to: "2024-04")
        f.ticks(from: "2024-05", to: "2024-08")
        XCTAssertEqual(f.gaps.map(\.findingID), ["gap|\(p)|nursing|2024-01", "gap|\(p)|nursing|2024-05"])
        XCTAssertEqual(f.resolved.map(\.findingID), ["gap|\(p)|nursing|2024-01"])
    }
}

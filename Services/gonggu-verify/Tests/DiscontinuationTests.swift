import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// 四个不摘: one table row per way a main measure of a household that left poverty can stop.
final class DiscontinuationTests: XCTestCase {
    struct Case {
        let name: String
        var lifted = true
        var grade = 4
        var care = false
        var pension = false
        let setup: (inout Feed, String, String) -> Void
        /// (measure, periodFrom, personal?) of the discontinuations raised, in order.
        let expected: [String]
        /// How many of them are resolved by the end.
        var resolved = 0
    }

    static let cases: [Case] = [
        Case(name: "低保 ends with income above the line", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01"), h, date: "2021-01-10")
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05", reason: .incomeAboveLine), h,
                  date: "2024-05-20")
        }, expected: []),
        Case(name: "低保 ends with no reason", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01"), h, date: "2021-01-10")
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
        }, expected: ["dibao 2024-06 household"]),
        Case(name: "低保 ends with no reason in a household that never was poor", lifted: false, setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01"), h, date: "2021-01-10")
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
        }, expected: []),
        Case(name: "低保 stop without reason, the reason recorded later", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05", reason: .failedReview), h,
                  date: "2024-06-20")
        }, expected: ["dibao 2024-06 household"], resolved: 1),
        Case(name: "低保 stopped, then granted again", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
            f.add(assistance(h, .dibao, start: "2024-07"), h, date: "2024-07-20")
        }, expected: ["dibao 2024-06 household"], resolved: 1),
        Case(name: "单人户施保 stops after the person died", grade: 1, setup: { f, p, h in
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-05-10", source: src), h,
                  date: "2024-05-12")
            f.add(assistance(h, .dibao, person: p, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
        }, expected: []),
        Case(name: "单人户施保 stops, the death recorded afterwards", grade: 1, setup: { f, p, h in
            f.add(assistance(h, .dibao, person: p, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-05-10", source: src), h,
                  date: "2024-06-12")
        }, expected: ["dibao 2024-06 person"], resolved: 1),
        Case(name: "status recorded after the unexplained stop", lifted: false, setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
            f.add(lifted(h, year: 2019), h, date: "2024-06-01")
        }, expected: ["dibao 2024-06 household"]),
        Case(name: "living subsidy stops while still entitled", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01"), h, date: "2021-01-10")
            f.pay(p, h, .living, from: "2024-01", to: "2024-04")
            f.ticks(from: "2024-02", to: "2024-08")
        }, expected: ["living 2024-05 person"]),
        Case(name: "living subsidy stops and resumes", setup: { f, p, h in
            f.add(assistance(h, .dibao, start: "2021-01"), h, date: "2021-01-10")
            f.pay(p, h, .living, from: "2024-01", to: "2024-04")
            f.ticks(from: "2024-02", to: "2024-07")
            f.pay(p, h, .living, from: "2024-05", to: "2024-07")
            f.ticks(from: "2024-08", to: "2024-09")
        }, expected: ["living 2024-05 person"], resolved: 1),
        Case(name: "nursing subsidy stops after re-grading (eligibility change)", grade: 1, care: true,
             setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-01", to: "2024-04")
            f.add(survey(p, h, name: "王五", birth: "1975-07-07", grade: 3), h, date: "2024-05-03")
            f.ticks(from: "2024-02", to: "2024-08")
        }, expected: []),
        Case(name: "nursing subsidy stops after death", grade: 1, care: true, setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-01", to: "2024-04")
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-04-20", source: src), h,
                  date: "2024-04-25")
            f.ticks(from: "2024-02", to: "2024-08")
        }, expected: []),
        Case(name: "pension premium paid last year, not this year", grade: 2, pension: true, setup: { f, p, h in
            f.add(PensionRecorded(householdID: h, personID: p, year: 2023, enrolled: true, governmentPaidFen: 10000,
                                  source: src), h, date: "2023-06-30")
            f.ticks(from: "2024-12", to: "2025-01")
        }, expected: ["pension 2024-01 person"]),
        Case(name: "pension premium stopped, then paid", grade: 2, pension: true, setup: { f, p, h in
            f.add(PensionRecorded(householdID: h, personID: p, year: 2023, enrolled: true, governmentPaidFen: 10000,
                                  source: src), h, date: "2023-06-30")
            f.ticks(from: "2024-12", to: "2025-01")
            f.add(PensionRecorded(householdID: h, personID: p, year: 2024, enrolled: true, governmentPaidFen: 12000,
                                  source: src), h, date: "2025-01-30")
        }, expected: ["pension 2024-01 person"], resolved: 1),
    ]

    func testDiscontinuationTable() {
        for c in Self.cases {
            var f = Feed()
            let p = residentID(birth: "1975-07-07", seq: 500 + c.name.count)
            let h = "H-DC"
            if c.lifted { f.add(lifted(h), h, date: "2020-12-31") }
            f.add(survey(p, h, name: "王五", birth: "1975-07-07", grade: c.grade, care: c.care, pension: c.pension), h,
                  date: "2020-12-31")
            c.setup(&f, p, h)
            let got = f.discontinuations.map { "\($0.measure.rawValue) \($0.periodFrom) \($0.personID == nil ? "household" : "person")" }
            XCTAssertEqual(got, c.expected, c.name)
            XCTAssertEqual(f.resolved.count, c.resolved, c.name)
            XCTAssertEqual(Set(f.resolved.map(\.findingID)).isSubset(of: Set(f.discontinuations.map(\.findingID))), true,
                           c.name)
            XCTAssertTrue(f.gaps.filter { $0.measure == .living || $0.measure == .nursing }.isEmpty,
                          "a discontinued or explained subsidy is not also a gap: \(c.name)")
            for d in f.discontinuations {
                XCTAssertEqual(d.householdID, h, c.name)
                XCTAssertTrue(d.summary.contains("四个不摘"), c.name)
                XCTAssertEqual(d.ruleID, "verify.discontinued.\(d.measure.rawValue)", c.name)
            }
        }
    }

    /// The risk monitor reads `findingID`, `householdID` and `measure`; the resolution names the fact.
    func testResolutionNamesTheFact() throws {
        var f = Feed()
        let h = "H-R"
        f.add(lifted(h), h, date: "2020-12-31")
        f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05"), h, date: "2024-05-20")
        let out = f.add(assistance(h, .dibao, start: "2021-01", stop: "2024-05", reason: .withdrawn), h,
                        date: "2024-06-20")
        let r = try XCTUnwrap(f.resolved.first)
        XCTAssertEqual(r.findingID, "discontinued|\(h)|dibao|2024-06")
        XCTAssertEqual(r.householdID, h)
        XCTAssertEqual(r.measure, .dibao)
        XCTAssertEqual(r.resolvedBy, f.inputs.last!.id.description)
        XCTAssertTrue(r.summary.contains("本人申请退出"))
        XCTAssertEqual(out.first?.type, FindingResolved.eventType)
        XCTAssertEqual(out.first?.causation, f.inputs.last!.id)
    }
}

import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// One table row per entitlement rule and exclusion: the measures for which a gap must be raised after
/// a year of monthly ticks with nothing received.
final class EntitlementTests: XCTestCase {
    struct Case {
        let name: String
        var region = changchun
        var rules: String?
        let setup: (inout Feed, String, String) -> Void
        let expected: Set<Measure>
    }

    static let hh = "H-ENT"

    static let cases: [Case] = [
        Case(name: "living: disabled person in a 低保 household", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
        }, expected: [.living]),
        Case(name: "living: no 低保, no entitlement", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "living: 低保边缘 without the extension", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2024-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2023-01"), h, date: "2024-01-06")
        }, expected: []),
        Case(name: "living: 低保边缘 with the extension on in 2201",
             rules: document(regions: #"{"2201": {"living": {"includeDibaoMarginal": true}}}"#), setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 4), h, date: "2024-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2023-01"), h, date: "2024-01-06")
        }, expected: [.living]),
        Case(name: "nursing: grade 1 needing long-term care", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1, care: true), h, date: "2024-01-05")
        }, expected: [.nursing]),
        Case(name: "nursing: grade 2 without long-term care", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "nursing extension in 2202: grade-3 intellectual entitled there", region: jilinCity,
             rules: document(regions: #"{"2202": {"nursing": {"extendGrade3to4IntellectualMental": true}}}"#),
             setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", category: .intellectual, grade: 3), h, region: jilinCity,
                  date: "2024-01-05")
        }, expected: [.nursing]),
        Case(name: "nursing extension in 2202: the same person in 2201 is not entitled",
             rules: document(regions: #"{"2202": {"nursing": {"extendGrade3to4IntellectualMental": true}}}"#),
             setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", category: .intellectual, grade: 3), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "特困 excludes both subsidies", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1, care: true), h, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
            f.add(assistance(h, .tekun, person: p, start: "2023-01"), h, date: "2024-01-06")
        }, expected: []),
        Case(name: "work-injury nursing allowance excludes both subsidies", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1, care: true, workInjury: true), h, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
        }, expected: []),
        Case(name: "orphan: nursing subsidy but not living subsidy", setup: { f, p, h in
            f.add(survey(p, h, birth: "2010-05-01", grade: 1, care: true, orphan: true), h, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
        }, expected: [.nursing]),
        Case(name: "old-age allowance: the higher one is taken (择高)", setup: { f, p, h in
            f.add(survey(p, h, birth: "1950-05-01", grade: 1, care: true, oldAge: true), h, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
        }, expected: []),
        Case(name: "单人户施保: severe adult in a 低保边缘 household not covered", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1), h, date: "2024-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2023-01"), h, date: "2024-01-06")
        }, expected: [.singlePersonDibao]),
        Case(name: "单人户施保: a severely disabled minor is not flagged", setup: { f, p, h in
            f.add(survey(p, h, birth: "2012-05-01", grade: 1), h, date: "2024-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2023-01"), h, date: "2024-01-06")
        }, expected: []),
        Case(name: "单人户施保: covered on their own (then entitled to the living subsidy)", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 1), h, date: "2024-01-05")
            f.add(assistance(h, .dibaoMarginal, start: "2023-01"), h, date: "2024-01-06")
            f.add(assistance(h, .dibao, person: p, start: "2023-06"), h, date: "2024-01-06")
        }, expected: [.living]),
        Case(name: "pension: severe, 30, enrolled, no premium paid", setup: { f, p, h in
            f.add(survey(p, h, birth: "1994-05-01", grade: 2, pension: true), h, date: "2024-01-05")
        }, expected: [.pension]),
        Case(name: "pension: students are not covered", setup: { f, p, h in
            f.add(survey(p, h, birth: "2004-05-01", grade: 2, pension: true, student: true), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "pension: 62 is over the age range", setup: { f, p, h in
            f.add(survey(p, h, birth: "1962-05-01", grade: 2, pension: true), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "pension: not enrolled", setup: { f, p, h in
            f.add(survey(p, h, birth: "1994-05-01", grade: 2), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "pension: premium at the minimum paid", setup: { f, p, h in
            f.add(survey(p, h, birth: "1994-05-01", grade: 2, pension: true), h, date: "2024-01-05")
            f.add(PensionRecorded(householdID: h, personID: p, year: 2024, enrolled: true, governmentPaidFen: 10000,
                                  source: src), h, date: "2024-06-30")
        }, expected: []),
        Case(name: "child rehabilitation: 4-year-old with hearing disability", setup: { f, p, h in
            f.add(survey(p, h, birth: "2020-03-01", category: .hearing, grade: 3, rehab: true), h, date: "2024-01-05")
        }, expected: [.childRehabilitation]),
        Case(name: "child rehabilitation: 9-year-old is over the age range", setup: { f, p, h in
            f.add(survey(p, h, birth: "2015-03-01", category: .hearing, grade: 3, rehab: true), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "child rehabilitation: service received this year", setup: { f, p, h in
            f.add(survey(p, h, birth: "2020-03-01", category: .hearing, grade: 3, rehab: true), h, date: "2024-01-05")
            f.add(ProjectRecorded(projectID: "R1", kind: .rehabilitation, householdID: h, personID: p,
                                  date: "2024-01-20", amountFen: 1_000_000, source: src), h, date: "2024-01-20")
        }, expected: []),
        Case(name: "child rehabilitation: autism", setup: { f, p, h in
            f.add(survey(p, h, birth: "2021-03-01", category: .mental, grade: 3, rehab: true, autism: true), h,
                  date: "2024-01-05")
        }, expected: [.childRehabilitation]),
        Case(name: "child rehabilitation: mental without autism is not covered", setup: { f, p, h in
            f.add(survey(p, h, birth: "2021-03-01", category: .mental, grade: 3, rehab: true), h, date: "2024-01-05")
        }, expected: []),
        Case(name: "accessibility: severe, needed, not done", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2, accessNeeded: true), h, date: "2024-01-05")
        }, expected: [.accessibility]),
        Case(name: "accessibility: already done", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2, accessNeeded: true, accessDone: true), h,
                  date: "2024-01-05")
        }, expected: []),
        Case(name: "accessibility: works recorded by a project", setup: { f, p, h in
            f.add(survey(p, h, birth: "1980-05-01", grade: 2, accessNeeded: true), h, date: "2024-01-05")
            f.add(ProjectRecorded(projectID: "A1", kind: .accessibility, householdID: h, date: "2024-02-10",
                                  amountFen: 500_000, source: src), h, date: "2024-02-10")
        }, expected: []),
    ]

    func testEntitlementTable() {
        for c in Self.cases {
            var f = Feed()
            if let rules = c.rules { f.add(rulesEvent(rules), "verify", region: "", date: "2024-01-01") }
            // The person's birth date is in the survey; the ID only needs to be valid and unique.
            let p = residentID(birth: "1990-01-01", seq: 100 + c.name.count)
            c.setup(&f, p, Self.hh)
            f.ticks(from: "2024-02", to: "2025-01")
            let got = Set(f.gaps.map(\.measure))
            XCTAssertEqual(got, c.expected, c.name)
            // One finding per measure: never raised twice for the same cause.
            XCTAssertEqual(f.gaps.count, Set(f.gaps.map(\.findingID)).count, c.name)
            for g in f.gaps {
                XCTAssertEqual(g.personID, p, c.name)
                XCTAssertEqual(g.householdID, Self.hh, c.name)
                XCTAssertFalse(g.summary.contains(p), "summary must mask the resident ID: \(c.name)")
                XCTAssertTrue(g.summary.contains(PersonalDataMask.maskID(p)), c.name)
                XCTAssertFalse(g.evidence.isEmpty, c.name)
                XCTAssertEqual(g.ruleID, "verify.gap.\(g.measure.rawValue)", c.name)
                XCTAssertEqual(g.ruleVersion, c.rules == nil ? "2025.1" : "2025.2", c.name)
            }
        }
    }

    /// The gap is raised once `gapMonths` months have passed, with its period and months.
    func testGapTimingAndFields() throws {
        var f = Feed()
        let p = residentID(birth: "1980-05-01", seq: 21)
        let h = "H-T"
        f.add(survey(p, h, birth: "1980-05-01", grade: 1, care: true), h, date: "2024-01-05")
        f.ticks(from: "2024-02", to: "2024-03")
        XCTAssertTrue(f.gaps.isEmpty, "two months are not enough")
        f.ticks(from: "2024-04", to: "2024-04")
        let g = try XCTUnwrap(f.gaps.first)
        XCTAssertEqual(f.gaps.count, 1)
        XCTAssertEqual(g.measure, .nursing)
        XCTAssertEqual(g.findingID, "gap|\(p)|nursing|2024-01")
        XCTAssertEqual(g.periodFrom, "2024-01")
        XCTAssertEqual(g.periodTo, "2024-03")
        XCTAssertEqual(g.months, 3)
        XCTAssertEqual(g.thresholds.map(\.0), ["gapMonths", "months"])
        XCTAssertEqual(g.evidence, [f.inputs[0].id.description])
        let event = try XCTUnwrap(f.outputs.first { $0.type == EntitlementGap.eventType })
        XCTAssertEqual(event.subject, h)
        XCTAssertEqual(event.region, changchun)
        XCTAssertEqual(event.causation, f.inputs.last!.id)
        XCTAssertEqual(event.correlation, f.inputs.last!.correlation)
        XCTAssertEqual(event.id, EventID.derived(from: f.inputs.last!.id, "EntitlementGap|\(g.findingID)", index: 0))
        f.ticks(from: "2024-05", to: "2024-12")
        XCTAssertEqual(f.gaps.count, 1, "the same cause is never raised twice")
    }

    /// Payment data advancing its business month evaluates gaps without any clock tick.
    func testGapOnDataMonth() {
        var f = Feed()
        let p = residentID(birth: "1980-05-01", seq: 22), q = residentID(birth: "1981-05-01", seq: 23)
        f.add(survey(p, "H-A", birth: "1980-05-01", grade: 1, care: true), "H-A", date: "2024-01-05")
        f.add(survey(q, "H-B", birth: "1981-05-01", grade: 1, care: true), "H-B", date: "2024-01-05")
        f.pay(q, "H-B", .nursing, from: "2024-01", to: "2024-05")
        XCTAssertEqual(f.gaps.map(\.personID), [p])
        XCTAssertEqual(f.gaps.first?.periodTo, "2024-03")
        XCTAssertEqual(f.fold.referenceMonth, BusinessCalendar.monthNumber("2024-04")!)
    }

    /// A region can switch data-month evaluation off; ticks still evaluate it.
    func testDataMonthSwitch() {
        var f = Feed()
        f.add(rulesEvent(document(regions: #"{"220102": {"evaluateOnDataMonth": false}}"#)), "verify", region: "",
              date: "2024-01-01")
        let p = residentID(birth: "1980-05-01", seq: 24), q = residentID(birth: "1981-05-01", seq: 25)
        f.add(survey(p, "H-A", birth: "1980-05-01", grade: 1, care: true), "H-A", date: "2024-01-05")
        f.add(survey(q, "H-B", birth: "1981-05-01", grade: 1, care: true), "H-B", region: jilinCity, date: "2024-01-05")
        f.pay(q, "H-B", .nursing, from: "2024-01", to: "2024-01", region: jilinCity)
        f.pay(q, "H-B", .nursing, from: "2024-02", to: "2024-05", region: jilinCity)
        XCTAssertTrue(f.gaps.isEmpty, "data months do not evaluate 220102")
        f.ticks(from: "2024-02", to: "2024-05")
        XCTAssertEqual(f.gaps.map(\.personID), [p])
    }
}

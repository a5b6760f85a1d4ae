import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// One table row per payment anomaly (and the look-alikes that are not anomalies).
final class AnomalyTests: XCTestCase {
    struct Expect: Equatable, CustomStringConvertible {
        let kind: AnomalyKind
        let measure: Measure
        let month: String
        var description: String { "\(kind.rawValue)/\(measure.rawValue)/\(month)" }
    }

    struct Case {
        let name: String
        var region = changchun
        var orphan = false
        var workInjury = false
        var rules: String?
        let setup: (inout Feed, String, String) -> Void
        let expected: [Expect]
    }

    static let cases: [Case] = [
        Case(name: "death mid-year, then a payment for the next month", setup: { f, p, h in
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-06-15", source: src), h,
                  date: "2024-06-20")
            f.pay(p, h, .nursing, from: "2024-06", to: "2024-07")
        }, expected: [Expect(kind: .afterDeath, measure: .nursing, month: "2024-07")]),
        Case(name: "payment for the month of death is due", setup: { f, p, h in
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-06-15", source: src), h,
                  date: "2024-06-20")
            f.pay(p, h, .nursing, from: "2024-05", to: "2024-06")
        }, expected: []),
        Case(name: "moved out of the province, then paid", setup: { f, p, h in
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .movedOut, date: "2024-03-01", source: src),
                  h, date: "2024-03-02")
            f.pay(p, h, .living, from: "2024-04", to: "2024-04")
        }, expected: [Expect(kind: .afterMoveOut, measure: .living, month: "2024-04")]),
        Case(name: "death recorded after the payments were made", setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-05", to: "2024-08")
            f.add(LifeEventRecorded(householdID: h, personID: p, kind: .death, date: "2024-06-20", source: src), h,
                  date: "2024-09-01")
        }, expected: [
            Expect(kind: .afterDeath, measure: .nursing, month: "2024-07"),
            Expect(kind: .afterDeath, measure: .nursing, month: "2024-08"),
        ]),
        Case(name: "paid twice (and three times) for one month", setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03")
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03")
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03")
            f.pay(p, h, .living, from: "2024-03", to: "2024-03")
        }, expected: [Expect(kind: .duplicate, measure: .nursing, month: "2024-03")]),
        Case(name: "特困 person paid a subsidy", setup: { f, p, h in
            f.add(assistance(h, .tekun, person: p, start: "2023-01"), h, date: "2024-01-06")
            f.pay(p, h, .living, from: "2024-03", to: "2024-03")
        }, expected: [Expect(kind: .excludedTekun, measure: .living, month: "2024-03")]),
        Case(name: "特困 recorded after the payment", setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2023-12", to: "2024-02")
            f.add(assistance(h, .tekun, person: p, start: "2024-01"), h, date: "2024-03-06")
        }, expected: [
            Expect(kind: .excludedTekun, measure: .nursing, month: "2024-01"),
            Expect(kind: .excludedTekun, measure: .nursing, month: "2024-02"),
        ]),
        Case(name: "work-injury nursing allowance and a subsidy", workInjury: true, setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03")
        }, expected: [Expect(kind: .excludedWorkInjury, measure: .nursing, month: "2024-03")]),
        Case(name: "orphan paid the living subsidy", orphan: true, setup: { f, p, h in
            f.pay(p, h, .living, from: "2024-03", to: "2024-03")
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03")
        }, expected: [Expect(kind: .excludedOrphan, measure: .living, month: "2024-03")]),
        Case(name: "amount below the band", setup: { f, p, h in
            f.pay(p, h, .nursing, from: "2024-03", to: "2024-03", fen: 3000)
        }, expected: [Expect(kind: .amountOutOfBand, measure: .nursing, month: "2024-03")]),
        Case(name: "amount above the band", setup: { f, p, h in
            f.pay(p, h, .living, from: "2024-03", to: "2024-03", fen: 30000)
        }, expected: [Expect(kind: .amountOutOfBand, measure: .living, month: "2024-03")]),
        Case(name: "amount within a region's own band", region: jilinCity,
             rules: document(regions: #"{"2202": {"living": {"band": {"minFen": 5000, "maxFen": 40000}}}}"#),
             setup: { f, p, h in
            f.pay(p, h, .living, from: "2024-03", to: "2024-03", fen: 30000, region: jilinCity)
        }, expected: []),
        Case(name: "pension premium below the minimum", setup: { f, p, h in
            f.add(PensionRecorded(householdID: h, personID: p, year: 2024, enrolled: true, governmentPaidFen: 5000,
                                  source: src), h, date: "2024-06-30")
        }, expected: [Expect(kind: .amountOutOfBand, measure: .pension, month: "2024-01")]),
        Case(name: "ordinary payments", setup: { f, p, h in
            f.pay(p, h, .living, from: "2024-01", to: "2024-12")
            f.pay(p, h, .nursing, from: "2024-01", to: "2024-12")
        }, expected: []),
    ]

    func testAnomalyTable() {
        for c in Self.cases {
            var f = Feed()
            if let rules = c.rules { f.add(rulesEvent(rules), "verify", region: "", date: "2024-01-01") }
            let p = residentID(birth: "1985-02-03", seq: 300 + c.name.count)
            let h = "H-AN"
            f.add(survey(p, h, name: "李四", birth: "1985-02-03", grade: 1, care: true, orphan: c.orphan,
                         workInjury: c.workInjury), h, region: c.region, date: "2024-01-05")
            f.add(assistance(h, .dibao, start: "2023-01"), h, region: c.region, date: "2024-01-06")
            c.setup(&f, p, h)
            let got = f.anomalies.map { Expect(kind: $0.anomaly!, measure: $0.measure, month: $0.month!) }
            XCTAssertEqual(got, c.expected, c.name)
            for a in f.anomalies {
                XCTAssertEqual(a.personID, p, c.name)
                XCTAssertTrue(a.title.hasPrefix("发放异常：李四"), c.name)
                XCTAssertFalse(a.summary.contains(p), c.name)
                XCTAssertEqual(a.ruleID, "verify.anomaly.\(a.anomaly!.rawValue)", c.name)
                XCTAssertFalse(a.evidence.isEmpty, c.name)
                // Monthly payments are keyed by month, the yearly premium by year.
                let key = a.measure == .pension ? String(a.month!.prefix(4)) : a.month!
                XCTAssertEqual(a.findingID, "anomaly|\(p)|\(a.measure.rawValue)|\(key)|\(a.anomaly!.rawValue)")
            }
        }
    }

    /// The band check compares against the thresholds it reports.
    func testBandThresholds() throws {
        var f = Feed()
        let p = residentID(birth: "1985-02-03", seq: 401)
        f.add(survey(p, "H", birth: "1985-02-03", grade: 1, care: true), "H", date: "2024-01-05")
        f.pay(p, "H", .nursing, from: "2024-03", to: "2024-03", fen: 20001)
        let a = try XCTUnwrap(f.anomalies.first)
        XCTAssertEqual(a.thresholds.map(\.0), ["minFen", "maxFen", "amountFen"])
        XCTAssertEqual(a.thresholds.map(\.1), [5000, 20000, 20001])
        XCTAssertEqual(a.amountFen, 20001)
        XCTAssertEqual(a.evidence, [f.inputs.last!.id.description])
    }
}

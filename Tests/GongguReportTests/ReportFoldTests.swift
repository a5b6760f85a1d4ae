import GongguCore
import GongguEvents
import GongguReport
import XCTest

/// The indicators over the hand-built scenario: each expected number names the households behind it.
final class ReportFoldTests: XCTestCase {
    let scenario = Scenario.build()

    func testEveryIndicatorOverTheScenario() {
        let d = scenario.data()
        let a = "220101", b = "220201"
        // (indicator, region, expected, why)
        let table: [(Indicator, String, Int, String)] = [
            (.lifted, "", 4, "H1, H2, H3 (left in Jan 2025), H6; not H4 (March 2025) nor H5 (no disabled member)"),
            (.lifted, a, 2, "H1, H2"),
            (.lifted, b, 2, "H3, H6"),
            (.measureAtStart, "", 3, "H1 (低保), H2 (低保, nursing paid for January), H6 (living paid for December)"),
            (.noMeasureAtStart, "", 1, "H3: its child's rehabilitation began in June 2025"),
            (.discontinued, "", 1, "H2: 低保 stopped in May 2025"),
            (.continued, "", 2, "H1, H6 (H3 has no measure at the start: neither numerator nor denominator)"),
            (.monitored, "", 1, "H4 (H6's monitoring starts in 2026)"),
            (.recommended, b, 1, "H4"),
            (.included, "", 1, "H4 confirmed in August"),
            (.eliminationRecommended, "", 1, "H4 in December"),
            (.eliminated, "", 0, "H4's elimination is dated 2026"),
            (.receiving(.dibao), "", 3, "P1 and P7 under H1's household 低保, P2 under H2's until April"),
            (.receiving(.living), "", 1, "P1 (P6 was paid for 2024 only)"),
            (.unmet(.living), "", 0, "P6's gap was resolved in March"),
            (.entitled(.living), "", 1, "P1"),
            (.receiving(.nursing), "", 0, "P2 was paid once but has an open gap"),
            (.unmet(.nursing), "", 1, "P2"),
            (.entitled(.nursing), "", 1, "P2"),
            (.receiving(.pension), "", 1, "P1's 2025 premium"),
            (.unmet(.pension), "", 0, "P6's pension gap is raised in 2026"),
            (.receiving(.childRehabilitation), "", 1, "P3, aged 4 at the service"),
            (.rehabNeeded, "", 2, "P1, P3 (P7 died)"),
            (.rehabServed, "", 1, "P3"),
            (.accessibilityNeeded, "", 2, "H1 by survey, H3 by its works"),
            (.accessibilityDone, "", 1, "H3"),
            (.openFindings(.entitlementGap), "", 1, "P2's nursing gap"),
            (.openFindings(.discontinued), "", 1, "H2"),
            (.openFindings(.paymentAnomaly), "", 1, "P6"),
            (.feedbackSent, "", 2, "N1, N3 (N2 was sent in 2024)"),
            (.feedbackAcknowledged, "", 1, "N1"),
            (.feedbackAnswered, "", 1, "N1"),
        ]
        for (indicator, region, expected, why) in table {
            XCTAssertEqual(d.count(indicator, region), expected, "\(indicator.id) in '\(region)': \(why)")
        }
        XCTAssertEqual(d.ageHistogram(.entitlementGap)[AgeClass.upTo365.rawValue], 1, "raised 10 April: 265 days")
        XCTAssertEqual(d.ageHistogram(.paymentAnomaly)[AgeClass.upTo180.rawValue], 1, "raised 1 October: 91 days")
        XCTAssertEqual(d.responseHistogram(.feedbackAcknowledged)[ResponseClass.upTo3.rawValue], 1, "2 days")
        XCTAssertEqual(d.responseHistogram(.feedbackAnswered)[ResponseClass.upTo30.rawValue], 1, "16 days")
        XCTAssertEqual(d.medianDays(.feedbackAnswered), 16)
        XCTAssertEqual(d.monthly(.recommended), [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], "July")
        XCTAssertEqual(d.monthly(.included)[7], 1, "August")
    }

    /// An older notifier log (one event per acknowledgement) gives the same feedback figures.
    func testSingleAcknowledgementEventsOfOlderLogsCountTheSame() {
        let old = Scenario.build(singleAcknowledgement: true).data()
        let new = scenario.data()
        for indicator in [Indicator.feedbackSent, .feedbackAcknowledged, .feedbackAnswered] {
            XCTAssertEqual(old.count(indicator, ""), new.count(indicator, ""), indicator.id)
            XCTAssertEqual(old.responseHistogram(indicator), new.responseHistogram(indicator), indicator.id)
        }
        XCTAssertEqual(old.count(.feedbackAcknowledged, ""), 1)
    }

    func testCasesNameTheirEvents() {
        let d = scenario.data()
        let ids = Set(scenario.logs.values.flatMap { $0.map(\.id) })
        for i in Indicator.all {
            for c in d.book.cases(i) {
                XCTAssertFalse(c.events.isEmpty, "\(i.id): \(c.householdID)")
                for e in c.events { XCTAssertTrue(ids.contains(e), "\(i.id): unknown event \(e)") }
            }
        }
        let discontinued = d.book.cases(.discontinued)
        XCTAssertEqual(discontinued.map(\.householdID), ["H2"])
        XCTAssertEqual(discontinued.first?.date, "2025-07-01")
    }

    func testRegionPrefixKeepsOnlyItsCases() {
        let d = scenario.data(region: "2202")
        XCTAssertEqual(d.count(.lifted, ""), 2, "H3, H6")
        XCTAssertEqual(d.count(.lifted, "2201"), 0)
        XCTAssertEqual(d.regions.map(\.code), ["2202", "220201"])
        XCTAssertEqual(d.regions[0].name, "吉林市")
    }

    func testOrderOfEventsDoesNotMatter() {
        let forward = ReportRenderer.files(scenario.data())
        let backward = ReportRenderer.files(scenario.data(order: { $0.reversed() }))
        XCTAssertEqual(forward.map(\.name), backward.map(\.name))
        for (f, b) in zip(forward, backward) { XCTAssertEqual(f.bytes, b.bytes, f.name) }
    }

    func testEventsAfterTheYearChangeNothing() {
        var later = scenario
        later.add(.intake, SubsidyPaid(householdID: "H2", personID: Scenario.p2, subsidy: .living, month: "2026-01",
            amountFen: 1,
                                       source: SourceRef(file: "x", line: 1)), household: "H2",
                                           region: Scenario.countyA, on: "2026-01-10")
        later.status("H3", Scenario.countyB, .monitoredMarginal, effective: "2026-01-02")
        later.add(.intake, DisabilityRecorded(personID: "220201199901011111", householdID: "H9", name: "新",
            birthDate: "1999-01-01",
                                              gender: "M", cardNumber: "22020119990101111141", category: .physical,
                                                  grade: 1,
                                              labour: .none, surveyYear: 2026, source: SourceRef(file: "x", line: 2)),
                  household: "H9", region: Scenario.countyB, on: "2026-03-01")
        let before = ReportRenderer.files(scenario.data()), after = ReportRenderer.files(later.data())
        for (x, y) in zip(before, after) where x.name != "表0-数据来源.csv" && x.name != ReportRenderer.pageName {
            XCTAssertEqual(x.bytes, y.bytes, x.name)
        }
    }

    func testPeriodBounds() {
        let p = ReportPeriod(year: 2025)
        XCTAssertTrue(p.contains(Scenario.ts("2025-01-01")))
        XCTAssertTrue(p.contains(Scenario.ts("2025-12-31")))
        XCTAssertFalse(p.contains(Scenario.ts("2026-01-01")))
        XCTAssertFalse(p.contains(Scenario.ts("2025-01-01") - 1))
        XCTAssertEqual(p.lastDay - p.firstDay, 364)
    }
}

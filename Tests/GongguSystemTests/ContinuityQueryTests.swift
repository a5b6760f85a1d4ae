import GongguCore
import GongguEvents
import GongguVerify
@testable import GongguVerifyService
import XCTest

@testable import GongguServices

/// The verifier's `CONTINUITY` query, which `gonggu continuity` prints: a household that left poverty with
/// no main measure on 1 January is its own line, in neither the rate's numerator nor its denominator.
final class ContinuityQueryTests: XCTestCase {
    func testReplyCountsHouseholdsWithoutMeasureOnTheirOwnLine() throws {
        var fold = VerifyFold()
        var n = 0
        func add<P: EventPayload>(_ p: P, _ subject: String, _ date: String) {
            n += 1
            let e = Event(p, id: EventID.derived("query-\(n)"), subject: subject, region: "220102001001",
                          occurredAt: BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(date)!))
            _ = fold.apply(e)
        }
        let src = SourceRef(file: "t.csv", line: 2)
        for (k, hh) in ["Q-NONE", "Q-KEPT"].enumerated() {
            add(HouseholdStatusRecorded(householdID: hh, status: .lifted, effectiveDate: "2020-12-31", liftedYear: 2020,
                                        source: src), hh, "2020-12-31")
            var d = DisabilityRecorded(
                personID: "22010219700101\(k)00X", householdID: hh, name: "张三", birthDate: "1970-01-01", gender: "M",
                cardNumber: "c\(k)", category: .physical, grade: 1, labour: .none, surveyYear: 2024, source: src)
            d.needsLongTermCare = true
            add(d, hh, "2023-01-05")
        }
        for m in BusinessCalendar.monthNumber("2023-12")!...BusinessCalendar.monthNumber("2024-12")! {
            let month = BusinessCalendar.monthText(m)
            add(SubsidyPaid(householdID: "Q-KEPT", personID: "22010219700101100X", subsidy: .nursing, month: month,
                            amountFen: 10000, source: src), "Q-KEPT", month + "-10")
        }
        add(ClockTicked(date: "2025-01-01"), "verify", "2025-01-01")

        var w = JSONWriter()
        w.beginObject()
        w.field("year", 2024)
        w.field("region", "22")
        w.endObject()
        let reply = VerifyService.continuity(fold, try JSONValue.parse(w.bytes))
        XCTAssertEqual(reply.status, "OK")
        let v = try JSONValue.parse(reply.body)
        XCTAssertEqual(v["lifted"]?.intValue, 2)
        XCTAssertEqual(v["households"]?.intValue, 1, "denominator: Q-KEPT only")
        XCTAssertEqual(v["allContinued"]?.intValue, 1, "numerator: Q-KEPT")
        XCTAssertEqual(v["noMeasure"]?.intValue, 1, "own line: Q-NONE")
        XCTAssertTrue(v["csv"]?.stringValue?.contains("Q-NONE,220102001001,,,（无）,否,,,,年初无在享主要帮扶措施") == true)
    }
}

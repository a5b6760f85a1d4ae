import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Risk elimination (docs/RULES-risk.md §3): each condition false alone blocks it; all true recommends it; a
/// household without labour capacity is never recommended.
final class EliminationTests: XCTestCase {
    struct Options {
        var monitoredSince = "2023-01-01"
        var incomePerCapita: Int? = 800_000
        var incomeDate = "2023-01-15"
        var projectDate: String? = "2023-04-01"
        var expense: (ExpenseKind, Int, String)?
        var visitHardship: [String] = []
        var labour = LabourCapacity.full
        var tick = "2023-08-01"
    }

    static func script(_ o: Options) -> Script {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: o.labour)
        s.status(.monitoredUnstable, o.monitoredSince)
        if let income = o.incomePerCapita { s.income(2023, perCapita: income, date: o.incomeDate) }
        if let date = o.projectDate { s.project(date) }
        if let (kind, fen, date) = o.expense { s.expense(kind, fen, date) }
        s.visit(o.visitHardship, "2023-03-01")
        s.tick(o.tick)
        return s
    }

    static let allConditions = [
        "monitoredMonths", "assistance", "incomeStable", "expensesResolved", "needsSecured", "labourCapacity",
    ]

    func testEachConditionAloneBlocks() {
        let rows: [(name: String, failing: String?, change: (inout Options) -> Void)] = [
            ("all hold", nil, { _ in }),
            ("hardship outside the secured list does not block", nil, { $0.visitHardship = ["income"] }),
            ("monitored 5 months", "monitoredMonths", { $0.monitoredSince = "2023-03-01" }),
            ("no assistance measure", "assistance", { $0.projectDate = nil }),
            ("assistance only before monitoring", "assistance", { $0.projectDate = "2022-12-01" }),
            ("income below the line", "incomeStable", { $0.incomePerCapita = 699_999 }),
            ("income above the line only 5 months", "incomeStable", { $0.incomeDate = "2023-03-01" }),
            ("no income assessment", "incomeStable", { $0.incomePerCapita = nil }),
            ("large expense within 6 months", "expensesResolved", { $0.expense = (.outpatient, 50_000, "2023-03-01") }),
            ("water not secured", "needsSecured", { $0.visitHardship = ["water"] }),
            ("schooling not secured", "needsSecured", { $0.visitHardship = ["schooling"] }),
            ("no labour capacity", "labourCapacity", { $0.labour = .none }),
        ]
        for row in rows {
            var o = Options()
            row.change(&o)
            let run = Run(Self.script(o).events)
            let recs = run.payloads(RiskEliminationRecommended.self)
            let conditions = run.fold.eliminationConditions(household: "H1", asOf: o.tick)!
            XCTAssertEqual(conditions.map(\.id), Self.allConditions, row.name)
            XCTAssertEqual(conditions.filter { !$0.holds }.map(\.id), row.failing.map { [$0] } ?? [], row.name)
            if row.failing == nil {
                XCTAssertEqual(recs.count, 1, row.name)
                XCTAssertEqual(recs.first?.conditions, Self.allConditions, row.name)
                XCTAssertEqual(recs.first?.monitoredSince, "2023-01-01", row.name)
                let feedback = run.payloads(RiskFeedback.self)
                XCTAssertEqual(feedback.map(\.kind), ["elimination"], row.name)
                XCTAssertEqual(feedback.first?.ruleIDs.count, 6, row.name)
                XCTAssertEqual(feedback.first?.recommendationID, recs.first?.recommendationID, row.name)
            } else {
                XCTAssertEqual(recs.count, 0, row.name)
            }
        }
    }

    /// Time-dependent conditions become true on the first tick on or after their due day, and the
    /// recommendation is made once.
    func testRecommendedOnDueTickOnce() {
        var o = Options()
        o.monitoredSince = "2023-03-01"
        var s = Self.script(o)  // ticked 2023-08-01: 5 months, blocked
        s.tick("2023-08-31")
        s.tick("2023-09-01")  // 6 months
        s.tick("2023-10-01")
        let run = Run(s.events)
        let events = run.of(RiskEliminationRecommended.eventType)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(
            events.first?.occurredAt, BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber("2023-09-01")!))
        XCTAssertEqual(run.fold.view(household: "H1")!.openRecommendations.map(\.kind), ["elimination"])
        // Unanswered for 30 days (2023-10-01): raised again once, as an elimination reminder.
        let overdue = run.payloads(RecommendationOverdue.self)
        XCTAssertEqual(overdue.map(\.kind), ["elimination"])
        XCTAssertEqual(overdue.first?.recommendationID, "\(events[0].id)")
        // The bureau confirms: no longer monitored, counted as eliminated, nothing open.
        s.bureau(.riskEliminated, "2023-10-10")
        s.tick("2023-12-01")
        let after = Run(s.events)
        XCTAssertEqual(after.payloads(RecommendationOverdue.self).count, 1)
        XCTAssertNil(after.fold.view(household: "H1")!.monitoredSince)
        XCTAssertEqual(after.fold.view(household: "H1")!.openRecommendations, [])
        XCTAssertEqual(after.fold.counts(regionPrefix: "220102", from: "2023-01-01", to: "2023-12-31").eliminated, 1)
    }

    /// A household with no labour capacity at all is never recommended, however long it is monitored.
    func testNoLabourCapacityNeverEliminated() {
        var o = Options()
        o.labour = .none
        var s = Self.script(o)
        s.member(Script.personB, labour: .none)
        for year in 2024...2026 { s.tick("\(year)-06-01") }
        let run = Run(s.events)
        XCTAssertEqual(run.payloads(RiskEliminationRecommended.self).count, 0)
        XCTAssertTrue(run.fold.view(household: "H1")!.noLabourCapacity)
        // And a household whose only labour died while monitored loses eligibility.
        var died = Self.script(Options())
        died.events.removeLast()  // the tick
        died.death(Script.personA, "2023-06-01")
        died.tick("2023-08-01")
        XCTAssertEqual(Run(died.events).payloads(RiskEliminationRecommended.self).count, 0)
    }
}

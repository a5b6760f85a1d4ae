import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Monitoring recommendations, suggested types, feedback and the bureau's follow-up.
final class RecommendationTests: XCTestCase {
    func testSuggestedTypeMapping() {
        let rows: [(name: String, status: PovertyStatus, steps: (inout Script) -> Void, type: PovertyStatus)] = [
            ("脱贫户 → 脱贫不稳定户", .lifted, { $0.expense(.inpatient, 600_000, "2023-05-01") }, .monitoredUnstable),
            (
                "一般户 with sudden expense → 突发严重困难户", .ordinary,
                { $0.expense(.inpatient, 2_500_000, "2023-05-01") }, .monitoredSudden
            ),
            (
                "一般户 under 1.5× line → 边缘易致贫户", .ordinary,
                {
                    $0.income(2023, perCapita: 1_000_000, date: "2023-03-01")  // < 1.5 × 7000 yuan
                    $0.expense(.disaster, 1_000_000, "2023-05-01")
                }, .monitoredMarginal
            ),
            (
                "一般户 income just at 1.5× line, disaster → 突发严重困难户", .ordinary,
                {
                    $0.income(2023, perCapita: 1_050_000, date: "2023-03-01")
                    $0.expense(.disaster, 1_000_000, "2023-05-01")
                }, .monitoredSudden
            ),
            (
                "一般户 self-application → 边缘易致贫户", .ordinary,
                { $0.visit([], "2023-05-01", selfApplication: true) }, .monitoredMarginal
            ),
        ]
        for row in rows {
            var s = Script()
            s.status(row.status, "2021-01-01")
            s.disability(Script.personA, labour: .full)
            row.steps(&s)
            let recs = Run(s.events).payloads(MonitoringRecommended.self)
            XCTAssertEqual(recs.count, 1, row.name)
            XCTAssertEqual(recs.first?.suggestedType, row.type, row.name)
        }
    }

    func testRecommendationWithFeedbackAndNoDuplicates() {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.expense(.inpatient, 600_000, "2023-05-01")
        s.expense(.inpatient, 100_000, "2023-06-01")  // the same signal again, higher sum
        s.expense(.inpatient, 600_000, "2023-05-01")  // a repeated report
        let run = Run(s.events)
        let recs = run.payloads(MonitoringRecommended.self)
        XCTAssertEqual(recs.count, 1)
        XCTAssertEqual(recs[0].causes, ["inpatient"])
        XCTAssertEqual(recs[0].explanation.ruleID, "risk.recommend.monitoring")
        XCTAssertEqual(recs[0].explanation.ruleVersion, "2025.1")
        let feedback = run.payloads(RiskFeedback.self)
        XCTAssertEqual(feedback.count, 1)
        XCTAssertEqual(feedback[0].recommendationID, recs[0].recommendationID)
        XCTAssertEqual(feedback[0].recipientRegion, "220102")
        XCTAssertEqual(feedback[0].recipientKind, "bureau")
        XCTAssertEqual(feedback[0].kind, "monitoring")
        XCTAssertEqual(feedback[0].ruleIDs, ["risk.signal.inpatient"])
        XCTAssertEqual(recs[0].ruleIDs, ["risk.signal.inpatient"])
        // Envelope conventions.
        let event = run.of(MonitoringRecommended.eventType)[0]
        XCTAssertEqual(event.subject, "H1")
        XCTAssertEqual(event.region, Script.region)
        XCTAssertEqual("\(event.id)", recs[0].recommendationID)
        let cause = s.events.first { $0.id == event.causation }!
        XCTAssertEqual(cause.type, ExpenseReported.eventType)
        XCTAssertEqual(event.occurredAt, cause.occurredAt)
        XCTAssertEqual(event.correlation, cause.correlation)
        XCTAssertEqual(event.id, EventID.derived(from: cause.id, "MonitoringRecommended|H1"))
        // A new cause is recommended on its own.
        s.visit(["housing"], "2023-07-01")
        let again = Run(s.events).payloads(MonitoringRecommended.self)
        XCTAssertEqual(again.map(\.causes), [["inpatient"], ["visitHardship"]])
    }

    func testNoRecommendationBelowLevelOrWhenMonitored() {
        var low = Script()
        low.status(.lifted, "2021-01-01")
        low.disability(Script.personA, labour: .full)
        low.rules(
            ruleDocument(version: "t.low", effectiveFrom: "2021-01-01") {
                set(&$0, "recommendAtLevel", .string("high"))
            }, "2021-01-01")
        low.expense(.inpatient, 600_000, "2023-05-01")
        XCTAssertEqual(Run(low.events).payloads(MonitoringRecommended.self).count, 0, "medium < high")

        var monitored = Script()
        monitored.status(.monitoredUnstable, "2022-01-01")
        monitored.disability(Script.personA, labour: .full)
        monitored.expense(.inpatient, 600_000, "2023-05-01")
        XCTAssertEqual(Run(monitored.events).payloads(MonitoringRecommended.self).count, 0)
    }

    func testBureauDecisionsUpdateStatus() {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.expense(.inpatient, 600_000, "2023-05-01")
        var run = Run(s.events)
        let rec = run.payloads(MonitoringRecommended.self)[0]
        XCTAssertEqual(run.fold.view(household: "H1")!.openRecommendations.map(\.id), [rec.recommendationID])

        // Declined: closed, and the same cause is not recommended again.
        var declined = s
        declined.bureau(.inclusionDeclined, "2023-05-20", inReplyTo: rec.recommendationID)
        declined.expense(.inpatient, 100_000, "2023-06-01")
        run = Run(declined.events)
        XCTAssertEqual(run.payloads(MonitoringRecommended.self).count, 1)
        XCTAssertEqual(run.fold.view(household: "H1")!.openRecommendations, [])
        XCTAssertNil(run.fold.view(household: "H1")!.monitoredSince)

        // Confirmed: monitored since the decision, with the suggested type when the bureau names none.
        var confirmed = s
        confirmed.bureau(.inclusionConfirmed, "2023-05-20")
        run = Run(confirmed.events)
        var view = run.fold.view(household: "H1")!
        XCTAssertEqual(view.monitoredSince, "2023-05-20")
        XCTAssertEqual(view.monitoredType, .monitoredUnstable)
        XCTAssertEqual(view.openRecommendations, [])
        XCTAssertEqual(run.fold.counts(regionPrefix: "2201").newlyIncluded, 1)
        XCTAssertEqual(run.fold.counts(regionPrefix: "2201").monitored, 1)
        XCTAssertEqual(run.fold.counts(regionPrefix: "2202").households, 0)

        // Risk eliminated: not monitored any more, counted as eliminated.
        confirmed.bureau(.riskEliminated, "2024-02-01")
        run = Run(confirmed.events)
        view = run.fold.view(household: "H1")!
        XCTAssertNil(view.monitoredSince)
        let counts = run.fold.counts(regionPrefix: "22", from: "2024-01-01", to: "2024-12-31")
        XCTAssertEqual(counts.eliminated, 1)
        XCTAssertEqual(counts.newlyIncluded, 0)
        XCTAssertEqual(counts.monitored, 0)
    }

    func testOverdueOncePerPeriod() {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.expense(.inpatient, 600_000, "2023-05-01")
        s.tick("2023-05-30")  // 29 days: not yet
        s.tick("2023-05-31")  // 30 days: first period
        s.tick("2023-06-01")
        s.tick("2023-06-15")
        s.tick("2023-06-30")  // 60 days: second period
        s.tick("2023-06-30")
        let run = Run(s.events)
        let overdue = run.payloads(RecommendationOverdue.self)
        XCTAssertEqual(overdue.map(\.period), [1, 2])
        XCTAssertEqual(overdue.map(\.daysOpen), [30, 60])
        XCTAssertEqual(overdue.first?.recipientRegion, "220102")
        XCTAssertEqual(
            run.of(RecommendationOverdue.eventType).first?.occurredAt,
            BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber("2023-05-31")!))
        XCTAssertEqual(overdue.first?.explanation.title, "纳入监测建议逾期未答复：户H1")
        XCTAssertEqual(
            overdue.first?.recommendationID, run.payloads(MonitoringRecommended.self).first?.recommendationID)

        // Answered before the deadline: nothing overdue.
        var answered = s
        answered.events.removeLast(5)
        answered.bureau(.inclusionDeclined, "2023-05-30")
        answered.tick("2023-07-30")
        XCTAssertEqual(Run(answered.events).payloads(RecommendationOverdue.self).count, 0)
    }

    func testMonitoringWithoutAssistanceOnce() {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.bureau(.inclusionConfirmed, "2023-01-10", type: .monitoredUnstable)
        s.tick("2023-04-09")  // 89 days
        s.tick("2023-04-10")  // 90 days
        s.tick("2023-05-10")
        var run = Run(s.events)
        let raised = run.payloads(MonitoringWithoutAssistance.self)
        XCTAssertEqual(raised.count, 1)
        XCTAssertEqual(raised.first?.daysMonitored, 90)
        XCTAssertEqual(raised.first?.monitoredSince, "2023-01-10")

        // A measure within the period prevents it.
        var helped = Script()
        helped.status(.lifted, "2021-01-01")
        helped.disability(Script.personA, labour: .full)
        helped.bureau(.inclusionConfirmed, "2023-01-10", type: .monitoredUnstable)
        helped.bureau(.measureTaken, "2023-03-01")
        helped.tick("2023-04-10")
        helped.tick("2023-06-10")
        run = Run(helped.events)
        XCTAssertEqual(run.payloads(MonitoringWithoutAssistance.self).count, 0)
    }
}

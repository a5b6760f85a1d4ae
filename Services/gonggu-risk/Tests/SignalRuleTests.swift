import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// One table per signal rule: fires at/above its threshold, not below, with the right risk type code.
final class SignalRuleTests: XCTestCase {
    struct Row {
        let name: String
        let base: PovertyStatus
        let steps: (inout Script) -> Void
        let signal: RiskSignal
        let fires: Bool
        let code: String
    }

    /// A household (H1) with one disabled member with full labour, recorded in the 2022 survey.
    static func household(_ status: PovertyStatus) -> Script {
        var s = Script()
        s.status(status, "2021-01-01")
        s.disability(Script.personA, grade: 2, labour: .full, year: 2022)
        return s
    }

    func check(_ rows: [Row], file: StaticString = #filePath, line: UInt = #line) {
        for row in rows {
            var s = Self.household(row.base)
            row.steps(&s)
            let run = Run(s.events)
            let view = run.fold.view(household: "H1")!
            XCTAssertEqual(view.signals.contains(row.signal.key), row.fires, row.name, file: file, line: line)
            let assessed = run.payloads(RiskAssessed.self).filter { $0.signals.contains(row.signal.key) }
            if row.fires {
                XCTAssertTrue(
                    view.riskTypes.contains(row.code), "\(row.name): types \(view.riskTypes)", file: file, line: line)
                XCTAssertEqual(
                    assessed.count, 1, "\(row.name): one assessment naming the signal", file: file, line: line)
                XCTAssertTrue(assessed.first?.riskTypes.contains(row.code) ?? false, row.name, file: file, line: line)
                XCTAssertTrue(
                    assessed.first?.ruleIDs.contains(row.signal.ruleID) ?? false, row.name, file: file, line: line)
                XCTAssertFalse(assessed.first?.explanation.evidence.isEmpty ?? true, row.name, file: file, line: line)
            } else {
                let last = run.payloads(RiskAssessed.self).last
                XCTAssertFalse(
                    last?.signals.contains(row.signal.key) ?? false, "\(row.name): latest assessment",
                    file: file, line: line)
            }
        }
    }

    func testIncomeBelowLine() {
        // Default line for 2023: 7000 yuan per person.
        check([
            Row(
                name: "below line", base: .lifted, steps: { $0.income(2023, perCapita: 699_999, date: "2023-03-01") },
                signal: .incomeBelowLine, fires: true, code: "99"),
            Row(
                name: "at line", base: .lifted, steps: { $0.income(2023, perCapita: 700_000, date: "2023-03-01") },
                signal: .incomeBelowLine, fires: false, code: "99"),
            Row(
                name: "2021 line 6000", base: .lifted,
                steps: { $0.income(2021, perCapita: 599_999, date: "2021-12-01") },
                signal: .incomeBelowLine, fires: true, code: "99"),
            Row(
                name: "2021 at 6000", base: .lifted, steps: { $0.income(2021, perCapita: 600_000, date: "2021-12-01") },
                signal: .incomeBelowLine, fires: false, code: "99"),
        ])
    }

    func testIncomeSharpFall() {
        check([
            Row(
                name: "fall of 30%", base: .lifted,
                steps: {
                    $0.income(2022, perCapita: 1_000_000, date: "2022-03-01")
                    $0.income(2023, perCapita: 700_000, date: "2023-03-01")
                }, signal: .incomeSharpFall, fires: true, code: "07"),
            Row(
                name: "fall just under 30%", base: .lifted,
                steps: {
                    $0.income(2022, perCapita: 1_000_000, date: "2022-03-01")
                    $0.income(2023, perCapita: 700_001, date: "2023-03-01")
                }, signal: .incomeSharpFall, fires: false, code: "07"),
            Row(
                name: "same year reassessed is no year-on-year fall", base: .lifted,
                steps: {
                    $0.income(2023, perCapita: 1_000_000, date: "2023-03-01")
                    $0.income(2023, perCapita: 700_000, date: "2023-06-01")
                }, signal: .incomeSharpFall, fires: false, code: "07"),
        ])
    }

    func testInpatient() {
        check([
            Row(
                name: "脱贫户 at 5000", base: .lifted, steps: { $0.expense(.inpatient, 500_000, "2023-05-01") },
                signal: .inpatient, fires: true, code: "01"),
            Row(
                name: "脱贫户 below 5000", base: .lifted, steps: { $0.expense(.inpatient, 499_999, "2023-05-01") },
                signal: .inpatient, fires: false, code: "01"),
            Row(
                name: "一般户 at 20000", base: .ordinary, steps: { $0.expense(.inpatient, 2_000_000, "2023-05-01") },
                signal: .inpatient, fires: true, code: "01"),
            Row(
                name: "一般户 below 20000", base: .ordinary, steps: { $0.expense(.inpatient, 1_999_999, "2023-05-01") },
                signal: .inpatient, fires: false, code: "01"),
            Row(
                name: "sum within a year", base: .lifted,
                steps: {
                    $0.expense(.inpatient, 300_000, "2023-02-01")
                    $0.expense(.inpatient, 200_000, "2023-05-01")
                }, signal: .inpatient, fires: true, code: "01"),
            Row(
                name: "no sum across years", base: .lifted,
                steps: {
                    $0.expense(.inpatient, 300_000, "2022-12-01")
                    $0.expense(.inpatient, 200_000, "2023-01-05")
                }, signal: .inpatient, fires: false, code: "01"),
        ])
    }

    func testOutpatient() {
        check([
            Row(
                name: "500 in a month", base: .lifted, steps: { $0.expense(.outpatient, 50_000, "2023-05-10") },
                signal: .outpatient, fires: true, code: "01"),
            Row(
                name: "below 500", base: .lifted, steps: { $0.expense(.outpatient, 49_999, "2023-05-10") },
                signal: .outpatient, fires: false, code: "01"),
            Row(
                name: "two months do not add up", base: .lifted,
                steps: {
                    $0.expense(.outpatient, 30_000, "2023-05-10")
                    $0.expense(.outpatient, 30_000, "2023-06-10")
                }, signal: .outpatient, fires: false, code: "01"),
            Row(
                name: "same month adds up", base: .lifted,
                steps: {
                    $0.expense(.outpatient, 30_000, "2023-05-10")
                    $0.expense(.outpatient, 20_000, "2023-05-20")
                }, signal: .outpatient, fires: true, code: "01"),
        ])
    }

    func testSchoolingDisasterAccident() {
        var rows: [Row] = []
        for (kind, signal, code) in [
            (ExpenseKind.schooling, RiskSignal.schooling, "09"), (.disaster, .disaster, "02"),
            (.accident, .accident, "05"),
        ] {
            rows.append(
                Row(
                    name: "\(kind) at 10000", base: .ordinary, steps: { $0.expense(kind, 1_000_000, "2023-07-01") },
                    signal: signal, fires: true, code: code))
            rows.append(
                Row(
                    name: "\(kind) below 10000", base: .ordinary,
                    steps: { $0.expense(kind, 999_999, "2023-07-01") }, signal: signal, fires: false, code: code))
        }
        check(rows)
    }

    func testDisability() {
        check([
            Row(
                name: "new disabled member in a later survey", base: .lifted,
                steps: { $0.disability(Script.personB, name: "李四", grade: 3, year: 2023, date: "2023-04-01") },
                signal: .disability, fires: true, code: "03"),
            Row(
                name: "second member of the baseline survey", base: .lifted,
                steps: { $0.disability(Script.personB, name: "李四", grade: 3, year: 2022, date: "2022-03-02") },
                signal: .disability, fires: false, code: "03"),
            Row(
                name: "worse grade", base: .lifted,
                steps: { $0.disability(Script.personA, grade: 1, year: 2023, date: "2023-04-01") },
                signal: .disability, fires: true, code: "03"),
            Row(
                name: "milder grade", base: .lifted,
                steps: { $0.disability(Script.personA, grade: 3, year: 2023, date: "2023-04-01") },
                signal: .disability, fires: false, code: "03"),
            Row(
                name: "same grade re-surveyed", base: .lifted,
                steps: { $0.disability(Script.personA, grade: 2, year: 2023, date: "2023-04-01") },
                signal: .disability, fires: false, code: "03"),
        ])
    }

    func testLabourLoss() {
        check([
            Row(
                name: "only labour dies", base: .lifted, steps: { $0.death(Script.personA, "2023-04-01") },
                signal: .labourLoss, fires: true, code: "04"),
            Row(
                name: "another labour remains", base: .lifted,
                steps: {
                    $0.member(Script.personB, labour: .weak)
                    $0.death(Script.personA, "2023-04-01")
                }, signal: .labourLoss, fires: false, code: "04"),
            Row(
                name: "only labour downgraded to none", base: .lifted,
                steps: { $0.member(Script.personA, name: "张三", labour: .none, date: "2023-04-01") },
                signal: .labourLoss, fires: true, code: "04"),
            Row(
                name: "only labour moves out", base: .lifted,
                steps: { $0.member(Script.personA, name: "张三", labour: .full, date: "2023-04-01", left: true) },
                signal: .labourLoss, fires: true, code: "04"),
            Row(
                name: "non-labour member dies", base: .lifted,
                steps: {
                    $0.member(Script.personB, labour: .none)
                    $0.death(Script.personB, "2023-04-01")
                }, signal: .labourLoss, fires: false, code: "04"),
        ])
    }

    func testVisitAndSelfApplication() {
        check([
            Row(
                name: "housing hardship", base: .lifted, steps: { $0.visit(["housing"], "2023-04-01") },
                signal: .visitHardship, fires: true, code: "99"),
            Row(
                name: "illness hardship maps to 01", base: .lifted, steps: { $0.visit(["illness"], "2023-04-01") },
                signal: .visitHardship, fires: true, code: "01"),
            Row(
                name: "no hardship", base: .lifted, steps: { $0.visit([], "2023-04-01") },
                signal: .visitHardship, fires: false, code: "99"),
            Row(
                name: "later visit clears", base: .lifted,
                steps: {
                    $0.visit(["housing"], "2023-04-01")
                    $0.visit([], "2023-05-01")
                }, signal: .visitHardship, fires: false, code: "99"),
            Row(
                name: "self-application", base: .lifted, steps: { $0.visit([], "2023-04-01", selfApplication: true) },
                signal: .selfApplication, fires: true, code: "99"),
            Row(
                name: "no self-application", base: .lifted, steps: { $0.visit([], "2023-04-01") },
                signal: .selfApplication, fires: false, code: "99"),
        ])
    }

    func testBenefitLoss() {
        check([
            Row(
                name: "discontinuation", base: .lifted,
                steps: {
                    $0.finding("AssistanceDiscontinued", id: "disc|A|nursing", measure: "nursing", "2023-04-01")
                }, signal: .benefitLoss, fires: true, code: "03"),
            Row(
                name: "entitlement gap", base: .lifted,
                steps: {
                    $0.finding("EntitlementGap", id: "gap|A|living", measure: "living", "2023-04-01")
                }, signal: .benefitLoss, fires: true, code: "03"),
            Row(
                name: "resolved", base: .lifted,
                steps: {
                    $0.finding("AssistanceDiscontinued", id: "disc|A|nursing", measure: "nursing", "2023-04-01")
                    $0.finding("FindingResolved", id: "disc|A|nursing", measure: "nursing", "2023-05-01")
                }, signal: .benefitLoss, fires: false, code: "03"),
            Row(
                name: "payment anomaly is not a loss", base: .lifted,
                steps: {
                    $0.finding("PaymentAnomaly", id: "anomaly|A|2023-04", measure: "nursing", "2023-04-01")
                }, signal: .benefitLoss, fires: false, code: "03"),
        ])
    }

    /// The benefit-loss signal names the measure with the verifier's label (GongguEvents `Measure.chinese`);
    /// the risk monitor's own copy once called the pension measure 城乡居民养老保险代缴.
    func testBenefitLossNamesTheMeasureAsTheVerifierDoes() {
        var s = Self.household(.lifted)
        s.finding("AssistanceDiscontinued", id: "disc|A|pension", measure: "pension", "2023-04-01")
        let run = Run(s.events)
        let texts = run.payloads(RiskAssessed.self).map { $0.explanation.summary + $0.explanation.title }.joined()
        XCTAssertTrue(texts.contains("城乡居民养老保险保费代缴"), texts)
    }

    /// Windowed signals end after `signalWindowDays` (365): a tick past the window re-assesses.
    func testWindowedSignalExpiresOnTick() {
        var s = Self.household(.lifted)
        s.expense(.inpatient, 600_000, "2023-05-01")
        s.tick("2024-04-30")
        s.tick("2024-05-01")
        let run = Run(s.events)
        let levels = run.payloads(RiskAssessed.self).map(\.level)
        XCTAssertEqual(levels, [.medium, .none])
        XCTAssertEqual(run.fold.view(household: "H1")!.signals, [])
    }
}

import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Every monitoring recommendation states every type condition that held (with its
/// figures and thresholds) and which rule chose the household type; the precedence between 边缘易致贫户
/// and 突发严重困难户 is the rule key `householdType.precedence`.
final class TypeChoiceTests: XCTestCase {
    struct Case {
        let name: String
        let status: PovertyStatus
        var precedence: [String]?
        let steps: (inout Script) -> Void
        let type: PovertyStatus
        let typeRule: String
        /// Texts the summary must contain (each condition that held, with its figures).
        let says: [String]
        var saysNot: [String] = []
    }

    // The monitoring line of 2023 is 7,000 yuan; 150 % of it is 10,500 yuan.
    static let cases: [Case] = [
        Case(name: "一般户, inpatient 25,000 and income 8,000 (< 1.5 × line): both held, 边缘 first",
             status: .ordinary, steps: {
                 $0.income(2023, perCapita: 800_000, date: "2023-03-01")
                 $0.expense(.inpatient, 2_500_000, "2023-05-01")
             }, type: .monitoredMarginal, typeRule: "risk.type.marginal",
             says: ["人均纯收入8000元", "低于监测线7000元的150%（10500元）", "住院自付费用累计25000元",
                    "risk.type.marginal", "householdType.precedence"]),
        Case(name: "the same with 突发 first", status: .ordinary, precedence: ["monitoredSudden", "monitoredMarginal"],
             steps: {
                 $0.income(2023, perCapita: 800_000, date: "2023-03-01")
                 $0.expense(.inpatient, 2_500_000, "2023-05-01")
             }, type: .monitoredSudden, typeRule: "risk.type.sudden",
             says: ["人均纯收入8000元", "住院自付费用累计25000元", "risk.type.sudden", "householdType.precedence"]),
        Case(name: "一般户, inpatient only, income above 1.5 × line: the income test did not hold", status: .ordinary,
             steps: {
                 $0.income(2023, perCapita: 1_200_000, date: "2023-03-01")
                 $0.expense(.inpatient, 2_500_000, "2023-05-01")
             }, type: .monitoredSudden, typeRule: "risk.type.sudden",
             says: ["住院自付费用累计25000元", "人均纯收入12000元，不低于监测线7000元的150%（10500元）"],
             saysNot: ["householdType.precedence"]),
        Case(name: "一般户, no income known, self-application: the default rule", status: .ordinary,
             steps: { $0.visit([], "2023-05-01", selfApplication: true) },
             type: .monitoredMarginal, typeRule: "risk.type.default", says: ["risk.type.default", "无收入评估"]),
        Case(name: "脱贫户: the lifted rule, conditions still stated", status: .lifted, steps: {
                 $0.income(2023, perCapita: 800_000, date: "2023-03-01")
                 $0.expense(.inpatient, 600_000, "2023-05-01")
             }, type: .monitoredUnstable, typeRule: "risk.type.lifted",
             says: ["脱贫户", "risk.type.lifted", "人均纯收入8000元"]),
    ]

    func testEveryRecommendationSaysWhatChoseItsType() throws {
        for c in Self.cases {
            var s = Script()
            s.status(c.status, "2021-01-01")
            s.disability(Script.personA, labour: .full)
            c.steps(&s)
            var rules = RiskRules.defaultDocument
            if let p = c.precedence {
                rules = ruleDocument(version: "2025.9", effectiveFrom: "2021-01-01") { d in
                    let i = d.firstIndex { $0.0 == "householdType" }!
                    d[i].1 = .object([("precedence", .array(p.map { .string($0) }))])
                }
            }
            let recs = Run(s.events, rules: rules).payloads(MonitoringRecommended.self)
            let rec = try XCTUnwrap(recs.first, c.name)
            XCTAssertEqual(rec.suggestedType, c.type, c.name)
            XCTAssertEqual(rec.typeRuleID, c.typeRule, c.name)
            for text in c.says { XCTAssertTrue(rec.explanation.summary.contains(text), "\(c.name): \(text)\n\(rec.explanation.summary)") }
            for text in c.saysNot { XCTAssertFalse(rec.explanation.summary.contains(text), "\(c.name): \(text)") }
        }
    }

    /// The income figures the type test compared are in the thresholds, also when no income signal fired.
    func testTypeIncomeFiguresAreThresholds() throws {
        var s = Script()
        s.status(.ordinary, "2021-01-01")
        s.disability(Script.personA, labour: .full)
        s.income(2023, perCapita: 800_000, date: "2023-03-01")
        s.expense(.inpatient, 2_500_000, "2023-05-01")
        let rec = try XCTUnwrap(Run(s.events).payloads(MonitoringRecommended.self).first)
        let t = Dictionary(uniqueKeysWithValues: rec.explanation.thresholds.map { ($0.name, $0.value) })
        XCTAssertEqual(t["typeIncomePerCapitaFen"], 800_000)
        XCTAssertEqual(t["typeMarginalBoundFen"], 1_050_000)
    }

    /// The precedence key is validated: both types, each once.
    func testPrecedenceKeyIsValidated() {
        for bad in [["monitoredSudden"], ["monitoredSudden", "monitoredSudden"], ["monitoredUnstable", "monitoredSudden"]] {
            let doc = ruleDocument(version: "2025.9", effectiveFrom: "2021-01-01") { d in
                let i = d.firstIndex { $0.0 == "householdType" }!
                d[i].1 = .object([("precedence", .array(bad.map { .string($0) }))])
            }
            XCTAssertThrowsError(try RiskRules.validate(document: doc), "\(bad)")
        }
    }
}

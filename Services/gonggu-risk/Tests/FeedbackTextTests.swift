import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// `RiskFeedback` (and every decision text) is Chinese, self-contained, and carries masked IDs only.
final class FeedbackTextTests: XCTestCase {
    static func script() -> Script {
        var s = Script()
        s.status(.lifted, "2021-01-01")
        s.disability(Script.personA, name: "张三", grade: 2, category: .physical, labour: .full)
        s.disability(Script.personC, name: "张小明", grade: 1, category: .intellectual, labour: .none)
        s.member(Script.personB, name: "李四", labour: .weak)
        s.income(2022, perCapita: 1_000_000, date: "2022-12-01")
        s.income(2023, perCapita: 650_000, date: "2023-12-01")
        s.expense(.inpatient, 820_050, "2023-12-05")
        return s
    }

    func testMonitoringFeedbackText() throws {
        let run = Run(Self.script().events)
        let feedback = run.payloads(RiskFeedback.self)
        // The income signals are recommended first; the later hospital bill is a new cause, recommended again
        // with the whole picture.
        XCTAssertEqual(
            run.payloads(MonitoringRecommended.self).map(\.causes),
            [["incomeBelowLine", "incomeSharpFall"], ["inpatient"]])
        XCTAssertEqual(feedback.count, 2)
        let f = try XCTUnwrap(feedback.last)
        let text = f.explanation.title + f.explanation.summary + f.recommendedAction
        for needle in [
            "H1", "220102001001", "脱贫户", "张三", "张小明", "肢体残疾二级", "智力残疾一级",
            PersonalDataMask.maskID(Script.personA), PersonalDataMask.maskID(Script.personC),
            "高风险", "01因病", "07因务工就业不稳", "99其他",
            "6500元", "7000元", "8200.50元", "5000元", "降幅35%", "纳入防止返贫动态监测", "脱贫不稳定户", "公示",
        ] {
            XCTAssertTrue(text.contains(needle), "feedback lacks \(needle)")
        }
        XCTAssertEqual(f.level, .high)
        XCTAssertEqual(f.riskTypes, ["01", "07", "99"])
        XCTAssertEqual(f.recipientRegion, "220102")
        XCTAssertEqual(Set(f.explanation.evidence).count, f.explanation.evidence.count)
        XCTAssertEqual(f.explanation.evidence.count, 3, "the two incomes and the expense")
        XCTAssertTrue(f.explanation.thresholds.contains(RiskThreshold("inpatientThresholdFen", 500_000)))
        XCTAssertTrue(f.explanation.thresholds.contains(RiskThreshold("monitoringLineFen", 700_000)))
        XCTAssertTrue(f.explanation.summary.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) })
    }

    /// No decision payload anywhere carries a whole resident ID; the mask matches `PersonalDataMask`.
    func testNoWholeResidentIDInAnyOutput() {
        var s = Self.script()
        s.tick("2024-02-01")
        s.bureau(.inclusionConfirmed, "2024-02-02")
        s.tick("2024-06-01")
        let inputs = s.events + SyntheticProvince.events(households: 40)
        let run = Run(inputs)
        XCTAssertGreaterThan(run.of(RiskFeedback.eventType).count, 5)
        // Every resident ID the inputs carry.
        var ids = Set<String>()
        for e in inputs {
            if let p = try? e.decode(DisabilityRecorded.self) { ids.insert(p.personID) }
            if let p = try? e.decode(MemberRecorded.self) { ids.insert(p.personID) }
        }
        XCTAssertGreaterThan(ids.count, 40)
        var masked = 0
        for e in run.outputs {
            let text = e.payloadText
            for id in ids {
                XCTAssertFalse(text.contains(id), "\(e.type) carries a whole ID")
                if text.contains(PersonalDataMask.maskID(id)) { masked += 1 }
            }
        }
        XCTAssertGreaterThan(masked, 0, "texts name members by masked ID")
        for id in [Script.personA, "220102199001011234", "22010219900101123X", "abc", "2201021990"] {
            XCTAssertEqual(Texts.maskID(id), PersonalDataMask.maskID(id))
        }
    }

    func testEliminationFeedbackText() throws {
        var o = EliminationTests.Options()
        o.visitHardship = []
        let run = Run(EliminationTests.script(o).events)
        let f = try XCTUnwrap(run.payloads(RiskFeedback.self).first { $0.kind == "elimination" })
        for needle in [
            "H1", "风险消除", "已监测7个月", "不少于6个月", "8000元", "家庭有劳动能力成员1人",
            PersonalDataMask.maskID(Script.personA),
        ] {
            XCTAssertTrue(f.explanation.summary.contains(needle), "elimination feedback lacks \(needle)")
        }
        XCTAssertFalse(f.explanation.summary.contains(Script.personA))
    }
}

import GongguCore
import GongguEvents

/// The known cases seeded into the province, each in a household of its own, with what the pipeline
/// must find for it.
public enum SeedCase: String, CaseIterable, Sendable {
    // Risk signals (each makes the risk monitor recommend monitoring).
    case incomeBelowLine, incomeSharpFall, inpatient, disaster, newDisability, regradedSevere, labourLoss
    case visitHardship, selfApplication
    /// A household included in monitoring by a bureau decision that names the measure taken, with no other
    /// assistance on record: must not be reported as monitored without assistance.
    case inclusionNamingMeasure
    // Entitlement gaps (each also a benefit-loss signal for the risk monitor).
    case gapLiving, gapNursing, gapPension, gapSinglePersonDibao, gapChildRehabilitation, gapAccessibility
    /// 单人户施保 judged from household income when civil affairs gave no 低保边缘 status.
    case gapSinglePersonDibaoByIncome
    /// Entitled to the nursing subsidy since the 2024 survey and never paid, the survey sent late (after
    /// the whole pay roll): the gap runs from the survey month, not from the month the verifier first
    /// evaluated the person.
    case gapSurveyArrivesLate
    // 四个不摘: stopped with no reason (found) and with a valid reason (must not be found).
    case discontinuedDibao, discontinuedLiving, discontinuedPension
    case dibaoStoppedWithReason, subsidyStoppedAfterDeath
    // Payment anomalies.
    case paidAfterDeath, paidTwice, paidWhileTekun, amountOutOfBand
    /// A subsidy paid to a person receiving an old-age allowance of the same kind (择高: the allowance
    /// replaces the subsidy, docs/RULES-verify.md).
    case paidWhileOldAgeAllowance
    // Continuity (保持延续率, docs/REPORT.md).
    /// A household that left poverty with no main measure active on 1 January: on its own line, in
    /// neither the numerator nor the denominator of the continuity rate.
    case liftedWithoutMainMeasure

    /// Chinese description for the comparison table.
    public var chinese: String {
        switch self {
        case .incomeBelowLine: return "人均纯收入低于监测线"
        case .incomeSharpFall: return "人均纯收入大幅下降"
        case .inpatient: return "住院自付费用较大"
        case .disaster: return "遭受灾害"
        case .newDisability: return "新增重度残疾成员"
        case .regradedSevere: return "残疾等级加重"
        case .labourLoss: return "唯一劳动力死亡"
        case .visitHardship: return "走访发现困难"
        case .selfApplication: return "农户自主申报"
        case .inclusionNamingMeasure: return "纳入监测决定写明帮扶措施（不应发现未落实帮扶）"
        case .gapLiving: return "应享未享：生活补贴"
        case .gapNursing: return "应享未享：护理补贴"
        case .gapPension: return "应享未享：养老保险代缴"
        case .gapSinglePersonDibao: return "应享未享：单人户施保"
        case .gapSinglePersonDibaoByIncome: return "应享未享：单人户施保（按收入测算低保边缘）"
        case .gapSurveyArrivesLate: return "应享未享：护理补贴（调查表晚于发放名册报送）"
        case .gapChildRehabilitation: return "应享未享：残疾儿童康复"
        case .gapAccessibility: return "应享未享：无障碍改造"
        case .discontinuedDibao: return "低保无故停发"
        case .discontinuedLiving: return "生活补贴无故中断"
        case .discontinuedPension: return "养老保险代缴中断"
        case .dibaoStoppedWithReason: return "低保因收入超标停发（不应发现）"
        case .subsidyStoppedAfterDeath: return "死亡后停发补贴（不应发现）"
        case .paidAfterDeath: return "死亡后仍发放"
        case .paidTwice: return "同月重复发放"
        case .paidWhileTekun: return "特困人员领取补贴"
        case .amountOutOfBand: return "发放金额超出标准"
        case .paidWhileOldAgeAllowance: return "已享受老年人津贴人员领取补贴（择高）"
        case .liftedWithoutMainMeasure: return "脱贫户年初无在享主要帮扶措施（不计入延续率）"
        }
    }
}

/// What a seeded household must produce.
enum Expectation {
    case finding(type: String, findingID: String)
    case monitoring
    /// Nothing may be found for the household (a stop with a valid reason).
    case nothing
    /// The household is on the continuity rate's own line (年初无在享主要帮扶措施) for the reference year.
    case continuityOwnLine
}

extension SeedCase {
    /// Rebuilds household `h` as this case (a disabled member 0, a non-disabled member 1 with full
    /// labour, clean otherwise) and returns what must be found.
    func apply(_ h: inout SimHousehold, _ pop: inout Population) -> [Expectation] {
        var r = SplitMix64(seed: pop.seed, stream: 2, index: UInt64(h.index))
        h.status = .lifted
        h.liftedYear = 2018
        h.statusDay = dayOf(2018, 11, 20)
        h.programme = nil
        h.programmeStart = monthOf(2020, 3)
        h.programmeStop = nil
        h.stopReason = nil
        h.dibaoAmountFen = 50000
        h.perCapita2024 = 1_200_000
        h.perCapita2025 = 1_250_000
        h.visits = []
        h.expenses = []
        h.projects = []
        h.measureTakenDay = nil
        h.inclusionWithMeasure = nil
        h.surveyArrivesLate = false
        h.edits = PaymentEdits()
        h.seedCase = self
        let d = pop.newDisabledPerson(
            &r, county: h.county, birthDay: dayOf(1975, 6, 8), male: true, labour: .weak, category: 4, grade: 3)
        let helper = pop.newPerson(&r, county: h.county, birthDay: dayOf(1978, 9, 16), male: false, labour: .full,
                                   student: false)
        h.members = [d, helper]

        func gap(_ measure: String, _ suffix: String = "2024-03") -> [Expectation] {
            [
                .finding(type: EntitlementGap.eventType, findingID: "gap|\(h.members[0].id)|\(measure)|\(suffix)"),
                .monitoring,
            ]
        }
        func anomaly(_ measure: String, _ month: String, _ kind: String) -> Expectation {
            .finding(
                type: PaymentAnomaly.eventType, findingID: "anomaly|\(h.members[0].id)|\(measure)|\(month)|\(kind)")
        }
        func discontinued(_ id: String) -> Expectation {
            .finding(type: AssistanceDiscontinued.eventType, findingID: id)
        }
        /// A new disabled member 0 (without labour), born on `birth`, of `category` and `grade` in both years.
        func replaceDisabled(birth: Int, male: Bool, category: Int, grade: Int) {
            h.members[0] = pop.newDisabledPerson(
                &r, county: h.county, birthDay: birth, male: male, labour: .none, category: category, grade: grade)
        }
        func severe(_ grade: Int, labour: LabourCapacity = .none) {
            h.members[0].grade = grade
            h.members[0].grade2025 = grade
            h.members[0].labour = labour
        }

        switch self {
        case .incomeBelowLine:
            h.perCapita2024 = 800_000
            h.perCapita2025 = 700_000
            return [.monitoring]
        case .incomeSharpFall:
            h.perCapita2024 = 1_500_000
            h.perCapita2025 = 900_000
            return [.monitoring]
        case .inpatient:
            h.expenses = [(.inpatient, 680_000, dayOf(2025, 10, 12), 0)]
            return [.monitoring]
        case .disaster:
            h.expenses = [(.disaster, 1_500_000, dayOf(2025, 7, 20), nil)]
            return [.monitoring]
        case .newDisability:
            h.members[1].disabled = true
            h.members[1].newIn2025 = true
            h.members[1].category = 1
            h.members[1].grade = 2
            h.members[1].grade2025 = 2
            return [.monitoring]
        case .regradedSevere:
            h.members[0].grade2025 = 1
            return [.monitoring]
        case .labourLoss:
            h.members[0].labour = .none
            h.members[1].deathDay = dayOf(2025, 5, 10)
            return [.monitoring]
        case .visitHardship:
            h.visits = [(dayOf(2025, 11, 5), ["疾病", "住房"], false, "户主患病，房屋漏雨")]
            return [.monitoring]
        case .selfApplication:
            h.visits = [(dayOf(2025, 10, 8), [], true, "本人申请纳入监测")]
            return [.monitoring]
        case .inclusionNamingMeasure:
            // Monitored from 2025-08-04, 149 days before the reference date (> withoutAssistanceDays 90).
            h.status = .monitoredMarginal
            h.liftedYear = nil
            h.statusDay = dayOf(2025, 8, 4)
            h.inclusionWithMeasure = (dayOf(2025, 8, 4), "临时救助和公益岗位")
            return [.nothing]
        case .gapLiving:
            h.programme = .dibao
            h.edits.noLiving = [0]
            return gap("living")
        case .gapNursing, .gapSurveyArrivesLate:
            severe(1)
            h.members[0].longTermCare = true
            h.edits.noNursing = [0]
            // The late case is the same gap with its survey sent after the pay roll.
            h.surveyArrivesLate = self == .gapSurveyArrivesLate
            return gap("nursing")
        case .gapPension:
            severe(2)
            h.members[0].pensionEnrolled = true
            h.edits.skipPension = [0: 2024]
            return gap("pension", "2024")
        case .gapSinglePersonDibao:
            severe(2)
            h.programme = .dibaoMarginal
            h.edits.noPersonalDibao = [0]
            return gap("singlePersonDibao")
        case .gapSinglePersonDibaoByIncome:
            // No civil-affairs status; per-capita income 7,700 yuan lies in [5,400, 8,100) (assumed 低保 line),
            // above the monitoring lines (7,300 / 7,600): the gap is the household's only risk signal.
            severe(2)
            h.perCapita2024 = 770_000
            h.perCapita2025 = 770_000
            // Known from the 2024 survey (March), 低保边缘 from the income assessed on 2024-12-20.
            return gap("singlePersonDibao", "2024-12")
        case .gapChildRehabilitation:
            replaceDisabled(birth: dayOf(2021, 5, 10), male: false, category: 5, grade: 3)
            h.members[0].rehabNeeded = true
            h.edits.noRehab = [0]
            return gap("childRehabilitation")
        case .gapAccessibility:
            severe(1)
            h.members[0].accessNeeded = true
            h.edits.noRehab = [0]
            return gap("accessibility")
        case .discontinuedDibao:
            h.programme = .dibao
            h.programmeStop = monthOf(2025, 5)
            return [discontinued("discontinued|\(h.id)|dibao|2025-06"), .monitoring]
        case .discontinuedLiving:
            h.programme = .dibao
            h.edits.livingUntil = [0: monthOf(2025, 6)]
            return [discontinued("discontinued|\(h.members[0].id)|living|2025-07"), .monitoring]
        case .discontinuedPension:
            severe(2)
            h.members[0].pensionEnrolled = true
            h.edits.pension2023 = [0]
            h.edits.skipPension = [0: 2024]
            return [discontinued("discontinued|\(h.members[0].id)|pension|2024-01"), .monitoring]
        case .dibaoStoppedWithReason:
            h.programme = .dibao
            h.programmeStop = monthOf(2025, 4)
            h.stopReason = .incomeAboveLine
            return [.nothing]
        case .subsidyStoppedAfterDeath:
            h.programme = .dibao
            h.members[0].labour = .none
            h.members[0].deathDay = dayOf(2025, 6, 12)
            return [.nothing]
        case .paidAfterDeath:
            h.programme = .dibao
            h.members[0].labour = .none
            h.members[0].deathDay = dayOf(2025, 3, 10)
            h.edits.paidThrough = [0: monthOf(2025, 5)]
            return [anomaly("living", "2025-04", "afterDeath"), anomaly("living", "2025-05", "afterDeath")]
        case .paidTwice:
            severe(1)
            h.members[0].longTermCare = true
            h.edits.secondPayment = (0, .nursing, monthOf(2025, 3))
            return [anomaly("nursing", "2025-03", "duplicate")]
        case .paidWhileTekun:
            h.programme = .tekun
            h.edits.stray = [(0, .living, monthOf(2025, 2))]
            return [anomaly("living", "2025-02", "excludedTekun")]
        case .paidWhileOldAgeAllowance:
            replaceDisabled(birth: dayOf(1943, 2, 11), male: false, category: 4, grade: 3)
            h.members[0].oldAge = true
            h.programme = .dibao
            h.edits.stray = [(0, .living, monthOf(2025, 2))]
            return [anomaly("living", "2025-02", "excludedOldAgeAllowance")]
        case .liftedWithoutMainMeasure:
            // 脱贫户 since 2018, grade 3 (no subsidy), no 低保, no pension premium, no rehabilitation. A village
            // of its own (township 9xx, which the background never uses) so the verifier's continuity
            // figures for that 12-digit prefix are this household's alone.
            let county = String(h.region.prefix(6))
            h.region = county + "9" + pad(h.index / 1000 % 100, 2) + pad(h.index % 1000, 3)
            h.id = "H" + h.region + "-" + pad(h.index, 7)
            return [.continuityOwnLine, .nothing]
        case .amountOutOfBand:
            h.programme = .dibao
            h.edits.amountOverride = (0, .living, monthOf(2025, 4), 30000)
            return [anomaly("living", "2025-04", "amountOutOfBand")]
        }
    }
}

/// `value` as decimal digits, zero-padded to `width`.
private func pad(_ value: Int, _ width: Int) -> String {
    var digits: [UInt8] = []
    appendPadded(value, width, &digits)
    return String(decoding: digits, as: UTF8.self)
}

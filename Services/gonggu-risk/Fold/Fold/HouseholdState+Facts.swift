import GongguCore
import GongguEvents

/// How each fact changes a household's state and signals (docs/RULES-risk.md §3). Decisions are taken afterwards
/// by `RiskFold.evaluate`.
extension HouseholdState {
    /// Evidence lists are bounded so a household that reports many small expenses stays small.
    static let evidenceLimit = 16

    // MARK: Members, disability, labour

    mutating func recordDisability(_ p: DisabilityRecorded, _ id: EventID, _ day: Int32) {
        if baselineSurveyYear == 0 { baselineSurveyYear = Int16(clamping: p.surveyYear) }
        let labourBefore = labourCount
        let grade = UInt8(clamping: p.grade)
        if let i = member(p.personID) {
            let previous = members[i].grade
            if previous != 0 && grade < previous {
                raiseDisability(
                    id, day,
                    detail: "\(p.name)残疾等级由\(Self.gradeText(previous))加重为\(Self.gradeText(grade))"
                        + "（\(p.category.chinese)残疾）")
            } else if previous == 0 && Int(baselineSurveyYear) < p.surveyYear {
                raiseDisability(id, day, detail: "\(p.name)新增\(p.category.chinese)残疾\(Self.gradeText(grade))")
            }
            members[i].category = UInt8(p.category.rawValue)
            members[i].grade = grade
            members[i].labour = p.labour
            members[i].present = true
            if !p.name.isEmpty { members[i].name = p.name }
        } else {
            if Int(baselineSurveyYear) < p.surveyYear {
                raiseDisability(id, day, detail: "新增残疾成员\(p.name)（\(p.category.chinese)残疾\(Self.gradeText(grade))）")
            }
            members.append(
                Member(
                    personID: p.personID, name: p.name, labour: p.labour, category: UInt8(p.category.rawValue),
                    grade: grade))
        }
        labourChanged(from: labourBefore, id, day, who: p.name, why: "丧失劳动能力")
    }

    private mutating func raiseDisability(_ id: EventID, _ day: Int32, detail: String) {
        setSignal(ActiveSignal(signal: .disability, day: day, amount: 0, threshold: 0, evidence: [id], detail: detail))
    }

    static func gradeText(_ grade: UInt8) -> String {
        grade >= 1 && grade <= 4 ? ["一", "二", "三", "四"][Int(grade) - 1] + "级" : "\(grade)级"
    }

    mutating func recordMember(_ p: MemberRecorded, _ id: EventID, _ day: Int32) {
        let before = labourCount
        if let i = member(p.personID) {
            members[i].labour = p.labour
            members[i].present = !p.left
            if !p.name.isEmpty { members[i].name = p.name }
        } else {
            members.append(Member(personID: p.personID, name: p.name, labour: p.labour, present: !p.left))
        }
        labourChanged(from: before, id, day, who: p.name, why: p.left ? "离开本户" : "丧失劳动能力")
    }

    mutating func recordLifeEvent(_ p: LifeEventRecorded, _ id: EventID, _ day: Int32) {
        guard let i = member(p.personID) else { return }
        let before = labourCount
        members[i].present = false
        labourChanged(from: before, id, day, who: members[i].name, why: p.kind.chinese)
    }

    /// The loss of the only labour: the count of members with labour went from some to none.
    private mutating func labourChanged(from before: Int, _ id: EventID, _ day: Int32, who: String, why: String) {
        let after = labourCount
        if before > 0 && after == 0 {
            setSignal(
                ActiveSignal(
                    signal: .labourLoss, day: day, amount: 0, threshold: 0, evidence: [id],
                    detail: "家庭最后一名有劳动能力的成员\(who)\(why)，家庭已无劳动力"))
        } else if after > 0 {
            clearSignal(.labourLoss)
        }
    }

    // MARK: Monitoring status

    mutating func startMonitoring(type: PovertyStatus, day: Int32, evidence: EventID) {
        if !isMonitored {
            monitoredSince = day
            monitoringEvidence = evidence
            includedDays.append(day)
            withoutAssistanceRaised = false
        }
        monitoredType = type
        // Inclusion answers every open monitoring recommendation.
        openRecommendations.removeAll { $0.kind == .monitoring }
    }

    mutating func stopMonitoring(day: Int32, eliminated: Bool) {
        monitoredSince = noDay
        monitoredType = nil
        if eliminated { eliminatedDays.append(day) }
        openRecommendations.removeAll { $0.kind == .elimination }
        // Signals still active were covered by the monitoring that just ended: no re-recommendation for them.
        recommendedMask = activeMask
    }

    mutating func recordBureauDecision(_ p: BureauDecisionRecorded, _ id: EventID, _ day: Int32) {
        switch p.decision {
        case .inclusionConfirmed:
            let suggested = openRecommendations.last { $0.kind == .monitoring }?.suggested
            let type = p.householdType.flatMap { $0.isMonitored ? $0 : nil } ?? suggested ?? .monitoredMarginal
            startMonitoring(type: type, day: day, evidence: id)
        case .inclusionDeclined:
            // The cause stays in `recommendedMask`: declined means not recommended again for the same cause.
            if let reply = p.inReplyTo, openRecommendations.contains(where: { "\($0.id)" == reply }) {
                openRecommendations.removeAll { "\($0.id)" == reply }
            } else {
                openRecommendations.removeAll { $0.kind == .monitoring }
            }
        case .riskEliminated:
            if isMonitored { stopMonitoring(day: day, eliminated: true) }
            openRecommendations.removeAll { $0.kind == .elimination }
        case .measureTaken:
            break
        }
        // A measure named in any decision counts as assistance from that decision's date
        // (docs/RULES-risk.md §5);
        // a measure decision counts even when it leaves the measure unnamed.
        let named = p.measure.map { !$0.allSatisfy(\.isWhitespace) } ?? false
        if named || p.decision == .measureTaken { recordAssistance(day: day, evidence: id) }
    }

    mutating func recordAssistance(day: Int32, evidence: EventID) {
        if lastAssistanceDay == noDay || day >= lastAssistanceDay {
            lastAssistanceDay = day
            lastAssistanceEvent = evidence
        }
    }

    // MARK: Income

    mutating func recordIncome(_ p: IncomeAssessed, _ id: EventID, _ day: Int32, _ rules: RiskRules) {
        let year = Int16(clamping: p.year)
        // An assessment of an older year than the latest known changes nothing (late historical data).
        guard year >= incomeYear else { return }
        if year > incomeYear && incomeYear != 0 {
            priorIncomeYear = incomeYear
            priorPerCapita = incomePerCapita
            priorIncomeEvent = incomeEvent
        }
        let perCapita = p.perCapitaFen
        let line = rules.monitoringLine(year: p.year)
        (incomeYear, incomePerCapita, incomeLine, incomeDay, incomeEvent) = (year, perCapita, line, day, id)
        if perCapita < line {
            setSignal(
                ActiveSignal(signal: .incomeBelowLine, day: day, amount: perCapita, threshold: line, evidence: [id]))
            incomeAboveSince = noDay
        } else {
            clearSignal(.incomeBelowLine)
            if incomeAboveSince == noDay { incomeAboveSince = day }
        }
        // Sharp fall: (prior − now) / prior ≥ sharpFallPercent, in integers.
        if priorIncomeYear != 0, priorPerCapita > 0,
            (priorPerCapita - perCapita) * 100 >= rules.sharpFallPercent * priorPerCapita
        {
            let percent = (priorPerCapita - perCapita) * 100 / priorPerCapita
            setSignal(
                ActiveSignal(
                    signal: .incomeSharpFall, day: day, amount: percent, threshold: rules.sharpFallPercent,
                    evidence: [priorIncomeEvent, id],
                    detail: "家庭人均纯收入由\(Texts.yuan(priorPerCapita))（\(priorIncomeYear)年）降至"
                        + "\(Texts.yuan(perCapita))（\(year)年），降幅\(percent)%"))
        } else {
            clearSignal(.incomeSharpFall)
        }
    }

    // MARK: Expenses

    mutating func recordExpense(_ p: ExpenseReported, _ id: EventID, _ day: Int32, _ rules: RiskRules) {
        let (y, m, _) = BusinessCalendar.date(ofDay: Int(day))
        let period = Int32(p.kind == .outpatient ? y * 12 + m - 1 : y)
        var sum = ExpenseSum(kind: p.kind, period: period, sumFen: 0, evidence: [])
        let index = expenseSums.firstIndex { $0.kind == p.kind }
        if let index, expenseSums[index].period == period { sum = expenseSums[index] }
        sum.sumFen += p.amountFen
        if sum.evidence.count < Self.evidenceLimit { sum.evidence.append(id) }
        if let index {
            // An older period than the running one is judged alone and does not disturb the running sum.
            if expenseSums[index].period <= period { expenseSums[index] = sum }
        } else {
            expenseSums.append(sum)
        }
        let signal: RiskSignal
        let threshold: Int
        switch p.kind {
        case .inpatient:
            (signal, threshold) = (.inpatient, isLifted ? rules.inpatientLiftedFen : rules.inpatientOtherFen)
        case .outpatient: (signal, threshold) = (.outpatient, rules.outpatientMonthlyFen)
        case .schooling: (signal, threshold) = (.schooling, rules.schoolingYearlyFen)
        case .disaster: (signal, threshold) = (.disaster, rules.disasterFen)
        case .accident: (signal, threshold) = (.accident, rules.accidentFen)
        }
        guard sum.sumFen >= threshold else { return }
        let periodText = p.kind == .outpatient ? "\(y)年\(m)月" : "\(y)年"
        setSignal(
            ActiveSignal(
                signal: signal, day: day, amount: sum.sumFen, threshold: threshold, evidence: sum.evidence,
                detail: periodText))
        if lastLargeExpenseDay == noDay || day >= lastLargeExpenseDay {
            lastLargeExpenseDay = day
            lastLargeExpenseEvent = id
        }
    }

    // MARK: Visits and findings

    mutating func recordVisit(_ p: HomeVisitReported, _ id: EventID, _ day: Int32) {
        if p.selfApplication {
            setSignal(ActiveSignal(signal: .selfApplication, day: day, amount: 0, threshold: 0, evidence: [id]))
        }
        // Only the latest visit tells whether hardship is open.
        guard visitDay == noDay || day >= visitDay else { return }
        (visitDay, visitHardship, visitEvent) = (day, p.hardship, id)
        if p.hardship.isEmpty {
            clearSignal(.visitHardship)
        } else {
            setSignal(ActiveSignal(signal: .visitHardship, day: day, amount: 0, threshold: 0, evidence: [id]))
        }
    }

    mutating func openFinding(_ f: FindingBody, _ id: EventID, _ day: Int32) {
        guard !openFindings.contains(where: { $0.id == f.findingID }) else { return }
        openFindings.append((f.findingID, f.measure.rawValue, id))
        refreshBenefitSignal(day: day)
    }

    mutating func resolveFinding(_ findingID: String) {
        let before = openFindings.count
        openFindings.removeAll { $0.id == findingID }
        if openFindings.count != before { refreshBenefitSignal(day: signal(.benefitLoss)?.day ?? lastDay) }
    }

    private mutating func refreshBenefitSignal(day: Int32) {
        guard !openFindings.isEmpty else { return clearSignal(.benefitLoss) }
        var measures: [String] = []
        for f in openFindings where !measures.contains(f.measure) { measures.append(f.measure) }
        setSignal(
            ActiveSignal(
                signal: .benefitLoss, day: day, amount: openFindings.count, threshold: 0,
                evidence: openFindings.prefix(Self.evidenceLimit).map(\.event),
                detail: measures.map { Measure(rawValue: $0)?.chinese ?? $0 }.joined(separator: "、")))
    }
}

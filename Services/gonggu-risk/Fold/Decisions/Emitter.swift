import GongguCore
import GongguEvents

/// Builds the decision events of one household evaluation with the shared envelope (docs/RULES-risk.md §4):
/// subject = household id, region = the household's region, occurredAt = the input's (or the tick's
/// date), causation = the input, correlation = the input's, id derived from the input, the decision
/// type and the household.
struct Emitter {
    let input: Context.Input
    let householdID: String
    let region: String
    let asOf: Int32
    /// The business day recorded for the decisions of this evaluation (recommendation dates, recent
    /// decisions): the input's own day, never before the clock, or the tick's day. Not `asOf`, which
    /// also covers the household's latest day seen and so depends on how the upstreams were merged.
    let decisionDay: Int32
    let version: String
    let occurredAt: Timestamp
    var events: [Event] = []
    var refs: [DecisionRef] = []
    // Texts shared by the decisions of one evaluation (the household does not change in between).
    private var cachedMembers: String?
    private var cachedReasons: String?
    private var cachedTypes: [String]?

    init(
        ctx: Context, householdID: String, region: String, asOf: Int32, decisionDay: Int32, tick: Bool, version: String
    ) {
        input = ctx.input
        self.householdID = householdID
        self.region = region
        self.asOf = asOf
        self.decisionDay = decisionDay
        self.version = version
        occurredAt = tick ? BusinessCalendar.timestamp(ofDay: Int(asOf)) : ctx.input.occurredAt
    }

    private mutating func members(_ hh: HouseholdState) -> String {
        if let cached = cachedMembers { return cached }
        let text = Texts.disabledMembers(hh)
        cachedMembers = text
        return text
    }

    private mutating func reasons(_ hh: HouseholdState) -> String {
        if let cached = cachedReasons { return cached }
        let text = Texts.reasons(hh)
        cachedReasons = text
        return text
    }

    private mutating func types(_ hh: HouseholdState, _ rules: RiskRules) -> [String] {
        if let cached = cachedTypes { return cached }
        let codes = Texts.riskTypes(hh, rules)
        cachedTypes = codes
        return codes
    }

    /// 6-digit county prefix: the bureau (乡村振兴局) that receives feedback.
    var county: String { String(region.prefix(6)) }

    func id(_ type: String, _ extra: String = "") -> EventID {
        EventID.derived(from: input.id, "\(type)|\(householdID)\(extra)")
    }

    private mutating func emit<P: EventPayload>(_ payload: P, id: EventID) {
        events.append(
            Event(
                payload, id: id, subject: householdID, region: region, occurredAt: occurredAt, causation: input.id,
                correlation: input.correlation))
        refs.append(DecisionRef(type: P.eventType, id: "\(id)", date: Calendar.text(decisionDay)))
    }

    private func evidence(_ ids: [EventID]) -> [String] {
        var seen = Set<EventID>()
        var out: [String] = []
        for id in ids where id != .zero && seen.insert(id).inserted { out.append("\(id)") }
        return out
    }

    private func signalThresholds(_ hh: HouseholdState, _ rules: RiskRules, score: Int) -> [RiskThreshold] {
        var t: [RiskThreshold] = []
        for s in hh.signals.sorted(by: { $0.signal.rawValue < $1.signal.rawValue }) {
            switch s.signal {
            case .incomeBelowLine:
                t.append(RiskThreshold("monitoringLineFen", s.threshold))
                t.append(RiskThreshold("perCapitaIncomeFen", s.amount))
            case .incomeSharpFall:
                t.append(RiskThreshold("sharpFallPercent", s.threshold))
                t.append(RiskThreshold("fallPercent", s.amount))
            case .inpatient, .outpatient, .schooling, .disaster, .accident:
                t.append(RiskThreshold("\(s.signal.key)ThresholdFen", s.threshold))
                t.append(RiskThreshold("\(s.signal.key)AmountFen", s.amount))
            case .disability, .labourLoss, .visitHardship, .selfApplication, .benefitLoss:
                break
            }
        }
        t.append(RiskThreshold("score", score))
        t.append(RiskThreshold("levelLow", rules.levelCutoffs.low))
        t.append(RiskThreshold("levelMedium", rules.levelCutoffs.medium))
        t.append(RiskThreshold("levelHigh", rules.levelCutoffs.high))
        return t
    }

    private func sortedSignals(_ hh: HouseholdState) -> [ActiveSignal] {
        hh.signals.sorted { $0.signal.rawValue < $1.signal.rawValue }
    }

    // MARK: Decisions

    mutating func assessed(_ hh: HouseholdState, _ rules: RiskRules, score: Int, level: RiskLevel) {
        let types = types(hh, rules)
        let signals = sortedSignals(hh)
        let reasons = signals.isEmpty ? "当前无风险信号" : "原因：" + reasons(hh)
        let members = members(hh)
        let summary =
            "\(Texts.household(householdID, hh))风险等级由\(hh.assessedLevel.chinese)变为\(level.chinese)，"
            + "风险类型：\(Texts.typeList(types, rules))。\(members)\(reasons)。"
        let explanation = RiskExplanation(
            title: "户\(householdID)风险评估：\(level.chinese)", summary: summary, ruleID: "risk.assessment",
            ruleVersion: version, evidence: evidence(signals.flatMap(\.evidence)),
            thresholds: signalThresholds(hh, rules, score: score))
        emit(
            RiskAssessed(
                householdID: householdID, level: level, previousLevel: hh.assessedLevel, score: score,
                riskTypes: types, signals: signals.map(\.signal.key), ruleIDs: signals.map(\.signal.ruleID),
                explanation: explanation),
            id: id(RiskAssessed.eventType))
    }

    /// The suggested monitored type, the rule that chose it, and every type condition that held, in words
    /// and figures (docs/RULES-risk.md §4): 脱贫户 → 脱贫不稳定户 (`risk.type.lifted`); otherwise the first
    /// type in `householdType.precedence` whose condition holds — income known and below `marginalPercent`
    /// of the line → 边缘易致贫户 (`risk.type.marginal`), a sudden signal (medical, disaster, accident) →
    /// 突发严重困难户 (`risk.type.sudden`); otherwise 边缘易致贫户 (`risk.type.default`).
    static func typeChoice(_ hh: HouseholdState, _ rules: RiskRules) -> TypeChoice {
        var held: [String] = []
        var thresholds: [RiskThreshold] = []
        let bound = hh.incomeLine * rules.marginalPercent / 100
        let incomeKnown = hh.incomeDay != noDay
        let marginal = incomeKnown && hh.incomePerCapita * 100 < hh.incomeLine * rules.marginalPercent
        if incomeKnown {
            let figures = "\(hh.incomeYear)年度家庭人均纯收入\(Texts.yuan(hh.incomePerCapita))"
            let line = "监测线\(Texts.yuan(hh.incomeLine))的\(rules.marginalPercent)%（\(Texts.yuan(bound))）"
            held.append(marginal ? "\(figures)，低于\(line)" : "\(figures)，不低于\(line)，不属边缘易致贫情形")
            thresholds.append(RiskThreshold("typeIncomePerCapitaFen", hh.incomePerCapita))
            thresholds.append(RiskThreshold("typeMarginalBoundFen", bound))
        } else {
            held.append("无收入评估")
        }
        let sudden = hh.signals.filter { $0.signal.isSudden }.sorted { $0.signal.rawValue < $1.signal.rawValue }
        if !sudden.isEmpty {
            held.append("存在突发严重困难情形：" + sudden.map { Texts.reason($0, hh) }.joined(separator: "；"))
        }
        var type = PovertyStatus.monitoredMarginal, rule = "risk.type.default", why = "无收入或突发困难情形可据"
        if hh.isLifted {
            (type, rule, why) = (.monitoredUnstable, "risk.type.lifted", "该户为脱贫户")
        } else if let first = rules.typePrecedence.first(where: { $0 == .monitoredMarginal ? marginal : !sudden.isEmpty }) {
            type = first
            rule = first == .monitoredMarginal ? "risk.type.marginal" : "risk.type.sudden"
            why = first == .monitoredMarginal ? "收入低于边缘标准" : "存在突发严重困难情形"
            if marginal, !sudden.isEmpty {
                let order = rules.typePrecedence.map(\.chinese).joined(separator: "优先于")
                why += "（两种情形同时存在，按规则键householdType.precedence：\(order)）"
            }
        }
        let text = "户类型建议依据：" + held.joined(separator: "；")
            + "。\(why)，按规则\(rule)建议为\(type.chinese)。"
        return TypeChoice(type: type, ruleID: rule, text: text, thresholds: thresholds)
    }

    mutating func recommendMonitoring(_ hh: HouseholdState, _ rules: RiskRules, level: RiskLevel) -> Recommendation {
        let recID = id(MonitoringRecommended.eventType)
        let feedbackID = id(RiskFeedback.eventType)
        let types = types(hh, rules)
        let members = members(hh)
        let reasons = reasons(hh)
        let choice = Self.typeChoice(hh, rules)
        let suggested = choice.type
        let signals = sortedSignals(hh)
        let newCauses = signals.filter { hh.recommendedMask & $0.signal.bit == 0 }
        let action =
            "建议将该户纳入防止返贫动态监测，户类型建议为\(suggested.chinese)。请组织入户核实、村级民主评议、"
            + "公示（不少于5天）、乡镇审核和县级审定，并针对风险类型落实帮扶措施。"
        let summary =
            "\(Texts.household(householdID, hh))经防返贫监测预警，风险等级为\(level.chinese)，"
            + "风险类型：\(Texts.typeList(types, rules))。\(members)"
            + "预警原因：\(reasons)。\(choice.text)\(action)"
        var thresholds = signalThresholds(
            hh, rules, score: hh.signals.reduce(0) { $0 + rules.weights[Int($1.signal.rawValue)] })
        thresholds.append(RiskThreshold("marginalPercent", rules.marginalPercent))
        thresholds += choice.thresholds
        let explanation = RiskExplanation(
            title: "纳入监测建议：户\(householdID)（\(level.chinese)）", summary: summary,
            ruleID: "risk.recommend.monitoring", ruleVersion: version,
            evidence: evidence(signals.flatMap(\.evidence)), thresholds: thresholds)
        let ruleIDs = signals.map(\.signal.ruleID)
        var recommendation = MonitoringRecommended(
            recommendationID: "\(recID)", householdID: householdID, level: level, riskTypes: types,
            causes: newCauses.map(\.signal.key), suggestedType: suggested, explanation: explanation)
        recommendation.ruleIDs = ruleIDs
        recommendation.typeRuleID = choice.ruleID
        emit(recommendation, id: recID)
        var feedback = RiskFeedback(
            feedbackID: "\(feedbackID)", recommendationID: "\(recID)", kind: "monitoring",
            householdID: householdID, recipientRegion: county, level: level, riskTypes: types,
            recommendedAction: action, explanation: explanation)
        feedback.ruleIDs = ruleIDs
        emit(feedback, id: feedbackID)
        return Recommendation(id: recID, kind: .monitoring, day: decisionDay, suggested: suggested)
    }

    mutating func recommendElimination(
        _ hh: HouseholdState, _ rules: RiskRules, _ check: EliminationCheck
    ) -> Recommendation {
        let recID = id(RiskEliminationRecommended.eventType)
        let feedbackID = id(RiskFeedback.eventType, "|elimination")
        let action =
            "建议对该户启动风险消除程序：入户核实、村级民主评议、公示和乡镇审核后，由县级确认风险消除，"
            + "并在风险消除后继续跟踪帮扶措施落实情况。"
        let members = members(hh)
        let summary =
            "\(Texts.household(householdID, hh))已满足风险消除条件：\(check.conditions.map(\.text).joined(separator: "；"))。"
            + "\(members)\(action)"
        let explanation = RiskExplanation(
            title: "风险消除建议：户\(householdID)", summary: summary, ruleID: "risk.recommend.elimination",
            ruleVersion: version, evidence: evidence(check.evidence), thresholds: check.thresholds)
        let types = types(hh, rules)
        emit(
            RiskEliminationRecommended(
                recommendationID: "\(recID)", householdID: householdID,
                monitoredSince: Calendar.text(hh.monitoredSince),
                householdType: hh.monitoredType, conditions: check.conditions.map(\.id), explanation: explanation),
            id: recID)
        var feedback = RiskFeedback(
            feedbackID: "\(feedbackID)", recommendationID: "\(recID)", kind: "elimination",
            householdID: householdID, recipientRegion: county, level: hh.assessedLevel, riskTypes: types,
            recommendedAction: action, explanation: explanation)
        feedback.ruleIDs = check.conditions.map { "risk.elimination.\($0.id)" }
        emit(feedback, id: feedbackID)
        return Recommendation(id: recID, kind: .elimination, day: decisionDay)
    }

    mutating func withoutAssistance(_ hh: HouseholdState, _ rules: RiskRules) {
        let days = Int(asOf - hh.monitoredSince)
        let members = members(hh)
        let summary =
            "\(Texts.household(householdID, hh))自\(Calendar.text(hh.monitoredSince))纳入监测，已\(days)天，"
            + "超过\(rules.withoutAssistanceDays)天仍未记录任何帮扶措施（项目、救助、补贴或乡村振兴部门帮扶）。"
            + "\(members)请尽快研究落实针对性帮扶措施。"
        emit(
            MonitoringWithoutAssistance(
                householdID: householdID, monitoredSince: Calendar.text(hh.monitoredSince), daysMonitored: days,
                householdType: hh.monitoredType, recipientRegion: county,
                explanation: RiskExplanation(
                    title: "监测户未落实帮扶：户\(householdID)", summary: summary,
                    ruleID: "risk.followUp.withoutAssistance", ruleVersion: version,
                    evidence: evidence([hh.monitoringEvidence]),
                    thresholds: [
                        RiskThreshold("withoutAssistanceDays", rules.withoutAssistanceDays),
                        RiskThreshold("daysMonitored", days),
                    ])),
            id: id(MonitoringWithoutAssistance.eventType))
    }

    mutating func overdue(_ hh: HouseholdState, _ rec: Recommendation, _ rules: RiskRules) {
        let days = Int(asOf - rec.day)
        let what = rec.kind == .monitoring ? "纳入监测建议" : "风险消除建议"
        let members = members(hh)
        let summary =
            "\(Texts.household(householdID, hh))的\(what)于\(Calendar.text(rec.day))提出，已\(days)天未收到答复"
            + "（第\(rec.overduePeriods)次提醒，答复期限\(rules.overdueDays)天）。\(members)"
            + "请尽快研究并反馈认定结果。"
        emit(
            RecommendationOverdue(
                householdID: householdID, recommendationID: "\(rec.id)", kind: rec.kindKey,
                recommendedOn: Calendar.text(rec.day), period: Int(rec.overduePeriods), daysOpen: days,
                recipientRegion: county,
                explanation: RiskExplanation(
                    title: "\(what)逾期未答复：户\(householdID)", summary: summary,
                    ruleID: "risk.followUp.overdue", ruleVersion: version, evidence: evidence([rec.id]),
                    thresholds: [RiskThreshold("overdueDays", rules.overdueDays), RiskThreshold("daysOpen", days)])),
            id: id(RecommendationOverdue.eventType, "|\(rec.id)|\(rec.overduePeriods)"))
    }
}

/// The suggested household type of a monitoring recommendation, with the rule that chose it and the
/// conditions that held (Chinese, for the summary) and the figures compared.
struct TypeChoice {
    let type: PovertyStatus
    let ruleID: String
    let text: String
    let thresholds: [RiskThreshold]
}

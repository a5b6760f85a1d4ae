import GongguCore
import GongguEvents

/// One condition (docs/RULES-risk.md §4) for recommending risk elimination, with whether it holds and the figures.
public struct EliminationCondition: Sendable, Equatable {
    /// Stable id: `monitoredMonths`, `assistance`, `incomeStable`, `expensesResolved`, `needsSecured`,
    /// `labourCapacity`.
    public var id: String
    public var holds: Bool
    /// Chinese explanation with the figures compared.
    public var text: String
}

/// Evaluates every elimination condition for a monitored household as of a day. All must hold; a
/// household with no labour capacity at all never qualifies (it stays monitored with social assistance).
struct EliminationCheck {
    var conditions: [EliminationCondition] = []
    var evidence: [EventID] = []
    var thresholds: [RiskThreshold] = []

    var allHold: Bool { conditions.allSatisfy(\.holds) }

    /// Whether texts, evidence and thresholds are built: the fold checks every change of a monitored
    /// household, so it first checks without them and explains only when all conditions hold.
    private let explain: Bool

    init(_ hh: HouseholdState, _ rules: RiskRules, asOf: Int32, explain: Bool = true) {
        self.explain = explain
        let monitoredMonths = Calendar.monthsBetween(hh.monitoredSince, asOf)
        add(
            "monitoredMonths", monitoredMonths >= rules.minMonitoredMonths,
            "自\(Calendar.text(hh.monitoredSince))纳入监测，已监测\(monitoredMonths)个月（标准：不少于\(rules.minMonitoredMonths)个月）")
        evidence.append(hh.monitoringEvidence)

        let assisted = hh.hasAssistanceWhileMonitored
        add(
            "assistance", assisted,
            assisted
                ? (hh.lastAssistanceDay != noDay
                    ? "已落实帮扶措施（最近一次：\(Calendar.text(hh.lastAssistanceDay))）" : "享受社会救助（低保/特困等）")
                : "监测期间尚未落实任何帮扶措施")
        if assisted && hh.lastAssistanceEvent != .zero { evidence.append(hh.lastAssistanceEvent) }

        let aboveMonths = hh.incomeAboveSince == noDay ? 0 : Calendar.monthsBetween(hh.incomeAboveSince, asOf)
        let incomeKnown = hh.incomeDay != noDay
        add(
            "incomeStable", incomeKnown && hh.incomeAboveSince != noDay && aboveMonths >= rules.minIncomeAboveMonths,
            incomeKnown
                ? "\(hh.incomeYear)年度家庭人均纯收入\(Texts.yuan(hh.incomePerCapita))，监测线\(Texts.yuan(hh.incomeLine))，"
                    + (hh.incomeAboveSince == noDay
                        ? "低于监测线" : "已连续\(aboveMonths)个月稳定高于监测线（标准：不少于\(rules.minIncomeAboveMonths)个月）")
                : "尚无收入核算记录")
        if incomeKnown { evidence.append(hh.incomeEvent) }

        let expenseMonths =
            hh.lastLargeExpenseDay == noDay ? Int.max : Calendar.monthsBetween(hh.lastLargeExpenseDay, asOf)
        let resolved = expenseMonths >= rules.expenseResolvedMonths
        add(
            "expensesResolved", resolved,
            hh.lastLargeExpenseDay == noDay
                ? "无大额刚性支出记录"
                : "最近一次大额支出发生于\(Calendar.text(hh.lastLargeExpenseDay))，"
                    + (resolved ? "已超过\(rules.expenseResolvedMonths)个月" : "不足\(rules.expenseResolvedMonths)个月，支出风险尚未消除")
        )
        if hh.lastLargeExpenseDay != noDay { evidence.append(hh.lastLargeExpenseEvent) }

        let open = hh.visitHardship.filter { rules.securedIndicators.contains($0) }
        add(
            "needsSecured", open.isEmpty,
            hh.visitDay == noDay
                ? "无走访记录显示上学、医疗、住房、饮水方面存在困难"
                : open.isEmpty
                    ? "最近一次走访（\(Calendar.text(hh.visitDay))）未发现上学、医疗、住房、饮水方面困难"
                    : "最近一次走访（\(Calendar.text(hh.visitDay))）发现困难：\(open.map(Texts.hardship).joined(separator: "、"))")
        if hh.visitDay != noDay { evidence.append(hh.visitEvent) }

        let labour = hh.labourCount
        add(
            "labourCapacity", labour > 0,
            labour > 0 ? "家庭有劳动能力成员\(labour)人" : "家庭无劳动能力，应保持监测并落实社会救助兜底，不予风险消除")

        guard explain else {
            evidence = []
            return
        }
        thresholds = [
            RiskThreshold("minMonitoredMonths", rules.minMonitoredMonths),
            RiskThreshold("monitoredMonths", monitoredMonths),
            RiskThreshold("minIncomeAboveMonths", rules.minIncomeAboveMonths),
            RiskThreshold("incomeAboveMonths", aboveMonths),
            RiskThreshold("monitoringLineFen", hh.incomeLine),
            RiskThreshold("perCapitaIncomeFen", hh.incomePerCapita),
            RiskThreshold("expenseResolvedMonths", rules.expenseResolvedMonths),
            RiskThreshold("labourMembers", labour),
        ]
    }

    private mutating func add(_ id: String, _ holds: Bool, _ text: @autoclosure () -> String) {
        conditions.append(EliminationCondition(id: id, holds: holds, text: explain ? text() : ""))
    }
}

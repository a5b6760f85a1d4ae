import GongguCore
import GongguEvents
import GongguInvestigation
import GongguReport

/// The HTML page of `gonggu rules diff --out DIR` (`规则差异.html`), in the yearly report's style
/// (`ReportPage`: its shell, stylesheet, tables and SVG bars): key figures, the rule keys that differ,
/// counts by decision type and by county with a chart of the change by county, and the first cases
/// with both explanations (resident IDs masked). Self-contained, and the same report gives the same
/// bytes.
enum RulesDiffPage {
    static let name = "规则差异.html"
    /// Cases shown in the page (the CSV list has all).
    static let cases = 50

    static func html(_ r: RulesWhatIfReport, names: RegionNames, region: String?, files: [String]) -> String {
        let ruleSet = r.ruleSet == Service.risk.rawValue ? "防返贫监测" : "惠残政策核查"
        let count = { (k: RuleDifferenceKind) in r.differences.filter { $0.kind == k }.count }
        let households = Set(r.differences.map(\.decision.householdID)).count
        var body = ReportPage.keyFigures([
            (ReportPage.grouped(count(.added)), "新增（项）"), (ReportPage.grouped(count(.removed)), "取消（项）"),
            (ReportPage.grouped(count(.changed)), "变化（项）"), (ReportPage.grouped(households), "涉及户数"),
            (ReportPage.grouped(r.ruleChanges.count), "变化的规则键（个）"),
        ])
        body += ReportPage.note(
            "在日志上分别按施行中的规则和拟启用的规则重放\(ruleSet)服务的计算（进程内、只读，未改变任何服务），逐户比较两次得出的决定："
                + "新增＝只在拟启用规则下出现；取消＝只在施行规则下出现；变化＝两次都有、但比较的内容或日期不同。"
                + "重放结果：施行规则下 \(ReportPage.grouped(r.inForceCount)) 项，拟启用规则下 \(ReportPage.grouped(r.proposedCount)) 项。")

        let keyRows = r.ruleChanges.map { [$0.path, $0.region ?? "全省（defaults）", $0.old ?? "（无）", $0.new ?? "（无）"] }
        body += ReportPage.section(
            "一、两份规则文件中不同的规则键",
            note: keyRows.isEmpty ? "两份规则文件的规则内容相同（只有版本号或施行日期可能不同）。" : "逐项比较 defaults 和 regions 下的每个值；金额以分为单位。",
            keyRows.isEmpty
                ? ""
                : ReportPage.table(caption: "变化的规则键", headers: ["规则键", "适用区划", "施行版本的值", "拟启用版本的值"], rows: keyRows))

        var typeRows: [[String]] = []
        for d in RuleDecisionKind.allCases {
            let of = r.differences.filter { $0.decision.kind == d }
            guard !of.isEmpty else { continue }
            let n = { (k: RuleDifferenceKind) in of.filter { $0.kind == k }.count }
            typeRows.append([d.chinese, "\(n(.added))", "\(n(.removed))", "\(n(.changed))", "\(of.count)"])
        }
        typeRows.append([
            "合计", "\(count(.added))", "\(count(.removed))", "\(count(.changed))", "\(r.differences.count)",
        ])
        body += ReportPage.section(
            "二、按决定类型",
            ReportPage.table(
                caption: "按决定类型和变化类型（项）", headers: ["决定类型", "新增", "取消", "变化", "合计"], rows: typeRows,
                numericFrom: 1, totals: [typeRows.count - 1]))

        let counties = RulesDiffText.countyRows(r)
        let chart = ReportPage.stackedBars(
            title: "各县（区）的变化（项）", series: ["新增", "取消", "变化"],
            rows: counties.map { ("\($0.county) \(names.name($0.county))", [$0.added, $0.removed, $0.changed]) })
        var countyRows = counties.map {
            [$0.county, names.name($0.county), "\($0.added)", "\($0.removed)", "\($0.changed)", "\($0.households)"]
        }
        countyRows.append([
            "—", region.map { "\(names.name($0))（\($0)）" } ?? "全部地区", "\(count(.added))",
            "\(count(.removed))", "\(count(.changed))", "\(households)",
        ])
        body += ReportPage.section(
            "三、按县（区）",
            ReportPage.figure(chart)
                + ReportPage.table(
                    caption: "按县（区）", headers: ["县（区）代码", "县（区）", "新增", "取消", "变化", "涉及户数"], rows: countyRows,
                    numericFrom: 2, totals: [countyRows.count - 1]))

        let shown = r.differences.prefix(cases).map { d -> [String] in
            [
                "\(d.kind.chinese)：\(d.decision.kind.chinese)",
                "\(d.decision.householdID)（\(names.name(d.decision.county))）",
                d.inForce.map(RulesDiffText.explain) ?? "无此决定", d.proposed.map(RulesDiffText.explain) ?? "无此决定",
                d.ruleKeys.map(\.path).joined(separator: "、"),
            ].map(PersonalDataMask.maskText)
        }
        body += ReportPage.section(
            "四、逐户明细（前 \(shown.count) 项，共 \(r.differences.count) 项）",
            note: "全部明细见同一文件夹的 CSV 文件（身份证号已脱敏），可用 gonggu why / asof 逐户复核。",
            shown.isEmpty
                ? ""
                : ReportPage.table(
                    caption: "逐户明细", headers: ["变化", "户（县区）", "施行规则下", "拟启用规则下", "相关规则键"],
                    rows: shown))
        body += ReportPage.note("本次输出的文件：" + files.joined(separator: "、"))
        return ReportPage.document(
            title: "规则变更影响分析：\(ruleSet)规则",
            subtitle: "施行中的版本 \(r.inForceVersion) → 拟启用版本 \(r.proposedVersion)（自 \(r.proposedFrom) 起施行）"
                + "　区划：\(region ?? "全部")", body: body)
    }
}

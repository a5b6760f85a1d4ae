/// The self-contained Chinese HTML page: inline CSS, inline SVG charts, tables; no script, no external
/// resource, no wall-clock time (the same data always gives the same bytes).
enum HTMLRenderer {
    static func page(_ d: ReportData, tables: [ReportTable], caseFiles: [String]) -> String {
        let region = d.regions[0].name
        let y = d.period.year
        let byFile = Dictionary(uniqueKeysWithValues: tables.map { ($0.file, $0) })
        func table(_ file: String) -> String { byFile[file].map(html) ?? "" }
        let prefix = d.regionPrefix.isEmpty ? "全部" : d.regionPrefix
        var h = kpis(d)
        h += "<section>\n<h2>一、主要帮扶措施保持延续情况（四个不摘）</h2>\n"
        h += "<p class=\"note\">口径：1月前已脱贫、有持证残疾人的家庭中，1月1日有在享主要帮扶措施（低保、困难残疾人生活补贴、"
            + "重度残疾人护理补贴、养老保险保费代缴、康复救助）的为保持延续率的分母；其中年初在享措施在年内出现“帮扶措施中断”"
            + "核查发现（中断月份在本年内）的为中断户，其余为全部延续（因死亡、迁出或条件变化停止的不算中断）。"
            + "年初无在享主要帮扶措施的家庭单列，不计入分子和分母。</p>\n"
        h += figure(ContinuityChart.svg(d)) + table("表1-帮扶措施保持延续.csv") + "</section>\n"
        h += "<section class=\"newpage\">\n<h2>二、应享尽享：各项待遇覆盖情况</h2>\n"
        h += "<p class=\"note\">口径：已享＝年内领取或享受过该项待遇且年末无未关闭“应享未享”发现的人；应享未享＝年末仍未关闭的“应享未享”核查发现所涉人员；应享＝二者之和。</p>\n"
        h += figure(CoverageChart.svg(d)) + table("表2-应享尽享.csv") + table("表2a-应享尽享覆盖率分地区.csv") + "</section>\n"
        h += "<section class=\"newpage\">\n<h2>三、防返贫动态监测</h2>\n"
        h += "<p class=\"note\">口径：年末监测户按年末最新家庭类别；建议纳入、建议消除来自风险监测服务的建议；确认纳入、确认消除来自乡村振兴局的决定。均按本年内首次发生的月份计户。</p>\n"
        h += figure(MonthlyChart.svg(d)) + table("表3-防返贫监测.csv") + table("表4-逐月监测.csv") + "</section>\n"
        h += "<section class=\"newpage\">\n<h2>四、康复服务与无障碍改造</h2>\n"
        h += "<p class=\"note\">口径：需要康复服务按年末最新调查记录（不含年内死亡或迁出人员），获得康复服务指年内有康复服务项目记录；需要改造指调查记录需要或已完成改造、或有改造项目记录的家庭。</p>\n"
        h += table("表5-康复服务与无障碍改造.csv") + "</section>\n"
        h += "<section>\n<h2>五、年末未关闭的核查发现</h2>\n"
        h += "<p class=\"note\">口径：12月31日前提出、且当日尚未关闭的核查发现；账龄为提出日至12月31日的天数。</p>\n"
        h += table("表6-年末未关闭核查发现.csv") + table("表7-核查发现账龄.csv") + "</section>\n"
        h += "<section class=\"newpage\">\n<h2>六、向乡村振兴局反馈风险及响应</h2>\n"
        h += "<p class=\"note\">口径：本年内发送给县级乡村振兴局的风险反馈；响应时间为发送日至确认接收日或决定日的天数（截止序号内记录的响应均计入）。</p>\n"
        h += figure(ResponseHistogram.svg(d)) + table("表8-乡村振兴局反馈.csv") + table("表9-响应时间分布.csv") + "</section>\n"
        h += "<section class=\"newpage\">\n<h2>七、数据来源与可复核性</h2>\n"
        h += "<p class=\"note\">\(Format.escape(ruleText(d)))</p>\n"
        h += table("表0-数据来源.csv")
        h += "<p class=\"note\">每个数字均可追溯到户：以下CSV文件列出每项指标背后的户、人（身份证号已脱敏）及事件编号，可用 gonggu replay / why 逐一复核。</p>\n"
        let items = (tables.map(\.file) + caseFiles).map { "<li>\(Format.escape($0))</li>" }
        h += "<ul class=\"files\">" + items.joined() + "</ul>\n"
        h += "</section>\n"
        // The shell (head, stylesheet, heading) is the one other pages in this style use too.
        return ReportPage.document(
            title: "\(region)\(y)年度巩固拓展残疾人脱贫攻坚成果后评估指标",
            subtitle: "统计期：\(y)年1月1日至12月31日（业务时间）　区划：\(prefix)", body: h)
    }

    static func ruleText(_ d: ReportData) -> String {
        let base = "计算规则：只计入各日志截止序号（含）以内的事件，业务时间（事件发生时间、业务日期）在\(d.period.year)年内或年末以前的事件按各指标口径计入；"
            + "按相同截止序号重新生成，报告逐字节相同，此后追加的事件不影响本报告。"
        switch d.rule {
        case .bySeq:
            return base + "截止方式：按序号（复核时以 --upto 指定上表序号）。"
        case let .recordedBefore(t):
            return base + "截止方式：各日志中记录时间早于 \(Format.instant(t))（北京时间）的连续前缀。"
        }
    }

    static func kpis(_ d: ReportData) -> String {
        let c = d.regions[0].code
        func kpi(_ value: String, _ label: String) -> String {
            "<div class=\"kpi\"><div class=\"v\">\(Format.escape(value))</div>"
                + "<div class=\"l\">\(Format.escape(label))</div></div>"
        }
        let lifted = d.count(.lifted, c), kept = d.count(.continued, c), base = d.count(.measureAtStart, c)
        let entitled = CoverageMeasure.allCases.reduce(0) { $0 + d.count(.entitled($1), c) }
        let receiving = CoverageMeasure.allCases.reduce(0) { $0 + d.count(.receiving($1), c) }
        let open = FindingKind.allCases.reduce(0) { $0 + d.count(.openFindings($1), c) }
        return "<div class=\"kpis\">"
            + kpi(Format.grouped(lifted), "脱贫残疾人家庭（户）")
            + kpi(Format.percent(kept, base), "主要帮扶措施保持延续率")
            + kpi(Format.percent(receiving, entitled), "待遇覆盖率（五项合计人次）")
            + kpi(Format.grouped(d.count(.monitored, c)), "年末监测户（户）")
            + kpi(Format.grouped(open), "年末未关闭核查发现（件）")
            + "</div>\n"
    }

    static func figure(_ svg: String) -> String { "<figure>\(svg)</figure>\n" }

    static func html(_ t: ReportTable) -> String {
        guard t.inPage else { return "" }
        var h = "<table>\n<caption>\(Format.escape(t.title))</caption>\n<thead><tr>"
        h += t.headers.map { "<th>\(Format.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        // Region tables start with code and name; the others with one label column.
        let nameColumn = t.headers.first == "区划代码" ? 1 : 0
        for (i, row) in t.rows.enumerated() {
            let depth = t.depths[i]
            h += "<tr class=\"d\(depth)\">"
            for (j, cell) in row.enumerated() {
                var classes: [String] = []
                if t.headers[j].contains("哈希") {
                    classes.append("hash")
                } else if j > nameColumn {
                    classes.append("n")
                }
                if j == nameColumn, depth > 0 { classes.append("d\(depth)") }
                h += classes.isEmpty ? "<td>" : "<td class=\"\(classes.joined(separator: " "))\">"
                h += Format.escape(cell) + "</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }
}

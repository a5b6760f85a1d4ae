/// One table of the report, shared by the HTML page and its CSV file so both show the same numbers.
public struct ReportTable: Sendable {
    /// CSV file name (without directory).
    public var file: String
    public var title: String
    public var headers: [String]
    public var rows: [[String]]
    /// Indentation depth of each row's first cell in HTML (region level), same count as `rows`.
    public var depths: [Int]
    /// Whether the HTML page shows this table (long tables go to CSV only).
    public var inPage: Bool = true
}

/// Builds the report's tables from its data.
enum ReportTables {
    static func all(_ d: ReportData) -> [ReportTable] {
        [source(d), continuity(d), coverage(d), coverageByRegion(d), coverageLong(d), monitoring(d), monthly(d),
         services(d), findings(d), findingAges(d), feedback(d), responses(d)]
    }

    static func source(_ d: ReportData) -> ReportTable {
        let rows = d.cuts.map {
            [$0.log.chinese, String($0.cutoffSeq), String($0.eventsUsed), $0.chainHash.isEmpty ? "（空日志）" : $0.chainHash]
        }
        return ReportTable(file: "表0-数据来源.csv", title: "数据来源：各日志截止序号与哈希",
                           headers: ["日志", "截止序号（含）", "参与计算的事件数", "截止序号处的哈希链值"],
                           rows: rows, depths: rows.map { _ in 0 })
    }

    static func regionTable(_ d: ReportData, file: String, title: String, headers: [String],
                            _ cells: (String) -> [String]) -> ReportTable {
        let regions = d.regions
        return ReportTable(file: file, title: title, headers: ["区划代码", "地区"] + headers,
                           rows: regions.map { [$0.code.isEmpty ? "—" : $0.code, $0.name] + cells($0.code) },
                           depths: regions.map(\.depth))
    }

    /// Table 1. The rate is continued among households with a main measure active on 1 January; those
    /// with none are their own column, in neither the numerator nor the denominator (docs/REPORT.md).
    static func continuity(_ d: ReportData) -> ReportTable {
        regionTable(d, file: "表1-帮扶措施保持延续.csv", title: "表1 脱贫残疾人家庭主要帮扶措施保持延续情况",
                    headers: ["脱贫残疾人家庭（户）", "年初在享主要帮扶措施（户）", "全部延续（户）", "中断（户）", "保持延续率",
                              "年初无在享主要帮扶措施（户）"]) { c in
            let base = d.count(.measureAtStart, c), k = d.count(.continued, c)
            return [String(d.count(.lifted, c)), String(base), String(k), String(d.count(.discontinued, c)),
                    Format.percent(k, base), String(d.count(.noMeasureAtStart, c))]
        }
    }

    static func coverage(_ d: ReportData) -> ReportTable {
        let c = d.regions[0].code
        let rows = CoverageMeasure.allCases.map { m -> [String] in
            let e = d.count(.entitled(m), c), r = d.count(.receiving(m), c)
            return [m.chinese, String(e), String(r), String(d.count(.unmet(m), c)), Format.percent(r, e)]
        }
        return ReportTable(file: "表2-应享尽享.csv", title: "表2 应享尽享：各项待遇覆盖情况（\(d.regions[0].name)）",
                           headers: ["待遇", "应享（人）", "已享（人）", "应享未享（人）", "覆盖率"],
                           rows: rows, depths: rows.map { _ in 0 })
    }

    static func coverageByRegion(_ d: ReportData) -> ReportTable {
        var t = regionTable(d, file: "表2a-应享尽享覆盖率分地区.csv", title: "表2a 各地区待遇覆盖率（已享/应享）",
                            headers: CoverageMeasure.allCases.map(\.short)) { c in
            CoverageMeasure.allCases.map { Format.percent(d.count(.receiving($0), c), d.count(.entitled($0), c)) }
        }
        t.inPage = true
        return t
    }

    static func coverageLong(_ d: ReportData) -> ReportTable {
        var rows: [[String]] = [], depths: [Int] = []
        for r in d.regions {
            for m in CoverageMeasure.allCases {
                let e = d.count(.entitled(m), r.code), g = d.count(.receiving(m), r.code)
                rows.append([r.code.isEmpty ? "—" : r.code, r.name, m.chinese, String(e), String(g),
                             String(d.count(.unmet(m), r.code)), Format.percent(g, e)])
                depths.append(r.depth)
            }
        }
        return ReportTable(file: "表2b-应享尽享分地区明细.csv", title: "表2b 各地区各项待遇应享与已享人数",
                           headers: ["区划代码", "地区", "待遇", "应享（人）", "已享（人）", "应享未享（人）", "覆盖率"],
                           rows: rows, depths: depths, inPage: false)
    }

    static func monitoring(_ d: ReportData) -> ReportTable {
        regionTable(d, file: "表3-防返贫监测.csv", title: "表3 残疾人家庭防返贫监测情况（户）",
                    headers: ["年末监测户", "建议纳入", "新纳入（确认）", "建议风险消除", "风险消除（确认）"]) { c in
            [Indicator.monitored, .recommended, .included, .eliminationRecommended, .eliminated]
                .map { String(d.count($0, c)) }
        }
    }

    static func monthly(_ d: ReportData) -> ReportTable {
        let series = MonthlyChart.series.map { d.monthly($0) }
        let rows = (0..<12).map { m in ["\(d.period.year)年\(m + 1)月"] + series.map { String($0[m]) } }
        return ReportTable(file: "表4-逐月监测.csv", title: "表4 逐月纳入监测与风险消除（户，\(d.regions[0].name)）",
                           headers: ["月份"] + MonthlyChart.labels, rows: rows, depths: rows.map { _ in 0 })
    }

    static func services(_ d: ReportData) -> ReportTable {
        regionTable(d, file: "表5-康复服务与无障碍改造.csv", title: "表5 康复服务与无障碍改造",
                    headers: ["需要康复服务（人）", "获得康复服务（人）", "康复服务率", "需要改造（户）", "已改造（户）", "改造完成率"]) { c in
            let n = d.count(.rehabNeeded, c), s = d.count(.rehabServed, c)
            let an = d.count(.accessibilityNeeded, c), ad = d.count(.accessibilityDone, c)
            return [String(n), String(s), Format.percent(s, n), String(an), String(ad), Format.percent(ad, an)]
        }
    }

    static func findings(_ d: ReportData) -> ReportTable {
        regionTable(d, file: "表6-年末未关闭核查发现.csv", title: "表6 年末未关闭的核查发现（件）",
                    headers: FindingKind.allCases.map(\.chinese) + ["合计"]) { c in
            let n = FindingKind.allCases.map { d.count(.openFindings($0), c) }
            return n.map(String.init) + [String(n.reduce(0, +))]
        }
    }

    static func findingAges(_ d: ReportData) -> ReportTable {
        let rows = FindingKind.allCases.map { k -> [String] in
            let h = d.ageHistogram(k)
            return [k.chinese] + h.map(String.init) + [String(h.reduce(0, +))]
        }
        return ReportTable(file: "表7-核查发现账龄.csv", title: "表7 年末未关闭核查发现的账龄（件，截至12月31日）",
                           headers: ["类型"] + AgeClass.allCases.map(\.chinese) + ["合计"], rows: rows,
                           depths: rows.map { _ in 0 })
    }

    static func feedback(_ d: ReportData) -> ReportTable {
        regionTable(d, file: "表8-乡村振兴局反馈.csv", title: "表8 向乡村振兴局反馈风险及响应情况",
                    headers: ["发送（件）", "已确认（件）", "确认率", "已决定（件）", "决定率", "确认用时中位数（天）", "决定用时中位数（天）"]) { c in
            let sent = d.count(.feedbackSent, c), ack = d.count(.feedbackAcknowledged, c)
            let ans = d.count(.feedbackAnswered, c)
            return [String(sent), String(ack), Format.percent(ack, sent), String(ans), Format.percent(ans, sent),
                    median(d, .feedbackAcknowledged, c), median(d, .feedbackAnswered, c)]
        }
    }

    static func median(_ d: ReportData, _ i: Indicator, _ code: String) -> String {
        let days = d.book.cases(i).filter { $0.region.hasPrefix(code) }.compactMap(\.days).sorted()
        return days.isEmpty ? "—" : String(days[(days.count - 1) / 2])
    }

    static func responses(_ d: ReportData) -> ReportTable {
        let a = d.responseHistogram(.feedbackAcknowledged), b = d.responseHistogram(.feedbackAnswered)
        let sent = d.count(.feedbackSent, d.regions[0].code)
        var rows = ResponseClass.allCases.map { [$0.chinese, String(a[$0.rawValue]), String(b[$0.rawValue])] }
        rows.append(["尚未响应", String(sent - a.reduce(0, +)), String(sent - b.reduce(0, +))])
        return ReportTable(file: "表9-响应时间分布.csv", title: "表9 乡村振兴局响应时间分布（件）",
                           headers: ["发送后", "确认接收", "作出决定"], rows: rows, depths: rows.map { _ in 0 })
    }
}

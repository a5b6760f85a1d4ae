import Foundation
import GongguCore
import GongguInvestigation
import GongguNotify
import GongguReport

/// What `gonggu recipients diff` prints and writes: the Chinese summary, the HTML page in the yearly
/// report's style (`ReportPage`) and CSV files (UTF-8 with BOM, CRLF; resident IDs masked).
enum RecipientsDiffText {
    static let page = "接收变化.html"
    static let cases = "接收变化-明细.csv"
    static let summaryFile = "接收变化-按单位.csv"
    static let entries = "接收变化-目录条目.csv"

    static func name(_ r: RecipientsWhatIfReport, _ id: String) -> String { r.recipientNames[id] ?? id }

    static func summary(_ r: RecipientsWhatIfReport, names: RegionNames) -> String {
        var lines = [
            "接收单位目录变更影响分析（通知服务，模拟重放，未改变任何服务）",
            "施行中的版本：\(r.inForceVersion)；拟启用版本：\(r.proposedVersion)",
            "重放结果：施行目录下 \(r.inForceCount) 条通知，拟启用目录下 \(r.proposedCount) 条（不含逾期督办）",
            "目录中变化的条目（\(r.entryChanges.count) 项）：",
        ]
        if r.entryChanges.isEmpty { lines.append("  无（两份目录的单位条目相同）") }
        for c in r.entryChanges { lines.append("  \(c.chinese)") }
        if r.started.isEmpty && r.stopped.isEmpty {
            lines.append("结论：拟启用的目录不改变任何单位收到的通知（无开始接收、无停止接收）。")
            return lines.joined(separator: "\n")
        }
        let who = Set(r.started.map(\.recipient) + r.stopped.map(\.recipient)).count
        lines.append("开始接收 \(r.started.count) 条，停止接收 \(r.stopped.count) 条，涉及 \(who) 个单位")
        lines.append("按单位、通知种类和县（区）：")
        for row in r.rows {
            lines.append(
                "  \(row.recipient) \(name(r, row.recipient))  \(NotifyEventTypes.label(row.type))  "
                    + "\(row.county) \(names.name(row.county))  开始接收 \(row.started)  停止接收 \(row.stopped)")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the page and the CSV files into `dir` (created, mode 0700) and returns their names.
    static func write(_ r: RecipientsWhatIfReport, to dir: String, names: RegionNames, region: String?) throws
        -> [String]
    {
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var caseRows: [[String]] = []
        for (label, list) in [("开始接收", r.started), ("停止接收", r.stopped)] {
            for n in list {
                caseRows.append([
                    label, n.recipient, name(r, n.recipient), NotifyEventTypes.label(n.type), n.type, n.region,
                    n.county,
                    names.name(n.county), n.householdID, n.created, PersonalDataMask.maskText(n.title), n.sourceEventID,
                    n.id,
                ])
            }
        }
        let rows = r.rows.map {
            [
                $0.recipient, name(r, $0.recipient), NotifyEventTypes.label($0.type), $0.county, names.name($0.county),
                "\($0.started)", "\($0.stopped)",
            ]
        }
        let files: [(String, [String], [[String]])] = [
            (
                cases,
                [
                    "变化", "单位编号", "单位名称", "通知种类", "事件类型", "区划代码", "县（区）代码", "县（区）", "户编号", "日期", "标题",
                    "源事件编号", "通知编号",
                ], caseRows
            ),
            (summaryFile, ["单位编号", "单位名称", "通知种类", "县（区）代码", "县（区）", "开始接收", "停止接收"], rows),
            (
                entries, ["单位编号", "变化项", "施行目录", "拟启用目录"],
                r.entryChanges.map { [$0.recipient, $0.field.chinese, $0.old, $0.new] }
            ),
        ]
        for (file, headers, rows) in files {
            try Data(RulesDiffFiles.csv(headers, rows)).write(to: URL(fileURLWithPath: "\(dir)/\(file)"))
        }
        let html = self.html(r, names: names, region: region, files: files.map(\.0), summary: rows)
        try Data(html.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(page)"))
        return [page] + files.map(\.0)
    }

    static func html(
        _ r: RecipientsWhatIfReport, names: RegionNames, region: String?, files: [String],
        summary rows: [[String]]
    ) -> String {
        let who = Set(r.started.map(\.recipient) + r.stopped.map(\.recipient)).count
        var body = ReportPage.keyFigures([
            (ReportPage.grouped(r.started.count), "开始接收（条）"), (ReportPage.grouped(r.stopped.count), "停止接收（条）"),
            (ReportPage.grouped(who), "涉及单位"), (ReportPage.grouped(r.entryChanges.count), "目录中变化的条目"),
        ])
        body += ReportPage.note(
            "在日志上分别按施行中的目录和拟启用的目录重放通知服务的计算（进程内、只读，未改变任何服务），比较各单位收到的通知；"
                + "逾期督办不比较（是否逾期取决于单位是否确认），逾期上报单位和天数的变化见目录条目。"
                + "重放结果：施行目录下 \(ReportPage.grouped(r.inForceCount)) 条，拟启用目录下 \(ReportPage.grouped(r.proposedCount)) 条。")
        body += ReportPage.section(
            "一、目录中变化的条目",
            r.entryChanges.isEmpty
                ? ReportPage.note("两份目录的单位条目相同。")
                : ReportPage.table(
                    caption: "变化的条目", headers: ["单位编号", "变化项", "施行目录", "拟启用目录"],
                    rows: r.entryChanges.map { [$0.recipient, $0.field.chinese, $0.old, $0.new] }))
        var byCounty: [String: (Int, Int)] = [:]
        for n in r.started { byCounty[n.county, default: (0, 0)].0 += 1 }
        for n in r.stopped { byCounty[n.county, default: (0, 0)].1 += 1 }
        let chart = ReportPage.stackedBars(
            title: "各县（区）开始和停止接收的通知（条）", series: ["开始接收", "停止接收"],
            rows: byCounty.keys.sorted().map { ("\($0) \(names.name($0))", [byCounty[$0]!.0, byCounty[$0]!.1]) })
        body += ReportPage.section(
            "二、按单位、通知种类和县（区）",
            ReportPage.figure(chart)
                + ReportPage.table(
                    caption: "按单位、通知种类和县（区）",
                    headers: ["单位编号", "单位名称", "通知种类", "县（区）代码", "县（区）", "开始接收", "停止接收"], rows: rows,
                    numericFrom: 5))
        body += ReportPage.note("本次输出的文件：" + files.joined(separator: "、") + "（逐条明细见 CSV）")
        return ReportPage.document(
            title: "接收单位目录变更影响分析",
            subtitle: "施行中的版本 \(r.inForceVersion) → 拟启用版本 \(r.proposedVersion)　区划：\(region ?? "全部")", body: body)
    }
}

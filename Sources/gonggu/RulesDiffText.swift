import GongguEvents
import GongguInvestigation
import GongguReport

/// The Chinese summary `gonggu rules diff` prints for a policy officer: versions, changed rule keys,
/// counts by change type and decision kind, counts by county, and a few examples side by side.
enum RulesDiffText {
    /// Examples printed with both explanations (the CSV lists have all).
    static let examples = 5

    static func summary(_ r: RulesWhatIfReport, names: RegionNames) -> String {
        var lines = [
            "规则变更影响分析（\(r.ruleSet == Service.risk.rawValue ? "防返贫监测" : "惠残政策核查")规则，模拟重放，未改变任何服务）",
            "施行中的版本：\(r.inForceVersion)；拟启用版本：\(r.proposedVersion)（自 \(r.proposedFrom) 起施行）",
            "重放结果：施行规则下 \(r.inForceCount) 项，拟启用规则下 \(r.proposedCount) 项",
        ]
        lines.append("变化的规则键（\(r.ruleChanges.count) 个）：")
        if r.ruleChanges.isEmpty { lines.append("  无（两份规则文件内容相同）") }
        for c in r.ruleChanges { lines.append("  \(c.chinese)") }
        if r.differences.isEmpty {
            lines.append("结论：拟启用的规则不改变任何决定（无新增、取消或变化）。")
            return lines.joined(separator: "\n")
        }
        lines.append("按变化类型（共 \(r.differences.count) 项，涉及 \(Set(r.differences.map(\.decision.householdID)).count) 户）：")
        for kind in RuleDifferenceKind.allCases {
            let of = r.differences.filter { $0.kind == kind }
            guard !of.isEmpty else { continue }
            let byDecision = RuleDecisionKind.allCases.compactMap { d -> String? in
                let n = of.filter { $0.decision.kind == d }.count
                return n == 0 ? nil : "\(d.chinese) \(n)"
            }
            lines.append("  \(kind.chinese) \(of.count)（\(byDecision.joined(separator: "，"))）")
        }
        lines.append("按县（区）：")
        for row in countyRows(r) {
            lines.append(
                "  \(row.county) \(names.name(row.county))  新增 \(row.added)  取消 \(row.removed)  变化 \(row.changed)"
                    + "  涉及 \(row.households) 户")
        }
        lines.append("示例（前 \(min(examples, r.differences.count)) 项，全部见 --out 明细文件）：")
        for d in r.differences.prefix(examples) {
            lines.append("  [\(d.kind.chinese)] \(d.decision.kind.chinese) 户\(d.decision.householdID)")
            lines.append("    施行规则：\(d.inForce.map(explain) ?? "无此决定")")
            lines.append("    拟启用规则：\(d.proposed.map(explain) ?? "无此决定")")
            if !d.ruleKeys.isEmpty {
                lines.append("    相关规则键：\(d.ruleKeys.map(\.path).joined(separator: "、"))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One decision's compared fields and rule, as one line.
    static func explain(_ d: RuleDecision) -> String {
        "\(d.detail)（规则 \(d.ruleID)，版本 \(d.ruleVersion)，\(d.date)）"
    }

    struct CountyRow {
        var county: String
        var added = 0
        var removed = 0
        var changed = 0
        var households = 0
    }

    static func countyRows(_ r: RulesWhatIfReport) -> [CountyRow] {
        var rows: [String: CountyRow] = [:]
        var households: [String: Set<String>] = [:]
        for d in r.differences {
            let c = d.decision.county
            var row = rows[c] ?? CountyRow(county: c)
            switch d.kind {
            case .added: row.added += 1
            case .removed: row.removed += 1
            case .changed: row.changed += 1
            }
            rows[c] = row
            households[c, default: []].insert(d.decision.householdID)
        }
        return rows.keys.sorted().map { c in
            var row = rows[c]!
            row.households = households[c]?.count ?? 0
            return row
        }
    }
}

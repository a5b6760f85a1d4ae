import Foundation
import GongguCore
import GongguInvestigation
import GongguReport

/// The files of `gonggu rules diff --out DIR`: the HTML page (`RulesDiffPage`) and CSV files — UTF-8
/// with a byte-order mark (Excel), CRLF, Chinese headers; resident IDs masked (`PersonalDataMask`).
enum RulesDiffFiles {
    static let cases = "规则差异-明细.csv"
    static let counties = "规则差异-按县.csv"
    static let keys = "规则差异-规则键.csv"

    /// Writes the files into `dir` (created if needed) and returns their names.
    static func write(_ r: RulesWhatIfReport, to dir: String, names: RegionNames, region: String?) throws
        -> [String]
    {
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var caseRows: [[String]] = []
        for d in r.differences {
            let x = d.decision
            caseRows.append([
                d.kind.chinese, x.kind.chinese, x.region, x.county, names.name(x.county), x.householdID,
                x.personID.map(PersonalDataMask.maskID) ?? "", x.date,
                d.inForce.map(RulesDiffText.explain) ?? "",
                d.inForce.map { PersonalDataMask.maskText($0.summary) } ?? "",
                d.proposed.map(RulesDiffText.explain) ?? "",
                d.proposed.map { PersonalDataMask.maskText($0.summary) } ?? "",
                d.ruleKeys.map(\.chinese).joined(separator: "；"), x.id,
            ])
        }
        let files: [(String, [String], [[String]])] = [
            (
                cases,
                [
                    "变化类型", "决定类型", "区划代码", "县（区）代码", "县（区）", "户编号", "身份证号（脱敏）", "日期",
                    "施行规则下", "施行规则下说明", "拟启用规则下", "拟启用规则下说明", "相关规则键", "编号",
                ], caseRows
            ),
            (
                counties, ["县（区）代码", "县（区）", "新增", "取消", "变化", "涉及户数"],
                RulesDiffText.countyRows(r).map {
                    [
                        $0.county, names.name($0.county), "\($0.added)", "\($0.removed)", "\($0.changed)",
                        "\($0.households)",
                    ]
                }
            ),
            (keys, ["规则键", "施行版本的值", "拟启用版本的值"], r.ruleChanges.map { [$0.path, $0.old ?? "", $0.new ?? ""] }),
        ]
        for (name, headers, rows) in files {
            try Data(csv(headers, rows)).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
        }
        let page = RulesDiffPage.html(r, names: names, region: region, files: files.map(\.0))
        try Data(page.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(RulesDiffPage.name)"))
        return [RulesDiffPage.name] + files.map(\.0)
    }

    static func csv(_ headers: [String], _ rows: [[String]]) -> [UInt8] {
        var text = ""
        for line in [headers] + rows {
            text += line.map(quoted).joined(separator: ",") + "\r\n"
        }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

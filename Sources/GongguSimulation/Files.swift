import GongguCore
import GongguIntake

/// The simulated source files, in import order, with their kind, name and encoding.
public struct SimulatedFile: Sendable, Equatable {
    public let kind: RecordKind
    public let name: String
    public let encoding: SimulatedEncoding
    /// The office the file comes from, in Chinese.
    public let office: String
}

extension Simulator {
    /// Import order. Facts about persons and households come first; pension premiums, projects
    /// (rehabilitation, accessibility works) and life events (deaths) come before the subsidy pay roll,
    /// because the verifier evaluates entitlements month by month as the pay roll's months advance and
    /// must already know the services received and the deaths that explain a stop (docs/SIMULATION.md).
    public static let files: [SimulatedFile] = [
        SimulatedFile(kind: .survey, name: "survey.csv", encoding: .gb18030, office: "县残联（残疾人基本状况调查）"),
        SimulatedFile(kind: .member, name: "member.csv", encoding: .utf8, office: "乡村振兴局（家庭成员）"),
        SimulatedFile(kind: .household, name: "household.csv", encoding: .utf8, office: "乡村振兴局（户属性）"),
        SimulatedFile(kind: .income, name: "income.csv", encoding: .utf8, office: "乡村振兴局（收入核算）"),
        SimulatedFile(kind: .assistance, name: "assistance.csv", encoding: .utf8BOM, office: "民政局（低保、特困）"),
        SimulatedFile(kind: .pension, name: "pension.csv", encoding: .utf8, office: "人社局（城乡居民养老保险）"),
        SimulatedFile(kind: .project, name: "project.csv", encoding: .utf8, office: "残联（康复、培训、无障碍改造）"),
        SimulatedFile(kind: .life, name: "life.csv", encoding: .utf8, office: "公安局（死亡、户籍迁出）"),
        SimulatedFile(kind: .subsidy, name: "subsidy.csv", encoding: .utf8, office: "民政局（两项补贴发放）"),
        SimulatedFile(kind: .expense, name: "expense.csv", encoding: .utf8, office: "医保局、教育局、应急管理局"),
        SimulatedFile(kind: .visit, name: "visit.jsonl", encoding: .utf8, office: "乡镇（入户走访）"),
        SimulatedFile(kind: .decision, name: "decision.csv", encoding: .utf8, office: "乡村振兴局（认定决定）"),
        SimulatedFile(kind: .document, name: "document.csv", encoding: .utf8, office: "省残联（政策文件）"),
        // A county's survey sent late, after the pay roll: what it shows must not depend on when it came.
        SimulatedFile(kind: .survey, name: Simulator.lateSurveyFile, encoding: .utf8, office: "县残联（补报调查表）"),
    ]

    /// The late survey file (seed case `gapSurveyArrivesLate`).
    public static let lateSurveyFile = "survey-late.csv"

    static let headers: [RecordKind: [String]] = [
        .survey: ["身份证号", "户编号", "区划代码", "姓名", "残疾证号", "残疾类别", "残疾等级", "劳动能力", "调查年度", "调查日期",
                  "是否在校生", "是否需要长期照护", "是否孤儿", "享受工伤护理费", "享受老年人补贴", "参加城乡居民养老保险", "康复需求",
                  "无障碍改造需求", "已进行无障碍改造", "是否孤独症"],
        .member: ["户编号", "身份证号", "区划代码", "姓名", "劳动能力", "是否在校生", "入户日期", "是否离开本户"],
        .household: ["户编号", "区划代码", "户类型", "认定日期", "脱贫年度"],
        .income: ["户编号", "区划代码", "年度", "家庭纯收入", "家庭人口数", "核算日期"],
        .assistance: ["户编号", "区划代码", "身份证号", "救助类型", "起始年月", "停止年月", "停止原因", "月保障金额"],
        .pension: ["户编号", "区划代码", "身份证号", "年度", "是否参保", "政府代缴金额"],
        .project: ["项目编号", "项目类型", "户编号", "区划代码", "身份证号", "实施日期", "项目金额"],
        .subsidy: ["户编号", "区划代码", "身份证号", "补贴类型", "发放月份", "发放金额"],
        .expense: ["户编号", "区划代码", "身份证号", "支出类型", "自付金额", "发生日期", "报送部门"],
        .life: ["户编号", "区划代码", "身份证号", "事件类型", "发生日期"],
        .decision: ["户编号", "区划代码", "决定类型", "决定日期", "决定单位", "监测对象类型", "帮扶措施", "回复编号"],
        .document: ["文件编号", "文件类别", "标题", "成文日期", "项目阶段", "文件哈希", "区划代码"],
    ]
}

/// The open sinks of one simulation run, one per record kind, plus per-file bookkeeping for the
/// ground truth (bad rows and duplicates written).
final class FileSet {
    private(set) var sinks: [FileSink] = []
    var rejectedRows: [Int] = []
    var duplicateRows: [Int] = []

    init(directory: String) throws {
        for f in Simulator.files {
            let s = try FileSink(directory: directory, name: f.name, encoding: f.encoding)
            if let h = Simulator.headers[f.kind] { s.header(h) }
            sinks.append(s)
        }
        rejectedRows = [Int](repeating: 0, count: sinks.count)
        duplicateRows = rejectedRows
    }

    func index(_ kind: RecordKind) -> Int { Simulator.files.firstIndex { $0.kind == kind }! }
    func sink(_ kind: RecordKind) -> FileSink { sinks[index(kind)] }
    func sink(named name: String) -> FileSink { sinks[Simulator.files.firstIndex { $0.name == name }!] }

    func close() throws {
        for s in sinks { try s.close() }
    }
}

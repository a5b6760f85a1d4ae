import GongguCore
import GongguEvents

/// A lookup from the spellings offices use (Chinese and English; ASCII compared case-insensitively,
/// spaces and `_` ignored) to an enumeration value.
struct EnumTable<Value>: @unchecked Sendable {
    /// Spellings in normalised form (ASCII lower-cased, spaces and `_` removed), each with its
    /// value and the ordinal of its entry (which stands for the value in fingerprints). Tables are
    /// small, so a linear scan over bytes beats hashing strings (which normalises Unicode).
    private var spellings: [(key: [UInt8], value: Value, ordinal: UInt8)] = []
    /// The spellings listed in rejection messages.
    let allowed: String

    init(_ entries: [([String], Value)], allowed: String) {
        for (ordinal, (names, value)) in entries.enumerated() {
            for name in names { spellings.append((EnumTable.normalised(Array(name.utf8)), value, UInt8(ordinal))) }
        }
        self.allowed = allowed
    }

    static func normalised<C: Collection>(_ v: C) -> [UInt8] where C.Element == UInt8 {
        v.compactMap { b in
            if b == 0x20 || b == UInt8(ascii: "_") || b == 0x09 { return nil }
            return b >= 65 && b <= 90 ? b + 32 : b
        }
    }

    func lookup(_ v: Bytes) -> Value? { entry(v)?.0 }

    /// The value and the ordinal of its entry.
    func entry(_ raw: Bytes) -> (Value, UInt8)? {
        let v = ByteText.trim(raw)
        var plain = true
        for b in v where b == 0x20 || b == UInt8(ascii: "_") || b == 0x09 {
            plain = false
            break
        }
        if !plain {
            let key = EnumTable.normalised(v)
            return key.withUnsafeBufferPointer { find($0) }
        }
        return find(v)
    }

    /// Linear scan; ASCII letters of the input compare case-insensitively.
    private func find(_ v: Bytes) -> (Value, UInt8)? {
        let n = v.count
        outer: for s in spellings where s.key.count == n {
            for i in 0..<n {
                var b = v[i]
                if b >= 65 && b <= 90 { b += 32 }
                if b != s.key[i] { continue outer }
            }
            return (s.value, s.ordinal)
        }
        return nil
    }
}

/// The enumeration tables of docs/INTAKE.md §4.
enum Enums {
    static let labour = EnumTable<LabourCapacity>(
        [
            (["有劳动力", "普通劳动力", "技能劳动力", "full", "able"], .full),
            (["弱劳动力", "半劳动力", "弱劳动力或半劳动力", "weak", "partial"], .weak),
            (["无劳动力", "丧失劳动力", "none", "no"], .none),
        ], allowed: "有劳动力、弱劳动力、无劳动力（或 full、weak、none）")

    static let category = EnumTable<DisabilityCategory>(
        DisabilityCategory.allCases.map { c in
            ([String(c.rawValue), c.chinese, c.chinese + "残疾", "\(c)"], c)
        }, allowed: "1–7 或 视力、听力、言语、肢体、智力、精神、多重（或 visual、hearing、speech、physical、intellectual、mental、multiple）")

    static let grade = EnumTable<Int>(
        [
            (["1", "一级", "1级", "一", "I"], 1), (["2", "二级", "2级", "二", "II"], 2),
            (["3", "三级", "3级", "三", "III"], 3), (["4", "四级", "4级", "四", "IV"], 4),
        ], allowed: "1–4 或 一级、二级、三级、四级")

    static let poverty = EnumTable<PovertyStatus>(
        [
            (["脱贫户", "脱贫", "已脱贫户", "lifted"], .lifted),
            (["脱贫不稳定户", "monitoredUnstable", "unstable"], .monitoredUnstable),
            (["边缘易致贫户", "monitoredMarginal", "marginal"], .monitoredMarginal),
            (["突发严重困难户", "monitoredSudden", "sudden"], .monitoredSudden),
            (["一般户", "一般农户", "ordinary"], .ordinary),
        ], allowed: "脱贫户、脱贫不稳定户、边缘易致贫户、突发严重困难户、一般户（或 lifted、unstable、marginal、sudden、ordinary）")

    static let programme = EnumTable<AssistanceProgramme>(
        [
            (["低保", "最低生活保障", "低保户", "dibao"], .dibao),
            (["低保边缘", "低保边缘户", "低保边缘家庭", "dibaoMarginal", "marginal"], .dibaoMarginal),
            (["特困", "特困供养", "特困人员", "特困人员救助供养", "tekun"], .tekun),
        ], allowed: "低保、低保边缘、特困供养（或 dibao、dibaoMarginal、tekun）")

    static let stopReason = EnumTable<StopReason>(
        [
            (["死亡", "death"], .death), (["户籍迁出本省", "迁出", "户籍迁出", "movedOut"], .movedOut),
            (["骗取", "fraud"], .fraud), (["复核不合格", "failedReview"], .failedReview),
            (["本人申请退出", "自愿退出", "申请退出", "withdrawn"], .withdrawn),
            (["收入超过标准", "收入超标", "incomeAboveLine"], .incomeAboveLine),
            (["条件变化", "eligibilityChanged"], .eligibilityChanged), (["其他", "other"], .other),
        ], allowed: "死亡、户籍迁出本省、骗取、复核不合格、本人申请退出、收入超过标准、条件变化、其他")

    static let subsidy = EnumTable<SubsidyKind>(
        [
            (["困难残疾人生活补贴", "生活补贴", "living"], .living),
            (["重度残疾人护理补贴", "护理补贴", "nursing"], .nursing),
        ], allowed: "生活补贴、护理补贴（或 living、nursing）")

    static let expense = EnumTable<ExpenseKind>(
        [
            (["住院", "住院自付", "住院自付费用", "inpatient"], .inpatient),
            (["门诊", "门诊自付", "门诊自付费用", "outpatient"], .outpatient),
            (["教育", "教育支出", "上学", "schooling"], .schooling),
            (["灾害", "灾害损失", "因灾", "disaster"], .disaster),
            (["意外", "意外事故", "意外事故损失", "accident"], .accident),
        ], allowed: "住院、门诊、教育、灾害、意外（或 inpatient、outpatient、schooling、disaster、accident）")

    static let project = EnumTable<ProjectKind>(
        [
            (["康复", "康复服务", "康复救助", "残疾儿童康复救助", "rehabilitation"], .rehabilitation),
            (["培训", "实用技术培训", "training"], .training),
            (["产业扶持", "生产扶持", "productionSupport", "production"], .productionSupport),
            (["无障碍改造", "无障碍", "accessibility"], .accessibility),
        ], allowed: "康复服务、实用技术培训、产业扶持、无障碍改造（或 rehabilitation、training、productionSupport、accessibility）")

    static let life = EnumTable<LifeEventKind>(
        [(["死亡", "death"], .death), (["户籍迁出本省", "迁出", "户籍迁出", "movedOut"], .movedOut)],
        allowed: "死亡、户籍迁出本省（或 death、movedOut）")

    static let decision = EnumTable<BureauDecisionKind>(
        [
            (["确认纳入监测", "确认纳入", "纳入监测", "inclusionConfirmed", "confirmed"], .inclusionConfirmed),
            (["不予纳入监测", "不予纳入", "inclusionDeclined", "declined"], .inclusionDeclined),
            (["确认风险消除", "风险消除", "riskEliminated", "eliminated"], .riskEliminated),
            (["落实帮扶措施", "帮扶措施", "measureTaken"], .measureTaken),
        ], allowed: "确认纳入监测、不予纳入监测、确认风险消除、落实帮扶措施")

    static let flag = EnumTable<Bool>(
        [
            (["是", "有", "Y", "yes", "true", "1", "√"], true),
            (["否", "无", "N", "no", "false", "0", "×"], false),
        ], allowed: "是/否（或 Y/N、1/0）")

    static let hardship = EnumTable<String>(
        [
            (["收入", "收入下降", "收入低", "income"], "income"), (["疾病", "因病", "患病", "illness"], "illness"),
            (["住房", "住房安全", "housing"], "housing"), (["饮水", "饮水安全", "water"], "water"),
            (["上学", "教育", "因学", "schooling"], "schooling"), (["残疾", "因残", "disability"], "disability"),
            (["灾害", "因灾", "disaster"], "disaster"), (["缺劳动力", "劳动力", "labour"], "labour"),
            (["意外", "意外事故", "accident"], "accident"), (["务工", "就业", "employment"], "employment"),
            (["其他", "other"], "other"),
        ], allowed: "收入、疾病、住房、饮水、上学、残疾、灾害、缺劳动力、意外、务工、其他")

    static let documentCategory = EnumTable<String>(
        [(["政策", "政策文件", "policy"], "policy"), (["项目", "项目档案", "project"], "project")],
        allowed: "政策文件、项目档案（或 policy、project）")

    static let documentStage = EnumTable<String>(
        [
            (["调研", "research"], "research"), (["会议", "meeting"], "meeting"), (["资金", "funds"], "funds"),
            (["实施", "执行", "execution"], "execution"), (["受益人", "受益对象", "beneficiaries"], "beneficiaries"),
        ], allowed: "调研、会议、资金、实施、受益对象（或 research、meeting、funds、execution、beneficiaries）")
}

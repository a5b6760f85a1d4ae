import GongguCore
import GongguEvents

/// Chinese texts for staff: amounts, household descriptions and reasons. Resident IDs appear only
/// masked (`PersonalDataMask.maskID`).
enum Texts {
    /// Fen as yuan: `800000` → `8000元`, `123456` → `1234.56元`.
    static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let v = fen.magnitude
        let cents = v % 100
        return sign + "\(v / 100)" + (cents == 0 ? "" : cents < 10 ? ".0\(cents)" : ".\(cents)") + "元"
    }

    /// Chinese name of a home-visit hardship indicator.
    static func hardship(_ code: String) -> String {
        switch code {
        case "income": return "收入"
        case "illness": return "疾病"
        case "medical": return "医疗"
        case "housing": return "住房"
        case "water": return "饮水"
        case "schooling": return "上学"
        case "disaster": return "灾害"
        case "disability": return "残疾"
        case "labour": return "劳动力"
        case "accident": return "意外事故"
        case "business": return "产业经营"
        case "employment": return "务工就业"
        default: return code
        }
    }

    /// `PersonalDataMask.maskID`, with a fast path for ASCII IDs (the normal case: normalised by intake).
    static func maskID(_ id: String) -> String {
        let utf8 = id.utf8
        guard utf8.count >= 10, utf8.allSatisfy({ $0 < 0x80 }) else { return PersonalDataMask.maskID(id) }
        return utf8.withContiguousStorageIfAvailable { b -> String in
            var out = [UInt8](b)
            for i in 6..<(b.count - 4) { out[i] = UInt8(ascii: "*") }
            return String(decoding: out, as: UTF8.self)
        } ?? PersonalDataMask.maskID(id)
    }

    /// The household's current status label.
    static func status(_ hh: HouseholdState) -> String {
        if let t = hh.monitoredType { return "监测户（\(t.chinese)）" }
        return hh.baseStatus?.chinese ?? "户类型未记录"
    }

    /// `户编号H001（区划220102001001，脱贫户）`.
    static func household(_ id: String, _ hh: HouseholdState) -> String {
        "户编号\(id)（区划\(hh.region)，\(status(hh))）"
    }

    /// The members with disabilities: names, masked IDs, category and grade.
    static func disabledMembers(_ hh: HouseholdState) -> String {
        let disabled = hh.members.filter { $0.category != 0 && $0.present }
        guard !disabled.isEmpty else { return "家庭成员中暂无在册残疾人记录。" }
        let list = disabled.map { m -> String in
            let category = DisabilityCategory(rawValue: Int(m.category))?.chinese ?? "未知类别"
            let name = m.name.isEmpty ? "（姓名未记录）" : m.name
            return "\(name)（身份证号\(maskID(m.personID))，\(category)残疾\(HouseholdState.gradeText(m.grade))）"
        }
        return "家庭残疾成员：" + list.joined(separator: "；") + "。"
    }

    /// Risk type codes of the active signals, sorted and unique.
    static func riskTypes(_ hh: HouseholdState, _ rules: RiskRules) -> [String] {
        var codes = Set<String>()
        for s in hh.signals {
            if s.signal == .visitHardship {
                for h in hh.visitHardship { codes.insert(rules.hardshipTypes[h] ?? rules.otherRiskType) }
            } else {
                codes.insert(rules.riskTypes[Int(s.signal.rawValue)])
            }
        }
        return codes.sorted()
    }

    /// `01因病、03因残`.
    static func typeList(_ codes: [String], _ rules: RiskRules) -> String {
        codes.isEmpty ? "无" : codes.map { $0 + rules.typeName($0) }.joined(separator: "、")
    }

    /// One reason sentence per active signal, with its figures.
    static func reason(_ s: ActiveSignal, _ hh: HouseholdState) -> String {
        let date = Calendar.text(s.day)
        switch s.signal {
        case .incomeBelowLine:
            return "\(hh.incomeYear)年度家庭人均纯收入\(yuan(s.amount))，低于监测线\(yuan(s.threshold))"
        case .incomeSharpFall:
            return "\(s.detail)，达到大幅下降标准（\(s.threshold)%）"
        case .inpatient:
            return "\(s.detail)住院自付费用累计\(yuan(s.amount))，达到\(hh.isLifted ? "脱贫户" : "一般户")标准\(yuan(s.threshold))"
        case .outpatient:
            return "\(s.detail)门诊自付费用累计\(yuan(s.amount))，达到每月\(yuan(s.threshold))标准"
        case .schooling:
            return "\(s.detail)教育支出累计\(yuan(s.amount))，达到\(yuan(s.threshold))标准"
        case .disaster:
            return "\(s.detail)灾害损失累计\(yuan(s.amount))，达到\(yuan(s.threshold))标准"
        case .accident:
            return "\(s.detail)意外事故损失累计\(yuan(s.amount))，达到\(yuan(s.threshold))标准"
        case .disability:
            return "\(date)残疾信息更新：\(s.detail)"
        case .labourLoss:
            return "\(date)\(s.detail)"
        case .visitHardship:
            return "\(date)走访发现困难：\(hh.visitHardship.map(hardship).joined(separator: "、"))"
        case .selfApplication:
            return "农户于\(date)自主申报纳入监测"
        case .benefitLoss:
            return "帮扶待遇中断或应享未享（\(s.detail)），共\(s.amount)项待核实"
        }
    }

    static func reasons(_ hh: HouseholdState) -> String {
        hh.signals.sorted { $0.signal.rawValue < $1.signal.rawValue }.enumerated()
            .map { "（\($0.offset + 1)）\(reason($0.element, hh))" }.joined(separator: "；")
    }
}

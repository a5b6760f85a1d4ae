import GongguCore
import GongguEvents

/// Raising and resolving findings, with their Chinese texts (docs/RULES-verify.md, "Findings").
extension VerifyFold {
    /// `户编号H1（区划代码220102001001）`.
    func householdText(_ h: Int32) -> String {
        let hh = households[Int(h)]
        return "户编号\(hh.id)（区划代码\(hh.region)）"
    }

    /// `张三（身份证号220102********1234，肢体残疾二级）`; the resident ID is always masked.
    func personText(_ i: Int32) -> String {
        let p = persons[Int(i)]
        var parts = ["身份证号\(PersonalDataMask.maskID(p.id))"]
        if let c = p.categoryValue, p.grade > 0 { parts.append("\(c.chinese)残疾\(p.grade)级") }
        return "\(p.name.isEmpty ? "（姓名未登记）" : p.name)（\(parts.joined(separator: "，"))）"
    }

    func displayName(_ i: Int32) -> String {
        let p = persons[Int(i)]
        return p.name.isEmpty ? PersonalDataMask.maskID(p.id) : p.name
    }

    /// The household's disabled members, for findings about the whole household.
    func membersText(_ h: Int32) -> String {
        let m = households[Int(h)].members.filter { persons[Int($0)].has(PersonFlags.surveyed) }
        return m.isEmpty ? "（无登记残疾成员）" : m.map { personText($0) }.joined(separator: "、")
    }

    static func hex(_ ids: [EventID]) -> [String] {
        var seen = Set<EventID>()
        return ids.filter { $0 != .zero && seen.insert($0).inserted }.map(\.description)
    }

    mutating func remember(_ key: OpenKey, _ f: OpenFinding) {
        open[key] = f
        if !key.household, key.period == 0 {
            persons[Int(key.subject)].open |= 1 << (UInt16(key.measure) + (key.discontinuation ? 8 : 0))
        }
    }

    mutating func raiseGap(
        person i: Int32, _ measure: Measure, from: Int32, to: Int32, months: Int, why: String, evidence: [EventID],
        thresholds: [(String, Int)], key: OpenKey, findingSuffix: String? = nil,
        rules r: (rules: VerifyRules, version: String), _ out: inout Emitter
    ) {
        let p = persons[Int(i)]
        let id = "gap|\(p.id)|\(measure.rawValue)|\(findingSuffix ?? BusinessCalendar.monthText(Int(from)))"
        guard !raised.contains(id) else { return }
        let (f, t) = (BusinessCalendar.monthText(Int(from)), BusinessCalendar.monthText(Int(to)))
        let ruleID = "verify.gap.\(measure.rawValue)"
        let title = "应享未享：\(displayName(i)) \(measure.chinese) \(months)个月未享受"
        let what = measure == .pension
            ? "但\(f.prefix(4))年未记录不低于最低档次的政府代缴保费"
            : "但自\(f)至\(t)已连续\(months)个月未享受"
        let summary = "\(householdText(p.household))的残疾人\(personText(i))：\(why)，应享受\(measure.chinese)，\(what)。"
            + "依据规则\(ruleID)（版本\(r.version)）。请核实申请和发放情况，符合条件的及时纳入、足额发放。"
        let finding = EntitlementGap(
            findingID: id, householdID: households[Int(p.household)].id, personID: p.id, measure: measure,
            periodFrom: f, periodTo: t, title: title, summary: summary, ruleID: ruleID, ruleVersion: r.version,
            evidence: Self.hex(evidence), thresholds: thresholds, months: months)
        raised.insert(id)
        remember(key, OpenFinding(findingID: id, household: p.household, person: i, measure: measure,
                                  discontinuation: false, from: from, ruleVersion: r.version))
        out.emit(finding, findingID: id, householdID: finding.householdID, region: households[Int(p.household)].region)
    }

    mutating func raiseDiscontinuation(
        person i: Int32, _ measure: Measure, from: Int32, to: Int32, months: Int, lastReceived: Int32, why: String,
        evidence: [EventID], rules r: (rules: VerifyRules, version: String), _ out: inout Emitter,
        key: OpenKey? = nil
    ) {
        let p = persons[Int(i)]
        let id = "discontinued|\(p.id)|\(measure.rawValue)|\(BusinessCalendar.monthText(Int(from)))"
        guard !raised.contains(id) else { return }
        let (f, t) = (BusinessCalendar.monthText(Int(from)), BusinessCalendar.monthText(Int(to)))
        let ruleID = "verify.discontinued.\(measure.rawValue)"
        let title = "帮扶措施中断：\(displayName(i)) \(measure.chinese) 自\(f)起中断"
        let summary = "\(householdText(p.household))为脱贫户，残疾人\(personText(i))此前享受的\(measure.chinese)"
            + "（最后享受：\(BusinessCalendar.monthText(Int(lastReceived)))）自\(f)起未再享受，至\(t)共\(months)个月；"
            + "其仍符合条件（\(why)），且未记录停止原因或条件变化。按照“四个不摘”要求，"
            + "依据规则\(ruleID)（版本\(r.version)），请核实中断原因，无正当理由的及时恢复。"
        let finding = AssistanceDiscontinued(
            findingID: id, householdID: households[Int(p.household)].id, personID: p.id, measure: measure,
            periodFrom: f, periodTo: t, title: title, summary: summary, ruleID: ruleID, ruleVersion: r.version,
            evidence: Self.hex(evidence),
            thresholds: [("discontinuationMonths", r.rules.discontinuationMonths), ("months", months)],
            months: months)
        raised.insert(id)
        let k = key ?? OpenKey(subject: i, household: false, discontinuation: true, measure: UInt8(measure.index))
        remember(k, OpenFinding(findingID: id, household: p.household, person: i, measure: measure,
                                discontinuation: true, from: from, ruleVersion: r.version))
        out.emit(finding, findingID: id, householdID: finding.householdID, region: households[Int(p.household)].region)
    }

    /// A 低保 span (of the household, or one person's 单人户施保) stopped with no reason.
    mutating func raiseDiscontinuation(
        household h: Int32, person i: Int32, from: Int32, to: Int32, months: Int, lastReceived: Int32,
        evidence: [EventID], key: OpenKey, _ e: Event, _ out: inout Emitter
    ) {
        let hh = households[Int(h)]
        let subject = i >= 0 ? persons[Int(i)].id : hh.id
        let f = BusinessCalendar.monthText(Int(from))
        let id = "discontinued|\(subject)|dibao|\(f)"
        guard !raised.contains(id) else { return }
        let r = rules(h, month: from)
        let ruleID = "verify.discontinued.dibao"
        let who = i >= 0 ? "残疾人\(personText(i))按单人户享受的低保" : "家庭享受的低保（残疾成员：\(membersText(h))）"
        let title = "帮扶措施中断：\(i >= 0 ? displayName(i) : "户\(hh.id)") 低保 自\(f)起停止"
        let summary = "\(householdText(h))为脱贫户，\(who)已于\(BusinessCalendar.monthText(Int(lastReceived)))"
            + "停发，民政记录未注明停止原因，也未发现死亡、迁出等情况。按照“四个不摘”要求，"
            + "依据规则\(ruleID)（版本\(r.version)），请向民政部门核实停发原因，无正当理由的及时恢复。"
        let finding = AssistanceDiscontinued(
            findingID: id, householdID: hh.id, personID: i >= 0 ? persons[Int(i)].id : nil, measure: .dibao,
            periodFrom: f, periodTo: BusinessCalendar.monthText(Int(to)), title: title, summary: summary,
            ruleID: ruleID, ruleVersion: r.version, evidence: Self.hex(evidence),
            thresholds: [("stopMonth", Int(lastReceived))], months: months)
        raised.insert(id)
        remember(key, OpenFinding(findingID: id, household: h, person: i, measure: .dibao,
                                  discontinuation: true, from: from, ruleVersion: r.version))
        out.emit(finding, findingID: id, householdID: hh.id, region: hh.region)
    }

    /// Closes an open finding because of the current input event.
    mutating func resolve(_ key: OpenKey, reason: String, _ out: inout Emitter) {
        guard let f = open.removeValue(forKey: key) else { return }
        if !key.household, key.period == 0 {
            persons[Int(key.subject)].open &= ~(1 << (UInt16(key.measure) + (key.discontinuation ? 8 : 0)))
        }
        let hh = households[Int(f.household)]
        let who = f.person >= 0 ? "残疾人\(personText(f.person))" : "残疾成员\(membersText(f.household))"
        let subject = f.person >= 0 ? displayName(f.person) : "户\(hh.id)"
        let what = "\(f.discontinuation ? "帮扶措施中断" : "应享未享")：\(subject) \(f.measure.chinese)"
            + "（自\(BusinessCalendar.monthText(Int(f.from)))起）"
        let payload = FindingResolved(
            findingID: f.findingID, householdID: hh.id, personID: f.person >= 0 ? persons[Int(f.person)].id : nil,
            measure: f.measure, resolvedBy: out.cause.id.description,
            title: "已解决：\(what)",
            summary: "\(householdText(f.household))，\(who)：此前发现的问题“\(what)”已由后续记录解决（\(reason)）。"
                + "无需再处理。",
            ruleID: f.ruleID, ruleVersion: f.ruleVersion, evidence: [out.cause.id.description])
        out.emit(payload, findingID: f.findingID, householdID: hh.id, region: hh.region)
    }
}

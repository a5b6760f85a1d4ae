import GongguCore
import GongguEvents
import GongguRisk
import GongguVerify

extension AsOfReport {
    /// The report as Chinese/English text.
    public func text(_ style: EventText) -> String {
        var out: [String] = []
        out.append(
            "截至 as of \(InstantText.format(instant)) (CST) — 主体 subject \(style.mask(subject.asked))"
                + (subject.isPerson
                    ? "（居民身份证号 resident ID; 所在户 households: \(subject.households.joined(separator: ", "))）" : ""))
        out.append("重建 rebuilt from:")
        for r in rebuilds {
            out.append(
                "  \(r.service): \(r.log) 至 through seq \(r.lastSeq)"
                    + "（本日志 own \(r.ownEvents) 件，上游 upstream \(r.upstreamEvents) 件） digest \(r.stateDigest)")
        }
        if households.isEmpty { out.append("未找到该户 no household found for this subject") }
        for h in households {
            out.append("")
            out.append("== 户 household \(style.mask(h.householdID)) ==")
            let region = h.verify?.region ?? h.risk?.region ?? ""
            out.append("区划 region \(region)")
            if let v = h.verify {
                var status = "户类型 status: \(v.status.map { "\($0.chinese) \($0.rawValue)" } ?? "未登记 not recorded")"
                if v.leftPoverty { status += "；脱贫 left poverty\(v.liftedMonth.map { " \($0)" } ?? "")" }
                out.append(status)
            }
            if let r = h.risk {
                var line = "风险 risk: \(r.level.chinese) \(r.level.key)"
                if let t = r.monitoredType { line += "；监测中 monitored as \(t.chinese) since \(r.monitoredSince ?? "")" }
                if r.noLabourCapacity { line += "；无劳动能力 no labour capacity" }
                out.append(line)
                for s in h.signals {
                    out.append(
                        "  信号 signal \(s.key) 于 on \(s.date): \(s.amount) / 阈值 threshold \(s.threshold)"
                            + "  依据 evidence \(s.evidence.joined(separator: ","))")
                }
                for o in r.openRecommendations {
                    out.append(
                        "  待答复建议 open recommendation \(o.kind) \(o.date) id \(o.id)"
                            + "（逾期 overdue periods \(o.overduePeriods)）")
                }
                for d in r.recentDecisions { out.append("  近期决定 recent decision \(d.date) \(d.type) \(d.id)") }
            } else {
                out.append("风险 risk: 风险监测未知此户 unknown to the risk monitor at that instant")
            }
            out.append("成员 members:")
            if h.members.isEmpty { out.append("  （无 none known）") }
            for m in h.members {
                var line = "  \(style.mask(m.personID)) \(m.name) 劳动能力 labour \(m.labour.chinese)"
                if let c = m.category { line += " 残疾 \(c.chinese) \(m.grade)级" }
                if !m.present { line += "（已不在户 no longer in the household）" }
                out.append(line)
            }
            out.append("残疾证 cards:")
            if h.cards.isEmpty { out.append("  （无 none recorded）") }
            for c in h.cards {
                out.append(
                    "  \(style.mask(c.personID)) \(c.name) 证号 card \(style.mask(c.cardNumber))"
                        + " \(c.category.chinese) \(c.grade)级 \(c.surveyYear)年调查 survey  来源 \(c.sourceFile):\(c.sourceLine)  事件 \(c.eventID)")
            }
            if let v = h.verify {
                out.append("待遇 benefits（核查参照月 reference month \(v.referenceMonth ?? "无 none")）:")
                for p in v.persons {
                    var line = "  \(style.mask(p.personID)) \(p.name)"
                    if let life = p.lifeEvent {
                        line += "（\(life == "death" ? "死亡 died" : "迁出 moved out") \(p.lifeMonth ?? "")）"
                    }
                    out.append(line)
                    if p.entitlements.isEmpty { out.append("    无应享待遇 no entitlement in the reference month") }
                    for m in p.entitlements {
                        out.append(
                            "    \(m.measure.chinese) \(m.measure.rawValue): "
                                + (m.receiving ? "在享 receiving" : "未享 not receiving，缺 \(m.monthsWithout) 个月 months")
                                + (m.lastReceived.map { "，最近 last \($0)" } ?? "") + "（\(m.why)）")
                    }
                }
                for s in v.programmes {
                    out.append(
                        "  救助 assistance \(s.programme.chinese) \(s.startMonth)–\(s.stopMonth ?? "")"
                            + (s.personID.map { " 单人 person \(style.mask($0))" } ?? "")
                            + (s.stopReason.map { " 停止原因 \($0.chinese)" } ?? "") + " 月额 \(s.monthlyFen) 分")
                }
                out.append("未结核查发现 open findings: \(v.openFindings.isEmpty ? "无 none" : "")")
                for f in v.openFindings {
                    out.append(
                        "  \(f.type) \(f.measure.chinese) 自 from \(f.fromMonth) \(style.mask(f.findingID))"
                            + " 规则 \(f.ruleID)@\(f.ruleVersion)")
                }
            } else {
                out.append("待遇 benefits: 核查服务未知此户 unknown to the verifier at that instant")
            }
            out.append("通知 notifications: \(h.notifications.isEmpty ? "无 none" : "")")
            for n in h.notifications {
                out.append(
                    "  \(n.created) → \(n.recipient) \(n.sourceType)\(n.isEscalation ? "（督办 escalation）" : "")"
                        + " 送达 deliveries \(n.deliveries)，"
                        + (n.acknowledged.map { "已确认 acknowledged \($0)" } ?? "未确认 not acknowledged")
                        + (n.escalated ? "，已督办 escalated" : "") + "  id \(n.notificationID)")
            }
        }
        return out.joined(separator: "\n")
    }

    /// The report as one JSON document.
    public func json(_ style: EventText) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("instant", InstantText.format(instant))
        w.field("instantMillis", Int(instant))
        w.field("subject", subject.asked)
        w.field("subjectIsPerson", subject.isPerson)
        w.field("householdIDs", subject.households)
        w.objects("rebuilt", rebuilds) { w, r in
            w.field("service", r.service)
            w.field("log", r.log)
            w.field("lastSeq", Int(r.lastSeq))
            w.field("ownEvents", r.ownEvents)
            w.field("upstreamEvents", r.upstreamEvents)
            w.field("stateDigest", r.stateDigest)
        }
        w.key("households")
        w.beginArray()
        for h in households { Self.write(h, to: &w) }
        w.endArray()
        w.endObject()
        return style.mask(w.string)
    }

    static func write(_ h: HouseholdAsOf, to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", h.householdID)
        if let r = h.risk {
            w.object(Service.risk.rawValue) { w in
                w.field("region", r.region)
                w.field("level", r.level.key)
                w.field("riskTypes", r.riskTypes)
                w.field("signals", r.signals)
                w.field("baseStatus", r.baseStatus?.rawValue)
                w.field("monitoredType", r.monitoredType?.rawValue)
                w.field("monitoredSince", r.monitoredSince)
                w.field("noLabourCapacity", r.noLabourCapacity)
                w.objects("openRecommendations", r.openRecommendations) { w, o in
                    w.field("id", o.id)
                    w.field("kind", o.kind)
                    w.field("date", o.date)
                    w.field("overduePeriods", o.overduePeriods)
                }
                w.objects("signalDetails", h.signals) { w, s in
                    w.field("key", s.key)
                    w.field("date", s.date)
                    w.field("amount", s.amount)
                    w.field("threshold", s.threshold)
                    w.field("evidence", s.evidence)
                }
            }
        }
        w.objects("members", h.members) { w, m in
            w.field("personID", m.personID)
            w.field("name", m.name)
            w.field("labour", m.labour.rawValue)
            w.field("category", m.category?.rawValue)
            w.field("grade", m.grade == 0 ? nil : m.grade)
            w.field("present", m.present)
        }
        w.objects("cards", h.cards) { w, c in
            w.field("personID", c.personID)
            w.field("cardNumber", c.cardNumber)
            w.field("category", c.category.rawValue)
            w.field("grade", c.grade)
            w.field("surveyYear", c.surveyYear)
            w.field("eventID", c.eventID)
            w.field("source", "\(c.sourceFile):\(c.sourceLine)")
        }
        if let v = h.verify {
            w.object(Service.verify.rawValue) { w in
                w.field("region", v.region)
                w.field("status", v.status?.rawValue)
                w.field("leftPoverty", v.leftPoverty)
                w.field("liftedMonth", v.liftedMonth)
                w.field("referenceMonth", v.referenceMonth)
                w.objects("persons", v.persons) { w, p in
                    w.field("personID", p.personID)
                    w.field("name", p.name)
                    w.field("category", p.category?.rawValue)
                    w.field("grade", p.grade)
                    w.field("flags", p.flags)
                    w.field("lifeEvent", p.lifeEvent)
                    w.field("lifeMonth", p.lifeMonth)
                    w.objects("entitlements", p.entitlements) { w, m in
                        w.field("measure", m.measure.rawValue)
                        w.field("receiving", m.receiving)
                        w.field("monthsWithout", m.monthsWithout)
                        w.field("lastReceived", m.lastReceived)
                        w.field("why", m.why)
                    }
                }
                w.objects("assistance", v.programmes) { w, s in
                    w.field("programme", s.programme.rawValue)
                    w.field("personID", s.personID)
                    w.field("startMonth", s.startMonth)
                    w.field("stopMonth", s.stopMonth)
                    w.field("stopReason", s.stopReason?.rawValue)
                    w.field("monthlyFen", s.monthlyFen)
                }
                w.objects("openFindings", v.openFindings) { w, f in
                    w.field("findingID", f.findingID)
                    w.field("type", f.type)
                    w.field("measure", f.measure.rawValue)
                    w.field("personID", f.personID)
                    w.field("fromMonth", f.fromMonth)
                    w.field("ruleID", f.ruleID)
                    w.field("ruleVersion", f.ruleVersion)
                }
            }
        }
        w.objects("notifications", h.notifications) { w, n in
            w.field("notificationID", n.notificationID)
            w.field("recipient", n.recipient)
            w.field("sourceType", n.sourceType)
            w.field("isEscalation", n.isEscalation)
            w.field("created", n.created)
            w.field("deliveries", n.deliveries)
            w.field("acknowledged", n.acknowledged)
            w.field("escalated", n.escalated)
        }
        w.endObject()
    }
}

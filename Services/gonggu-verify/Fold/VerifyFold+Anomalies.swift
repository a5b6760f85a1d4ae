import GongguCore
import GongguEvents

/// Payment anomalies: after death or move-out, twice for one month, while excluded, out of band.
extension VerifyFold {
    mutating func checkPayment(person i: Int32, kind: SubsidyKind, month m: Int32, amountFen: Int, _ e: Event,
                               _ out: inout Emitter) {
        let fresh = kind == .living
            ? persons[Int(i)].living.record(m, evidence: e.id) : persons[Int(i)].nursing.record(m, evidence: e.id)
        let h = persons[Int(i)].household
        let r = rules(h, month: m)
        let measure = Measure(kind)
        // The month's text only for an anomaly: most payments raise none.
        var monthText: String?
        func raise(_ self: inout VerifyFold, _ k: AnomalyKind, _ detail: String, _ extra: [EventID] = [],
                   _ thresholds: [(String, Int)] = [("amountFen", amountFen)]) {
            let mt = mt()
            self.anomaly(person: i, measure: measure, kind: k, monthText: mt, periodTo: mt, key: mt,
                         amountFen: amountFen, rules: r, thresholds: thresholds, detail: detail,
                         evidence: [e.id] + extra, e, &out)
        }
        func mt() -> String {
            if let monthText { return monthText }
            let text = BusinessCalendar.monthText(Int(m))
            monthText = text
            return text
        }
        if !fresh { raise(&self, .duplicate, "\(mt())的\(kind.chinese)重复发放（本次\(yuan(amountFen))）") }
        checkAfterLife(person: i, kind: kind, month: m, amountFen: amountFen, e, &out)
        for x in subsidyExclusions(i, kind, month: m, rules: r.rules) {
            raise(&self, x.kind, "\(x.kind.exclusionText!)，按规定不享受\(kind.chinese)，却领取了\(mt())的该项补贴"
                  + yuan(amountFen), [x.evidence])
        }
        let band = r.rules.band(kind)
        if amountFen < band.minFen || amountFen > band.maxFen {
            raise(&self, .amountOutOfBand,
                  "\(mt())的\(kind.chinese)发放\(yuan(amountFen))，超出本地区标准范围\(yuan(band.minFen))至\(yuan(band.maxFen))",
                  [], [("minFen", band.minFen), ("maxFen", band.maxFen), ("amountFen", amountFen)])
        }
    }

    /// A payment for month `m` after the month of death or move-out (payments stop from the month after).
    mutating func checkAfterLife(person i: Int32, kind: SubsidyKind, month m: Int32, amountFen: Int?, _ e: Event,
                                 _ out: inout Emitter) {
        // Fields read in place first: nearly every payment is for a living person.
        guard persons[Int(i)].lifeKind != 0, m > persons[Int(i)].lifeMonth else { return }
        let p = persons[Int(i)]
        let mt = BusinessCalendar.monthText(Int(m)), lm = BusinessCalendar.monthText(Int(p.lifeMonth))
        let death = p.lifeKind == 1
        let t = p.track(kind)
        let life = extras.lifeEvidence[i] ?? .zero
        var evidence = [life]
        if t.last == m { evidence.append(t.lastEvidence) }
        if e.id != life { evidence.insert(e.id, at: 0) }
        let detail = "于\(lm)\(death ? "死亡" : "户籍迁出本省")，应自次月起停发，但仍发放了\(mt)的\(kind.chinese)"
            + (amountFen.map { yuan($0) } ?? "")
        anomaly(person: i, measure: Measure(kind), kind: death ? .afterDeath : .afterMoveOut, monthText: mt,
                periodTo: mt, key: mt, amountFen: amountFen, rules: rules(p.household, month: m),
                thresholds: [("lifeEventMonth", Int(p.lifeMonth)), ("paidMonth", Int(m))], detail: detail,
                evidence: evidence, e, &out)
    }

    /// A 特困 span recorded after subsidies were paid: those payments are anomalies too.
    mutating func retroTekun(household h: Int32, span s: ProgrammeSpan, _ e: Event, _ out: inout Emitter) {
        let members = s.person >= 0 ? [s.person] : households[Int(h)].members
        for i in members {
            for kind in SubsidyKind.allCases {
                let t = persons[Int(i)].track(kind)
                guard t.last >= s.start else { continue }
                let end = s.stop < 0 ? t.last : min(s.stop, t.last)
                for m in t.months(from: s.start, to: end) {
                    let mt = BusinessCalendar.monthText(Int(m))
                    anomaly(person: i, measure: Measure(kind), kind: .excludedTekun, monthText: mt, periodTo: mt,
                            key: mt, amountFen: nil, rules: rules(h, month: m), thresholds: [],
                            detail: "享受特困供养期间领取了\(mt)的\(kind.chinese)，两者不能同时享受",
                            evidence: [s.evidence], e, &out)
                }
            }
        }
    }

    mutating func anomaly(
        person i: Int32, measure: Measure, kind: AnomalyKind, monthText: String, periodTo: String, key: String,
        amountFen: Int?, rules r: (rules: VerifyRules, version: String), thresholds: [(String, Int)], detail: String,
        evidence: [EventID]? = nil, _ e: Event, _ out: inout Emitter
    ) {
        let p = persons[Int(i)]
        let id = "anomaly|\(p.id)|\(measure.rawValue)|\(key)|\(kind.rawValue)"
        guard !raised.contains(id) else { return }
        raised.insert(id)
        let ruleID = "verify.anomaly.\(kind.rawValue)"
        let title = "发放异常：\(displayName(i)) \(measure.chinese) \(key) \(kind.chinese)"
        let summary = "\(householdText(p.household))的残疾人\(personText(i))\(detail)。"
            + "依据规则\(ruleID)（版本\(r.version)）。请核实发放记录，确属错发的及时停发、追回并更正。"
        let hh = households[Int(p.household)]
        let finding = PaymentAnomaly(
            findingID: id, householdID: hh.id, personID: p.id, measure: measure, periodFrom: monthText,
            periodTo: periodTo, title: title, summary: summary, ruleID: ruleID, ruleVersion: r.version,
            evidence: Self.hex(evidence ?? [e.id, p.surveyEvidence]), thresholds: thresholds, anomaly: kind,
            month: monthText, amountFen: amountFen)
        out.emit(finding, findingID: id, householdID: hh.id, region: hh.region)
    }
}

import GongguCore
import GongguEvents

/// Elapsed-time sweeps, event-driven rechecks and 四个不摘 checks of 低保 spans.
extension VerifyFold {
    /// Measures evaluated month by month (pension is yearly, household 低保 is event-driven).
    static let monthly: [Measure] = [.singlePersonDibao, .living, .nursing, .childRehabilitation, .accessibility]

    /// Moves the clock and/or data reference month forward and evaluates every household whose own
    /// reference month (`reference(_:)`) advanced, at that month. Never evaluates backwards.
    mutating func advance(tick: Int32?, data: Int32?, _ out: inout Emitter) {
        let (oldTick, oldData) = (tickReference, dataReference)
        if let tick { tickReference = max(oldTick, tick) }
        if let data { dataReference = max(oldData, data) }
        guard tickReference != oldTick || dataReference != oldData else { return }
        let newMax = max(tickReference, dataReference)
        for h in households.indices {
            let useData = rules(Int32(h), month: newMax).rules.evaluateOnDataMonth
            let old = useData ? max(oldTick, oldData) : oldTick
            let new = useData ? newMax : tickReference
            guard new > old else { continue }
            let r = rules(Int32(h), month: new)
            for i in households[h].members { evaluate(person: i, month: new, rules: r, &out) }
        }
    }

    mutating func evaluate(person i: Int32, month m: Int32, rules r: (rules: VerifyRules, version: String),
                           _ out: inout Emitter) {
        guard persons[Int(i)].has(PersonFlags.surveyed) else { return }
        for measure in Self.monthly {
            guard var a = assess(i, measure, month: m, rules: r.rules) else {
                persons[Int(i)].setSince(measure, noMonth)
                resolveOpen(person: i, measure, reason: "已不再符合\(measure.chinese)条件", &out)
                continue
            }
            if persons[Int(i)].sinceMonth(measure) < 0 {
                // Having received the measure shows the entitlement ran at least since then; otherwise
                // the person's own facts say since when (not the month this sweep happens to run).
                persons[Int(i)].setSince(measure, a.coveredUntil >= 0 ? min(m, a.coveredUntil + 1)
                                             : entitlementStart(i, measure, month: m, rules: r.rules))
                a = assess(i, measure, month: m, rules: r.rules)!
            }
            judge(person: i, measure, a, month: m, rules: r, &out)
        }
        evaluatePension(person: i, month: m, rules: r, &out)
    }

    /// Raises or resolves the gap / discontinuation of one monthly measure from its assessment.
    mutating func judge(person i: Int32, _ measure: Measure, _ a: Assessment, month m: Int32,
                        rules r: (rules: VerifyRules, version: String), _ out: inout Emitter) {
        let p = persons[Int(i)]
        let hh = households[Int(p.household)]
        let gapOpen = p.open & (1 << measure.index) != 0
        let discOpen = p.open & (1 << (8 + measure.index)) != 0
        if gapOpen, a.shortfall < r.rules.gapMonths {
            resolve(OpenKey(subject: i, household: false, discontinuation: false, measure: UInt8(measure.index)),
                    reason: "已开始享受\(measure.chinese)", &out)
        }
        if discOpen, a.shortfall < r.rules.discontinuationMonths {
            resolve(OpenKey(subject: i, household: false, discontinuation: true, measure: UInt8(measure.index)),
                    reason: "\(measure.chinese)已恢复", &out)
        }
        guard a.shortfall > 0 else { return }
        let stopped = a.lastReceived >= 0 && measure != .accessibility
        let discontinued = stopped && hh.leftPoverty && a.from >= hh.liftedMonth
            && a.shortfall >= r.rules.discontinuationMonths
        // Decide before explaining: explanations allocate, and open findings stay open month after month.
        if discontinued {
            guard !discOpen, let a = assess(i, measure, month: m, rules: r.rules, explain: true) else { return }
            raiseDiscontinuation(person: i, measure, from: a.from, to: m, months: a.shortfall,
                                 lastReceived: a.lastReceived, why: a.why, evidence: a.evidence, rules: r, &out)
        } else if a.shortfall >= r.rules.gapMonths, !gapOpen, !discOpen,
            let a = assess(i, measure, month: m, rules: r.rules, explain: true)
        {
            raiseGap(person: i, measure, from: a.from, to: m, months: a.shortfall, why: a.why,
                     evidence: a.evidence,
                     thresholds: [("gapMonths", r.rules.gapMonths), ("months", a.shortfall)] + a.thresholds,
                     key: OpenKey(subject: i, household: false, discontinuation: false, measure: UInt8(measure.index)),
                     rules: r, &out)
        }
    }

    mutating func evaluatePension(person i: Int32, month m: Int32, rules r: (rules: VerifyRules, version: String),
                                  _ out: inout Emitter) {
        let year = pensionYear(month: m, rules: r.rules)
        guard pensionEntitlement(i, year: year, rules: r.rules) != nil else {
            persons[Int(i)].setSince(.pension, noMonth)
            return
        }
        if persons[Int(i)].sinceMonth(.pension) < 0 {
            persons[Int(i)].setSince(.pension, entitlementStart(i, .pension, month: m, rules: r.rules))
        }
        let p = persons[Int(i)]
        // A year is judged only when the entitlement was known by its due month.
        let measure = UInt8(Measure.pension.index)
        guard !p.pensionPaid(year), p.sinceMonth(.pension) <= Int32(year * 12 + r.rules.pensionDueMonth - 1),
            open[OpenKey(subject: i, household: false, discontinuation: false, measure: measure, period: Int32(year))]
                == nil,
            open[OpenKey(subject: i, household: false, discontinuation: true, measure: measure, period: Int32(year))]
                == nil,
            let ent = pensionEntitlement(i, year: year, rules: r.rules, explain: true)
        else { return }
        let hh = households[Int(p.household)]
        let from = Int32(year * 12), to = Int32(year * 12 + 11)
        if p.pensionPaid(year - 1), hh.leftPoverty, from >= hh.liftedMonth {
            raiseDiscontinuation(person: i, .pension, from: from, to: to, months: 12,
                                 lastReceived: from - 1, why: ent.why, evidence: ent.evidence, rules: r, &out,
                                 key: OpenKey(subject: i, household: false, discontinuation: true,
                                              measure: UInt8(Measure.pension.index), period: Int32(year)))
        } else {
            let key = OpenKey(subject: i, household: false, discontinuation: false,
                              measure: UInt8(Measure.pension.index), period: Int32(year))
            raiseGap(person: i, .pension, from: from, to: to, months: 12, why: ent.why, evidence: ent.evidence,
                     thresholds: [("minimumFen", r.rules.pensionMinimumFen), ("year", year)], key: key,
                     findingSuffix: "\(year)", rules: r, &out)
        }
    }

    /// After a fact that can start an entitlement (a survey record, a 低保 / 低保边缘 / 特困 span, an income
    /// assessment): the person is judged at once against the household's reference month, as a sweep
    /// would, so a fact that arrives after the clock and the pay roll have passed (a county's survey sent
    /// late) does not wait for the next month to be judged (docs/RULES-verify.md, "Time").
    mutating func judgeNow(person i: Int32, _ out: inout Emitter) {
        let h = persons[Int(i)].household
        let m = reference(h)
        guard m >= 0 else { return }
        evaluate(person: i, month: m, rules: rules(h, month: m), &out)
    }

    /// After a fact about a person: closes open findings the fact explains or remedies.
    mutating func recheck(person i: Int32, _ e: Event, _ out: inout Emitter) {
        let p = persons[Int(i)]
        guard p.open != 0 else { return }
        let m = checkMonth(e, household: p.household)
        let r = rules(p.household, month: m)
        for measure in Self.monthly where p.open & (1 << measure.index | 1 << (8 + measure.index)) != 0 {
            if let a = assess(i, measure, month: m, rules: r.rules) {
                judge(person: i, measure, a, month: m, rules: r, &out)
            } else {
                let q = persons[Int(i)]
                let why = q.lifeKind == 1 ? "本人已死亡" : q.lifeKind == 2 ? "户籍已迁出本省"
                    : measure == .accessibility && q.has(PersonFlags.accessibilityDone) ? "已实施无障碍改造"
                    : "已不再符合\(measure.chinese)条件"
                resolveOpen(person: i, measure, reason: why, &out)
            }
        }
    }

    /// The reason is built only when a finding is open: a sweep asks this for every measure a person is
    /// not entitled to, and building the text each time was a fifth of the fold's instructions.
    mutating func resolveOpen(person i: Int32, _ measure: Measure, reason: @autoclosure () -> String,
                              _ out: inout Emitter) {
        let bits = persons[Int(i)].open
        guard bits & (1 << measure.index | 1 << (8 + measure.index)) != 0 else { return }
        let reason = reason()
        for d in [false, true] where bits & (1 << ((d ? 8 : 0) + measure.index)) != 0 {
            resolve(OpenKey(subject: i, household: false, discontinuation: d, measure: UInt8(measure.index)),
                    reason: reason, &out)
        }
    }

    /// 四个不摘 for 低保 spans of a household: a stop with no reason, not followed by a new span and not
    /// explained by death or move-out, after the household left poverty, is a discontinuation.
    mutating func checkSpans(household h: Int32, _ e: Event, _ out: inout Emitter) {
        let hh = households[Int(h)]
        for s in hh.spans where s.programme == .dibao && s.stop >= 0 {
            let onHousehold = s.person < 0
            let key = OpenKey(subject: onHousehold ? h : s.person, household: onHousehold, discontinuation: true,
                              measure: UInt8(Measure.dibao.index), period: s.stop)
            var explained: String?
            if let reason = s.reason {
                explained = "已记录停止原因：\(reason.chinese)"
            } else if hh.spans.contains(where: { $0.programme == .dibao && $0.person == s.person && $0.start > s.stop }) {
                explained = "已重新纳入低保"
            } else {
                let concerned = onHousehold ? hh.members : [s.person]
                let gone = !concerned.isEmpty && concerned.allSatisfy {
                    persons[Int($0)].lifeKind != 0 && persons[Int($0)].lifeMonth <= s.stop + 1
                }
                if gone { explained = "享受人员已死亡或户籍迁出" }
            }
            if let explained {
                if open[key] != nil { resolve(key, reason: explained, &out) }
                continue
            }
            guard hh.leftPoverty, s.stop + 1 >= hh.liftedMonth, open[key] == nil else { continue }
            let to = max(s.stop + 1, checkMonth(e, household: h))
            var evidence = [s.evidence]
            if hh.statusEvidence != .zero { evidence.append(hh.statusEvidence) }
            raiseDiscontinuation(
                household: h, person: onHousehold ? -1 : s.person, from: s.stop + 1, to: to,
                months: Int(to - s.stop), lastReceived: s.stop, evidence: evidence, key: key, e, &out)
        }
    }
}

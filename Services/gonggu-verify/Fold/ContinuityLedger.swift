import GongguCore
import GongguEvents

/// One line of the continuity ledger: one main measure of one household that left poverty.
public struct ContinuityRow: Equatable, Sendable {
    public var householdID: String
    public var region: String
    /// The person concerned (nil for the household's 低保 and for households with no measure).
    public var personID: String?
    public var name: String
    /// nil on the row of a household that had no main measure at the start of the year.
    public var measure: Measure?
    public var activeAtStart: Bool
    public var continued: Bool
    /// First month without the measure, `YYYY-MM` (nil when continued).
    public var stopMonth: String?
    /// The stopping reason or eligibility change found, in Chinese (nil when none).
    public var stopReason: String?
    public var conclusion: Conclusion

    /// The verdict of a row.
    public enum Conclusion: String, Sendable {
        case continued, stoppedWithReason, discontinued, noMeasure

        public var chinese: String {
            switch self {
            case .continued: return "保持延续"
            case .stoppedWithReason: return "停止（有正当理由）"
            case .discontinued: return "中断（无正当理由）"
            case .noMeasure: return "年初无在享主要帮扶措施"
            }
        }
    }
}

/// The yearly post-assessment ledger (docs/REPORT.md): per household that left poverty, which main measures
/// (低保, the two subsidies, pension premium, child rehabilitation) were active at the start of the
/// year and whether each continued through the year (up to the reference month for the current year)
/// or stopped with a valid reason. A pure function of the fold state.
public struct ContinuityLedger {
    let fold: VerifyFold

    /// The ledger over `fold`'s state.
    public init(_ fold: VerifyFold) { self.fold = fold }

    /// Rows for `year` and households whose region starts with `regionPrefix`, ordered by region then id.
    public func rows(year: Int, regionPrefix: String) -> [ContinuityRow] {
        let start = Int32(year * 12)
        let ref = Int32(fold.referenceMonth)
        let end = ref < 0 ? start + 11 : max(start, min(start + 11, ref))
        let chosen = fold.households.indices.filter {
            let h = fold.households[$0]
            return h.leftPoverty && h.liftedMonth <= start && h.region.hasPrefix(regionPrefix)
        }.sorted {
            let a = fold.households[$0], b = fold.households[$1]
            return (a.region, a.id) < (b.region, b.id)
        }
        var out: [ContinuityRow] = []
        for h in chosen {
            let before = out.count
            out += dibaoRows(Int32(h), start: start, end: end)
            for i in fold.households[h].members where fold.persons[Int(i)].has(PersonFlags.surveyed) {
                out += personRows(i, year: year, start: start, end: end)
            }
            if out.count == before {
                let hh = fold.households[h]
                out.append(ContinuityRow(
                    householdID: hh.id, region: hh.region, personID: nil, name: "", measure: nil,
                    activeAtStart: false, continued: false, stopMonth: nil, stopReason: nil, conclusion: .noMeasure))
            }
        }
        return out
    }

    /// The continuity rate's counts (docs/REPORT.md): households that left poverty, those with at least one
    /// main measure active at the start of the year (the denominator), those of them whose measures all
    /// continued or stopped for a valid reason (the numerator), and those with no main measure active at
    /// the start, which are on their own line and never counted as continued.
    public func summary(year: Int, regionPrefix: String) -> ContinuitySummary {
        var s = ContinuitySummary()
        var current: String?
        var noMeasure = false, discontinued = false
        func close() {
            guard current != nil else { return }
            s.lifted += 1
            if noMeasure {
                s.noMeasure += 1
            } else {
                s.households += 1
                if !discontinued { s.allContinued += 1 }
            }
        }
        // Rows come grouped by household (ordered by region, then id).
        for r in rows(year: year, regionPrefix: regionPrefix) {
            if r.householdID != current {
                close()
                (current, noMeasure, discontinued) = (r.householdID, false, false)
            }
            if r.conclusion == .noMeasure { noMeasure = true }
            if r.conclusion == .discontinued { discontinued = true }
        }
        close()
        return s
    }

    /// The ledger as CSV text (UTF-8, CRLF line ends, Chinese headers); resident IDs masked.
    public func csv(year: Int, regionPrefix: String) -> String {
        var lines = [["户编号", "区划代码", "残疾人姓名", "身份证号（脱敏）", "措施", "年初享受", "年内持续", "停止月份", "停止原因", "结论"]]
        for r in rows(year: year, regionPrefix: regionPrefix) {
            lines.append([
                r.householdID, r.region, r.name, r.personID.map(PersonalDataMask.maskID) ?? "",
                r.measure.map { $0 == .singlePersonDibao ? "低保（单人户施保）" : $0.chinese } ?? "（无）",
                r.activeAtStart ? "是" : "否", r.measure == nil ? "" : (r.continued ? "是" : "否"),
                r.stopMonth ?? "", r.stopReason ?? "", r.conclusion.chinese,
            ])
        }
        return lines.map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var q = "\""
        for c in s {
            if c == "\"" { q.append("\"") }
            q.append(c)
        }
        return q + "\""
    }

    // MARK: Rows

    private func row(_ h: Int32, _ i: Int32, _ m: Measure, continued: Bool, stop: Int32?, reason: String?)
        -> ContinuityRow
    {
        let hh = fold.households[Int(h)]
        let conclusion: ContinuityRow.Conclusion = continued ? .continued : (reason == nil ? .discontinued : .stoppedWithReason)
        return ContinuityRow(
            householdID: hh.id, region: hh.region, personID: i >= 0 ? fold.persons[Int(i)].id : nil,
            name: i >= 0 ? fold.persons[Int(i)].name : "", measure: m, activeAtStart: true, continued: continued,
            stopMonth: continued ? nil : stop.map { BusinessCalendar.monthText(Int($0)) }, stopReason: continued ? nil : reason,
            conclusion: conclusion)
    }

    /// Household and single-person 低保 spans active at the start of the year.
    private func dibaoRows(_ h: Int32, start: Int32, end: Int32) -> [ContinuityRow] {
        let hh = fold.households[Int(h)]
        var out: [ContinuityRow] = []
        var subjects: [Int32] = []
        for s in hh.spans where s.programme == .dibao && s.active(start) && !subjects.contains(s.person) {
            subjects.append(s.person)
        }
        for who in subjects {
            let measure: Measure = who < 0 ? .dibao : .singlePersonDibao
            let spans = hh.spans.filter { $0.programme == .dibao && $0.person == who }
            if spans.contains(where: { $0.active(end) }) {
                out.append(row(h, who, measure, continued: true, stop: nil, reason: nil))
                continue
            }
            // The last stop within the year decides.
            let last = spans.filter { $0.stop >= start - 1 && $0.stop < end }.max { $0.stop < $1.stop }
            let stop = (last?.stop ?? start - 1) + 1
            var reason = last?.reason.map { $0.chinese }
            if reason == nil {
                let concerned = who < 0 ? hh.members : [who]
                if !concerned.isEmpty, concerned.allSatisfy({
                    fold.persons[Int($0)].lifeKind != 0 && fold.persons[Int($0)].lifeMonth <= stop
                }) {
                    reason = "享受人员死亡或户籍迁出"
                }
            }
            out.append(row(h, who, measure, continued: false, stop: stop, reason: reason))
        }
        return out
    }

    private func lifeReason(_ i: Int32, by m: Int32) -> String? {
        let p = fold.persons[Int(i)]
        guard p.lifeKind != 0, p.lifeMonth <= m else { return nil }
        return p.lifeKind == 1 ? StopReason.death.chinese : StopReason.movedOut.chinese
    }

    private func personRows(_ i: Int32, year: Int, start: Int32, end: Int32) -> [ContinuityRow] {
        let p = fold.persons[Int(i)]
        let h = p.household
        var out: [ContinuityRow] = []
        for kind in SubsidyKind.allCases {
            let t = p.track(kind)
            guard t.contains(start - 1) || t.contains(start) else { continue }
            if t.contains(end) {
                out.append(row(h, i, Measure(kind), continued: true, stop: nil, reason: nil))
                continue
            }
            let stop = t.lastMonth(from: start - 1, to: end) + 1
            var reason = lifeReason(i, by: stop)
            if reason == nil {
                let r = fold.rules(h, month: stop).rules
                if fold.assess(i, Measure(kind), month: stop, rules: r) == nil {
                    let exclusion = fold.subsidyExclusions(i, kind, month: stop, rules: r).first?.kind.exclusionText
                    reason = "条件变化：" + (exclusion ?? "不再符合补贴条件")
                }
            }
            out.append(row(h, i, Measure(kind), continued: false, stop: stop, reason: reason))
        }
        if p.pensionPaid(year - 1) {
            let r = fold.rules(h, month: start).rules
            let due = Int32(year * 12 + r.pensionDueMonth - 1)
            if p.pensionPaid(year) || end < due {
                out.append(row(h, i, .pension, continued: true, stop: nil, reason: nil))
            } else {
                var reason = lifeReason(i, by: due)
                if reason == nil, fold.pensionEntitlement(i, year: year, rules: r) == nil {
                    reason = "条件变化：不再符合代缴条件（年龄、残疾等级或在校情况变化）"
                }
                out.append(row(h, i, .pension, continued: false, stop: start, reason: reason))
            }
        }
        let r = fold.rules(h, month: start).rules
        let window = Int32(r.rehabServiceWindowMonths)
        let rehab = fold.extras.rehab[i] ?? MonthTrack()
        if rehab.lastMonth(from: start - window, to: start) >= 0 {
            let last = rehab.lastMonth(from: start - window, to: end)
            if last + window - 1 >= end {
                out.append(row(h, i, .childRehabilitation, continued: true, stop: nil, reason: nil))
            } else {
                let stop = last + window
                var reason = lifeReason(i, by: stop)
                if reason == nil, fold.assess(i, .childRehabilitation, month: stop, rules: r) == nil {
                    reason = "条件变化：超出救助年龄或不再需要康复服务"
                }
                out.append(row(h, i, .childRehabilitation, continued: false, stop: stop, reason: reason))
            }
        }
        return out
    }
}

/// The counts of the continuity rate (保持延续率) for one year and region.
public struct ContinuitySummary: Equatable, Sendable {
    /// Households with disabled members that left poverty by January of the year.
    public var lifted = 0
    /// Of those, households with at least one main measure active at the start of the year: the denominator.
    public var households = 0
    /// Of `households`, those whose measures active at the start all continued or stopped for a valid
    /// reason (death, move-out, eligibility change): the numerator.
    public var allContinued = 0
    /// Households that left poverty with no main measure active at the start of the year (年初无在享主要帮扶措施):
    /// in neither the numerator nor the denominator.
    public var noMeasure = 0

    public init() {}
}

/// Entitled vs receiving for one measure in a region (docs/REPORT.md coverage indicators).
public struct CoverageRow: Equatable, Sendable {
    public var measure: Measure
    public var entitled: Int
    public var receiving: Int
}

extension VerifyFold {
    /// The continuity ledger over the current state.
    public var continuityLedger: ContinuityLedger { ContinuityLedger(self) }

    /// Coverage per personal entitlement for persons in households under `regionPrefix`, in month
    /// `month` (default: the reference month). Pension counts the year checked in that month.
    public func coverage(regionPrefix: String, month: Int? = nil) -> [CoverageRow] {
        let m = Int32(month ?? referenceMonth)
        var rows = Measure.personal.map { CoverageRow(measure: $0, entitled: 0, receiving: 0) }
        guard m >= 0 else { return rows }
        for (h, hh) in households.enumerated() where hh.region.hasPrefix(regionPrefix) {
            let r = rules(Int32(h), month: m).rules
            for i in hh.members where persons[Int(i)].has(PersonFlags.surveyed) {
                for (k, measure) in Measure.personal.enumerated() {
                    if measure == .pension {
                        let year = pensionYear(month: m, rules: r)
                        guard pensionEntitlement(i, year: year, rules: r) != nil else { continue }
                        rows[k].entitled += 1
                        if persons[Int(i)].pensionPaid(year) { rows[k].receiving += 1 }
                    } else if let a = assess(i, measure, month: m, rules: r) {
                        rows[k].entitled += 1
                        if a.shortfall == 0 { rows[k].receiving += 1 }
                    }
                }
            }
        }
        return rows
    }
}

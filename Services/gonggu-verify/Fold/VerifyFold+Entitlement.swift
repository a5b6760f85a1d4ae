import GongguCore
import GongguEvents

/// Whether a person is entitled to a measure in a month, and how long they have gone without it.
struct Assessment {
    /// First month of the current stretch without the measure (or −1 when receiving).
    var from: Int32
    /// Months without the measure up to the evaluated month (0 when receiving).
    var shortfall: Int
    /// Last month the measure was received, −1 if never.
    var lastReceived: Int32
    /// Last month covered by what was received (rehabilitation counts for a window), −1 if never.
    var coveredUntil: Int32
    /// Fact events used.
    var evidence: [EventID]
    /// The entitlement condition, in Chinese.
    var why: String
    /// Figures the condition compared (e.g. the income test of 低保边缘), for the finding's thresholds.
    var thresholds: [(String, Int)] = []
}

extension VerifyFold {
    /// The exclusions (docs/RULES-verify.md) that keep a person from a subsidy in month `m`, each with the fact that
    /// shows it; empty when none applies. The entitlement check and the payment check both ask this, so
    /// an exclusion always gives both: no entitlement, and an anomaly when paid.
    func subsidyExclusions(_ i: Int32, _ kind: SubsidyKind, month m: Int32, rules r: VerifyRules)
        -> [(kind: AnomalyKind, evidence: EventID)]
    {
        // Fields read in place (a copy of the person's state retains its strings; this runs for every payment).
        let flags = persons[Int(i)].flags
        var found: [(kind: AnomalyKind, evidence: EventID)] = []
        if let tekun = households[Int(persons[Int(i)].household)].spanEvidence(.tekun, person: i, month: m) {
            found.append((.excludedTekun, tekun))
        }
        let excluded = flags & PersonFlags.workInjuryNursing != 0 || (kind == .living && flags & PersonFlags.orphan != 0)
            || (flags & PersonFlags.oldAgeAllowance != 0 && r.excludesForOldAge(kind))
        guard excluded else { return found }
        let evidence = persons[Int(i)].surveyEvidence
        if flags & PersonFlags.workInjuryNursing != 0 { found.append((.excludedWorkInjury, evidence)) }
        if kind == .living, flags & PersonFlags.orphan != 0 { found.append((.excludedOrphan, evidence)) }
        if flags & PersonFlags.oldAgeAllowance != 0, r.excludesForOldAge(kind) {
            found.append((.excludedOldAgeAllowance, evidence))
        }
        return found
    }

    /// The first month the person's own facts show the entitlement to `measure` held (as judged in `m`):
    /// the month the survey made the person known, or later where a condition began later (the 低保 or
    /// 低保边缘 coverage the entitlement rests on, adulthood for 单人户施保, the minimum age for child
    /// rehabilitation). It is where a stretch without the measure starts when the entitlement is first
    /// seen, so how many months someone went without depends on their facts, the rules and the clock,
    /// never on how often a sweep happened to run (docs/RULES-verify.md, "Time"). It may lie after `m` when a sweep
    /// evaluates a month before the person was known: then nothing is missing yet.
    func entitlementStart(_ i: Int32, _ measure: Measure, month m: Int32, rules r: VerifyRules) -> Int32 {
        let p = persons[Int(i)]
        let hh = households[Int(p.household)]
        var start = p.knownSince
        switch measure {
        case .living:
            if hh.covered(.dibao, person: i, month: m) {
                start = max(start, hh.coveredSince(.dibao, person: i, month: m))
            } else {
                start = max(start, marginalSince(i, month: m, rules: r))
            }
        case .singlePersonDibao:
            start = max(start, marginalSince(i, month: m, rules: r), monthReaching(i, age: r.adultAge))
        case .childRehabilitation:
            start = max(start, monthReaching(i, age: r.rehabMinAge))
        case .dibao, .nursing, .pension, .accessibility:
            break
        }
        return max(start, 0)
    }

    /// Whether, and why, the household counts as 低保边缘 for person `i` in month `m` (docs/RULES-verify.md): a
    /// civil-affairs 低保边缘 status, where one was ever given, decides (covering `m` or not); without one,
    /// the income test on the assessment in force, against the 低保 line of the rules in force.
    func dibaoMarginalBasis(_ i: Int32, month m: Int32, rules r: VerifyRules) -> MarginalBasis? {
        let hh = households[Int(persons[Int(i)].household)]
        let statuses = hh.spans.filter { $0.programme == .dibaoMarginal && ($0.person < 0 || $0.person == i) }
        if statuses.contains(where: { $0.start <= m }) {
            return statuses.last { $0.active(m) }.map { .civilAffairs($0) }
        }
        // A household on 低保 as a whole is not 低保边缘; a person covered on their own (单人户施保 granted)
        // leaves the household's standing as it was: that is receiving, not a change of entitlement.
        let householdOnDibao = hh.spans.contains { $0.programme == .dibao && $0.person < 0 && $0.active(m) }
        guard !householdOnDibao, let income = hh.income(month: m), r.isDibaoMarginal(perCapitaFen: income.perCapitaFen)
        else { return nil }
        return .income(income)
    }

    /// First month of the 低保边缘 standing that holds in `m` (−1 when none).
    func marginalSince(_ i: Int32, month m: Int32, rules r: VerifyRules) -> Int32 {
        switch dibaoMarginalBasis(i, month: m, rules: r) {
        case .civilAffairs?:
            return households[Int(persons[Int(i)].household)].coveredSince(.dibaoMarginal, person: i, month: m)
        case .income(let record)?:
            return record.month
        case nil:
            return noMonth
        }
    }

    /// The 低保边缘 condition in words, with the fact that shows it and the figures compared.
    func marginalText(_ basis: MarginalBasis, rules r: VerifyRules) -> (String, EventID, [(String, Int)]) {
        switch basis {
        case .civilAffairs(let span):
            return ("家庭为低保边缘家庭（依据民政部门认定的低保边缘身份）", span.evidence, [])
        case .income(let record):
            let assumed = r.dibaoLineAssumed ? "（低保标准为假设值，待民政部门确认）" : ""
            let text = "家庭\(record.year)年人均纯收入\(yuan(record.perCapitaFen))，不低于低保标准"
                + "\(yuan(r.dibaoLineFenPerYear))/人·年\(assumed)且低于其\(r.dibaoMarginalUpperPercent)%"
                + "（\(yuan(r.dibaoMarginalUpperFen))），无民政部门低保边缘认定，依据收入测算为低保边缘家庭"
            return (text, record.evidence, [
                ("perCapitaIncomeFen", record.perCapitaFen), ("dibaoLineFen", r.dibaoLineFenPerYear),
                ("marginalUpperFen", r.dibaoMarginalUpperFen),
            ])
        }
    }

    /// The first month on whose first day the person is `age` years old (−1 when the birth date is unknown).
    func monthReaching(_ i: Int32, age: Int) -> Int32 {
        let b = persons[Int(i)].birthDay
        guard b != Int32.min else { return noMonth }
        let (by, bm, bd) = BusinessCalendar.date(ofDay: Int(b))
        // Born on the 1st: that age is reached on the first day of the birth month; else the month after.
        return Int32((by + age) * 12 + bm - 1) + (bd == 1 ? 0 : 1)
    }

    /// Age in whole years on the first day of month `m`; nil when the birth date is unknown.
    func age(_ i: Int32, month m: Int32) -> Int? {
        let b = persons[Int(i)].birthDay
        guard b != Int32.min else { return nil }
        let (by, bm, bd) = BusinessCalendar.date(ofDay: Int(b))
        let y = Int(m) / 12, mo = Int(m) % 12 + 1
        var a = y - by
        if mo < bm || (mo == bm && 1 < bd) { a -= 1 }
        return a
    }

    func alive(_ i: Int32, month m: Int32) -> Bool {
        let p = persons[Int(i)]
        return p.lifeKind == 0 || m <= p.lifeMonth
    }

    /// Assesses a monthly personal measure (all but pension) in month `m`; nil when not entitled.
    /// `explain` fills `why` and `evidence` (allocating), which only raising a finding needs: sweeps
    /// assess every person every month and must stay cheap.
    func assess(_ i: Int32, _ measure: Measure, month m: Int32, rules r: VerifyRules, explain: Bool = false)
        -> Assessment?
    {
        let p = persons[Int(i)]
        guard p.flags & PersonFlags.surveyed != 0, p.lifeKind == 0 || m <= p.lifeMonth else { return nil }
        let h = Int(p.household)
        let cat = p.categoryValue
        let grade = Int(p.grade)
        var evidence: [EventID] = []
        var why = ""
        var thresholds: [(String, Int)] = []
        var lastReceived: Int32
        var window: Int32 = 1
        switch measure {
        case .dibao, .pension:
            return nil
        case .singlePersonDibao:
            guard r.singlePersonDibao, r.isSevere(category: cat, grade: grade),
                let a = age(i, month: m), a >= r.adultAge,
                !households[h].covered(.tekun, person: i, month: m),
                let basis = dibaoMarginalBasis(i, month: m, rules: r)
            else { return nil }
            lastReceived = households[h].lastCovered(.dibao, person: i, upTo: m)
            if explain {
                let (text, fact, figures) = marginalText(basis, rules: r)
                why = "重度残疾成年人，\(text)，可按单人户纳入低保"
                thresholds = figures
                evidence = [p.surveyEvidence, fact]
                if lastReceived >= 0, let d = households[h].spanEvidence(.dibao, person: i, month: lastReceived) {
                    evidence.append(d)
                }
            }
        case .living, .nursing:
            let kind: SubsidyKind = measure == .living ? .living : .nursing
            if kind == .living {
                if households[h].covered(.dibao, person: i, month: m) {
                    if explain {
                        why = "家庭享受低保"
                        evidence = [p.surveyEvidence, households[h].spanEvidence(.dibao, person: i, month: m)!]
                    }
                } else if r.livingIncludesDibaoMarginal, let basis = dibaoMarginalBasis(i, month: m, rules: r) {
                    if explain {
                        let (text, fact, figures) = marginalText(basis, rules: r)
                        why = "\(text)（本地区生活补贴扩面）"
                        thresholds = figures
                        evidence = [p.surveyEvidence, fact]
                    }
                } else {
                    return nil
                }
            } else {
                let base = (grade == 1 || grade == 2)
                    && (p.flags & PersonFlags.longTermCare != 0 || !r.nursingRequiresLongTermCare)
                let mind = cat == .intellectual || cat == .mental || cat == .multiple
                if base {
                    if explain { why = "\(grade)级重度残疾，需长期照护" }
                } else if r.nursingExtendedGrade3to4IntellectualMental, (3...4).contains(grade), mind {
                    if explain { why = "\(grade)级\(cat?.chinese ?? "")残疾（本地区护理补贴扩面）" }
                } else {
                    return nil
                }
                if explain { evidence = [p.surveyEvidence] }
            }
            guard subsidyExclusions(i, kind, month: m, rules: r).isEmpty else { return nil }
            let t = kind == .living ? p.living : p.nursing
            lastReceived = t.last
            if explain { evidence.append(t.lastEvidence) }
        case .childRehabilitation:
            guard p.flags & PersonFlags.rehabilitationNeeded != 0, let a = age(i, month: m),
                a >= r.rehabMinAge, a <= r.rehabMaxAge,
                (cat.map { r.rehabCovers($0) } ?? false)
                    || (r.rehabIncludesAutism && p.flags & PersonFlags.autism != 0)
            else { return nil }
            let rehab = extras.rehab[i] ?? MonthTrack()
            lastReceived = rehab.last
            window = Int32(r.rehabServiceWindowMonths)
            if explain {
                why = "\(a)岁残疾儿童，需要康复服务"
                evidence = [p.surveyEvidence, rehab.lastEvidence]
            }
        case .accessibility:
            guard r.accessibility, r.isSevere(category: cat, grade: grade),
                p.flags & PersonFlags.accessibilityNeeded != 0, p.flags & PersonFlags.accessibilityDone == 0
            else { return nil }
            lastReceived = noMonth
            if explain {
                why = "重度残疾人家庭，需要无障碍改造且尚未实施"
                evidence = [p.surveyEvidence]
            }
        }
        if explain { evidence.append(households[h].statusEvidence) }
        // Receiving covers `window` months from the last month received (rehabilitation: a service
        // counts for a year); the shortfall runs from the later of that and the entitlement start.
        let coveredUntil = lastReceived >= 0 ? lastReceived + window - 1 : noMonth
        let since = p.sinceMonth(measure) >= 0 ? p.sinceMonth(measure) : m
        let from = max(since, coveredUntil + 1)
        let shortfall = from <= m ? Int(m - from + 1) : 0
        return Assessment(
            from: shortfall > 0 ? from : noMonth, shortfall: shortfall, lastReceived: lastReceived,
            coveredUntil: coveredUntil, evidence: evidence.filter { $0 != .zero }, why: why, thresholds: thresholds)
    }

    /// Whether the person is entitled to the government-paid pension premium for `year`, with why.
    /// `explain` fills the texts (allocating), as for `assess`.
    func pensionEntitlement(_ i: Int32, year: Int, rules r: VerifyRules, explain: Bool = false)
        -> (why: String, evidence: [EventID])?
    {
        let p = persons[Int(i)]
        let due = Int32(year * 12 + r.pensionDueMonth - 1)
        guard p.has(PersonFlags.surveyed), alive(i, month: due), !p.has(PersonFlags.student),
            r.isSevere(category: p.categoryValue, grade: Int(p.grade)),
            p.has(PersonFlags.pensionEnrolled) || p.pensionEnrolledYears & PersonState.yearBit(year) != 0,
            p.birthDay != Int32.min
        else { return nil }
        // Age reached in the year, as social insurance counts it.
        let a = year - BusinessCalendar.date(ofDay: Int(p.birthDay)).year
        guard a >= r.pensionMinAge, a <= r.pensionMaxAge else { return nil }
        guard explain else { return ("", []) }
        var evidence = [p.surveyEvidence]
        if p.pensionEvidence != .zero { evidence.append(p.pensionEvidence) }
        return ("重度残疾，\(year)年满\(a)周岁，已参加城乡居民养老保险", evidence)
    }

    /// The year whose premium is checked in month `m` (the current year once its due month is reached).
    func pensionYear(month m: Int32, rules r: VerifyRules) -> Int {
        let y = Int(m) / 12
        return Int(m) % 12 + 1 >= r.pensionDueMonth ? y : y - 1
    }
}

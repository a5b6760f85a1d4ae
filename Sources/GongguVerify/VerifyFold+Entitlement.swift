import GongguCore

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
}

extension VerifyFold {
    /// Why a subsidy is excluded for a person in month `m`, in Chinese; nil when not excluded.
    func subsidyExclusion(_ i: Int32, _ kind: SubsidyKind, month m: Int32, rules r: VerifyRules) -> String? {
        let p = persons[Int(i)]
        if households[Int(p.household)].covered(.tekun, person: i, month: m) { return "享受特困供养" }
        if p.has(PersonFlags.workInjuryNursing) { return "领取工伤保险生活护理费" }
        if kind == .living, p.has(PersonFlags.orphan) { return "孤儿（享受孤儿基本生活费）" }
        if p.has(PersonFlags.oldAgeAllowance), r.excludesForOldAge(kind) {
            return "已享受同类老年人津贴（择高享受）"
        }
        return nil
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
        var lastReceived: Int32
        var window: Int32 = 1
        switch measure {
        case .dibao, .pension:
            return nil
        case .singlePersonDibao:
            guard r.singlePersonDibao, r.isSevere(category: cat, grade: grade),
                let a = age(i, month: m), a >= r.adultAge,
                households[h].covered(.dibaoMarginal, person: i, month: m),
                !households[h].covered(.tekun, person: i, month: m)
            else { return nil }
            lastReceived = households[h].lastCovered(.dibao, person: i, upTo: m)
            if explain {
                why = "重度残疾成年人，家庭为低保边缘家庭，可按单人户纳入低保"
                evidence = [p.surveyEvidence, households[h].spanEvidence(.dibaoMarginal, person: i, month: m) ?? .zero]
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
                } else if r.livingIncludesDibaoMarginal, households[h].covered(.dibaoMarginal, person: i, month: m) {
                    if explain {
                        why = "家庭为低保边缘家庭（本地区生活补贴扩面）"
                        evidence = [p.surveyEvidence, households[h].spanEvidence(.dibaoMarginal, person: i, month: m)!]
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
            guard subsidyExclusion(i, kind, month: m, rules: r) == nil else { return nil }
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
            coveredUntil: coveredUntil, evidence: evidence.filter { $0 != .zero }, why: why)
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

import GongguCore
import GongguEvents

/// Fact handlers: each updates the state, then checks what the new fact decides at once
/// (anomalies, discontinuations with a recorded stop, resolutions).
extension VerifyFold {
    mutating func onDisability(_ p: DisabilityRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        let i = person(p.personID, household: h, move: true)
        var s = persons[Int(i)]
        s.name = p.name
        s.birthDay = BusinessCalendar.dayNumber(p.birthDate).map { Int32($0) } ?? Int32.min
        s.category = UInt8(p.category.rawValue)
        s.grade = UInt8(clamping: p.grade)
        var f = PersonFlags.surveyed
        if p.student { f |= PersonFlags.student }
        if p.needsLongTermCare { f |= PersonFlags.longTermCare }
        if p.orphan { f |= PersonFlags.orphan }
        if p.workInjuryNursing { f |= PersonFlags.workInjuryNursing }
        if p.oldAgeAllowance { f |= PersonFlags.oldAgeAllowance }
        if p.pensionEnrolled { f |= PersonFlags.pensionEnrolled }
        if p.rehabilitationNeeded { f |= PersonFlags.rehabilitationNeeded }
        if p.accessibilityNeeded { f |= PersonFlags.accessibilityNeeded }
        // Works recorded by a project stay done even if a later survey omits the flag.
        if p.accessibilityDone || extras.accessibilityEvidence[i] != nil { f |= PersonFlags.accessibilityDone }
        if p.autism { f |= PersonFlags.autism }
        s.flags = f
        s.surveyEvidence = e.id
        if s.knownSince < 0 { s.knownSince = Self.month(of: e) }
        persons[Int(i)] = s
        recheck(person: i, e, &out)
        judgeNow(person: i, &out)
    }

    mutating func onMember(_ p: MemberRecorded, _ e: Event) {
        // Only disabled persons are tracked; membership moves them between households.
        let h = household(p.householdID, region: e.region)
        guard let i = personIndex[PersonKey(p.personID)], !p.left else { return }
        _ = person(key: persons[Int(i)].key, household: h, move: true)
    }

    mutating func onStatus(_ p: HouseholdStatusRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        var s = households[Int(h)]
        s.status = p.status
        s.statusEvidence = e.id
        if p.status == .lifted || p.liftedYear != nil {
            // 四个不摘 applies from the year the household left poverty (or the status date).
            let m: Int32
            if let y = p.liftedYear {
                m = Int32(y * 12)
            } else {
                m = Self.month(String(p.effectiveDate.prefix(7))) ?? Self.month(of: e)
            }
            s.liftedMonth = s.leftPoverty ? min(s.liftedMonth, m) : m
            s.leftPoverty = true
        }
        households[Int(h)] = s
        checkSpans(household: h, e, &out)
    }

    mutating func onAssistance(_ p: AssistanceRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        guard let start = Self.month(p.startMonth) else { return }
        var who: Int32 = -1
        if let pid = p.personID { who = person(pid, household: h, move: false) }
        let stop = Self.month(p.stopMonth) ?? noMonth
        let span = ProgrammeSpan(
            programme: p.programme, person: who, start: start, stop: stop, reason: p.stopReason,
            monthlyFen: Int32(clamping: p.monthlyFen), evidence: e.id)
        var spans = households[Int(h)].spans
        if let k = spans.firstIndex(where: { $0.programme == p.programme && $0.person == who && $0.start == start }) {
            spans[k] = span
        } else {
            spans.append(span)
        }
        households[Int(h)].spans = spans
        checkSpans(household: h, e, &out)
        if p.programme == .tekun { retroTekun(household: h, span: span, e, &out) }
        for m in households[Int(h)].members {
            recheck(person: m, e, &out)
            judgeNow(person: m, &out)
        }
    }

    mutating func onIncome(_ p: IncomeAssessed, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        guard let m = Self.month(String(p.assessedDate.prefix(7))) else { return }
        let record = IncomeRecord(year: Int32(p.year), month: m, perCapitaFen: p.perCapitaFen, evidence: e.id)
        if let k = households[Int(h)].incomes.firstIndex(where: { $0.year == record.year }) {
            households[Int(h)].incomes[k] = record
        } else {
            households[Int(h)].incomes.append(record)
        }
        for i in households[Int(h)].members {
            recheck(person: i, e, &out)
            judgeNow(person: i, &out)
        }
    }

    mutating func onPension(_ p: PensionRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        let i = person(p.personID, household: h, move: false)
        let bit = PersonState.yearBit(p.year)
        if p.enrolled { persons[Int(i)].pensionEnrolledYears |= bit }
        let r = rules(h, month: Int32(p.year * 12))
        if p.governmentPaidFen >= r.rules.pensionMinimumFen {
            persons[Int(i)].pensionPaidYears |= bit
        } else if p.governmentPaidFen > 0 {
            let y = "\(p.year)"
            anomaly(
                person: i, measure: .pension, kind: .amountOutOfBand, monthText: "\(y)-01", periodTo: "\(y)-12",
                key: y, amountFen: p.governmentPaidFen, rules: r,
                thresholds: [("minimumFen", r.rules.pensionMinimumFen), ("amountFen", p.governmentPaidFen)],
                detail: "\(y)年政府代缴保费\(yuan(p.governmentPaidFen))，低于最低档次\(yuan(r.rules.pensionMinimumFen))",
                e, &out)
        }
        persons[Int(i)].pensionEvidence = e.id
        if persons[Int(i)].pensionPaid(p.year) {
            for d in [false, true] {
                let key = OpenKey(subject: i, household: false, discontinuation: d,
                                  measure: UInt8(Measure.pension.index), period: Int32(p.year))
                if open[key] != nil { resolve(key, reason: "已记录\(p.year)年政府代缴保费", &out) }
            }
        }
        recheck(person: i, e, &out)
    }

    mutating func onPaid(_ p: SubsidyPaid, _ e: Event, _ out: inout Emitter) {
        guard let m = Self.month(p.month) else { return }
        let h = household(p.householdID, region: e.region)
        let i = person(p.personID, household: h, move: false)
        checkPayment(person: i, kind: p.subsidy, month: m, amountFen: p.amountFen, e, &out)
        recheck(person: i, e, &out)
        if m > dataMonth {
            dataMonth = m
            advance(tick: nil, data: m - 1, &out)
        }
    }

    mutating func onProject(_ p: ProjectRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        guard let m = Self.month(String(p.date.prefix(7))) else { return }
        switch p.kind {
        case .rehabilitation:
            guard let pid = p.personID else { return }
            let i = person(pid, household: h, move: false)
            _ = extras.rehab[i, default: MonthTrack()].record(m, evidence: e.id)
            recheck(person: i, e, &out)
        case .accessibility:
            // Works for one person, or for the whole household when no person is named.
            let targets = p.personID.map { [person($0, household: h, move: false)] } ?? households[Int(h)].members
            for i in targets {
                persons[Int(i)].flags |= PersonFlags.accessibilityDone
                extras.accessibilityEvidence[i] = e.id
                recheck(person: i, e, &out)
            }
        case .training, .productionSupport:
            break
        }
    }

    mutating func onLife(_ p: LifeEventRecorded, _ e: Event, _ out: inout Emitter) {
        let h = household(p.householdID, region: e.region)
        guard let m = Self.month(String(p.date.prefix(7))) else { return }
        let i = person(p.personID, household: h, move: false)
        persons[Int(i)].lifeKind = p.kind == .death ? 1 : 2
        persons[Int(i)].lifeMonth = m
        extras.lifeEvidence[i] = e.id
        // Payments already recorded for months after the event are anomalies too.
        for kind in SubsidyKind.allCases {
            let t = persons[Int(i)].track(kind)
            for paid in t.months(from: m + 1, to: t.last) {
                checkAfterLife(person: i, kind: kind, month: paid, amountFen: nil, e, &out)
            }
        }
        checkSpans(household: persons[Int(i)].household, e, &out)
        recheck(person: i, e, &out)
    }
}

/// Yuan text of a fen amount, e.g. `100元` or `85.50元`.
func yuan(_ fen: Int) -> String {
    let y = fen / 100, f = abs(fen % 100)
    return f == 0 ? "\(y)元" : "\(y).\(f < 10 ? "0" : "")\(f)元"
}

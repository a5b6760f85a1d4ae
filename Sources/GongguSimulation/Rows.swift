import GongguCore
import GongguEvents

/// Turns one household into the rows of every source file, deriving payments, pension premiums,
/// personal 低保 and services from the entitlements of the default verify rules (`Entitlements`),
/// then applying the household's `PaymentEdits` (seeded cases).
struct RowWriter {
    let files: FileSet
    var payees: [Payee] = []
    private var projectCounter = 0

    init(files: FileSet) { self.files = files }

    mutating func write(_ h: SimHousehold) {
        survey(h)
        members(h)
        status(h)
        income(h)
        assistance(h)
        pension(h)
        projects(h)
        collectPayees(h)
        expenses(h)
        visits(h)
        life(h)
        decision(h)
    }

    // MARK: Survey (both years; a household's 2024 rows before its 2025 rows)

    private func survey(_ h: SimHousehold) {
        for year in [2024, 2025] {
            for p in h.members where p.disabled {
                if year == 2024 && p.newIn2025 { continue }
                if year == 2025, let d = p.deathDay, d < dayOf(2025, 3, 28) { continue }
                surveyRow(h, p, year: year, surveyDay: dayOf(year, 3, 1 + (h.index + p.birthDay) % 28),
                          late: h.surveyArrivesLate)
            }
        }
    }

    func surveyRow(_ h: SimHousehold, _ p: SimPerson, year: Int, surveyDay: Int, idText: String? = nil,
                   cardText: String? = nil, regionText: String? = nil, dateText: String? = nil,
                   late: Bool = false) -> Int {
        let s = late ? files.sink(named: Simulator.lateSurveyFile) : files.sink(.survey)
        let grade = year == 2024 ? p.grade : p.grade2025
        s.field(idText ?? p.id, first: true)
        s.field(h.id)
        s.field(regionText ?? h.region)
        s.field(p.name)
        s.field(cardText ?? (p.id + "\(p.category)\(grade)"))
        s.field(DisabilityCategory(rawValue: p.category)!.chinese + "残疾")
        s.field(["一级", "二级", "三级", "四级"][grade - 1])
        s.field(p.labour.chinese)
        s.int(year)
        if let dateText { s.field(dateText) } else { s.date(surveyDay) }
        s.flag(p.student)
        s.flag(p.longTermCare)
        s.flag(p.orphan)
        s.flag(p.workInjury)
        s.flag(p.oldAge)
        s.flag(p.pensionEnrolled)
        s.flag(p.rehabNeeded)
        s.flag(p.accessNeeded)
        s.flag(p.accessDone)
        s.flag(p.autism)
        return s.endRecord()
    }

    // MARK: Household register

    private func members(_ h: SimHousehold) {
        let s = files.sink(.member)
        for p in h.members {
            s.field(h.id, first: true)
            s.field(p.id)
            s.field(h.region)
            s.field(p.name)
            s.field(p.labour.chinese)
            s.flag(p.student)
            s.date(max(p.birthDay, dayOf(2014, 1, 1)))
            s.flag(false)
            s.endRecord()
        }
    }

    private func status(_ h: SimHousehold) {
        let s = files.sink(.household)
        s.field(h.id, first: true)
        s.field(h.region)
        s.field(h.status.chinese)
        s.date(h.statusDay)
        if let y = h.liftedYear { s.int(y) } else { s.field("") }
        s.endRecord()
    }

    private func income(_ h: SimHousehold) {
        let s = files.sink(.income)
        for (year, perCapita) in [(2024, h.perCapita2024), (2025, h.perCapita2025)] {
            let assessed = dayOf(year, 12, 20)
            let n = max(1, h.members.filter { ($0.deathDay ?? Int.max) > assessed }.count)
            s.field(h.id, first: true)
            s.field(h.region)
            s.int(year)
            s.yuan(perCapita * n)
            s.int(n)
            s.date(assessed)
            s.endRecord()
        }
    }

    // MARK: Civil affairs

    private func assistance(_ h: SimHousehold) {
        guard let programme = h.programme else { return }
        let s = files.sink(.assistance)
        func row(
            _ person: String?, _ prog: AssistanceProgramme, start: Int, stop: Int?, reason: StopReason?, fen: Int?
        ) {
            s.field(h.id, first: true)
            s.field(h.region)
            s.field(person ?? "")
            s.field(prog.chinese)
            s.month(start)
            if let stop { s.month(stop) } else { s.field("") }
            s.field(reason?.chinese ?? "")
            if let fen { s.yuan(fen) } else { s.field("") }
            s.endRecord()
        }
        row(nil, programme, start: h.programmeStart, stop: h.programmeStop, reason: h.stopReason,
            fen: programme == .dibaoMarginal ? nil : h.dibaoAmountFen)
        for (k, p) in h.members.enumerated() where Entitlements.personalDibao(h, k) {
            let died = p.deathDay.map { _ in p.deathMonth }
            row(p.id, .dibao, start: h.programmeStart, stop: died, reason: died == nil ? nil : .death, fen: 40000)
        }
    }

    // MARK: Pension premiums (disabled persons, by year)

    private func pension(_ h: SimHousehold) {
        let s = files.sink(.pension)
        for (k, p) in h.members.enumerated() where p.disabled && p.pensionEnrolled {
            var years = [2024, 2025]
            if h.edits.pension2023.contains(k) { years.insert(2023, at: 0) }
            for y in years {
                let age = y - p.birthYear
                guard (16...59).contains(age), (p.deathDay ?? Int.max) > dayOf(y, 12, 31) else { continue }
                if h.edits.skipPension[k] == y { continue }
                s.field(h.id, first: true)
                s.field(h.region)
                s.field(p.id)
                s.int(y)
                s.flag(true)
                s.yuan(p.severe ? 10000 : 0)
                s.endRecord()
            }
        }
    }

    // MARK: Projects: rehabilitation for children, accessibility works, others

    private mutating func projects(_ h: SimHousehold) {
        var rows = h.projects.map { (kind: $0.kind, member: $0.member, day: $0.day, fen: $0.fen) }
        for (k, p) in h.members.enumerated() where p.disabled && !h.edits.noRehab.contains(k) {
            if Entitlements.needsChildRehabilitation(p) {
                rows.append((.rehabilitation, k, dayOf(2024, 4, 10), 300_000))
                rows.append((.rehabilitation, k, dayOf(2025, 4, 10), 300_000))
            }
            if p.severe && p.accessNeeded && !p.accessDone {
                rows.append((.accessibility, k, dayOf(2023, 10, 15), 500_000))
            }
        }
        let s = files.sink(.project)
        for row in rows {
            projectCounter += 1
            var digits: [UInt8] = []
            appendPadded(projectCounter, 8, &digits)
            s.field("XM" + String(decoding: digits, as: UTF8.self), first: true)
            s.field(row.kind.chinese)
            s.field(h.id)
            s.field(h.region)
            s.field(row.member.map { h.members[$0].id } ?? "")
            s.date(row.day)
            s.yuan(row.fen)
            s.endRecord()
        }
    }

    // MARK: Subsidies (kept as payees; the pay roll is written month by month at the end)

    private mutating func collectPayees(_ h: SimHousehold) {
        for (k, p) in h.members.enumerated() where p.disabled {
            let end = min(Period.lastMonth, h.edits.paidThrough[k] ?? p.deathMonth)
            if !h.edits.noLiving.contains(k), let range = Entitlements.livingMonths(h, k) {
                let to = min(range.upperBound, end, h.edits.livingUntil[k] ?? Int.max)
                if to >= range.lowerBound { add(h, k, .living, 10000, range.lowerBound, to) }
            }
            if !h.edits.noNursing.contains(k), Entitlements.nursing(h, k) {
                add(h, k, .nursing, p.grade2025 == 1 ? 15000 : 10000, Period.firstMonth, end)
            }
        }
        for s in h.edits.stray { add(h, s.member, s.kind, 10000, s.month, s.month) }
        if let o = h.edits.amountOverride, let i = payees.lastIndex(where: {
            $0.personID == h.members[o.member].id && $0.kind == o.kind
        }) {
            payees[i].overrideMonth = Int32(o.month)
            payees[i].overrideFen = Int32(o.fen)
        }
        if let d = h.edits.secondPayment, let i = payees.lastIndex(where: {
            $0.personID == h.members[d.member].id && $0.kind == d.kind
        }) {
            payees[i].secondMonth = Int32(d.month)
        }
    }

    private mutating func add(_ h: SimHousehold, _ k: Int, _ kind: SubsidyKind, _ fen: Int, _ from: Int, _ to: Int) {
        payees.append(Payee(
            personID: h.members[k].id, householdID: h.id, region: h.region, kind: kind, fen: Int32(fen),
            from: Int32(from), to: Int32(to)))
    }

    /// Writes the pay roll, month by month; `between` runs after each month (for inserted rows).
    mutating func writePayRoll(between: (Int) -> Void) {
        let s = files.sink(.subsidy)
        for m in Period.firstMonth...Period.lastMonth {
            let m32 = Int32(m)
            for p in payees where p.from <= m32 && m32 <= p.to {
                let fen = p.overrideMonth == m32 ? Int(p.overrideFen) : Int(p.fen)
                payRow(s, p, m, fen)
                if p.secondMonth == m32 { payRow(s, p, m, fen + 50) }
                if p.exactDuplicateMonth == m32 {
                    payRow(s, p, m, fen)
                    files.duplicateRows[files.index(.subsidy)] += 1
                }
            }
            between(m)
        }
    }

    func payRow(_ s: FileSink, _ p: Payee, _ m: Int, _ fen: Int, amountText: String? = nil) {
        s.field(p.householdID, first: true)
        s.field(p.region)
        s.field(p.personID)
        s.field(p.kind.chinese)
        s.month(m)
        if let amountText { s.field(amountText) } else { s.yuan(fen) }
        s.endRecord()
    }

    // MARK: Expenses, visits, life events, decisions

    private func expenses(_ h: SimHousehold) {
        let s = files.sink(.expense)
        for e in h.expenses {
            s.field(h.id, first: true)
            s.field(h.region)
            s.field(e.member.map { h.members[$0].id } ?? "")
            s.field(e.kind.chinese)
            s.yuan(e.fen)
            s.date(e.day)
            switch e.kind {
            case .inpatient, .outpatient: s.field("医保局")
            case .schooling: s.field("教育局")
            case .disaster, .accident: s.field("应急管理局")
            }
            s.endRecord()
        }
    }

    private func visits(_ h: SimHousehold) {
        let s = files.sink(.visit)
        for v in h.visits {
            var w = JSONWriter(capacity: 256)
            w.beginObject()
            w.key("户编号"); w.string(h.id)
            w.key("区划代码"); w.string(h.region)
            w.key("走访日期"); w.string(BusinessCalendar.dateText(ofDay: v.day))
            w.key("走访人"); w.string(Jilin.visitors[h.index % Jilin.visitors.count])
            w.key("困难情况"); w.string(v.hardship.joined(separator: "、"))
            w.key("是否自主申报"); w.string(v.selfApplication ? "是" : "否")
            w.key("备注"); w.string(v.notes)
            w.endObject()
            s.buffer.append(contentsOf: w.bytes)
            s.endRecord(crlf: false)
        }
    }

    private func life(_ h: SimHousehold) {
        let s = files.sink(.life)
        for p in h.members {
            guard let d = p.deathDay else { continue }
            s.field(h.id, first: true)
            s.field(h.region)
            s.field(p.id)
            s.field(LifeEventKind.death.chinese)
            s.date(d)
            s.endRecord()
        }
    }

    private func decision(_ h: SimHousehold) {
        if let day = h.measureTakenDay { decisionRow(h, .measureTaken, day, "落实产业帮扶和公益岗位") }
        if let (day, measure) = h.inclusionWithMeasure { decisionRow(h, .inclusionConfirmed, day, measure) }
    }

    private func decisionRow(_ h: SimHousehold, _ kind: BureauDecisionKind, _ day: Int, _ measure: String) {
        let s = files.sink(.decision)
        s.field(h.id, first: true)
        s.field(h.region)
        s.field(kind.chinese)
        s.date(day)
        s.field(Jilin.counties[h.county].name + "乡村振兴局")
        s.field(h.status.chinese)
        s.field(measure)
        s.field("")
        s.endRecord()
    }
}

/// The entitlements of the default verify rules (`VerifyRules.defaultDocument`, version 2025.1), as the
/// generator applies them to keep the background clean. Checked against the verifier by the
/// pipeline test: a background person the verifier finds entitled and unpaid would show up there.
enum Entitlements {
    /// Subsidy exclusions: 特困, work-injury nursing allowance, old-age allowance (both subsidies), orphan
    /// (living only).
    static func excluded(_ h: SimHousehold, _ p: SimPerson, living: Bool) -> Bool {
        h.programme == .tekun || p.workInjury || p.oldAge || (living && p.orphan)
    }

    /// 单人户施保: severe members of 低保边缘 households get their own 低保.
    static func personalDibao(_ h: SimHousehold, _ k: Int) -> Bool {
        let p = h.members[k]
        return h.programme == .dibaoMarginal && p.disabled && p.severe && !h.edits.noPersonalDibao.contains(k)
    }

    /// Months of 2024–2025 covered by 低保 (household or personal) while entitled to the living subsidy.
    static func livingMonths(_ h: SimHousehold, _ k: Int) -> ClosedRange<Int>? {
        let p = h.members[k]
        guard !excluded(h, p, living: true) else { return nil }
        let covered = h.programme == .dibao || personalDibao(h, k)
        guard covered else { return nil }
        let from = max(Period.firstMonth, h.programmeStart)
        let to = min(Period.lastMonth, h.programme == .dibao ? (h.programmeStop ?? Int.max) : Int.max)
        return from <= to ? from...to : nil
    }

    /// Nursing subsidy: grade 1–2 needing long-term care, not excluded.
    static func nursing(_ h: SimHousehold, _ k: Int) -> Bool {
        let p = h.members[k]
        return p.disabled && p.severe && p.longTermCare && !excluded(h, p, living: false)
    }

    /// Children who need rehabilitation and are (or were, in the period) of child-rehabilitation age.
    static func needsChildRehabilitation(_ p: SimPerson) -> Bool {
        p.rehabNeeded && p.birthYear >= 2016
    }
}

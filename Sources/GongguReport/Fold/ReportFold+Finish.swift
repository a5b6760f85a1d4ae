import GongguCore
import GongguEvents
import GongguVerify

extension ReportFold {
    /// The indicators and their case lists for the year and region prefix, with the log cut-offs the
    /// caller read up to (each `LogCut.eventsUsed` is filled from the fold).
    public func finish(cuts: [LogCut], rule: CutoffRule, names: RegionNames = RegionNames()) -> ReportData {
        // Two inputs shared by the indicators, built side by side.
        var members: [String: [String]] = [:], dibao: [String: [FactTally.Span]] = [:], people: [Surveyed] = []
        let prepared = inParallel(2) { i -> Prepared in
            i == 0 ? .members(disabledMembers()) : .people(surveyed(), dibaoSpans())
        }
        for p in prepared {
            switch p {
            case let .members(m): members = m
            case let .people(list, spans): (people, dibao) = (list, spans)
            }
        }
        let unmet = unmetCases()
        // Each task fills the lists of its own indicators (no list is shared), on the available cores.
        let measures = CoverageMeasure.allCases
        let tasks = 5 + measures.count
        let books = inParallel(tasks) { t -> CaseBook in
            var book = CaseBook()
            switch t {
            case 0: continuity(&book, members)
            case 1: monitoring(&book, members)
            case 2: services(&book, members, people)
            case 3: openFindings(&book)
            case 4: bureauFeedback(&book)
            default:
                let m = measures[t - 5]
                coverage(m, &book, people, unmet: unmet[m] ?? [:], dibao: dibao)
            }
            return book
        }
        var book = CaseBook()
        for b in books {
            for (k, list) in b.lists { book.set(k, list) }
        }
        book.seal(keeping: regionPrefix)
        var logCuts = cuts
        for i in logCuts.indices { logCuts[i].eventsUsed = used[logCuts[i].log] ?? 0 }
        return ReportData(
            period: period, regionPrefix: regionPrefix, cuts: logCuts, rule: rule, book: book, names: names)
    }

    /// What `finish` prepares on two threads.
    private enum Prepared {
        case members([String: [String]])
        case people([Surveyed], [String: [FactTally.Span]])
    }

    /// A surveyed person with the region of their household, looked up once for every indicator.
    struct Surveyed {
        var id: String
        var person: FactTally.Person
        var region: String
    }

    /// Every surveyed person, with their household's region.
    func surveyed() -> [Surveyed] {
        var out: [Surveyed] = []
        out.reserveCapacity(facts.persons.count)
        for (id, p) in facts.persons { out.append(Surveyed(id: id, person: p, region: region(p.household))) }
        return out
    }

    /// Household → its surveyed disabled members (by their latest survey), sorted.
    func disabledMembers() -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (id, p) in facts.persons { out[p.household, default: []].append(id) }
        for k in out.keys { out[k]!.sort() }
        return out
    }

    func region(_ household: String) -> String { facts.households[household]?.region ?? "" }

    // MARK: 四个不摘

    /// The continuity indicators (docs/REPORT.md): of the households that left poverty (`lifted`), those with
    /// at least one main measure active on 1 January (`measureAtStart`, the denominator) and those with
    /// none (`noMeasureAtStart`, their own line); of the denominator, those with an unexplained stop of a
    /// measure active at the start (`discontinued`, a verifier finding whose first month without it is in
    /// the year) and the others (`continued`, the numerator). Stops explained by death, move-out or an
    /// eligibility change raise no finding and so count as continued (docs/RULES-verify.md).
    private func continuity(_ book: inout CaseBook, _ members: [String: [String]]) {
        var stopped: [String: FindingTally.Raised] = [:]
        for f in findings.raised.values where f.kind == .discontinued {
            guard let m = f.fromMonth, period.contains(month: m), activeAtStart(f) else { continue }
            if let old = stopped[f.householdID], (old.day, old.event) <= (f.day, f.event) { continue }
            stopped[f.householdID] = f
        }
        for (id, h) in facts.households where members[id] != nil && h.liftedMonth <= period.firstMonth {
            let surveys = members[id]!.map { facts.persons[$0]!.survey }
            let date = dateText(h.liftedStamp.time)
            book.add(.lifted, Case(region: h.region, householdID: id, events: [h.liftedEvent] + surveys, date: date))
            let evidence = startEvidence(h, members[id]!)
            guard !evidence.isEmpty else {
                book.add(.noMeasureAtStart, Case(
                    region: h.region, householdID: id, events: [h.liftedEvent] + surveys, date: date))
                continue
            }
            book.add(.measureAtStart, Case(
                region: h.region, householdID: id, events: [h.liftedEvent] + evidence, date: date))
            if let f = stopped[id] {
                book.add(.discontinued, Case(
                    region: h.region, householdID: id, personID: f.personID, events: [f.event, h.liftedEvent],
                    date: BusinessCalendar.dateText(ofDay: f.day), detail: f.measure.chinese))
            } else {
                book.add(.continued, Case(
                    region: h.region, householdID: id, events: [h.liftedEvent] + evidence, date: date))
            }
        }
    }

    /// Whether a 低保 span is active in the year's first month (`stop` is the month of the last payment).
    private func activeAtStart(_ s: FactTally.Span) -> Bool {
        s.start <= period.firstMonth && (s.stop ?? Int.max) >= period.firstMonth
    }

    /// The facts showing the household's main measures active on 1 January: its 低保 spans (household or
    /// single-person) active then, and the earliest such fact of each disabled member. Empty: none active.
    private func startEvidence(_ h: FactTally.Household, _ members: [String]) -> [EventID] {
        var out = h.dibao.values.filter(activeAtStart).sorted { $0.stamp < $1.stamp }.map(\.event)
        for p in members { if let mark = facts.atStart[p] { out.append(mark.pick.event) } }
        return out
    }

    /// Whether the measure a discontinuation finding names was active at the start of the year: the rate
    /// asks whether the measures active then continued, so a measure begun during the year is not one of them.
    private func activeAtStart(_ f: FindingTally.Raised) -> Bool {
        let spans = facts.households[f.householdID]?.dibao.values
        switch f.measure {
        case .dibao:
            return spans?.contains { $0.person.isEmpty && activeAtStart($0) } ?? false
        case .singlePersonDibao:
            return spans?.contains { !$0.person.isEmpty && $0.person == f.personID && activeAtStart($0) } ?? false
        case .living, .nursing, .pension, .childRehabilitation:
            guard let p = f.personID, let mark = facts.atStart[p] else { return false }
            let m: FactTally.StartMeasures = switch f.measure {
            case .living: .living
            case .nursing: .nursing
            case .pension: .pension
            default: .rehabilitation
            }
            return mark.measures.contains(m)
        case .accessibility:
            return false
        }
    }

    // MARK: 监测

    private func monitoring(_ book: inout CaseBook, _ members: [String: [String]]) {
        for (id, h) in facts.households where members[id] != nil {
            guard let s = h.status, s == .monitoredUnstable || s == .monitoredMarginal || s == .monitoredSudden else {
                continue
            }
            book.add(.monitored, Case(
                region: h.region, householdID: id, events: [h.statusEvent], date: dateText(h.statusStamp.time),
                detail: s.chinese))
        }
        let lists: [(Indicator, [String: FactTally.Pick])] = [
            (.recommended, risk.recommended), (.eliminationRecommended, risk.eliminationRecommended),
            (.included, facts.included), (.eliminated, facts.eliminated),
        ]
        // Like `monitored`, the flows count households with disabled members only (docs/REPORT.md).
        for (indicator, picks) in lists {
            for (id, p) in picks where members[id] != nil {
                book.add(indicator, Case(
                    region: p.region, householdID: id, events: [p.event], date: dateText(p.stamp.time)))
            }
        }
    }

    // MARK: 应享尽享

    /// Entitled and not receiving: gap findings still open at the year's end, one case per person.
    private func unmetCases() -> [CoverageMeasure: [String: Case]] {
        var unmet: [CoverageMeasure: [String: Case]] = [:]
        for (fid, f) in findings.raised where f.kind == .entitlementGap && findings.resolved[fid] == nil {
            guard let m = CoverageMeasure(f.measure) else { continue }
            let who = f.personID ?? f.householdID
            let region = facts.households[f.householdID]?.region ?? f.region
            if var c = unmet[m]?[who] {
                c.events.append(f.event)
                c.events.sort()
                unmet[m]![who] = c
            } else {
                unmet[m, default: [:]][who] = Case(
                    region: region, householdID: f.householdID, personID: f.personID, events: [f.event],
                    date: BusinessCalendar.dateText(ofDay: f.day), detail: f.measure.chinese)
            }
        }
        return unmet
    }

    /// 低保 spans overlapping the year, per household, oldest record first (computed once).
    private func dibaoSpans() -> [String: [FactTally.Span]] {
        var dibao: [String: [FactTally.Span]] = [:]
        for (id, h) in facts.households {
            let spans = h.dibao.values.filter {
                $0.start <= period.lastMonth && ($0.stop ?? Int.max) >= period.firstMonth
            }
            if !spans.isEmpty { dibao[id] = spans.sorted { $0.stamp < $1.stamp } }
        }
        return dibao
    }

    /// The coverage lists of one measure: its open gaps (unmet), the surveyed persons who received it
    /// (receiving), and both (entitled).
    private func coverage(
        _ m: CoverageMeasure, _ book: inout CaseBook, _ people: [Surveyed], unmet gaps: [String: Case],
        dibao: [String: [FactTally.Span]]
    ) {
        // Lists built locally and set once: one case-book lookup per list, not per case.
        let unmet = Array(gaps.values)
        var receiving: [Case] = []
        for p in people {
            guard gaps[p.id] == nil, let c = receipt(m, person: p.id, p.person, region: p.region, dibao) else {
                continue
            }
            receiving.append(c)
        }
        if !unmet.isEmpty { book.set(.unmet(m), unmet) }
        if !receiving.isEmpty { book.set(.receiving(m), receiving) }
        if !unmet.isEmpty || !receiving.isEmpty { book.set(.entitled(m), unmet + receiving) }
    }

    /// The case of a surveyed person who received `m` in the year, or nil.
    private func receipt(
        _ m: CoverageMeasure, person id: String, _ p: FactTally.Person, region: String,
        _ dibao: [String: [FactTally.Span]]
    ) -> Case? {
        func make(_ pick: FactTally.Pick) -> Case {
            Case(region: region, householdID: p.household, personID: id, events: [pick.event],
                 date: dateText(pick.stamp.time))
        }
        switch m {
        case .dibao:
            guard let all = dibao[p.household] else { return nil }
            let spans = all.filter { $0.person.isEmpty || $0.person == id }
            guard let s = spans.first else { return nil }
            return Case(region: region, householdID: p.household, personID: id, events: spans.map(\.event),
                        date: dateText(s.stamp.time), detail: s.person.isEmpty ? "家庭低保" : "单人户施保")
        case .living: return facts.living[id].map(make)
        case .nursing: return facts.nursing[id].map(make)
        case .pension: return facts.pension[id].map(make)
        case .childRehabilitation:
            // A child: under 18 on the day of the service (the verifier's age range is a rule; any
            // minor served counts as receiving).
            guard let r = facts.rehab[id], let age = BusinessCalendar.age(birthDate: p.birthDate,
                onDay: BusinessCalendar.day(of: r.stamp.time)), age < 18 else { return nil }
            return make(r)
        }
    }

    // MARK: 康复服务与无障碍改造

    private func services(_ book: inout CaseBook, _ members: [String: [String]], _ people: [Surveyed]) {
        for s in people where s.person.rehabNeeded && facts.ended[s.id] == nil {
            let id = s.id, p = s.person
            let c = Case(region: s.region, householdID: p.household, personID: id, events: [p.survey],
                         date: dateText(p.stamp.time))
            book.add(.rehabNeeded, c)
            if let r = facts.rehab[id] {
                var served = c
                served.events = [r.event, p.survey]
                served.date = dateText(r.stamp.time)
                book.add(.rehabServed, served)
            }
        }
        for (hid, ids) in members {
            let flagged = ids.filter { facts.persons[$0]!.accessibilityNeeded || facts.persons[$0]!.accessibilityDone }
            let project = facts.accessibility[hid]
            guard !flagged.isEmpty || project != nil else { continue }
            let surveys = flagged.map { facts.persons[$0]!.survey }
            let date = project.map { dateText($0.stamp.time) } ?? dateText(facts.persons[flagged[0]]!.stamp.time)
            let works = project.map { [$0.event] } ?? []
            book.add(.accessibilityNeeded, Case(
                region: region(hid), householdID: hid, events: surveys + works, date: date))
            let doneBySurvey = ids.filter { facts.persons[$0]!.accessibilityDone }.map { facts.persons[$0]!.survey }
            if project != nil || !doneBySurvey.isEmpty {
                book.add(.accessibilityDone, Case(
                    region: region(hid), householdID: hid, events: works + doneBySurvey,
                    date: date, detail: project != nil ? "改造项目记录" : "调查记录已改造"))
            }
        }
    }

    // MARK: 核查发现

    private func openFindings(_ book: inout CaseBook) {
        for (fid, f) in findings.raised where findings.resolved[fid] == nil {
            let days = period.lastDay - f.day
            book.add(.openFindings(f.kind), Case(
                region: f.region, householdID: f.householdID, personID: f.personID, events: [f.event],
                date: BusinessCalendar.dateText(ofDay: f.day), days: days,
                detail: "\(f.measure.chinese)；\(AgeClass(days: days).chinese)"))
        }
    }

    // MARK: 乡村振兴局反馈

    private func bureauFeedback(_ book: inout CaseBook) {
        for (nid, s) in feedback.sent {
            let date = BusinessCalendar.dateText(ofDay: s.day)
            book.add(.feedbackSent, Case(region: s.region, householdID: s.householdID, events: [s.event], date: date))
            if let a = feedback.acknowledged[nid] {
                book.add(.feedbackAcknowledged, Case(
                    region: s.region, householdID: s.householdID, events: [a.event, s.event], date: date,
                    days: max(0, a.day - s.day)))
            }
            if let d = feedback.answered[nid] {
                book.add(.feedbackAnswered, Case(
                    region: s.region, householdID: s.householdID, events: [d.event, s.event], date: date,
                    days: max(0, d.day - s.day)))
            }
        }
    }
}

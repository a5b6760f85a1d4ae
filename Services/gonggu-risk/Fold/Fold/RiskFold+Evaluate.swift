import GongguCore

/// The decisions taken after every change of a household and on its due clock ticks.
extension RiskFold {
    /// Takes the household's decisions as of `asOf`. `inputDay` is the business day of the input that
    /// caused the evaluation (ignored on ticks): decisions record it, not `asOf`, as their date.
    mutating func evaluate(
        _ hh: inout HouseholdState, _ id: String, asOf: Int32, inputDay: Int32 = noDay, tick: Bool,
        _ ctx: inout Context
    ) {
        guard let (rules, version) = rules(region: hh.region, day: asOf) else { return }
        let window = Int32(clamping: rules.signalWindowDays)
        hh.signals.removeAll { $0.signal.isWindowed && asOf - $0.day >= window }
        let mask = hh.activeMask
        // A cause that ended may be recommended again if it comes back.
        hh.recommendedMask &= mask
        let score = hh.signals.reduce(0) { $0 + rules.weights[Int($1.signal.rawValue)] }
        let level = rules.level(score: score)
        let decisionDay = tick ? asOf : max(inputDay, clockDay)
        var out = Emitter(
            ctx: ctx, householdID: id, region: hh.region, asOf: asOf, decisionDay: decisionDay, tick: tick,
            version: version)

        if mask != hh.assessedMask || level != hh.assessedLevel {
            out.assessed(hh, rules, score: score, level: level)
            hh.assessedMask = mask
            hh.assessedLevel = level
        }
        if !hh.isMonitored, level >= rules.recommendAtLevel, mask & ~hh.recommendedMask != 0 {
            let rec = out.recommendMonitoring(hh, rules, level: level)
            hh.openRecommendations.append(rec)
            hh.recommendedMask |= mask
        }
        if hh.isMonitored, !hh.openRecommendations.contains(where: { $0.kind == .elimination }) {
            if EliminationCheck(hh, rules, asOf: asOf, explain: false).allHold {
                let check = EliminationCheck(hh, rules, asOf: asOf)
                hh.openRecommendations.append(out.recommendElimination(hh, rules, check))
            }
        }
        if tick {
            if hh.isMonitored, !hh.withoutAssistanceRaised, !hh.hasAssistanceWhileMonitored,
                asOf - hh.monitoredSince >= Int32(clamping: rules.withoutAssistanceDays)
            {
                out.withoutAssistance(hh, rules)
                hh.withoutAssistanceRaised = true
            }
            let every = Int32(clamping: rules.overdueDays)
            for i in hh.openRecommendations.indices {
                let periods = (asOf - hh.openRecommendations[i].day) / every
                guard periods > Int32(hh.openRecommendations[i].overduePeriods) else { continue }
                hh.openRecommendations[i].overduePeriods = UInt16(clamping: periods)
                out.overdue(hh, hh.openRecommendations[i], rules)
            }
        }
        for ref in out.refs { hh.remember(ref) }
        ctx.outputs.append(contentsOf: out.events)
        scheduleNext(&hh, id, rules, asOf: asOf)
    }

    /// Queues the household for the next day on which elapsed time alone could change a decision.
    private mutating func scheduleNext(_ hh: inout HouseholdState, _ id: String, _ rules: RiskRules, asOf: Int32) {
        var next = Int32.max
        func consider(_ day: Int32) { if day > asOf && day < next { next = day } }
        let window = Int32(clamping: rules.signalWindowDays)
        for s in hh.signals where s.signal.isWindowed { consider(s.day + window) }
        if hh.isMonitored {
            consider(Calendar.addMonths(hh.monitoredSince, rules.minMonitoredMonths))
            if hh.incomeAboveSince != noDay {
                consider(Calendar.addMonths(hh.incomeAboveSince, rules.minIncomeAboveMonths))
            }
            if hh.lastLargeExpenseDay != noDay {
                consider(Calendar.addMonths(hh.lastLargeExpenseDay, rules.expenseResolvedMonths))
            }
            if !hh.withoutAssistanceRaised && !hh.hasAssistanceWhileMonitored {
                // Due today or earlier still needs a tick to raise it.
                next = min(next, max(asOf + 1, hh.monitoredSince + Int32(clamping: rules.withoutAssistanceDays)))
            }
        }
        let every = Int32(clamping: rules.overdueDays)
        for r in hh.openRecommendations {
            next = min(next, max(asOf + 1, r.day + (Int32(r.overduePeriods) + 1) * every))
        }
        guard next != .max, next < hh.scheduled else { return }
        hh.scheduled = next
        wakeups.push(day: next, household: id)
    }
}

/// Calendar arithmetic on day numbers.
enum Calendar {
    /// The same day of the month `months` later (clamped to the month's end).
    static func addMonths(_ day: Int32, _ months: Int) -> Int32 {
        let (y, m, d) = BusinessCalendar.date(ofDay: Int(day))
        let total = y * 12 + m - 1 + months
        let (ny, nm) = (total / 12, total % 12 + 1)
        var nd = d
        while !BusinessCalendar.isValid(year: ny, month: nm, day: nd) { nd -= 1 }
        return Int32(BusinessCalendar.dayNumber(year: ny, month: nm, day: nd))
    }

    /// Whole months from `from` to `to` (0 when `to` is earlier).
    static func monthsBetween(_ from: Int32, _ to: Int32) -> Int {
        guard to >= from else { return 0 }
        let (y1, m1, _) = BusinessCalendar.date(ofDay: Int(from))
        let (y2, m2, _) = BusinessCalendar.date(ofDay: Int(to))
        var months = (y2 * 12 + m2) - (y1 * 12 + m1)
        if addMonths(from, months) > to { months -= 1 }
        return max(0, months)
    }

    static func text(_ day: Int32) -> String { BusinessCalendar.dateText(ofDay: Int(day)) }
}

import GongguCore
import GongguEvents

@testable import GongguVerify

/// A deterministic pseudo-random generator (SplitMix64) for synthetic scenarios.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
}

/// A mixed event stream over `households` households and 24 months (2023–2024): surveys, statuses,
/// 低保 / 低保边缘 / 特困 spans with and without stop reasons, monthly payments with gaps, duplicates
/// and odd amounts, pension records, projects, deaths and move-outs, and a monthly clock tick.
func syntheticEvents(households: Int, seed: UInt64 = 42) -> [Event] {
    var g = SplitMix(state: seed)
    var events: [Event] = []
    func add<P: EventPayload>(_ p: P, _ subject: String, _ region: String, _ date: String) {
        let day = BusinessCalendar.dayNumber(date)!
        events.append(
            Event(p, id: EventID.derived("syn|\(seed)|\(events.count)"), subject: subject, region: region,
                  occurredAt: BusinessCalendar.timestamp(ofDay: day), correlation: EventID.derived("syn|\(seed)")))
    }
    let regions = ["220102001001", "220102003002", "220202001001", "220303001001", "222401001001"]
    struct P { let id: String; let hh: String; let region: String; var paysLiving: Bool; var paysNursing: Bool
        var stopAt: Int; var deathAt: Int; var dup: Int }
    var people: [P] = []
    for k in 0..<households {
        let hh = "HH\(100_000 + k)"
        let region = regions[g.int(regions.count)]
        if g.chance(60) { add(lifted(hh, year: 2019 + g.int(2)), hh, region, "2022-12-31") }
        let dibao = g.chance(40), marginal = !dibao && g.chance(30)
        if dibao {
            let stop = g.chance(30) ? "2024-0\(1 + g.int(9))" : nil
            let reason: StopReason? = stop != nil && g.chance(50) ? .incomeAboveLine : nil
            add(assistance(hh, .dibao, start: "2021-0\(1 + g.int(9))"), hh, region, "2022-12-31")
            if let stop {
                add(assistance(hh, .dibao, start: "2021-01", stop: stop, reason: reason), hh, region, stop + "-25")
            }
        }
        if marginal { add(assistance(hh, .dibaoMarginal, start: "2022-01"), hh, region, "2022-12-31") }
        for j in 0..<(1 + g.int(2)) {
            let birthYear = 1950 + g.int(72)
            let birth = "\(birthYear)-0\(1 + g.int(9))-1\(g.int(9))"
            let pid = residentID(String(region.prefix(6)), birth: birth, seq: 1 + k % 900 + j)
            let grade = 1 + g.int(4)
            let cat = DisabilityCategory(rawValue: 1 + g.int(7))!
            var s = survey(pid, hh, name: "人员\(k)-\(j)", birth: birth, category: cat, grade: grade,
                           care: g.chance(70), orphan: g.chance(3), workInjury: g.chance(3), oldAge: g.chance(5),
                           pension: g.chance(60), student: g.chance(5), rehab: g.chance(50), autism: g.chance(5),
                           accessNeeded: g.chance(20), accessDone: g.chance(5))
            s.surveyYear = 2023
            add(s, hh, region, "2023-01-0\(1 + g.int(9))")
            if g.chance(3) { add(assistance(hh, .tekun, person: pid, start: "2023-06"), hh, region, "2023-06-05") }
            people.append(P(id: pid, hh: hh, region: region, paysLiving: dibao && g.chance(80),
                            paysNursing: grade <= 2 && g.chance(80), stopAt: g.chance(20) ? 6 + g.int(18) : 99,
                            deathAt: g.chance(4) ? 3 + g.int(20) : 99, dup: g.chance(3) ? g.int(24) : -1))
            if g.chance(40) {
                add(PensionRecorded(householdID: hh, personID: pid, year: 2023, enrolled: true,
                                    governmentPaidFen: g.chance(90) ? 10000 : 5000, source: src), hh, region, "2023-07-01")
            }
            if g.chance(10) {
                add(ProjectRecorded(projectID: "PJ\(k)-\(j)", kind: g.chance(50) ? .rehabilitation : .accessibility,
                                    householdID: hh, personID: pid, date: "2023-0\(1 + g.int(9))-15",
                                    amountFen: 100_000, source: src), hh, region, "2023-10-01")
            }
        }
    }
    // Monthly payment batches by month (as 残联 pays them), life events, and a tick on each month's first day.
    for m in 0..<24 {
        let month = BusinessCalendar.monthText(2023 * 12 + m)
        add(ClockTicked(date: month + "-01"), "verify", "", month + "-01")
        for p in people {
            if m == p.deathAt {
                add(LifeEventRecorded(householdID: p.hh, personID: p.id, kind: g.chance(70) ? .death : .movedOut,
                                      date: month + "-1\(g.int(9))", source: src), p.hh, p.region, month + "-20")
            }
            guard m < p.stopAt || m > p.stopAt + 4 else { continue }
            let amount = g.chance(2) ? 30000 : 10000
            if p.paysLiving {
                add(SubsidyPaid(householdID: p.hh, personID: p.id, subsidy: .living, month: month, amountFen: amount,
                                source: src), p.hh, p.region, month + "-10")
            }
            if p.paysNursing {
                add(SubsidyPaid(householdID: p.hh, personID: p.id, subsidy: .nursing, month: month, amountFen: amount,
                                source: src), p.hh, p.region, month + "-10")
                if m == p.dup {
                    add(SubsidyPaid(householdID: p.hh, personID: p.id, subsidy: .nursing, month: month,
                                    amountFen: amount, source: src), p.hh, p.region, month + "-11")
                }
            }
        }
        if m == 18 {
            for (k, p) in people.enumerated() where k % 7 == 0 {
                add(PensionRecorded(householdID: p.hh, personID: p.id, year: 2024, enrolled: true,
                                    governmentPaidFen: 10000, source: src), p.hh, p.region, month + "-02")
            }
        }
    }
    add(ClockTicked(date: "2025-01-01"), "verify", "", "2025-01-01")
    return events
}

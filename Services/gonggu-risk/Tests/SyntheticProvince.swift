import GongguCore
import GongguEvents

@testable import GongguRisk

/// A deterministic synthetic event stream: households across Jilin counties with surveys, incomes,
/// expenses, visits, findings, bureau decisions and monthly clock ticks (seeded, no randomness at run time).
enum SyntheticProvince {
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let counties = [
        "220102", "220112", "220203", "220302", "220402", "220502", "220602", "220702", "220802", "222401",
    ]

    static func events(households: Int, years: ClosedRange<Int> = 2022...2024, seed: UInt64 = 7) -> [Event] {
        var rng = LCG(state: seed)
        var s = Script()
        func hid(_ i: Int) -> String { "HH\(i)" }
        func region(_ i: Int) -> String {
            counties[i % counties.count] + String(format: "%03d%03d", i % 7 + 1, i % 11 + 1)
        }
        func person(_ i: Int, _ k: Int) -> String {
            Script.residentID(
                counties[i % counties.count] + "19\(60 + (i + k) % 40)0101" + String(format: "%03d", (i * 3 + k) % 1000)
            )
        }
        func d(_ y: Int, _ m: Int, _ day: Int) -> String { String(format: "%04d-%02d-%02d", y, m, day) }
        for i in 0..<households {
            let r = region(i)
            s.add(
                HouseholdStatusRecorded(
                    householdID: hid(i), status: rng.next(3) == 0 ? .ordinary : .lifted,
                    effectiveDate: "2021-01-01", source: Script.src), "2021-01-01",
                household: hid(i), region: r)
            for k in 0..<(1 + rng.next(3)) {
                let grade = 1 + rng.next(4)
                let labour = [LabourCapacity.full, .weak, .none][rng.next(3)]
                s.add(
                    DisabilityRecorded(
                        personID: person(i, k), householdID: hid(i), name: "成员\(k)", birthDate: "1970-01-01",
                        gender: "M", cardNumber: person(i, k) + "4\(grade)", category: .physical,
                        grade: grade, labour: labour, surveyYear: years.lowerBound - 1, source: Script.src),
                    "2021-03-01", household: hid(i), region: r)
            }
        }
        for year in years {
            for month in 1...12 {
                for i in 0..<households where rng.next(4) == 0 {
                    let h = hid(i)
                    let r = region(i)
                    let day = 1 + rng.next(27)
                    let date = d(year, month, day)
                    switch rng.next(12) {
                    case 0, 1:
                        s.add(
                            IncomeAssessed(
                                householdID: h, year: year, netIncomeFen: 400_000 + rng.next(1_600_000) * 2,
                                members: 2, assessedDate: date, source: Script.src), date, household: h, region: r)
                    case 2:
                        let kind = ExpenseKind.allCases[rng.next(5)]
                        s.add(
                            ExpenseReported(
                                householdID: h, kind: kind, amountFen: rng.next(1_500_000), date: date,
                                department: "医保", source: Script.src), date, household: h, region: r)
                    case 3:
                        let hardship = [[], [], ["housing"], ["illness", "water"]][rng.next(4)]
                        s.add(
                            HomeVisitReported(
                                householdID: h, date: date, visitor: "走访员", hardship: hardship,
                                selfApplication: rng.next(10) == 0, source: Script.src),
                            date, household: h, region: r)
                    case 4:
                        s.add(
                            SubsidyPaid(
                                householdID: h, personID: person(i, 0), subsidy: .nursing,
                                month: String(date.prefix(7)), amountFen: 8_000, source: Script.src),
                            date, household: h, region: r)
                    case 5:
                        let decision = BureauDecisionKind.allCases[rng.next(4)]
                        s.add(
                            BureauDecisionRecorded(
                                householdID: h, decision: decision, date: date, bureau: "bureau",
                                householdType: decision == .inclusionConfirmed ? .monitoredMarginal : nil,
                                source: Script.src), date, household: h, region: r)
                    case 6:
                        s.add(
                            ProjectRecorded(
                                projectID: "P\(i)-\(date)", kind: .training, householdID: h, date: date,
                                amountFen: 50_000, source: Script.src), date, household: h, region: r)
                    case 7:
                        s.add(
                            MemberRecorded(
                                householdID: h, personID: person(i, 5), name: "家属", birthDate: "1990-01-01",
                                labour: [LabourCapacity.full, .none][rng.next(2)], since: date,
                                left: rng.next(3) == 0, source: Script.src), date, household: h, region: r)
                    case 8:
                        s.add(
                            LifeEventRecorded(
                                householdID: h, personID: person(i, rng.next(3)), kind: .death, date: date,
                                source: Script.src), date, household: h, region: r)
                    case 9:
                        s.finding(
                            rng.next(2) == 0 ? "AssistanceDiscontinued" : "FindingResolved",
                            id: "disc|\(i)|nursing", measure: "nursing", date, household: h)
                    default:
                        s.add(
                            AssistanceRecorded(
                                householdID: h, programme: .dibao, startMonth: String(date.prefix(7)),
                                stopMonth: rng.next(2) == 0 ? String(date.prefix(7)) : nil,
                                monthlyFen: 30_000, source: Script.src), date, household: h, region: r)
                    }
                }
                s.tick(d(year, month, 28))
            }
        }
        return s.events
    }
}

import GongguCore
import GongguEvents

/// Generates the background population, household by household, from the seed. Every household's
/// draws come from its own generator (seed, index), so a household does not depend on the others.
/// The background is clean by construction: incomes stay above the monitoring line without sharp
/// falls, expenses stay under every threshold, visits report no hardship, nobody gains a disability
/// or a more severe grade, and every entitlement under the default verify rules is met (see
/// `Entitlements`).
struct Population {
    let seed: UInt64
    var ids = IDAllocator()

    init(seed: UInt64) { self.seed = seed }

    static let statuses: [PovertyStatus] = [
        .lifted, .ordinary, .monitoredUnstable, .monitoredMarginal, .monitoredSudden,
    ]
    static let visitNotes = ["生活稳定", "收入稳定，无新增困难", "已宣传帮扶政策"]

    mutating func household(_ index: Int) -> SimHousehold {
        var r = SplitMix64(seed: seed, stream: 1, index: UInt64(index))
        let county = r.below(Jilin.counties.count)
        let region = Jilin.village(county: county, township: r.below(Jilin.townships), village: r.below(Jilin.villages))
        var digits: [UInt8] = []
        appendPadded(index, 7, &digits)
        let id = "H" + region + "-" + String(decoding: digits, as: UTF8.self)

        // Status: 脱贫户 majority, some 一般户, some already monitored (since 2025-08).
        let statusPick = r.weighted([75, 20, 2, 2, 1])
        let status = Self.statuses[statusPick]
        var lifted: Int?
        var statusDay: Int
        switch status {
        case .lifted:
            lifted = r.int(2016...2020)
            statusDay = dayOf(lifted!, 11, r.int(1...28))
        case .monitoredUnstable:
            lifted = r.int(2016...2020)
            statusDay = dayOf(2025, 8, r.int(1...28))
        case .monitoredMarginal, .monitoredSudden:
            statusDay = dayOf(2025, 8, r.int(1...28))
        case .ordinary:
            statusDay = dayOf(2021, 1, 1)
        }

        var h = SimHousehold(
            index: index, id: id, region: region, county: county, status: status, liftedYear: lifted,
            statusDay: statusDay, members: [])
        if status.isMonitored { h.measureTakenDay = dayOf(2025, 9, r.int(1...28)) }

        // Members: 1–4, one or two with a disability.
        let size = [1, 2, 3, 4][r.weighted([45, 35, 13, 7])]
        let disabledCount = size >= 2 && r.chance(10) ? 2 : 1
        for k in 0..<size {
            h.members.append(makeMember(&r, county: county, disabled: k < disabledCount))
        }

        // Civil-affairs assistance of the household.
        switch r.weighted([20, 8, 3, 69]) {
        case 0:
            h.programme = .dibao
            h.dibaoAmountFen = r.int(30...80) * 1000
        case 1:
            h.programme = .dibaoMarginal
        case 2:
            h.programme = .tekun
            h.dibaoAmountFen = r.int(60...90) * 1000
        default:
            break
        }
        h.programmeStart = monthOf(r.int(2016...2023), r.int(1...12))

        // Incomes above the monitoring line (2024: 7,300 yuan; 2025: 7,600) and above the 低保边缘 band
        // (below 1.5 × the 低保 line, 8,100 yuan: the verifier judges 单人户施保 from income), change
        // under ±15 %.
        h.perCapita2024 = r.int(900...2500) * 1000
        h.perCapita2025 = max(h.perCapita2024 * r.int(86...115) / 100, 820_000)

        // Background deaths: some elderly disabled persons without labour, in households of two or more.
        for k in h.members.indices where h.members[k].disabled && size >= 2 {
            let p = h.members[k]
            if p.birthYear <= 1962, p.labour == .none, r.chance(perMille: 15) {
                h.members[k].deathDay = dayOf(2025, r.int(4...10), r.int(1...28))
            }
        }

        // Visits without hardship, small expenses, projects.
        if r.chance(60) {
            h.visits.append((dayOf(2025, r.int(4...11), r.int(1...28)), [], false, r.pick(Self.visitNotes)))
        }
        if r.chance(6) {
            let day = dayOf(r.int(2024...2025), r.int(1...11), r.int(1...28))
            h.expenses.append((.inpatient, r.int(800...4500) * 100, day, 0))
        }
        if r.chance(10) {
            h.expenses.append((.outpatient, r.int(100...450) * 100, dayOf(2025, r.int(1...11), r.int(1...28)), 0))
        }
        if h.members.contains(where: { $0.student }), r.chance(50) {
            h.expenses.append((.schooling, r.int(1000...6000) * 100, dayOf(2025, 9, r.int(1...20)), nil))
        }
        if r.chance(3) { h.projects.append((.training, 0, dayOf(2025, r.int(3...10), r.int(1...28)), 0)) }
        if r.chance(5) {
            let day = dayOf(r.int(2024...2025), r.int(3...10), r.int(1...28))
            h.projects.append((.productionSupport, nil, day, r.int(10...50) * 10000))
        }
        return h
    }

    /// A household member; disabled members get a category, grade and survey flags in plausible
    /// proportions (physical most common, grades 3–4 the majority).
    mutating func makeMember(_ r: inout SplitMix64, county: Int, disabled: Bool) -> SimPerson {
        let band = disabled ? r.weighted([3, 9, 40, 48]) : r.weighted([20, 15, 45, 20])
        let year: Int
        switch band {
        case 0: year = r.int(2012...2022)
        case 1: year = r.int(1990...2007)
        case 2: year = r.int(1960...1989)
        default: year = r.int(1935...1959)
        }
        let male = r.chance(52)
        let birth = dayOf(year, r.int(1...12), r.int(1...28))
        var p = newPerson(&r, county: county, birthDay: birth, male: male, labour: .none, student: false)
        let age = 2025 - p.birthYear
        p.student = (6...18).contains(age)
        if disabled {
            p.disabled = true
            p.category = [4, 1, 2, 3, 5, 6, 7][r.weighted([48, 9, 12, 1, 8, 10, 12])]
            p.grade = [1, 2, 3, 4][r.weighted([10, 22, 33, 35])]
            p.grade2025 = p.grade == 3 && r.chance(2) ? 4 : p.grade
            if age >= 18 && age < 65 {
                let mild: [LabourCapacity] = [.full, .weak, .none]
                p.labour = p.grade <= 2 ? (r.chance(30) ? .weak : .none) : mild[r.weighted([20, 50, 30])]
            }
            p.longTermCare = p.grade <= 2 && r.chance(60)
            p.workInjury = age >= 18 && age < 65 && r.chance(perMille: 3)
            p.oldAge = age >= 80 && r.chance(50)
            p.pensionEnrolled = (16...59).contains(age) && r.chance(90)
            p.rehabNeeded = age <= 14 ? r.chance(60) : r.chance(5)
            p.autism = age <= 14 && (p.category == 5 || p.category == 6) && r.chance(20)
            p.accessNeeded = p.grade <= 2 && r.chance(30)
            p.accessDone = p.accessNeeded && r.chance(50)
        } else if age >= 18 && age < 65 {
            p.labour = r.chance(85) ? .full : .weak
            p.pensionEnrolled = age <= 59 && r.chance(90)
        } else if age >= 65 && age < 75 {
            p.labour = r.chance(30) ? .weak : .none
        }
        return p
    }

    mutating func newPerson(
        _ r: inout SplitMix64, county: Int, birthDay: Int, male: Bool, labour: LabourCapacity, student: Bool
    ) -> SimPerson {
        let (id, day) = ids.make(county: county, birthDay: birthDay, male: male)
        let surname = r.pick(Jilin.surnames)
        let given = male ? Jilin.givenMale : Jilin.givenFemale
        let name = surname + r.pick(given) + (r.chance(70) ? r.pick(given) : "")
        return SimPerson(id: id, name: name, birthDay: day, male: male, labour: labour, student: student)
    }

    /// A new disabled person (not a student) of `category` and `grade` in both survey years.
    mutating func newDisabledPerson(
        _ r: inout SplitMix64, county: Int, birthDay: Int, male: Bool, labour: LabourCapacity, category: Int, grade: Int
    ) -> SimPerson {
        var p = newPerson(&r, county: county, birthDay: birthDay, male: male, labour: labour, student: false)
        p.disabled = true
        p.category = category
        p.grade = grade
        p.grade2025 = grade
        return p
    }
}

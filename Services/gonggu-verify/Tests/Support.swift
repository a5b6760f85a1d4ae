import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// A synthetic resident ID with a valid GB 11643 check character.
func residentID(_ region: String = "220102", birth: String, seq: Int) -> String {
    let body = region + birth.replacingOccurrences(of: "-", with: "") + String(format: "%03d", seq)
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
    return body + String(Array("10X98765432")[sum % 11])
}

let src = SourceRef(file: "test.csv", line: 2)
let changchun = "220102001001"
let jilinCity = "220202001001"

/// Feeds events to a fold, keeping inputs and outputs, with dated envelopes and derived ids.
struct Feed {
    var fold = VerifyFold()
    var inputs: [Event] = []
    var outputs: [Event] = []

    @discardableResult
    mutating func add<P: EventPayload>(_ p: P, _ subject: String, region: String = changchun, date: String) -> [Event] {
        let day = BusinessCalendar.dayNumber(date)!
        let e = Event(
            p, id: EventID.derived("input|\(inputs.count)|\(P.eventType)"), subject: subject, region: region,
            occurredAt: BusinessCalendar.timestamp(ofDay: day), correlation: EventID.derived("import"))
        inputs.append(e)
        let out = fold.apply(e)
        outputs += out
        return out
    }

    /// Clock ticks on the first day of each month from `from` through `to` (`YYYY-MM`).
    mutating func ticks(from: String, to: String) {
        for m in BusinessCalendar.monthNumber(from)!...BusinessCalendar.monthNumber(to)! {
            add(ClockTicked(date: BusinessCalendar.monthText(m) + "-01"), "verify", region: "", date: BusinessCalendar.monthText(m) + "-01")
        }
    }

    /// Monthly subsidy payments for `from`…`to`.
    mutating func pay(_ pid: String, _ hh: String, _ kind: SubsidyKind, from: String, to: String, fen: Int = 10000,
                      region: String = changchun) {
        for m in BusinessCalendar.monthNumber(from)!...BusinessCalendar.monthNumber(to)! {
            let mt = BusinessCalendar.monthText(m)
            add(SubsidyPaid(householdID: hh, personID: pid, subsidy: kind, month: mt, amountFen: fen, source: src), hh,
                region: region, date: mt + "-10")
        }
    }

    func findings<T: FindingType>(_: T.Type, in events: [Event]? = nil) -> [Finding<T>] {
        (events ?? outputs).filter { $0.type == T.eventType }.map { try! $0.decode(Finding<T>.self) }
    }

    var gaps: [EntitlementGap] { findings(GapFinding.self) }
    var discontinuations: [AssistanceDiscontinued] { findings(DiscontinuationFinding.self) }
    var anomalies: [PaymentAnomaly] { findings(AnomalyFinding.self) }
    var resolved: [FindingResolved] {
        outputs.filter { $0.type == FindingResolved.eventType }.map { try! $0.decode(FindingResolved.self) }
    }
}

/// A survey record with the given flags.
func survey(
    _ pid: String, _ hh: String, name: String = "张三", birth: String, category: DisabilityCategory = .physical,
    grade: Int, care: Bool = false, orphan: Bool = false, workInjury: Bool = false, oldAge: Bool = false,
    pension: Bool = false, student: Bool = false, rehab: Bool = false, autism: Bool = false,
    accessNeeded: Bool = false, accessDone: Bool = false
) -> DisabilityRecorded {
    var d = DisabilityRecorded(
        personID: pid, householdID: hh, name: name, birthDate: birth, gender: "M",
        cardNumber: pid + "\(category.rawValue)\(grade)", category: category, grade: grade, labour: .none,
        surveyYear: 2024, source: src)
    d.needsLongTermCare = care
    d.orphan = orphan
    d.workInjuryNursing = workInjury
    d.oldAgeAllowance = oldAge
    d.pensionEnrolled = pension
    d.student = student
    d.rehabilitationNeeded = rehab
    d.autism = autism
    d.accessibilityNeeded = accessNeeded
    d.accessibilityDone = accessDone
    return d
}

func assistance(_ hh: String, _ programme: AssistanceProgramme, person: String? = nil, start: String,
                stop: String? = nil, reason: StopReason? = nil, fen: Int = 50000) -> AssistanceRecorded {
    AssistanceRecorded(
        householdID: hh, personID: person, programme: programme, startMonth: start, stopMonth: stop,
        stopReason: reason, monthlyFen: fen, source: src)
}

func lifted(_ hh: String, year: Int = 2020) -> HouseholdStatusRecorded {
    HouseholdStatusRecorded(householdID: hh, status: .lifted, effectiveDate: "\(year)-12-31", liftedYear: year, source: src)
}

/// A rule document deriving from the default with `regions` overrides (JSON object text).
func document(version: String = "2025.2", from: String = "2021-01-01", regions: String) -> String {
    VerifyRules.defaultDocument
        .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"\(version)\"")
        .replacingOccurrences(of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"\(from)\"")
        .replacingOccurrences(of: "\"regions\": {}", with: "\"regions\": \(regions)")
}

func rulesEvent(_ text: String) -> RulesActivated {
    let doc = try! RuleDocument(text: text)
    return RulesActivated(ruleSet: doc.ruleSet, version: doc.version, effectiveFrom: doc.effectiveFrom, document: text)
}

import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// Builds input events for one or more households with deterministic ids, and folds them.
struct Script {
    static let region = "220102001001"
    var events: [Event] = []
    private var counter = 0

    /// A synthetic resident ID with a valid GB 11643 check character.
    static func residentID(_ body17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = body17.compactMap { $0.wholeNumberValue }
        precondition(digits.count == 17)
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    static let personA = residentID("22010219800101123")
    static let personB = residentID("22010219850202234")
    static let personC = residentID("22010220100303345")

    static func timestamp(_ date: String) -> Timestamp {
        BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(date)!) + 9 * 3_600_000
    }

    @discardableResult
    mutating func add<P: EventPayload>(_ payload: P, _ date: String, household: String = "H1", region: String = region)
        -> EventID
    {
        counter += 1
        let id = EventID.derived("input|\(counter)")
        var e = Event(
            payload, id: id, subject: household, region: region, occurredAt: Self.timestamp(date),
            correlation: EventID.derived("import"))
        e.seq = Int64(counter)
        events.append(e)
        return id
    }

    static let src = SourceRef(file: "test.csv", line: 2)

    mutating func status(_ s: PovertyStatus, _ date: String, household: String = "H1") {
        add(
            HouseholdStatusRecorded(householdID: household, status: s, effectiveDate: date, source: Self.src), date,
            household: household)
    }

    mutating func disability(
        _ person: String, name: String = "张三", grade: Int = 2, category: DisabilityCategory = .physical,
        labour: LabourCapacity = .full, year: Int = 2022, date: String = "2022-03-01", household: String = "H1"
    ) {
        let card = person + "\(category.rawValue)\(grade)"
        add(
            DisabilityRecorded(
                personID: person, householdID: household, name: name, birthDate: "1980-01-01", gender: "M",
                cardNumber: card, category: category, grade: grade, labour: labour, surveyYear: year, source: Self.src),
            date, household: household)
    }

    mutating func member(
        _ person: String, name: String = "李四", labour: LabourCapacity, date: String = "2022-03-01", left: Bool = false,
        household: String = "H1"
    ) {
        add(
            MemberRecorded(
                householdID: household, personID: person, name: name, birthDate: "1985-02-02", labour: labour,
                since: date, left: left, source: Self.src), date, household: household)
    }

    mutating func income(_ year: Int, perCapita: Int, date: String, household: String = "H1") {
        add(
            IncomeAssessed(
                householdID: household, year: year, netIncomeFen: perCapita * 2, members: 2, assessedDate: date,
                source: Self.src), date, household: household)
    }

    mutating func expense(_ kind: ExpenseKind, _ fen: Int, _ date: String, household: String = "H1") {
        add(
            ExpenseReported(
                householdID: household, kind: kind, amountFen: fen, date: date, department: "医保",
                source: Self.src), date, household: household)
    }

    mutating func visit(_ hardship: [String], _ date: String, selfApplication: Bool = false, household: String = "H1") {
        add(
            HomeVisitReported(
                householdID: household, date: date, visitor: "王五", hardship: hardship,
                selfApplication: selfApplication, source: Self.src), date, household: household)
    }

    mutating func project(_ date: String, household: String = "H1") {
        add(
            ProjectRecorded(
                projectID: "P-\(date)", kind: .productionSupport, householdID: household, date: date,
                amountFen: 100000, source: Self.src), date, household: household)
    }

    mutating func death(_ person: String, _ date: String, household: String = "H1") {
        add(
            LifeEventRecorded(householdID: household, personID: person, kind: .death, date: date, source: Self.src),
            date,
            household: household)
    }

    mutating func bureau(
        _ decision: BureauDecisionKind, _ date: String, type: PovertyStatus? = nil, inReplyTo: String? = nil,
        measure: String? = nil, household: String = "H1"
    ) {
        add(
            BureauDecisionRecorded(
                householdID: household, decision: decision, date: date, bureau: "220102-bureau", householdType: type,
                measure: measure ?? (decision == .measureTaken ? "产业帮扶" : nil), inReplyTo: inReplyTo,
                source: Self.src),
            date, household: household)
    }

    mutating func tick(_ date: String) {
        add(ClockTicked(date: date), date, household: "gonggu-risk", region: "22")
    }

    mutating func finding(_ type: String, id: String, measure: String, _ date: String, household: String = "H1") {
        var w = JSONWriter()
        w.beginObject()
        w.field("findingID", id)
        w.field("householdID", household)
        w.field("personID", Self.personA)
        w.field("measure", measure)
        w.key("period")
        w.beginObject()
        w.field("from", "2023-01")
        w.field("to", "2023-03")
        w.endObject()
        w.field("title", "待遇中断")
        w.endObject()
        counter += 1
        events.append(
            Event(
                seq: Int64(counter), id: EventID.derived("input|\(counter)"), type: type, subject: household,
                region: Self.region, occurredAt: Self.timestamp(date), payload: w.bytes))
    }

    mutating func rules(_ document: String, _ date: String) {
        let doc = try! RuleDocument(text: document)
        add(
            RulesActivated(ruleSet: "risk", version: doc.version, effectiveFrom: doc.effectiveFrom, document: document),
            date, household: "risk", region: "22")
    }

    mutating func append(_ other: Script) {
        for e in other.events { events.append(e) }
    }
}

/// Folds events and keeps every output.
struct Run {
    var fold: RiskFold
    var outputs: [Event] = []

    init(_ events: [Event], rules: String = RiskRules.defaultDocument) {
        fold = try! RiskFold(rules: rules)
        for e in events { outputs += fold.apply(e) }
    }

    func of(_ type: String) -> [Event] { outputs.filter { $0.type == type } }

    func payloads<P: EventPayload>(_: P.Type) -> [P] { of(P.eventType).map { try! $0.decode(P.self) } }
}

/// The default document with `defaults` edited by `change` and a new version / effective date.
func ruleDocument(version: String, effectiveFrom: String, _ change: (inout [(String, JSONValue)]) -> Void) -> String {
    let base = try! JSONValue.parse(RiskRules.defaultDocument)
    var top = base.objectValue!
    var defaults = base["defaults"]!.objectValue!
    change(&defaults)
    for i in top.indices {
        switch top[i].0 {
        case "version": top[i].1 = .string(version)
        case "effectiveFrom": top[i].1 = .string(effectiveFrom)
        case "defaults": top[i].1 = .object(defaults)
        default: break
        }
    }
    return JSONValue.object(top).jsonString
}

func set(_ fields: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
    if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
}

import Foundation
import GongguCore
import GongguEvents
import GongguStore

/// The report's indicators counted a second way, for the tests: every event of the four logs read
/// into memory, payloads parsed as generic JSON, sets built with plain filters, the year's bounds from
/// Foundation's calendar in China time, months and dates compared as text. Definitions: docs/REPORT.md.
struct IndependentCount {
    /// Case key (household, person, finding or notification) → region code.
    typealias Cases = [String: String]

    var lifted = Cases(), continued = Cases(), discontinued = Cases(), monitored = Cases()
    var measureAtStart = Cases(), noMeasureAtStart = Cases()
    var recommended = Cases(), included = Cases(), eliminationRecommended = Cases(), eliminated = Cases()
    var rehabNeeded = Cases(), rehabServed = Cases(), accessibilityNeeded = Cases(), accessibilityDone = Cases()
    var open: [String: Cases] = [:]
    var unmet: [String: Cases] = [:], receiving: [String: Cases] = [:]
    var feedbackSent = Cases(), feedbackAcknowledged = Cases(), feedbackAnswered = Cases()

    struct Raw {
        var e: Event
        var p: JSONValue
        func s(_ k: String) -> String? { p[k]?.stringValue }
    }

    init(directory: String, year: Int) throws {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let start = Int64(cal.date(from: DateComponents(year: year, month: 1, day: 1))!.timeIntervalSince1970 * 1000)
        let end = Int64(cal.date(from: DateComponents(year: year + 1, month: 1, day: 1))!.timeIntervalSince1970 * 1000)
        let y = String(year)
        func load(_ s: String) throws -> [Raw] {
            var out: [Raw] = []
            let log = try EventLog(path: "\(directory)/\(s).log.sqlite", stream: s, readOnly: true)
            try log.forEach { out.append(Raw(e: $0, p: try JSONValue.parse($0.payload))) }
            return out
        }
        let facts = try load("intake").filter { $0.e.occurredAt < end }
        let risk = try load("risk"), verify = try load("verify").filter { $0.e.occurredAt < end },
            notify = try load("notify")
        func ofType(_ list: [Raw], _ t: String) -> [Raw] { list.filter { $0.e.type == t } }
        func later(_ a: Raw, _ b: Raw) -> Bool { (a.e.occurredAt, a.e.seq) > (b.e.occurredAt, b.e.seq) }
        func inYear(_ r: Raw) -> Bool { r.e.occurredAt >= start && r.e.occurredAt < end }

        // Persons by their latest survey; households by their facts.
        var survey: [String: Raw] = [:]
        for r in ofType(facts, "DisabilityRecorded") {
            let id = r.s("personID")!
            if survey[id] == nil || later(r, survey[id]!) { survey[id] = r }
        }
        var householdRegion: [String: (Raw)] = [:]
        for r in ofType(facts, "DisabilityRecorded") + ofType(facts, "HouseholdStatusRecorded") {
            let h = r.s("householdID")!
            if householdRegion[h] == nil || later(r, householdRegion[h]!) { householdRegion[h] = r }
        }
        func regionOf(_ h: String) -> String { householdRegion[h]?.e.region ?? "" }
        let withDisabled = Set(survey.values.map { $0.s("householdID")! })

        // 四个不摘.
        for r in ofType(facts, "HouseholdStatusRecorded") {
            let h = r.s("householdID")!
            guard withDisabled.contains(h) else { continue }
            let leftYear: Int? = r.p["liftedYear"]?.intValue
            guard r.s("status") == "lifted" || leftYear != nil else { continue }
            let month = leftYear.map { String(format: "%04d-01", $0) } ?? String(r.s("effectiveDate")!.prefix(7))
            if month <= "\(y)-01" { lifted[h] = regionOf(h) }
        }
        // Main measures active on 1 January: 低保 spans (latest record of each) covering January; a subsidy
        // paid for December before or January; a premium paid for the year before; a rehabilitation
        // service from January of the year before through January (the default 12-month window).
        let january = "\(y)-01", december = "\(year - 1)-12"
        var startSpans: [String: Raw] = [:]
        for r in ofType(facts, "AssistanceRecorded") where r.s("programme") == "dibao" {
            let key = "\(r.s("householdID")!)|\(r.s("personID") ?? "")|\(r.s("startMonth")!)"
            if startSpans[key] == nil || later(r, startSpans[key]!) { startSpans[key] = r }
        }
        var dibaoAtStart = Set<String>()  // "household|person" ("" for the household's 低保)
        for r in startSpans.values where r.s("startMonth")! <= january && (r.s("stopMonth") ?? "9999-12") >= january {
            dibaoAtStart.insert("\(r.s("householdID")!)|\(r.s("personID") ?? "")")
        }
        var personalAtStart: [String: Set<String>] = [:]
        for r in ofType(facts, "SubsidyPaid") where r.s("month") == december || r.s("month") == january {
            personalAtStart[r.s("personID")!, default: []].insert(r.s("subsidy")!)
        }
        for r in ofType(facts, "PensionRecorded")
        where r.p["year"]?.intValue == year - 1 && (r.p["governmentPaidFen"]?.intValue ?? 0) > 0 {
            personalAtStart[r.s("personID")!, default: []].insert("pension")
        }
        for r in ofType(facts, "ProjectRecorded") where r.s("kind") == "rehabilitation" && r.s("personID") != nil {
            let month = String(r.s("date")!.prefix(7))
            if month >= "\(year - 1)-01" && month <= january {
                personalAtStart[r.s("personID")!, default: []].insert("childRehabilitation")
            }
        }
        var members: [String: [String]] = [:]
        for (id, r) in survey { members[r.s("householdID")!, default: []].append(id) }
        func hasMeasureAtStart(_ h: String) -> Bool {
            dibaoAtStart.contains { $0.hasPrefix(h + "|") }
                || (members[h] ?? []).contains { !(personalAtStart[$0] ?? []).isEmpty }
        }
        func wasActiveAtStart(_ r: Raw) -> Bool {
            let h = r.s("householdID")!, person = r.s("personID")
            switch r.s("measure")! {
            case "dibao": return dibaoAtStart.contains("\(h)|")
            case "singlePersonDibao": return dibaoAtStart.contains("\(h)|\(person ?? "")")
            case let m: return person.map { personalAtStart[$0]?.contains(m) == true } ?? false
            }
        }
        let stoppedInYear = Set(ofType(verify, "AssistanceDiscontinued")
            .filter { $0.p["period"]?["from"]?.stringValue?.hasPrefix(y) == true && wasActiveAtStart($0) }
            .map { $0.s("householdID")! })
        for (h, region) in lifted {
            guard hasMeasureAtStart(h) else {
                noMeasureAtStart[h] = region
                continue
            }
            measureAtStart[h] = region
            if stoppedInYear.contains(h) { discontinued[h] = region } else { continued[h] = region }
        }

        // Monitoring.
        var lastStatus: [String: Raw] = [:]
        for r in ofType(facts, "HouseholdStatusRecorded") {
            let h = r.s("householdID")!
            if lastStatus[h] == nil || later(r, lastStatus[h]!) { lastStatus[h] = r }
        }
        for (h, r) in lastStatus where withDisabled.contains(h) && r.s("status")!.hasPrefix("monitored") {
            monitored[h] = regionOf(h)
        }
        // The flows, like `monitored`, count households with disabled members only.
        func flow(_ r: Raw) -> Bool { inYear(r) && withDisabled.contains(r.s("householdID")!) }
        for r in ofType(risk, "MonitoringRecommended") where flow(r) { recommended[r.s("householdID")!] = r.e.region }
        for r in ofType(risk, "RiskEliminationRecommended") where flow(r) {
            eliminationRecommended[r.s("householdID")!] = r.e.region
        }
        for r in ofType(facts, "BureauDecisionRecorded") where flow(r) {
            if r.s("decision") == "inclusionConfirmed" { included[r.s("householdID")!] = r.e.region }
            if r.s("decision") == "riskEliminated" { eliminated[r.s("householdID")!] = r.e.region }
        }

        // Findings open at the year's end.
        let resolved = Set(ofType(verify, "FindingResolved").map { $0.s("findingID")! })
        for t in ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly"] {
            for r in ofType(verify, t) where !resolved.contains(r.s("findingID")!) {
                open[t, default: [:]][r.s("findingID")!] = r.e.region
            }
        }

        // Coverage: open gaps per person and measure; receipts in the year.
        let measureOf = ["dibao": "dibao", "singlePersonDibao": "dibao", "living": "living", "nursing": "nursing",
                         "pension": "pension", "childRehabilitation": "childRehabilitation"]
        for r in ofType(verify, "EntitlementGap") where !resolved.contains(r.s("findingID")!) {
            guard let m = measureOf[r.s("measure")!] else { continue }
            unmet[m, default: [:]][r.s("personID") ?? r.s("householdID")!] = r.e.region
        }
        var spans: [String: Raw] = [:]
        for r in ofType(facts, "AssistanceRecorded") where r.s("programme") == "dibao" {
            let key = "\(r.s("householdID")!)|\(r.s("personID") ?? "")|\(r.s("startMonth")!)"
            if spans[key] == nil || later(r, spans[key]!) { spans[key] = r }
        }
        let dibaoSpans = spans.values.filter {
            $0.s("startMonth")! <= "\(y)-12" && ($0.s("stopMonth").map { $0 >= "\(y)-01" } ?? true)
        }
        var received: [String: Set<String>] = [:]
        for s in dibaoSpans {
            let h = s.s("householdID")!
            for (id, p) in survey where p.s("householdID") == h && (s.s("personID") == nil || s.s("personID") == id) {
                received["dibao", default: []].insert(id)
            }
        }
        for r in ofType(facts, "SubsidyPaid") where inYear(r) { received[r.s("subsidy")!,
            default: []].insert(r.s("personID")!) }
        for r in ofType(facts,
            "PensionRecorded") where r.p["year"]?.intValue == year && (r.p["governmentPaidFen"]?.intValue ?? 0) > 0 {
            received["pension", default: []].insert(r.s("personID")!)
        }
        let rehab = ofType(facts,
            "ProjectRecorded").filter { $0.s("kind") == "rehabilitation" && inYear($0) && $0.s("personID") != nil }
        for r in rehab {
            let id = r.s("personID")!
            guard let birth = survey[id]?.s("birthDate") else { continue }
            let date = r.s("date")!
            var age = Int(date.prefix(4))! - Int(birth.prefix(4))!
            if date.dropFirst(5) < birth.dropFirst(5) { age -= 1 }
            if age < 18 { received["childRehabilitation", default: []].insert(id) }
        }
        for m in ["dibao", "living", "nursing", "pension", "childRehabilitation"] {
            for id in received[m] ?? [] where survey[id] != nil && unmet[m]?[id] == nil {
                receiving[m, default: [:]][id] = regionOf(survey[id]!.s("householdID")!)
            }
        }

        // Rehabilitation and accessibility.
        let ended = Set(ofType(facts, "LifeEventRecorded").map { $0.s("personID")! })
        let served = Set(rehab.map { $0.s("personID")! })
        for (id, p) in survey where p.p["rehabilitationNeeded"]?.boolValue == true && !ended.contains(id) {
            rehabNeeded[id] = regionOf(p.s("householdID")!)
            if served.contains(id) { rehabServed[id] = regionOf(p.s("householdID")!) }
        }
        let works = Set(ofType(facts,
            "ProjectRecorded").filter { $0.s("kind") == "accessibility" }.map { $0.s("householdID")! })
        for h in withDisabled {
            let members = survey.values.filter { $0.s("householdID") == h }
            let done = works.contains(h) || members.contains { $0.p["accessibilityDone"]?.boolValue == true }
            if done || members.contains(where: { $0.p["accessibilityNeeded"]?.boolValue == true }) {
                accessibilityNeeded[h] = regionOf(h)
            }
            if done { accessibilityDone[h] = regionOf(h) }
        }

        // Feedback to the bureau.
        // Acknowledgements are entries of the recipient's NotificationReceipts events (older logs: one
        // NotificationAcknowledged event each).
        let receiptAcks = ofType(notify, "NotificationReceipts").flatMap { r in
            (r.p["entries"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == "acknowledged" }
                .compactMap { $0["notificationID"]?.stringValue }
        }
        let acks = Set(ofType(notify, "NotificationAcknowledged").map { $0.s("notificationID")! } + receiptAcks
            + ofType(notify, "DecisionForwarded").compactMap { $0.s("notificationID") })
        let answers = Set(ofType(notify, "DecisionForwarded").compactMap { $0.s("notificationID") })
        for r in ofType(notify, "NotificationCreated")
        where r.s("kind") == "notification" && r.s("sourceType") == "RiskFeedback" && r.s("created")!.hasPrefix(y) {
            let id = r.s("notificationID")!
            feedbackSent[id] = r.s("region")!
            if acks.contains(id) { feedbackAcknowledged[id] = r.s("region")! }
            if answers.contains(id) { feedbackAnswered[id] = r.s("region")! }
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// Cases whose region starts with `prefix`.
    func count(in prefix: String) -> Int { values.filter { $0.hasPrefix(prefix) }.count }
}

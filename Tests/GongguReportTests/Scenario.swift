import GongguCore
import GongguEvents
import GongguNotify
import GongguReport
import GongguRisk
import GongguVerify

/// A hand-built province of six households over the four logs, each built to hit one rule of the
/// indicators (docs/REPORT.md) — inside or just outside the year, resolved or open, answered or not.
/// Expected numbers are stated with the household that makes them in `ReportFoldTests`.
struct Scenario {
    static let countyA = "220101001001", countyB = "220201001001"
    static let p1 = "220101195001011234", p2 = "220101196002022345", p3 = "220201202105013456"
    static let p4 = "220201197004044567", p6 = "220201198006065678", p7 = "220101194007076789"

    var logs: [ReportLog: [Event]] = [:]
    private var seqs: [ReportLog: Int64] = [:]
    private var counter = 0

    static func ts(_ date: String) -> Timestamp { BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(date)!) }

    mutating func add<P: EventPayload>(_ log: ReportLog, _ p: P, household: String, region: String, on date: String) {
        counter += 1
        seqs[log, default: 0] += 1
        var e = Event(p, id: EventID.derived("scenario-\(counter)"), subject: household, region: region,
            occurredAt: Self.ts(date))
        e.seq = seqs[log]!
        e.recordedAt = Self.ts("2026-01-15")
        logs[log, default: []].append(e)
    }

    var src: SourceRef { SourceRef(file: "scenario.csv", line: counter + 2) }

    mutating func person(_ id: String, _ h: String, _ region: String, birth: String, grade: Int = 1,
        rehab: Bool = false,
                         accessibility: Bool = false, on date: String = "2025-03-01") {
        var d = DisabilityRecorded(
            personID: id, householdID: h, name: "测试", birthDate: birth, gender: "M", cardNumber: id + "4\(grade)",
            category: .physical, grade: grade, labour: .weak, surveyYear: 2025, source: src)
        d.rehabilitationNeeded = rehab
        d.accessibilityNeeded = accessibility
        add(.intake, d, household: h, region: region, on: date)
    }

    mutating func status(_ h: String, _ region: String, _ s: PovertyStatus, effective: String, liftedYear: Int? = nil) {
        add(.intake, HouseholdStatusRecorded(householdID: h, status: s, effectiveDate: effective,
            liftedYear: liftedYear, source: src),
            household: h, region: region, on: effective)
    }

    mutating func paid(_ person: String, _ h: String, _ region: String, _ kind: SubsidyKind, month: String) {
        add(.intake, SubsidyPaid(householdID: h, personID: person, subsidy: kind, month: month, amountFen: 8000,
            source: src),
            household: h, region: region, on: month + "-10")
    }

    mutating func finding<T: FindingType>(_: T.Type, _ id: String, _ h: String, _ region: String, person: String?,
                                          _ m: Measure, from: String, on date: String) {
        let f = Finding<T>(
            findingID: id, householdID: h, personID: person, measure: m, periodFrom: from, periodTo: from, title: "t",
            summary: "s", ruleID: "r", ruleVersion: "1", evidence: [], thresholds: [])
        add(.verify, f, household: h, region: region, on: date)
    }

    /// `singleAcknowledgement`: the bureau's acknowledgement as an older log holds it (one
    /// `NotificationAcknowledged` event) instead of an entry of a `NotificationReceipts` event.
    static func build(singleAcknowledgement: Bool = false) -> Scenario {
        var s = Scenario()
        let (a, b) = (countyA, countyB)
        // H1: left poverty in 2020; P1 receives 低保 (household span), living subsidy, pension premium;
        // P7 died in February (not counted as needing rehabilitation).
        s.status("H1", a, .lifted, effective: "2020-12-01", liftedYear: 2020)
        s.person(p1, "H1", a, birth: "1950-01-01", rehab: true, accessibility: true)
        s.person(p7, "H1", a, birth: "1940-07-07", rehab: true)
        s.add(.intake, AssistanceRecorded(householdID: "H1", programme: .dibao, startMonth: "2023-01",
            monthlyFen: 50000, source: s.src),
              household: "H1", region: a, on: "2023-01-01")
        s.paid(p1, "H1", a, .living, month: "2025-03")
        s.add(.intake, PensionRecorded(householdID: "H1", personID: p1, year: 2025, enrolled: true,
            governmentPaidFen: 10000, source: s.src),
              household: "H1", region: a, on: "2025-06-30")
        s.add(.intake, LifeEventRecorded(householdID: "H1", personID: p7, kind: .death, date: "2025-02-01",
            source: s.src),
              household: "H1", region: a, on: "2025-02-01")
        // H2: left poverty in June 2024; 低保 (since June 2024) discontinued from May 2025; an open nursing gap
        // although paid once.
        s.status("H2", a, .lifted, effective: "2024-06-01")
        s.person(p2, "H2", a, birth: "1960-02-02")
        s.paid(p2, "H2", a, .nursing, month: "2025-01")
        s.add(.intake, AssistanceRecorded(householdID: "H2", programme: .dibao, startMonth: "2024-06",
            stopMonth: "2025-04", monthlyFen: 50000, source: s.src),
              household: "H2", region: a, on: "2025-04-30")
        s.finding(DiscontinuationFinding.self, "disc|H2|dibao", "H2", a, person: nil, .dibao, from: "2025-05",
            on: "2025-07-01")
        s.finding(GapFinding.self, "gap|\(p2)|nursing", "H2", a, person: p2, .nursing, from: "2025-02",
            on: "2025-04-10")
        // H3: left poverty in 2025 (January counts); a child served by rehabilitation; accessibility works in 2024.
        s.status("H3", b, .lifted, effective: "2025-01-01", liftedYear: 2025)
        s.person(p3, "H3", b, birth: "2021-05-01", grade: 2, rehab: true)
        s.add(.intake, ProjectRecorded(projectID: "R1", kind: .rehabilitation, householdID: "H3", personID: p3,
            date: "2025-06-01",
                                       amountFen: 100000, source: s.src), household: "H3", region: b, on: "2025-06-01")
        s.add(.intake, ProjectRecorded(projectID: "A1", kind: .accessibility, householdID: "H3", personID: p3,
            date: "2024-05-01",
                                       amountFen: 300000, source: s.src), household: "H3", region: b, on: "2024-05-01")
        // H4: left poverty only in March 2025 (not counted), then monitored; recommended, confirmed, feedback
        // acknowledged after 2 days and answered after 16; elimination confirmed only in 2026.
        s.status("H4", b, .lifted, effective: "2025-03-01")
        s.status("H4", b, .monitoredUnstable, effective: "2025-08-01")
        s.person(p4, "H4", b, birth: "1970-04-04")
        let mr = MonitoringRecommended(
            recommendationID: "rec-H4", householdID: "H4", level: .high, riskTypes: ["01"], causes: ["收入下降"],
            suggestedType: .monitoredUnstable, explanation: RiskExplanation(title: "t", summary: "s", ruleID: "r",
                ruleVersion: "1", evidence: [], thresholds: []))
        s.add(.risk, mr, household: "H4", region: b, on: "2025-07-15")
        let er = RiskEliminationRecommended(
            recommendationID: "elim-H4", householdID: "H4", monitoredSince: "2025-08-01",
                householdType: .monitoredUnstable,
            conditions: [], explanation: RiskExplanation(title: "t", summary: "s", ruleID: "r", ruleVersion: "1",
                evidence: [], thresholds: []))
        s.add(.risk, er, household: "H4", region: b, on: "2025-12-01")
        s.add(.intake, BureauDecisionRecorded(householdID: "H4", decision: .inclusionConfirmed, date: "2025-08-01",
            bureau: "220201-bureau",
                                              source: s.src), household: "H4", region: b, on: "2025-08-01")
        s.add(.intake, BureauDecisionRecorded(householdID: "H4", decision: .riskEliminated, date: "2026-01-05",
            bureau: "220201-bureau",
                                              source: s.src), household: "H4", region: b, on: "2026-01-05")
        s.notification("N1", "H4", b, created: "2025-07-16")
        if singleAcknowledgement {
            s.add(.notify, NotificationAcknowledged(notificationID: "N1", recipient: "220201-bureau"),
                  household: "220201-bureau", region: "", on: "2025-07-18")
        } else {
            // Delivered on the 16th, acknowledged on the 18th, logged together (the notifier's group commit).
            let receipts = NotificationReceipts(recipient: "220201-bureau", entries: [
                .delivered("N1", channel: "zmq", attempt: 1, at: ts("2025-07-16")),
                .acknowledged("N1", at: ts("2025-07-18")),
            ])
            s.add(.notify, receipts, household: "220201-bureau", region: "", on: "2025-07-16")
        }
        let decision = BureauDecisionRecorded(householdID: "H4", decision: .inclusionConfirmed, date: "2025-08-01",
                                              bureau: "220201-bureau", source: s.src)
        s.add(.notify, DecisionForwarded(submissionID: "S1", notificationID: "N1", region: b, recorded: decision),
              household: "H4", region: b, on: "2025-08-01")
        // H5: left poverty but no person with a disability card: outside the report's households.
        s.status("H5", a, .lifted, effective: "2019-01-01", liftedYear: 2019)
        // H6: left poverty in 2019; a 2026 status change ignored; a payment in 2024 only; a living gap
        // resolved in March; an open payment anomaly; a pension gap raised in 2026 ignored.
        s.status("H6", b, .lifted, effective: "2019-01-01", liftedYear: 2019)
        s.status("H6", b, .monitoredSudden, effective: "2026-02-01")
        s.person(p6, "H6", b, birth: "1980-06-06")
        s.paid(p6, "H6", b, .living, month: "2024-12")
        s.finding(GapFinding.self, "gap|\(p6)|living", "H6", b, person: p6, .living, from: "2025-01", on: "2025-02-01")
        s.add(.verify, FindingResolved(findingID: "gap|\(p6)|living", householdID: "H6", personID: p6, measure: .living,
                                       resolvedBy: "00", title: "t", summary: "s", ruleID: "r", ruleVersion: "1",
                                           evidence: []),
              household: "H6", region: b, on: "2025-03-01")
        s.finding(AnomalyFinding.self, "anomaly|\(p6)|2025-09", "H6", b, person: p6, .living, from: "2025-09",
            on: "2025-10-01")
        s.finding(GapFinding.self, "gap|\(p6)|pension", "H6", b, person: p6, .pension, from: "2026-01",
            on: "2026-01-10")
        s.notification("N2", "H6", b, created: "2024-12-30")
        s.notification("N3", "H3", b, created: "2025-11-01")
        return s
    }

    mutating func notification(_ id: String, _ h: String, _ region: String, created: String) {
        let n = NotificationCreated(
            notificationID: id, recipient: "\(region.prefix(6))-bureau", sourceEventID: "00",
                sourceType: RiskFeedback.eventType,
            region: region, householdID: h, title: "t", summary: "s", created: created, sourcePayload: "{}")
        add(.notify, n, household: h, region: region, on: created)
    }

    /// The report over the scenario, with events of each log applied in `order`.
    func data(region: String = "", order: ([Event]) -> [Event] = { $0 }) -> ReportData {
        var fold = ReportFold(year: 2025, regionPrefix: region)
        for log in ReportLog.allCases {
            for e in order(logs[log] ?? []) { fold.apply(e, from: log) }
        }
        let cuts = ReportLog.allCases.map { LogCut(log: $0, cutoffSeq: Int64(logs[$0]?.count ?? 0),
            chainHash: String(repeating: "ab", count: 32)) }
        return fold.finish(cuts: cuts, rule: .bySeq)
    }
}

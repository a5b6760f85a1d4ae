import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguIntake
import GongguRisk
import GongguRiskService
import GongguRuntime
import GongguServices
import GongguStore
import GongguTransport
import GongguVerify
import GongguVerifyService

/// Fold benchmarks of the risk monitor and the benefit verifier (acceptance figures):
/// single-thread fold throughput over a synthetic province, start-up replay of the service from
/// its own log and its upstream logs, and the process's peak memory.
///
/// - Parameters:
///   - service: `risk` or `verify`.
///   - persons: recorded persons of the synthetic province (≈1.7 per household).
///   - directory: scratch folder for the logs (a sub-folder is created and removed).
func runFoldBenchmarks(service: String, persons: Int, directory: String) throws -> [BenchRow] {
    guard service == Service.risk.rawValue || service == Service.verify.rawValue else {
        throw StoreBenchError("unknown fold service \(service)")
    }
    let stream = FoldBenchStream(persons: persons)
    let findings = service == Service.risk.rawValue ? stream.findings() : []
    let events = stream.count + findings.count
    let setting = "\(persons) persons, \(stream.households) households, \(events) fact events"

    let fold = try foldThroughput(service: service, stream: stream, findings: findings)
    var rows = [
        BenchRow(
            name: "\(service) fold throughput", value: Double(events) / fold.seconds, unit: "events/s",
            note: "single thread, \(service == Service.risk.rawValue ? "RiskFold" : "VerifyFold").apply over \(setting)"
                + " (generation not timed); \(fold.outputs) outputs; goal ≥ 100000"),
    ]

    let folder = "\(directory)/fold-\(service)-\(persons)"
    // Services refuse logs other users can read; deployments run them with umask 077 (systemd UMask=).
    let oldMask = umask(0o077)
    defer { umask(oldMask) }
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let replay = try startUpReplay(service: service, stream: stream, findings: findings, folder: folder)
    rows.append(
        BenchRow(
            name: "\(service) start-up replay", value: replay.seconds, unit: "s",
            note: "fresh ServiceHost.start() rebuilding from its own log (\(replay.ownEvents) events) and the"
                + " upstream ranges it records (\(replay.upstreamEvents) events); \(setting); state digest equals"
                + " the live run's; first run took \(format(replay.firstRunSeconds)) s; upstream fixture written"
                + " with synchronous=OFF, own log synchronous=FULL"))
    rows.append(
        BenchRow(
            name: "\(service) start-up replay rate",
            value: Double(replay.upstreamEvents + replay.ownEvents) / replay.seconds,
            unit: "events/s", note: "upstream + own-log events replayed per second during start()"))
    rows.append(
        BenchRow(
            name: "\(service) upstream read rate", value: replay.upstreamReadRate, unit: "events/s",
            note: "where replay time goes: reading the upstream file alone as rebuild does (LocalLogSource,"
                + " batches of \(ReplayRequest.maxLimit), events decoded from rows, no fold)"))
    rows.append(
        BenchRow(
            name: "\(service) peak memory", value: peakResidentMiB(), unit: "MiB",
            note: "getrusage ru_maxrss of the bench process after fold and replay runs, \(persons) persons"))
    return rows
}

// MARK: Fold throughput

private func foldThroughput(
    service: String, stream: FoldBenchStream, findings: [Event]
) throws -> (seconds: Double, outputs: Int) {
    var nanos: UInt64 = 0
    var outputs = 0
    func timed(_ chunk: [Event], _ apply: (Event) -> Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        for e in chunk { n += apply(e) }
        nanos += DispatchTime.now().uptimeNanoseconds - start
        outputs += n
    }
    if service == Service.risk.rawValue {
        var fold = try RiskFold()
        stream.forEachChunk(size: 50_000) { chunk in timed(chunk) { fold.apply($0).count } }
        timed(findings) { fold.apply($0).count }
        guard !fold.stateDigest().isEmpty else { throw StoreBenchError("empty digest") }
    } else {
        var fold = VerifyFold()
        stream.forEachChunk(size: 50_000) { chunk in timed(chunk) { fold.apply($0).count } }
        guard fold.counts.persons > 0 else { throw StoreBenchError("verify fold learned no persons") }
    }
    return (Double(nanos) / 1e9, outputs)
}

// MARK: Start-up replay

private struct ReplayFigures {
    var seconds: Double
    var upstreamReadRate: Double
    var firstRunSeconds: Double
    var upstreamEvents: Int
    var ownEvents: Int
}

private func startUpReplay(
    service: String, stream: FoldBenchStream, findings: [Event], folder: String
) throws -> ReplayFigures {
    // Upstream fixtures: synchronous=OFF only to build them fast; they are read, never written, below.
    let recordedAt = FoldBenchStream.at("2025-12-31")
    let intake = try EventLog(path: "\(folder)/intake.log.sqlite", stream: Service.intake.rawValue, synchronous: .off)
    try stream.forEachChunk(size: 100_000) { chunk in try intake.append(chunk, recordedAt: recordedAt) }
    var lastSeqs = [Service.intake.rawValue: try intake.lastSeq]
    var upstreams = [Service.intake.rawValue]
    if service == Service.risk.rawValue {
        let verify = try EventLog(
            path: "\(folder)/verify.log.sqlite", stream: Service.verify.rawValue, synchronous: .off)
        try verify.append(findings, recordedAt: recordedAt)
        lastSeqs[Service.verify.rawValue] = try verify.lastSeq
        upstreams.append(Service.verify.rawValue)
    }
    let config = foldServiceConfig(service: service, folder: folder, upstreams: upstreams)
    let settings = try ServiceSettings(service: service, config: config)
    let logger = Logger(label: "bench-\(service)", minimumLevel: .warning)

    // First run: the service consumes its upstreams as it would live, building its own log.
    let began = DispatchTime.now().uptimeNanoseconds
    let first = try foldBehaviour(service, config: config)
    let host = HostThread(ServiceHost(settings: settings, behaviour: first.behaviour, logger: logger))
    try waitFor("\(service) to consume its upstreams", timeout: 3600, interval: 0.05) {
        host.ended(within: 0) || caughtUp(host.host.status.json(), lastSeqs)
    }
    try host.stop()
    let firstSeconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
    let liveDigest = first.digest()
    let ownEvents = Int(try EventLog(path: settings.logPath, stream: service, readOnly: true).lastSeq)

    // Second run: a fresh host rebuilds the same state from the logs; only start() is timed.
    let second = try foldBehaviour(service, config: config)
    let again = ServiceHost(settings: settings, behaviour: second.behaviour, logger: logger)
    let timing = ErrorBox()
    let rebuilt = DispatchSemaphore(value: 0)
    let replayThread = Thread {
        do {
            let start = DispatchTime.now().uptimeNanoseconds
            try again.start()
            timing.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            again.stopFlag.set()
            try again.run()  // returns at once (stop flag set) and closes the sockets
        } catch {
            timing.error = error
        }
        rebuilt.signal()
    }
    replayThread.stackSize = 8 << 20
    replayThread.start()
    rebuilt.wait()
    if let error = timing.error { throw error }
    let replayDigest = second.digest()
    guard replayDigest == liveDigest else {
        throw StoreBenchError(
            "\(service): digest after replay \(replayDigest) differs from the live run's \(liveDigest)")
    }
    // Diagnostic: the upstream read alone, through the same source and batch size as rebuild.
    let source = LocalLogSource(stream: Service.intake.rawValue, path: "\(folder)/intake.log.sqlite")
    var after: Int64 = 0, read = 0
    let readStart = DispatchTime.now().uptimeNanoseconds
    while true {
        let batch = try source.read(ReplayRequest(after: after, limit: ReplayRequest.maxLimit))
        guard let last = batch.events.last else { break }
        read += batch.events.count
        after = last.seq
    }
    let readRate = Double(read) / (Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9)
    return ReplayFigures(
        seconds: timing.seconds, upstreamReadRate: readRate, firstRunSeconds: firstSeconds,
        upstreamEvents: lastSeqs.values.reduce(0) { $0 + Int($1) },
        ownEvents: ownEvents)
}

/// The behaviour of a fold service, and its digest (read after the loop thread has stopped).
private func foldBehaviour(
    _ service: String, config: Config
) throws -> (behaviour: ServiceBehaviour, digest: () -> String) {
    if service == Service.risk.rawValue {
        let b = try RiskService.behaviour(config: config)
        return (b, { b.stateDigest() })
    }
    let b = try VerifyService.behaviour(config: config)
    return (b, { b.stateDigest() })
}

/// Configuration as a deployment on one host would have it; ipc endpoints under /tmp (short paths).
private func foldServiceConfig(service: String, folder: String, upstreams: [String]) -> Config {
    let socketBase = "ipc:///tmp/gonggu-bench-\(getpid())-\(service)"
    var upstream: [(String, JSONValue)] = []
    for u in upstreams {
        upstream.append(
            (u, .object([
                ("log", .string("\(folder)/\(u).log.sqlite")),
                // Nobody publishes there: the service follows the files by replay, as after a restart.
                ("publish", .string("\(socketBase)-\(u)-pub")),
                // The fixtures derive from nothing: the verifier's holds findings without InputConsumed
                // markers of intake, so with the deployment's `follows` (verify follows intake) the risk
                // monitor's merge waited for the verifier to pass intake's events, forever.
                ("follows", .array([])),
            ])))
    }
    let root: JSONValue = .object([
        ("data", .object([("directory", .string(folder))])),
        ("endpoints", .object([
            ("publish", .string("\(socketBase)-pub")), ("control", .string("\(socketBase)-control")),
        ])),
        ("log", .object([("level", .string("warning"))])),
        ("upstreams", .array(upstreams.map { .string($0) })),
        ("upstream", .object(upstream)),
    ])
    return Config(root: root, environment: [:])
}

/// True when every upstream cursor in a STATUS body has reached the upstream's last seq.
private func caughtUp(_ status: [UInt8], _ lastSeqs: [String: Int64]) -> Bool {
    guard let value = try? JSONValue.parse(status), let ups = value["upstreams"]?.arrayValue else { return false }
    var reached = 0
    for u in ups {
        guard let name = u["stream"]?.stringValue, let cursor = u["cursor"]?.intValue, let last = lastSeqs[name] else {
            continue
        }
        if Int64(cursor) >= last { reached += 1 }
    }
    return reached == lastSeqs.count
}

/// An error (and a duration) from a worker thread, read after it signalled.
final class ErrorBox: @unchecked Sendable {
    var error: Error?
    var seconds = 0.0
}

/// Peak resident set size of this process, MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func format(_ x: Double) -> String { String(format: "%.2f", x) }

// MARK: - The synthetic province


/// A synthetic province's fact stream for the fold benchmarks, generated section by section in the
/// order imports would bring it (survey, members, statuses, incomes, assistance, pensions, a year
/// of monthly subsidy payments, then department reports), in chunks so a province of a million
/// persons never has to sit in memory at once.
///
/// Households hold 1 or 2 recorded persons (≈1.7 on average); regions spread over 10 counties.
struct FoldBenchStream {
    let persons: Int
    let households: Int
    /// Person index and subsidy kind (0 living, 1 nursing) of each monthly payment line.
    private let payees: [(person: Int32, kind: UInt8)]

    static let counties = [
        "220102", "220182", "220183", "220281", "220381", "220524", "220621", "220721", "220822", "222426",
    ]

    init(persons: Int) {
        self.persons = persons
        households = max(1, Int((Double(persons) / 1.7).rounded()))
        var list: [(Int32, UInt8)] = []
        list.reserveCapacity(persons)
        for p in 0..<persons {
            let h = Self.household(ofPerson: p, households: households)
            if Self.hasDibao(h) { list.append((Int32(p), 0)) }
            if Self.grade(p) <= 2 && p % 5 != 0 { list.append((Int32(p), 1)) }
        }
        payees = list
    }

    // MARK: Layout

    static func household(ofPerson p: Int, households: Int) -> Int { p < households ? p : p - households }
    func household(ofPerson p: Int) -> Int { Self.household(ofPerson: p, households: households) }
    /// Recorded persons of household `h` (the first always, a second for most households).
    func members(of h: Int) -> Int { h + households < persons ? 2 : 1 }
    static func hasDibao(_ h: Int) -> Bool { h % 10 < 3 }
    static func grade(_ p: Int) -> Int { p % 4 + 1 }

    static func region(ofHousehold h: Int) -> String {
        counties[h % 10] + pad(h / 10 % 20 + 1, 3) + pad(h / 200 % 30 + 1, 3)
    }

    static func householdID(_ h: Int) -> String { "HH" + counties[h % 10] + pad(h, 9) }

    /// An 18-character resident ID (GB 11643 layout with a valid check character), unique per index.
    static func personID(_ p: Int, county: String) -> String {
        let b = p % 25_550
        let year = 1940 + b / 365, dayOfYear = b % 365
        let month = dayOfYear / 28 % 12 + 1, day = dayOfYear % 28 + 1
        let body = county + pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(p / 25_550 % 1000, 3)
        return body + String(UnicodeScalar(ResidentID.checkCharacter(body.utf8)))
    }

    func personID(_ p: Int) -> String { Self.personID(p, county: Self.counties[household(ofPerson: p) % 10]) }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Milliseconds at 10:00 China time of a business date.
    static func at(_ date: String) -> Timestamp {
        BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(date)!) + 2 * 3_600_000
    }

    // MARK: Sections

    private struct Section {
        let count: Int
        let make: (Int) -> Event
    }

    private var sections: [Section] {
        [
            Section(count: persons, make: disability),
            Section(count: persons, make: member),
            Section(count: households, make: status),
            Section(count: households * 2, make: income),
            Section(count: households * 3 / 10 + households / 20, make: assistance),
            Section(count: persons, make: pension),
            Section(count: payees.count * 12, make: subsidy),
            Section(count: households / 30, make: expense),
            Section(count: households / 20, make: visit),
            Section(count: households / 50, make: project),
            Section(count: persons / 300, make: lifeEvent),
        ]
    }

    /// Number of intake events in the stream.
    var count: Int { sections.reduce(0) { $0 + $1.count } }

    /// Calls `body` with consecutive chunks of the intake stream, in stream order.
    func forEachChunk(size: Int, _ body: ([Event]) throws -> Void) rethrows {
        var chunk: [Event] = []
        chunk.reserveCapacity(size)
        for section in sections {
            for i in 0..<section.count {
                chunk.append(section.make(i))
                if chunk.count == size {
                    try body(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        if !chunk.isEmpty { try body(chunk) }
    }

    private func event<P: EventPayload>(_ p: P, _ label: String, _ i: Int, household h: Int, date: String) -> Event {
        Event(
            p, id: EventID.derived("fold-bench|\(label)|\(i)"), subject: Self.householdID(h),
            region: Self.region(ofHousehold: h), occurredAt: Self.at(date), correlation: nil)
    }

    private func source(_ file: String, _ line: Int) -> SourceRef { SourceRef(file: file, line: line + 2) }

    private func disability(_ p: Int) -> Event {
        let h = household(ofPerson: p), id = personID(p)
        var fact = DisabilityRecorded(
            personID: id, householdID: Self.householdID(h), name: "残疾人\(p % 1000)",
            birthDate: String(id.dropFirst(6).prefix(4)) + "-" + String(id.dropFirst(10).prefix(2)) + "-"
                + String(id.dropFirst(12).prefix(2)),
            gender: p % 2 == 0 ? "F" : "M", cardNumber: id + "\(p % 7 + 1)\(Self.grade(p))",
            category: DisabilityCategory(rawValue: p % 7 + 1)!, grade: Self.grade(p),
            labour: p % 3 == 0 ? .none : .weak, surveyYear: 2024, source: source("2024-survey.csv", p))
        fact.needsLongTermCare = Self.grade(p) <= 2 && p % 5 != 0
        fact.pensionEnrolled = true
        return event(fact, "disability", p, household: h, date: "2025-01-06")
    }

    private func member(_ p: Int) -> Event {
        let h = household(ofPerson: p), id = personID(p)
        let fact = MemberRecorded(
            householdID: Self.householdID(h), personID: id, name: "残疾人\(p % 1000)",
            birthDate: String(id.dropFirst(6).prefix(4)) + "-01-01", labour: p % 3 == 0 ? .none : .weak,
            since: "2015-01-01", source: source("2025-members.csv", p))
        return event(fact, "member", p, household: h, date: "2025-01-08")
    }

    private func status(_ h: Int) -> Event {
        let s: PovertyStatus = h % 20 == 0 ? .monitoredMarginal : (h % 5 < 3 ? .lifted : .ordinary)
        let fact = HouseholdStatusRecorded(
            householdID: Self.householdID(h), status: s, effectiveDate: "2020-12-31",
            liftedYear: s == .lifted ? 2019 + h % 2 : nil, source: source("2025-status.csv", h))
        return event(fact, "status", h, household: h, date: "2025-01-10")
    }

    /// Two yearly assessments per household; a few fall sharply or below the monitoring line.
    private func income(_ i: Int) -> Event {
        let h = i % households, year = i < households ? 2024 : 2025
        let members = members(of: h) + 2
        var perCapita = 900_000 + h % 7 * 100_000
        if year == 2025 && h % 25 == 0 { perCapita = 650_000 }  // below the 2025 line
        if year == 2025 && h % 40 == 1 { perCapita = perCapita * 6 / 10 }  // sharp fall
        let fact = IncomeAssessed(
            householdID: Self.householdID(h), year: year, netIncomeFen: perCapita * members, members: members,
            assessedDate: "\(year)-12-20", source: source("\(year)-income.csv", h))
        return event(fact, "income", i, household: h, date: "\(year)-12-28")
    }

    /// 低保 for 30% of households (a few stopped in April 2025), 低保边缘 for 5%.
    private func assistance(_ i: Int) -> Event {
        let dibaoCount = households * 3 / 10
        if i < dibaoCount {
            // Households with h % 10 < 3, in order.
            let h = min(households - 1, i / 3 * 10 + i % 3)
            let stopped = h % 97 == 0
            let fact = AssistanceRecorded(
                householdID: Self.householdID(h), programme: .dibao, startMonth: "2023-03",
                stopMonth: stopped ? "2025-04" : nil, stopReason: stopped ? .incomeAboveLine : nil,
                monthlyFen: 55_000 * members(of: h), source: source("2025-dibao.csv", i))
            return event(fact, "assistance", i, household: h, date: "2025-01-15")
        }
        let j = i - dibaoCount, h = min(households - 1, j * 20 + 5)
        let fact = AssistanceRecorded(
            householdID: Self.householdID(h), programme: .dibaoMarginal, startMonth: "2024-07", monthlyFen: 0,
            source: source("2025-marginal.csv", j))
        return event(fact, "assistance", i, household: h, date: "2025-01-15")
    }

    private func pension(_ p: Int) -> Event {
        let h = household(ofPerson: p)
        let fact = PensionRecorded(
            householdID: Self.householdID(h), personID: personID(p), year: 2025, enrolled: true,
            governmentPaidFen: Self.grade(p) <= 2 ? 20_000 : 10_000, source: source("2025-pension.csv", p))
        return event(fact, "pension", p, household: h, date: "2025-03-01")
    }

    /// Month by month: every payee's living or nursing subsidy; 2% of payees miss March to May.
    private func subsidy(_ i: Int) -> Event {
        let month = i / payees.count + 1, line = payees[i % payees.count]
        let p = Int(line.person), h = household(ofPerson: p)
        let monthText = "2025-" + Self.pad(month, 2)
        var amount = line.kind == 0 ? 10_000 : (Self.grade(p) == 1 ? 20_000 : 10_000)
        if p % 50 == 7 && (3...5).contains(month) { amount = 0 }
        let fact = SubsidyPaid(
            householdID: Self.householdID(h), personID: personID(p), subsidy: line.kind == 0 ? .living : .nursing,
            month: monthText, amountFen: amount, source: source("\(monthText)-subsidy.csv", i))
        return event(fact, "subsidy", i, household: h, date: monthText + "-25")
    }

    private func expense(_ i: Int) -> Event {
        let h = min(households - 1, i * 30 + 11)
        let kinds: [ExpenseKind] = [.inpatient, .outpatient, .schooling, .disaster, .accident]
        let fact = ExpenseReported(
            householdID: Self.householdID(h), kind: kinds[i % kinds.count], amountFen: 300_000 + i % 9 * 150_000,
            date: "2025-0\(i % 9 + 1)-15", department: "医保", source: source("2025-expenses.csv", i))
        return event(fact, "expense", i, household: h, date: "2025-10-10")
    }

    private func visit(_ i: Int) -> Event {
        let h = min(households - 1, i * 20 + 13)
        let fact = HomeVisitReported(
            householdID: Self.householdID(h), date: "2025-06-\(10 + i % 18)", visitor: "网格员\(i % 300)",
            hardship: i % 3 == 0 ? ["illness", "income"] : [], selfApplication: i % 11 == 0, notes: "入户走访",
            source: source("2025-visits.csv", i))
        return event(fact, "visit", i, household: h, date: "2025-07-01")
    }

    private func project(_ i: Int) -> Event {
        let h = min(households - 1, i * 50 + 17)
        let kinds: [ProjectKind] = [.rehabilitation, .training, .productionSupport, .accessibility]
        let fact = ProjectRecorded(
            projectID: "PRJ\(Self.pad(i, 8))", kind: kinds[i % kinds.count], householdID: Self.householdID(h),
            personID: personID(h), date: "2025-05-20", amountFen: 200_000, source: source("2025-projects.csv", i))
        return event(fact, "project", i, household: h, date: "2025-06-01")
    }

    private func lifeEvent(_ i: Int) -> Event {
        let p = min(persons - 1, i * 300 + 29), h = household(ofPerson: p)
        let fact = LifeEventRecorded(
            householdID: Self.householdID(h), personID: personID(p), kind: i % 4 == 0 ? .movedOut : .death,
            date: "2025-0\(i % 6 + 1)-09", source: source("2025-civil-affairs.csv", i))
        return event(fact, "life", i, household: h, date: "2025-07-05")
    }

    // MARK: Verifier findings (the risk monitor's second upstream)

    /// Number of verifier findings for the risk monitor: 1 per 100 households.
    var findingCount: Int { max(1, households / 100) }

    /// Verifier findings (entitlement gaps and discontinuations) as the verifier would publish them.
    func findings() -> [Event] {
        (0..<findingCount).map { i in
            let h = min(households - 1, i * 100 + 7)
            let id = Self.householdID(h)
            let evidence = [EventID.derived("fold-bench|subsidy|\(i)").description]
            if i % 2 == 0 {
                let f = EntitlementGap(
                    findingID: "gap|\(id)|nursing|2025-03", householdID: id, personID: personID(h), measure: .nursing,
                    periodFrom: "2025-03", periodTo: "2025-05", title: "应享未享：重度残疾人护理补贴",
                    summary: "户\(id)有成员连续3个月未领取重度残疾人护理补贴", ruleID: "verify.gap.nursing",
                    ruleVersion: "2025.1", evidence: evidence, thresholds: [("gapMonths", 3)], months: 3)
                return event(f, "finding", i, household: h, date: "2025-06-30")
            }
            let f = AssistanceDiscontinued(
                findingID: "discontinued|\(id)|dibao|2025-05", householdID: id, personID: nil, measure: .dibao,
                periodFrom: "2025-05", periodTo: "2025-07", title: "四个不摘：低保停发",
                summary: "脱贫户\(id)的低保于2025-04停发且无正当理由", ruleID: "verify.discontinued.dibao",
                ruleVersion: "2025.1", evidence: evidence, thresholds: [("months", 3)], months: 3)
            return event(f, "finding", i, household: h, date: "2025-07-31")
        }
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguRisk
import GongguRuntime
import GongguStore
import GongguVerify

/// `gonggu-bench investigate --persons N [--dir DIR]`: the investigator's subject query over a
/// province's logs. Writes the synthetic province of the fold benchmarks (`FoldBenchStream`) as an
/// intake log, runs the verifier and risk folds over it into their logs (outputs with
/// `InputConsumed` markers, as the services write them), then times `Replay` subject queries — by
/// household id and by resident ID — over the three logs. With `--dir` the logs are kept there, so
/// `gonggu replay --subject … DIR` can be timed as a process too.
func runInvestigationBenchmarks(persons: Int, directory: String) throws -> [BenchRow] {
    let stream = FoldBenchStream(persons: persons)
    let setting = "\(persons) persons, \(stream.households) households"
    let (written, totals) = try writeProvinceLogs(stream, directory: directory)
    // How far the sidecars got: the writers closed at the end of `writeProvinceLogs` (its return).
    let coverage = try IndexLagBench.coverageRow(directory: directory, closeSeconds: lastProvinceClose)

    // Queries: fresh read-only opens, as the CLI does; every 9973rd household and person.
    let logs = try LogSet(paths: [directory])
    var households: [Double] = []
    var people: [Double] = []
    var whys: [Double] = []
    var found = 0, whyLinks = 0
    for k in 0..<50 {
        let h = k * 9973 % stream.households
        var t = Date()
        let events = try Replay.collect(ReplayFilter(subject: FoldBenchStream.householdID(h)), logs: logs)
        found += events.count
        households.append(Date().timeIntervalSince(t) * 1000)
        // `gonggu why` on the household's latest decision (a risk or verifier event with a cause).
        let decisions = events.filter { $0.source.stream != Service.intake.rawValue && $0.event.causation != nil }
        if let decision = decisions.last {
            t = Date()
            whyLinks += try Why.explain(decision.event.id, logs: logs).links.count
            whys.append(Date().timeIntervalSince(t) * 1000)
        }
        t = Date()
        found += try Replay.collect(ReplayFilter(subject: stream.personID(k * 9973 % persons)), logs: logs).count
        people.append(Date().timeIntervalSince(t) * 1000)
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    let logsText = "intake \(totals.intake), verify \(totals.verify), risk \(totals.risk) events"
    let lookUps = [
        BenchRow(
            name: "province logs written", value: written, unit: "s",
            note: "\(setting); \(logsText); synchronous=OFF; person index built while appending"),
        BenchRow(
            name: "replay --subject household, median", value: median(households), unit: "ms",
            note: "Replay.collect over the three logs (subject index, causal merge), 50 households; goal ≤ 2000"),
        BenchRow(
            name: "replay --subject household, max", value: households.max()!, unit: "ms",
            note: "first query includes warming"),
        BenchRow(
            name: "replay --subject resident ID, median", value: median(people), unit: "ms",
            note: "person index → household → subject index, 50 persons; goal ≤ 2000"),
        BenchRow(name: "replay --subject resident ID, max", value: people.max()!, unit: "ms", note: ""),
        BenchRow(
            name: "why, median", value: whys.isEmpty ? 0 : median(whys), unit: "ms",
            note: "Why.explain of the latest decision of \(whys.count) of those households (id look-ups across"
                + " the three logs, causes and evidence followed); \(whyLinks) links; goal ≤ 50"),
        BenchRow(name: "why, max", value: whys.max() ?? 0, unit: "ms", note: ""),
        BenchRow(name: "events returned", value: Double(found), unit: "events", note: "over the 100 queries"),
        coverage,
        BenchRow(
            name: "first replay --subject after the writers closed", value: households[0], unit: "ms",
            note: "the first household query above: fresh opens, cold statements, the tail the closes left"),
    ]
    // At 1,000,000 persons the lagging-index part below takes minutes: the look-ups are printed first.
    printTable("investigate: look-ups", lookUps)
    let lagRows = try IndexLagBench.run(
        directory: directory, subjects: (1...4).map { FoldBenchStream.householdID($0 * 7919 % stream.households) })
    return lookUps + lagRows
}

/// Writes the synthetic province of the fold benchmarks (`FoldBenchStream`) into `directory` as an
/// intake log, with the verifier and risk folds run over it into their logs (outputs plus
/// `InputConsumed` markers, as the services write them). Returns the seconds it took and the logs'
/// sizes. Shared by `investigate` and `whatif`.
func writeProvinceLogs(_ stream: FoldBenchStream, directory: String) throws
    -> (seconds: Double, totals: (intake: Int64, verify: Int64, risk: Int64))
{
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for s in [Service.intake, .verify, .risk].map(\.rawValue) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(s).log.sqlite\(suffix)")
        }
    }
    var closing = Date()
    let result: (seconds: Double, totals: (intake: Int64, verify: Int64, risk: Int64)) = try {
    let intake = try EventLog(
        path: "\(directory)/intake.log.sqlite", stream: Service.intake.rawValue, synchronous: .off)
    let verifyLog = try EventLog(
        path: "\(directory)/verify.log.sqlite", stream: Service.verify.rawValue, synchronous: .off)
    let riskLog = try EventLog(path: "\(directory)/risk.log.sqlite", stream: Service.risk.rawValue, synchronous: .off)
    var verify = VerifyFold()
    var risk = try RiskFold()
    var recordedAt = Timestamp(Date().timeIntervalSince1970 * 1000)
    let began = Date()
    try stream.forEachChunk(size: 50_000) { chunk in
        recordedAt += 1000
        let recorded = try intake.append(chunk, recordedAt: recordedAt)
        var verifyOut: [Event] = []
        var riskOut: [Event] = []
        for e in recorded {
            verifyOut += verify.apply(e)
            riskOut += risk.apply(e)
        }
        func marker(_ service: String) -> Event {
            var m = Event(
                InputConsumed(
                    stream: Service.intake.rawValue, after: recorded.first!.seq - 1, through: recorded.last!.seq),
                id: EventID.derived("\(service)|consumed|intake|\(recorded.last!.seq)"), subject: Service.intake.rawValue,
                region: "",
                occurredAt: recorded.last!.occurredAt)
            m.causation = recorded.last!.id
            return m
        }
        try verifyLog.append(verifyOut + [marker(Service.verify.rawValue)], recordedAt: recordedAt + 200)
        try riskLog.append(riskOut + [marker(Service.risk.rawValue)], recordedAt: recordedAt + 400)
    }
    let written = Date().timeIntervalSince(began)
    // The writers close once their last use is past (their indexers catch up first, bounded).
    // The sidecars' WAL sizes then: a close checkpoints what its indexer left in the WAL.
    lastProvinceSidecarWAL = [Service.intake, .verify, .risk].map(\.rawValue).map { s -> String in
        let wal = LogIndex.path(forLog: "\(directory)/\(s).log.sqlite") + "-wal"
        let bytes = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int ?? 0
        return "\(s) \(bytes / 1_048_576) MiB"
    }.joined(separator: ", ")
    closing = Date()
    return (written, (try intake.lastSeq, try verifyLog.lastSeq, try riskLog.lastSeq))
    }()
    lastProvinceClose = Date().timeIntervalSince(closing)
    return result
}

/// Seconds the last `writeProvinceLogs` took to close its writers (`investigate` prints it).
nonisolated(unsafe) var lastProvinceClose = 0.0
/// The sidecars' WAL sizes just before those writers closed.
nonisolated(unsafe) var lastProvinceSidecarWAL = ""

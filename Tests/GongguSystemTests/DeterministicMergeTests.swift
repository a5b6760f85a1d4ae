import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguIntake
import GongguNotify
import GongguNotifyService
import GongguRiskService
import GongguRuntime
import GongguServices
import GongguSimulation
import GongguStore
import GongguVerify
import GongguVerifyService
import XCTest

/// The same province through the verifier, the risk monitor and the notifier (hosts in-process,
/// following the log files) in deliberately different interleavings: the verifier in step with
/// intake, the verifier started late, intake written late in random bursts with random pauses. The
/// risk monitor's and the notifier's decisions (ids and payloads) and state digests must be the same
/// in every run (docs/ARCHITECTURE.md, "The merge of several upstreams").
final class DeterministicMergeTests: XCTestCase {
    struct Outcome {
        var riskDecisions: [EventID: [UInt8]]
        var notifyDecisions: [EventID: [UInt8]]
        var riskDigest: String
        var notifyDigest: String
        var verifyDigest: String
    }

    enum Schedule {
        /// Every host runs; intake is written in chunks, each once the verifier has consumed the last.
        case verifierInStep
        /// Risk monitor and notifier run while all of intake is written; the verifier starts afterwards.
        case verifierLate
        /// Every host runs; intake is written in random bursts with random pauses, and the verifier is
        /// stopped and started again in between.
        case intakeBursts(seed: UInt64)
    }

    /// Intake's events: a simulated province, then for each household the verifier raised a finding
    /// about a later fact (its status changes to 脱贫不稳定户) — facts a finding is judged against.
    static let province: [Event] = {
        let dir = NSTemporaryDirectory() + "gonggu-merge-province-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let truth = try Simulator(households: 300, seed: 7).write(to: dir)
            let manifest = try JSONValue.parse(Array(FileManager.default.contents(atPath: dir + "/manifest.json")!))
            let received = BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(truth.referenceDate)!)
            var events: [Event] = []
            var seen = Set<EventID>()
            for entry in manifest["files"]?.arrayValue ?? [] {
                let name = entry["file"]!.stringValue!
                let kind = RecordKind(rawValue: entry["kind"]!.stringValue!)!
                let context = IntakeContext(
                    kind: kind, source: name, importID: EventID.derived("merge|import|\(name)"), receivedAt: received)
                let reader = try IntakeReader(path: dir + "/" + name, context: context)
                while let outcome = try reader.next() {
                    if case let .accepted(event, _, _) = outcome, seen.insert(event.id).inserted { events.append(event) }
                }
            }
            var verify = VerifyFold()
            var households: [String: String] = [:]
            for e in events {
                for f in verify.apply(e) where !f.subject.isEmpty { households[f.subject] = households[f.subject] ?? e.region }
            }
            var late: [Event] = []
            for (household, region) in households.sorted(by: { $0.key < $1.key }) {
                late.append(
                    Event(
                        HouseholdStatusRecorded(
                            householdID: household, status: .monitoredUnstable, effectiveDate: "2024-11-01",
                            source: SourceRef(file: "late.csv", line: late.count + 2)),
                        id: EventID.derived("merge|late|\(household)"), subject: household, region: region,
                        occurredAt: BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber("2024-11-01")!)))
            }
            return events + late
        } catch {
            fatalError("cannot simulate the province: \(error)")
        }
    }()

    func testDecisionsAndDigestsDoNotDependOnTheInterleaving() throws {
        let province = Self.province
        XCTAssertGreaterThan(province.count, 1_000)
        let inStep = try run(.verifierInStep, province)
        XCTAssertFalse(inStep.riskDecisions.isEmpty, "the province leads to risk decisions")
        XCTAssertFalse(inStep.notifyDecisions.isEmpty, "and to notifications")
        for schedule in [Schedule.verifierLate, .intakeBursts(seed: 11)] {
            let other = try run(schedule, province)
            XCTAssertEqual(other.verifyDigest, inStep.verifyDigest, "verifier state, \(schedule)")
            XCTAssertEqual(Self.differing(inStep.riskDecisions, other.riskDecisions), 0, "risk decisions differing, \(schedule)")
            XCTAssertEqual(other.riskDigest, inStep.riskDigest, "risk monitor state, \(schedule)")
            XCTAssertEqual(Self.differing(inStep.notifyDecisions, other.notifyDecisions), 0, "notifier decisions differing, \(schedule)")
            XCTAssertEqual(other.notifyDigest, inStep.notifyDigest, "notifier state, \(schedule)")
        }
    }

    /// Decisions in one set and not the other, or with other payloads.
    static func differing(_ a: [EventID: [UInt8]], _ b: [EventID: [UInt8]]) -> Int {
        var n = 0
        for (id, payload) in a where b[id] != payload { n += 1 }
        for id in b.keys where a[id] == nil { n += 1 }
        return n
    }

    // MARK: One run

    private func run(_ schedule: Schedule, _ province: [Event]) throws -> Outcome {
        let dir = NSTemporaryDirectory() + "gonggu-merge-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let intake = try EventLog(path: "\(dir)/data/intake.log.sqlite", stream: "intake")
        // Every channel a ZeroMQ one nobody connects to: the notifier's state holds only what it derived.
        let recipients = try FileFollowers.writeRecipients(dir)
        XCTAssertFalse(recipients.contains("outbox") || recipients.contains("webhook"))
        func settings(_ service: String) throws -> ServiceSettings {
            try FileFollowers.settings(service, dir, logLevel: "error")
        }
        var verifyHost: (HostThread, FoldBehaviour<VerifyFold>)?
        func startVerify() throws {
            let b = try VerifyService.behaviour(config: Config(root: .object([]), environment: [:]))
            verifyHost = (HostThread(ServiceHost(settings: try settings("verify"), behaviour: b, logger: quiet)), b)
        }
        let riskBehaviour = try RiskService.behaviour(config: Config(root: .object([]), environment: [:]))
        let notifyConfig = FileFollowers.config("notify", dir, logLevel: "error")
        let notifyBehaviour = NotifyBehaviour(config: notifyConfig)
        let notifyOwnInputs = Set(NotifyFold.ownInputTypes)
        var risk: HostThread?
        var notify: HostThread?
        func startRiskAndNotify() throws {
            risk = HostThread(ServiceHost(settings: try settings("risk"), behaviour: riskBehaviour, logger: quiet))
            notify = HostThread(
                ServiceHost(settings: try settings("notify"), behaviour: notifyBehaviour, logger: quiet))
        }
        defer {
            for h in [verifyHost?.0, risk, notify] { try? h?.stop() }
        }
        func write(_ events: ArraySlice<Event>) throws { try intake.append(Array(events), recordedAt: 1) }

        switch schedule {
        case .verifierInStep:
            try startVerify()
            try startRiskAndNotify()
            var at = 0
            while at < province.count {
                let end = min(province.count, at + 150)
                try write(province[at..<end])
                at = end
                try waitFor("verifier consumed intake through \(at)", timeout: 180, interval: 0.05) {
                    try FileFollowers.consumed("\(dir)/data/verify.log.sqlite")["intake"] ?? 0 >= Int64(at)
                }
            }
        case .verifierLate:
            try startRiskAndNotify()
            try write(province[...])
            // Give the risk monitor time to read all of intake before the verifier has anything.
            Thread.sleep(forTimeInterval: 1.5)
            try startVerify()
        case let .intakeBursts(seed):
            var rng = SplitMix64(seed: seed)
            try startVerify()
            try startRiskAndNotify()
            var at = 0
            var bursts = 0
            while at < province.count {
                let end = min(province.count, at + 1 + rng.below(400))
                try write(province[at..<end])
                at = end
                bursts += 1
                Thread.sleep(forTimeInterval: Double(rng.below(60)) / 1000)
                if bursts % 5 == 0, let v = verifyHost {
                    try v.0.stop()
                    // Services run with umask 077 (ServiceMain); this process does not.
                    try FileManager.default.setAttributes(
                        [.posixPermissions: 0o600], ofItemAtPath: "\(dir)/data/verify.log.sqlite")
                    Thread.sleep(forTimeInterval: Double(rng.below(300)) / 1000)
                    try startVerify()
                }
            }
        }
        let last = Int64(province.count)
        try waitFor("every service caught up", timeout: 180, interval: 0.05) {
            let v = try FileFollowers.consumed("\(dir)/data/verify.log.sqlite")
            guard v["intake"] == last else { return false }
            let verifyLast = try FileFollowers.lastSeq("\(dir)/data/verify.log.sqlite")
            let r = try FileFollowers.consumed("\(dir)/data/risk.log.sqlite")
            guard r["intake"] == last, r["verify"] ?? 0 == verifyLast else { return false }
            let riskLast = try FileFollowers.lastSeq("\(dir)/data/risk.log.sqlite")
            let n = try FileFollowers.consumed("\(dir)/data/notify.log.sqlite")
            return n["intake"] == last && n["verify"] ?? 0 == verifyLast && n["risk"] ?? 0 == riskLast
        }
        try verifyHost?.0.stop()
        try risk?.stop()
        try notify?.stop()
        let outcome = Outcome(
            riskDecisions: try FileFollowers.derived("\(dir)/data/risk.log.sqlite").mapValues(\.payload),
            notifyDecisions: try FileFollowers.derived("\(dir)/data/notify.log.sqlite").filter { !notifyOwnInputs.contains($0.value.type) }.mapValues(\.payload), riskDigest: riskBehaviour.stateDigest(),
            notifyDigest: notifyBehaviour.stateDigest(), verifyDigest: verifyHost!.1.stateDigest())
        verifyHost = nil
        risk = nil
        notify = nil
        return outcome
    }

    private let quiet = Logger(label: "merge-test", minimumLevel: .error)
}

import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguServices
import GongguSimulation
import GongguStore
import GongguTransport

/// `gonggu-bench chaos --households N --kills K --seed S [--dir DIR]`: the crash test
/// (docs/RELIABILITY.md, "Crash test").
///
/// Writes a simulated province (`gonggu simulate`), runs it once through the four service processes
/// undisturbed, then again while a random service is killed with SIGKILL at random instants (victims
/// and pauses from a seeded generator), each restarted at once, during the import and while the
/// downstream catches up. The import client re-sends every file whose summary it did not receive;
/// intake de-duplicates, so re-sending is idempotent. At the end every log must verify, every cursor
/// must have caught up, and every log's state digest (`DIGEST`) and decision set (ids, types and
/// payloads of its facts, decisions, findings and notifications) must equal the undisturbed run's.
///
/// Ticks are left out on purpose: `TICK` stamps its event id with the wall clock, so two runs can
/// never share the ids of tick-caused decisions; elapsed-time decisions under crashes are covered by
/// `CrashRestartTests` (compared by finding id).
enum ChaosBench {
    struct Options {
        var households = 2000
        var kills = 20
        var seed: UInt64 = 1
        /// Work folder (kept); nil: a temporary folder removed at the end.
        var directory: String?
        /// Also run the province undisturbed a second time with this service started only after the
        /// import: no fault, only another arrival order of its upstreams' events downstream of it.
        var lateStart: String?
    }

    /// Runs the test and prints the tables; returns whether every check passed.
    static func run(_ o: Options) throws -> Bool {
        let dir = o.directory ?? benchDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if o.directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        print("gonggu-bench chaos: \(o.households) households, ≥ \(o.kills) kills, seed \(o.seed), folder \(dir)")

        let province = dir + "/province"
        if !FileManager.default.fileExists(atPath: province + "/manifest.json") {
            let sim = Process()
            sim.executableURL = bin.appendingPathComponent("gonggu")
            sim.arguments = ["simulate", "--households", "\(o.households)", "--seed", "\(o.seed)", "--out", province]
            sim.standardOutput = FileHandle.nullDevice
            try sim.run()
            sim.waitUntilExit()
            guard sim.terminationStatus == 0 else {
                throw ChaosFailure("gonggu simulate exited \(sim.terminationStatus)")
            }
        }
        let files = try manifest(province)

        let calmStart = Date()
        let calm = try runPipeline(dir + "/calm", files: files, bin: bin, chaos: nil)
        let calmSeconds = Date().timeIntervalSince(calmStart)
        print(String(format: "undisturbed run: %.1f s (import %.1f s)", calmSeconds, calm.importSeconds))
        if let late = o.lateStart {
            let other = try runPipeline(
                dir + "/late", files: files, bin: bin, chaos: nil, keysFrom: dir + "/calm/keys", lateStart: late)
            print("\n## second undisturbed run, \(late) started after the import (no kill)\n")
            print("| log | decision sets equal | digests equal |")
            print("|---|---|---|")
            for s in PipelineLauncher.services {
                let a = calm.logs[s]!, b = other.logs[s]!
                let sets = a.decisionCount == b.decisionCount && a.decisionSetHash == b.decisionSetHash
                print("| \(s) | \(yes(sets)) | \(a.digest == b.digest ? "yes" : "no") |")
            }
            for s in PipelineLauncher.services where calm.logs[s]!.digest != other.logs[s]!.digest {
                let (a, b) = (calm.logs[s]!.digest, other.logs[s]!.digest)
                print("\n\(s) digest: undisturbed \(a), \(late) started late \(b)")
            }
        }

        // Spread the kills over about the length of the undisturbed run: pauses uniform in
        // [0, 2·T/K], so K kills take about T, plus their restarts.
        let meanPause = max(0.05, calmSeconds / Double(o.kills))
        let schedule = KillSchedule(seed: o.seed, kills: o.kills, meanPause: meanPause)
        let chaosStart = Date()
        let chaos = try runPipeline(
            dir + "/chaos", files: files, bin: bin, chaos: schedule, keysFrom: dir + "/calm/keys")
        print(String(format: "run under SIGKILL: %.1f s (import %.1f s, %d file re-submissions)",
                     Date().timeIntervalSince(chaosStart), chaos.importSeconds, chaos.resubmissions))

        print("\n## kills\n")
        print("| # | service | log seq at kill | t (s) | phase |")
        print("|---:|---|---:|---:|---|")
        for (i, k) in chaos.kills.enumerated() {
            print(String(format: "| %d | %@ | %lld | %.2f | %@ |", i + 1, k.service, k.seq, k.seconds, k.phase))
        }
        var perService: [String: Int] = [:]
        for k in chaos.kills { perService[k.service, default: 0] += 1 }
        let counts = PipelineLauncher.services.map { "\($0) \(perService[$0] ?? 0)" }
        print("\nkills per service: " + counts.joined(separator: ", "))

        print("\n## comparison with the undisturbed run\n")
        print("| log | events (calm) | events (chaos) | decisions (calm) | decisions (chaos) | duplicates | "
            + "decision sets equal | digests equal | chain verifies | cursors caught up |")
        print("|---|---:|---:|---:|---:|---:|---|---|---|---|")
        var passed = chaos.kills.count >= o.kills
        for s in PipelineLauncher.services {
            let a = calm.logs[s]!, b = chaos.logs[s]!
            let setsEqual = a.decisionCount == b.decisionCount && a.decisionSetHash == b.decisionSetHash
            let digestsEqual = a.digest == b.digest
            let ok = setsEqual && digestsEqual && a.verifies && b.verifies && b.caughtUp && b.duplicates == 0
            passed = passed && ok
            print("| \(s) | \(a.events) | \(b.events) | \(a.decisionCount) | \(b.decisionCount) | \(b.duplicates) | "
                + "\(yes(setsEqual)) | \(yes(digestsEqual)) | \(yes(a.verifies && b.verifies)) | \(yes(b.caughtUp)) |")
        }
        // The digests themselves when they differ, so a failure can be traced (`DIGEST` on a rebuilt
        // service or on a fold replayed from the kept logs must give one of them).
        for s in PipelineLauncher.services where calm.logs[s]!.digest != chaos.logs[s]!.digest {
            print("\n\(s) digest: undisturbed \(calm.logs[s]!.digest), under SIGKILL \(chaos.logs[s]!.digest)")
        }
        print("\nchaos: \(passed ? "PASS" : "FAIL") — \(chaos.kills.count) SIGKILLs, "
            + "\(chaos.logs.values.reduce(0) { $0 + $1.events }) events in the four logs")
        return passed
    }

    static func yes(_ b: Bool) -> String { b ? "yes" : "**NO**" }

    static func manifest(_ province: String) throws -> [(path: String, kind: String)] {
        guard let data = FileManager.default.contents(atPath: province + "/manifest.json") else {
            throw ChaosFailure("no manifest in \(province)")
        }
        return try (JSONValue.parse([UInt8](data))["files"]?.arrayValue ?? []).map { entry in
            guard let file = entry["file"]?.stringValue, let kind = entry["kind"]?.stringValue else {
                throw ChaosFailure("manifest: bad file entry")
            }
            return ("\(province)/\(file)", kind)
        }
    }

    /// Recipients at province level: every notification type is routed (nobody connects; created
    /// notifications stay pending, which is what is compared).
    static let recipients: [PipelineLauncher.Recipient] = [
        .init(id: "22-bureau", name: "吉林省乡村振兴局", kind: "bureau", level: "province", region: "22",
              types: [EventType.riskFeedback, .recommendationOverdue].map(\.rawValue)),
        .init(id: "22-office", name: "吉林省残疾人联合会", kind: "office", level: "province", region: "22",
              types: [
                  EventType.entitlementGap, .assistanceDiscontinued, .paymentAnomaly, .findingResolved,
                  .monitoringWithoutAssistance,
              ].map(\.rawValue)),
    ]

    struct RunResult {
        var logs: [String: LogOutcome] = [:]
        var kills: [ChaosKill] = []
        var importSeconds = 0.0
        var resubmissions = 0
    }

    /// One run of the province through a fresh deployment, with or without the killer.
    static func runPipeline(
        _ folder: String, files: [(path: String, kind: String)], bin: URL, chaos: KillSchedule?, keysFrom: String? = nil,
        lateStart: String? = nil
    ) throws -> RunResult {
        try? FileManager.default.removeItem(atPath: folder)
        let launcher = PipelineLauncher(directory: folder, recipients: recipients, binDirectory: bin)
        if let keysFrom {
            // The same keys as the undisturbed run: the recipient directory (with its public keys) is
            // an input of the notifier, and must be the same document for the states to be comparable.
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: keysFrom, toPath: launcher.keysDirectory)
        }
        try launcher.prepare()
        if let late = lateStart {
            for s in PipelineLauncher.services where s != late { try launcher.start(s) }
            for s in PipelineLauncher.services where s != late { try launcher.waitReady(s) }
        } else {
            try launcher.startAll()
        }
        defer { launcher.stopAll() }
        let importer = ResubmittingImporter(endpoint: launcher.control(Service.intake.rawValue), files: files)
        let importThread = Thread { importer.run() }
        importThread.start()
        var result = RunResult()
        if let chaos {
            result.kills = try chaos.run(launcher, importer: importer)
        }
        try waitFor("the import to finish", timeout: 7200, interval: 0.02) { importer.isFinished }
        if let failure = importer.failure { throw ChaosFailure("import failed: \(failure)") }
        if let late = lateStart {
            try launcher.start(late)
            try launcher.waitReady(late, timeout: 600)
        }
        result.importSeconds = importer.seconds
        result.resubmissions = importer.resubmissions
        try launcher.waitIdle(timeout: 3600)
        // State digests and cursors from the running services, then the logs from disk.
        var live: [String: (digest: String, caughtUp: Bool)] = [:]
        let statuses = launcher.statuses()
        for s in PipelineLauncher.services {
            let digest = launcher.call(s, "DIGEST", timeoutMs: 600_000)?.body?["digest"]?.stringValue ?? "?"
            var caughtUp = true
            for u in (statuses[s] ?? nil)?["upstreams"]?.arrayValue ?? [] {
                let upLast = (statuses[u["stream"]?.stringValue ?? ""] ?? nil)?["lastSeq"]?.intValue
                caughtUp = caughtUp && u["cursor"]?.intValue == upLast
            }
            live[s] = (digest, caughtUp)
        }
        launcher.stopAll()
        for s in PipelineLauncher.services {
            result.logs[s] = try LogOutcome(
                path: launcher.logPath(s), digest: live[s]!.digest, caughtUp: live[s]!.caughtUp)
        }
        return result
    }
}

struct ChaosFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A log at the end of a run: its size, whether its hash chain verifies, and its decision set.
///
/// The decision set holds every event except the consumer's own bookkeeping (`InputConsumed` cursor
/// markers, whose ranges depend on batching) and the records of who sent each command
/// (`CommandAccepted`: one per attempt, so a re-import after a kill adds one) — for intake the accepted facts and the rejections, for
/// the others their decisions, findings and notifications — each as SHA-256(id ‖ type ‖ payload).
/// The set is compared through a hash of its sorted members; equal neighbours are duplicates.
struct LogOutcome {
    var events = 0
    var lastSeq: Int64 = 0
    var verifies = false
    var digest: String
    var caughtUp: Bool
    var decisionCount = 0
    var duplicates = 0
    var decisionSetHash = ""

    init(path: String, digest: String, caughtUp: Bool) throws {
        self.digest = digest
        self.caughtUp = caughtUp
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        verifies = try log.verify().isIntact
        lastSeq = try log.lastSeq
        var keys: [DecisionKey] = []
        var n = 0
        try log.forEach { e in
            n += 1
            guard e.type != InputConsumed.eventType, e.type != CommandAccepted.eventType else { return }
            var h = SHA256()
            h.update(e.id.bytes)
            h.update(Array(e.type.utf8))
            h.update(e.payload)
            keys.append(DecisionKey(h.finalize()))
        }
        events = n
        keys.sort()
        decisionCount = keys.count
        var set = SHA256()
        for (i, k) in keys.enumerated() {
            if i > 0 && keys[i - 1] == k { duplicates += 1 }
            set.update(k.bytes)
        }
        decisionSetHash = set.finalize().hexString
    }
}

/// 32 bytes as four words, cheap to sort for millions of events.
struct DecisionKey: Comparable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ bytes: [UInt8]) {
        func word(_ i: Int) -> UInt64 { bytes[i..<(i + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        (a, b, c, d) = (word(0), word(8), word(16), word(24))
    }

    var bytes: [UInt8] { [a, b, c, d].flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (56 - 8 * $0)) } } }

    static func < (l: DecisionKey, r: DecisionKey) -> Bool { (l.a, l.b, l.c, l.d) < (r.a, r.b, r.c, r.d) }
}

/// One SIGKILL: the victim, its log's last seq at death, seconds since the run started, and what
/// the pipeline was doing (`import`, `catch-up`: the import done but some consumer behind, `idle`).
struct ChaosKill {
    var service: String
    var seq: Int64
    var seconds: Double
    var phase: String
}

/// The killer: pauses, picks a victim, SIGKILLs it, notes its log's seq, restarts it and waits until
/// it answers; keeps going until at least `kills` kills and the import is done.
final class KillSchedule {
    /// Victims and pauses from the seed, so a failing schedule can be run again.
    var random: SplitMix64
    let kills: Int
    let meanPause: Double

    init(seed: UInt64, kills: Int, meanPause: Double) {
        random = SplitMix64(seed: seed)
        self.kills = kills
        self.meanPause = meanPause
    }

    func run(_ launcher: PipelineLauncher, importer: ResubmittingImporter) throws -> [ChaosKill] {
        var done: [ChaosKill] = []
        let started = Date()
        while done.count < kills || !importer.isFinished {
            let pause = random.unit() * 2 * meanPause
            let victim = PipelineLauncher.services[random.below(PipelineLauncher.services.count)]
            let until = Date().addingTimeInterval(pause)
            while Date() < until { usleep(5_000) }
            let phase = importer.isFinished ? (launcher.isBehind() ? "catch-up" : "idle") : "import"
            launcher.kill9(victim)
            if victim == Service.intake.rawValue { importer.intakeDied() }
            let seq = (try? EventLog(path: launcher.logPath(victim), stream: nil, readOnly: true).lastSeq) ?? -1
            done.append(ChaosKill(service: victim, seq: seq, seconds: Date().timeIntervalSince(started), phase: phase))
            try launcher.start(victim)
            try launcher.waitReady(victim, timeout: 600)
        }
        return done
    }
}

extension PipelineLauncher {
    /// One status snapshot: some consumer's cursor is behind its upstream's last seq.
    func isBehind() -> Bool {
        let st = statuses()
        for s in Self.services {
            for u in (st[s] ?? nil)?["upstreams"]?.arrayValue ?? [] {
                if let lag = u["lag"]?.intValue, lag > 0 { return true }
            }
        }
        return false
    }
}

/// Streams the province's files to intake through `ImportClient` (as `gonggu import` does), and sends
/// a whole file again when its summary did not arrive: intake was killed, so whatever it had not
/// committed is lost, and what it had is recognised as duplicate. The client gives up a call in flight
/// as soon as the connection drops, instead of waiting for a reply that will not come.
final class ResubmittingImporter: @unchecked Sendable {
    let endpoint: String
    let files: [(path: String, kind: String)]
    private let lock = NSLock()
    private var generation = 0
    private var finished = false
    private(set) var failure: String?
    private(set) var resubmissions = 0
    private(set) var seconds = 0.0

    init(endpoint: String, files: [(path: String, kind: String)]) {
        self.endpoint = endpoint
        self.files = files
    }

    var isFinished: Bool { lock.withLock { finished } }

    func intakeDied() { lock.withLock { generation += 1 } }

    private var currentGeneration: Int { lock.withLock { generation } }

    func run() {
        let started = Date()
        defer {
            seconds = Date().timeIntervalSince(started)
            lock.withLock { finished = true }
        }
        for f in files {
            var attempts = 0
            while true {
                attempts += 1
                if attempts > 200 {
                    failure = "\(f.path): no summary after 200 attempts"
                    return
                }
                do {
                    try send(f.path, kind: f.kind)
                    break
                } catch let e as Interrupted {
                    _ = e
                    resubmissions += 1
                    do { try waitForIntake() } catch {
                        failure = "\(f.path): \(error)"
                        return
                    }
                } catch {
                    failure = "\(f.path): \(error)"
                    return
                }
            }
        }
    }

    struct Interrupted: Error {}

    /// Waits until intake (restarted by the killer) answers PING again.
    private func waitForIntake() throws {
        try waitFor("intake at \(endpoint) to answer again", timeout: 600, interval: 0.02) {
            let c = CommandClient(stream: Service.intake.rawValue, endpoint: endpoint, timeoutMs: 300)
            defer { c.close() }
            return (try? c.call("PING", body: Array("{}".utf8)))?.status == "OK"
        }
    }

    /// One attempt at one file through `ImportClient`, as `gonggu import` sends it. Throws `Interrupted`
    /// when intake died meanwhile (the client lost the connection, or intake answered for a session it
    /// no longer has after a restart); other errors are real failures.
    private func send(_ path: String, kind: String) throws {
        let gen = currentGeneration
        let result: ImportClient.Result
        do {
            result = try ImportClient.send(path: path, kind: kind, endpoint: endpoint)
        } catch let f as ImportClient.Failure where f.exitCode == 69 || currentGeneration != gen {
            throw Interrupted()
        }
        if let fileError = result.fileError { throw ChaosFailure("file refused: \(fileError)") }
    }
}

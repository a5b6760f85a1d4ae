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

/// The whole pipeline on one machine: a synthetic province written as the offices send it,
/// the four services as separate release-build processes over ipc:// sockets, a county bureau
/// connected over CURVE, every file imported through intake's control socket as `gonggu import` does.
///
/// Phases and rows:
/// 1. bulk: first import → every cursor caught up (`PipelineLauncher.waitIdle`), then the
///    assessment-date tick → idle again; events per second through each service from its log's
///    `recorded_at` span;
/// 2. steady rate: home-visit reports with hardship submitted one by one through the CURVE
///    submission endpoint at a fixed rate, each producing a monitoring recommendation for the
///    bureau: latency from intake's commit (`recorded_at`, ms) to the bureau's receipt;
/// 3. start-up: each service stopped and started again by full replay (its snapshots removed), then
///    after a snapshot (`SNAPSHOT`) from it: time to its first PING answer both ways, in the same run,
///    with the replay and quick_check times the service logs; then peak memory (VmHWM) of each process.
struct PipelineBench {
    let households: Int
    let seed: UInt64
    let directory: String
    let rate: Int
    let seconds: Int

    /// The county whose bureau the bench connects as a live recipient (as the demo does).
    static let county = "220182"
    /// A village of that county for the steady-rate home visits.
    static let village = "220182101201"

    func run() throws -> [BenchRow] {
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        var rows: [BenchRow] = []
        let province = "\(directory)/province"

        let generated = Date()
        _ = try Simulator(households: households, seed: seed).write(to: province)
        let generation = Date().timeIntervalSince(generated)
        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: "\(province)/manifest.json") ?? Data()))
        let referenceDate = manifest["referenceDate"]?.stringValue ?? Simulator.referenceDate
        rows.append(BenchRow(name: "province generated", value: generation, unit: "s",
                             note: "\(households) households, seed \(seed), \(sizeMiB(province)) MiB of files (not part of the run)"))

        let launcher = PipelineLauncher(
            directory: "\(directory)/deploy", recipients: PipelineLauncher.provinceRecipients(counties: PipelineCheck.counties),
            useTCP: false)
        launcher.submissionClients = [(name: "bench-field-app", kinds: ["visit"], region: Self.county)]
        try launcher.prepare()
        try launcher.startAll()
        defer { launcher.stopAll() }
        let bureau = BenchRecipient(
            id: "\(Self.county)-bureau", keys: try KeyFiles.readPair(launcher.keyFile("\(Self.county)-bureau")),
            serverKey: try KeyFiles.readPublic(launcher.publicKeyFile(Service.notify.rawValue)),
            endpoint: launcher.recipientEndpoint,
            batchedAcks: true)
        bureau.start()
        defer { try? bureau.close() }

        // 1. Bulk import.
        let importStart = Date()
        let importStartMs = ServiceHost.now()
        let cpuBefore = servicesCPU(launcher), benchCPUBefore = processCPUSeconds()
        var read = 0, accepted = 0, duplicate = 0, rejected = 0
        for entry in manifest["files"]?.arrayValue ?? [] {
            guard let file = entry["file"]?.stringValue, let kind = entry["kind"]?.stringValue else { continue }
            let r = try ImportClient.send(
                path: "\(province)/\(file)", kind: kind, endpoint: launcher.control(Service.intake.rawValue))
            read += r.read
            accepted += r.accepted
            duplicate += r.duplicate
            rejected += r.rejected
        }
        let importsDone = Date().timeIntervalSince(importStart)
        try launcher.waitIdle(timeout: 7200)
        let idle = Date().timeIntervalSince(importStart)
        let cpuAfter = servicesCPU(launcher), benchCPU = processCPUSeconds() - benchCPUBefore
        for s in [Service.verify, .risk, .notify].map(\.rawValue) {
            guard launcher.call(s, "TICK", body: "{\"date\":\"\(referenceDate)\"}", timeoutMs: 600_000)?.status == "OK" else {
                throw StoreBenchError("\(s) did not take the tick")
            }
            try launcher.waitIdle(timeout: 3600)
        }
        let tickedIdle = Date().timeIntervalSince(importStart)
        let persons = try countPersons(launcher.logPath(Service.intake.rawValue))
        rows.append(BenchRow(name: "persons in the province", value: Double(persons), unit: "persons",
                             note: "distinct person ids in intake's MemberRecorded facts; \(households) households"))
        rows.append(BenchRow(name: "records imported", value: Double(read), unit: "records",
                             note: "accepted \(accepted) + duplicate \(duplicate) + rejected \(rejected)"))
        rows.append(BenchRow(name: "all files sent to intake", value: importsDone, unit: "s", note: "from the first import"))
        rows.append(BenchRow(name: "first import → pipeline idle", value: idle, unit: "s",
                             note: "every cursor caught up, logs still (checked twice); goal ≤ 300 s at 1,000,000 persons"))
        rows.append(BenchRow(name: "first import → idle after the assessment tick", value: tickedIdle, unit: "s",
                             note: "tick \(referenceDate) to verify, risk, notify (elapsed-time findings) included"))
        for s in PipelineLauncher.services {
            let used = (cpuAfter[s] ?? 0) - (cpuBefore[s] ?? 0)
            rows.append(BenchRow(name: "\(s) CPU, first import → idle", value: used, unit: "s",
                                 note: "user + system of every thread (/proc/PID/stat); \(format(used / max(idle, 0.001))) cores"))
        }
        rows.append(BenchRow(name: "bench CPU, first import → idle", value: benchCPU, unit: "s",
                             note: "this process: reading the files and sending them over intake's control socket, the bureau"))
        for s in PipelineLauncher.services {
            let span = try logSpan(launcher.logPath(s), sinceMs: importStartMs)
            let note = s == Service.intake.rawValue
                ? "\(read) records read, \(span.appended) events appended, in \(format(span.seconds)) s (run start → last recorded_at)"
                : "\(span.consumed) upstream events consumed (InputConsumed ranges), \(span.appended - span.markers) decisions and"
                    + " other events appended, in \(format(span.seconds)) s (run start → last recorded_at)"
            rows.append(BenchRow(
                name: "\(s) events/s",
                value: Double(s == Service.intake.rawValue ? read : span.consumed) / max(span.seconds, 0.001),
                unit: s == Service.intake.rawValue ? "records/s" : "consumed/s", note: note))
        }

        // 2. Steady rate: latency from intake commit to the bureau's receipt.
        let latency = try steadyRate(launcher, bureau: bureau, date: referenceDate)
        rows.append(BenchRow(name: "intake commit → bureau receipt p50", value: latency.p50, unit: "ms",
                             note: "\(latency.count) home visits at \(rate)/s through the CURVE submission endpoint"))
        rows.append(BenchRow(name: "intake commit → bureau receipt p99", value: latency.p99, unit: "ms",
                             note: "max \(format(latency.max)) ms; intake's recorded_at has 1 ms resolution"))

        // 3. Peak memory, then start-up replay of each service.
        var peaks: [String: Double] = [:]
        for s in PipelineLauncher.services {
            peaks[s] = launcher.processes[s].map { peakMiB(pid: $0.processIdentifier) } ?? 0
        }
        try bureau.close()
        /// A graceful stop given time to finish (it writes a snapshot and checks and stamps the log:
        /// seconds at this size, more than the launcher's 10 s before SIGKILL). Returns its seconds.
        func stopGracefully(_ s: String) -> Double {
            let began = Date()
            if let p = launcher.processes[s], p.isRunning {
                kill(p.processIdentifier, SIGTERM)
                let deadline = Date().addingTimeInterval(600)
                while p.isRunning && Date() < deadline { usleep(10_000) }
            }
            launcher.stop(s)
            return Date().timeIntervalSince(began)
        }
        for s in PipelineLauncher.services {
            // Full replay: the service's snapshots removed first.
            let firstStop = stopGracefully(s)
            for file in Snapshots.files(logPath: launcher.logPath(s)) { unlink(file.path) }
            let journal = "\(launcher.logsDirectory)/\(s).log"
            var before = startLines(log: journal)
            let started = Date()
            try launcher.start(s)
            try launcher.waitReady(s, timeout: 3600)
            let ready = Date().timeIntervalSince(started)
            let replayed = lastReplayLine(log: journal, after: before)
            let events = try EventLog(path: launcher.logPath(s), stream: s, readOnly: true).lastSeq
            rows.append(BenchRow(
                name: "\(s) start-up (replay)", value: ready, unit: "s",
                note: "start → first PING answer; own log \(events) events; replay itself \(replayed.replay.map(format) ?? "?") s,"
                    + " quick_check \(replayed.quickCheckState) \(replayed.quickCheck.map(format) ?? "?") s; the stop before it"
                    + " \(format(firstStop)) s"))
            // From a snapshot: one taken now (`SNAPSHOT`, as `gonggu snapshot take` does), then a restart.
            let writing = Date()
            guard launcher.call(s, "SNAPSHOT", timeoutMs: 600_000)?.status == "OK" else {
                throw StoreBenchError("\(s) did not write a snapshot")
            }
            let written = Date().timeIntervalSince(writing)
            let size = Snapshots.files(logPath: launcher.logPath(s)).first.flatMap {
                try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int
            } ?? 0
            let secondStop = stopGracefully(s)
            before = startLines(log: journal)
            let restarted = Date()
            try launcher.start(s)
            try launcher.waitReady(s, timeout: 3600)
            let fromSnapshot = Date().timeIntervalSince(restarted)
            let line = lastReplayLine(log: journal, after: before)
            let checked = digestCheckSeconds(log: journal)
            let met = fromSnapshot <= 0.1 * ready && fromSnapshot <= 3
            rows.append(BenchRow(
                name: "\(s) start-up (from snapshot)", value: fromSnapshot, unit: "s",
                note: "start → first PING answer; \(format(fromSnapshot / max(ready, 0.001))) × the full replay; goal ≤ 0.1 × and ≤ 3 s:"
                    + " \(met ? "met" : "NOT met"); quick_check \(line.quickCheckState) \(line.quickCheck.map(format) ?? "?") s;"
                    + " state digest \(checked.map { "checked off the loop in \(format($0)) s, before its first turn" } ?? "checked before PING");"
                    + " snapshot \(size / 1_048_576) MiB, written in \(format(written)) s (off the loop thread); stop before it"
                    + " \(format(secondStop)) s"))
        }
        try launcher.waitIdle(timeout: 600)
        for s in PipelineLauncher.services {
            rows.append(BenchRow(name: "\(s) peak memory", value: peaks[s] ?? 0, unit: "MiB",
                                 note: "VmHWM of the process at the end of the run; goal < 1024 MiB"))
        }
        return rows
    }

    // MARK: - Steady rate

    struct Latency {
        var count = 0
        var p50 = 0.0, p99 = 0.0, max = 0.0
    }

    /// Submits `rate × seconds` home visits (hardship "disaster", self-application) for new households
    /// `BH<i>` of the bureau's county, one per submission at a fixed pace, and pairs each household's
    /// intake commit time with the bureau's receipt of its monitoring recommendation.
    private func steadyRate(_ launcher: PipelineLauncher, bureau: BenchRecipient, date: String) throws -> Latency {
        _ = bureau.takeReceipts()
        // Monotonic receipt times become wall-clock milliseconds through one paired reading.
        let wallMs = Double(ServiceHost.now())
        let mono = DispatchTime.now().uptimeNanoseconds
        let client = CommandClient(
            stream: Service.intake.rawValue, endpoint: launcher.submissionEndpoint, timeoutMs: 10_000,
            curve: (
                try KeyFiles.readPair(launcher.keyFile("bench-field-app")),
                try KeyFiles.readPublic(launcher.publicKeyFile(Service.intake.rawValue))
            ))
        defer { client.close() }
        let total = rate * seconds
        let base = 1_000_000
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<total {
            let due = start + UInt64(i) * 1_000_000_000 / UInt64(rate)
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(UInt32((due - now) / 1000)) }
            let record = #"{"householdID":"BH\#(base + i)","region":"\#(Self.village)","date":"\#(date)","visitor":"王五","#
                + #""hardship":"disaster","selfApplication":"是"}"#
            let reply = try client.call("SUBMIT", body: Array(#"{"kind":"visit","records":[\#(record)]}"#.utf8))
            guard reply.status == "OK" else {
                throw StoreBenchError("submission refused: \(String(decoding: reply.body, as: UTF8.self))")
            }
        }
        var receipts: [Int: UInt64] = [:]
        try waitFor("the bureau to receive \(total) recommendations (has \(receipts.count))", timeout: 120, interval: 0.05) {
            for r in bureau.takeReceipts() where r.index >= base && receipts[r.index] == nil { receipts[r.index] = r.nanos }
            return receipts.count >= total
        }
        let committed = try commitTimes(launcher.logPath(Service.intake.rawValue), households: total, base: base)
        var samples: [Double] = []
        for (index, nanos) in receipts {
            guard let commitMs = committed[index] else { continue }
            let receivedMs = wallMs + Double(Int64(bitPattern: nanos &- mono)) / 1e6
            samples.append(receivedMs - Double(commitMs))
        }
        samples.sort()
        guard !samples.isEmpty else { throw StoreBenchError("no latency samples") }
        func pct(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        return Latency(count: samples.count, p50: pct(0.5), p99: pct(0.99), max: samples.last ?? 0)
    }

    /// Intake's `recorded_at` of each bench household's home visit (subject `BH<index>`).
    private func commitTimes(_ path: String, households: Int, base: Int) throws -> [Int: Int64] {
        let log = try EventLog(path: path, stream: Service.intake.rawValue, readOnly: true)
        return try log.withDatabase { db in
            let st = try db.prepare("SELECT subject, recorded_at FROM events WHERE subject >= 'BH' AND subject < 'BI'")
            var out: [Int: Int64] = [:]
            while try st.step() {
                if let subject = st.string(at: 0), let index = Int(subject.dropFirst(2)) { out[index] = st.int64(at: 1) }
            }
            return out
        }
    }

    // MARK: - Figures from logs and processes

    struct Span {
        /// Events appended since the run started, of which `markers` were `InputConsumed`.
        var appended = 0, markers = 0
        /// Upstream events the `InputConsumed` markers cover.
        var consumed = 0
        /// From the run's start to the last event's `recorded_at`.
        var seconds = 0.0
    }

    /// What a log recorded since `sinceMs`.
    private func logSpan(_ path: String, sinceMs: Int64) throws -> Span {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var span = Span()
        var last = sinceMs
        try log.forEach { e in
            guard e.recordedAt >= sinceMs else { return }
            span.appended += 1
            last = max(last, e.recordedAt)
            if e.type == InputConsumed.eventType, let m = try? e.decode(InputConsumed.self) {
                span.markers += 1
                span.consumed += Int(m.through - m.after)
            }
        }
        span.seconds = Double(last - sinceMs) / 1000
        return span
    }

    private func countPersons(_ path: String) throws -> Int {
        let log = try EventLog(path: path, stream: Service.intake.rawValue, readOnly: true)
        var persons = Set<String>()
        try log.forEach { e in
            guard e.type == MemberRecorded.eventType, let m = try? e.decode(MemberRecorded.self) else { return }
            persons.insert(m.personID)
        }
        return persons.count
    }

    /// The most recent `replay.seconds` a service logged ("state rebuilt by replay").
    /// How many starts the service's log records (`state rebuilt by replay` lines).
    private func startLines(log path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").filter { $0.contains("state rebuilt by replay") }.count
    }

    /// `replay.seconds` and `quick_check.seconds` of the service's last start, from its log: the line is
    /// written once PING answers, so wait (up to 60 s) until there are more than `after`.
    private func lastReplayLine(log path: String, after: Int) -> (replay: Double?, quickCheck: Double?, quickCheckState: String) {
        let deadline = Date().addingTimeInterval(60)
        while startLines(log: path) <= after && Date() < deadline { usleep(20_000) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (nil, nil, "?") }
        for line in text.split(separator: "\n").reversed() where line.contains("state rebuilt by replay") {
            if let v = try? JSONValue.parse(Array(line.utf8)) {
                return (v["replay.seconds"]?.doubleValue, v["quick_check.seconds"]?.doubleValue,
                        v["quick_check"]?.stringValue ?? "ran")
            }
        }
        return (nil, nil, "?")
    }

    /// Seconds of the last start's state digest check off the loop thread (`snapshot digest checked`),
    /// waited for up to a minute; nil when the service checks before PING (intake, notifier).
    private func digestCheckSeconds(log path: String) -> Double? {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let lines = text.split(separator: "\n")
            guard let start = lines.lastIndex(where: { $0.contains("state restored from snapshot") }) else { return nil }
            guard lines[start].contains("\"digest.check\":\"running\"") else { return nil }
            if let done = lines[start...].first(where: { $0.contains("snapshot digest checked") }),
                let v = try? JSONValue.parse(Array(done.utf8))
            {
                return v["seconds"]?.doubleValue
            }
            usleep(50_000)
        }
        return nil
    }

    /// CPU seconds (user + system, every thread) each running service has used so far.
    private func servicesCPU(_ launcher: PipelineLauncher) -> [String: Double] {
        var used: [String: Double] = [:]
        for s in PipelineLauncher.services {
            guard let pid = launcher.processes[s]?.processIdentifier, let seconds = processCPUSeconds(pid: pid) else { continue }
            used[s] = seconds
        }
        return used
    }

    private func peakMiB(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    private func sizeMiB(_ folder: String) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let bytes = files.reduce(0) { sum, f in
            sum + ((try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(f)")[.size] as? NSNumber)?.intValue ?? 0)
        }
        return bytes >> 20
    }
}

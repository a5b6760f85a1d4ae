import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguHarness
import GongguNotify
import GongguNotifyService
import GongguRuntime
import GongguServices
import GongguStore
import GongguTransport

/// Notifier benchmarks (acceptance figures): a notifier `ServiceHost` with `NotifyBehaviour` on its
/// own thread in this process, following an upstream `risk` log written and published here, with 10
/// county bureaus connected over CURVE as DEALER clients on their own threads, each acknowledging
/// every notification (docs/PROTOCOL.md §1).
///
/// Rows: delivered-and-acknowledged throughput twice — from a backlog (the upstream log holds the
/// events before the notifier starts: the notifier's own rate, as after a burst of risk decisions or a
/// restart) and live (the events appended and published by a writer in this process meanwhile, which
/// competes for the same two cores) — commit-to-receipt latency (p50, p99) at a steady 1,000 events/s
/// for 10 s, and peak memory.
///
/// `costsOnly`: just the single-thread cost breakdown (seconds instead of a minute; for comparing builds).
func runNotifyBenchmarks(
    directory: String, notifications total: Int = 100_000, costsOnly: Bool = false, batchedAcks: Bool = true
) throws -> [BenchRow] {
    // Services refuse logs other users can read; deployments run them with umask 077 (systemd UMask=).
    let oldMask = umask(0o077)
    defer { umask(oldMask) }
    let bench = try NotifyBench(folder: "\(directory)/notify-bench", batchedAcks: batchedAcks)
    defer { bench.close() }
    if costsOnly {
        try bench.writeKeysAndDirectory()
        return try notifyCostBreakdown(
            directoryText: try String(contentsOfFile: "\(bench.folder)/recipients.json", encoding: .utf8),
            events: bench.sampleEvents(total), folder: bench.folder)
    }
    let backlog = try bench.backlogThroughput(count: total)
    let throughput = try bench.throughput(count: total)
    let latency = try bench.latency(rate: 1000, seconds: 10)
    bench.close()
    let digests = try bench.replayDigests()
    let costs = try notifyCostBreakdown(
        directoryText: try String(contentsOfFile: "\(bench.folder)/recipients.json", encoding: .utf8),
        events: bench.sampleEvents(20_000), folder: bench.folder)
    let s = throughput, b = backlog
    return costs + [
        BenchRow(
            name: "notify delivered + acknowledged, backlog", value: Double(total) / b.ackedSeconds,
            unit: "notifications/s",
            note: "\(total) RiskFeedback events in the upstream log (synchronous=FULL) before the notifier starts;"
                + " timed from the notifier's start (empty own log) with 10 CURVE recipients connecting and acking"
                + " every notification: all created after \(format(b.createdSeconds)) s, all received after"
                + " \(format(b.receivedSeconds)) s (\(b.received) receipts, \(b.hellos) re-hellos), every ack"
                + " committed after \(format(b.ackedSeconds)) s; goal ≥ 20000"),
        BenchRow(
            name: "notify loop thread CPU, backlog", value: b.loopCPU * 1e6 / Double(total), unit: "µs/notification",
            note: "CPU time of the notifier's loop thread during the backlog run (pthread CPU clock),"
                + " \(format(b.loopCPU)) s in all"),
        BenchRow(
            name: "notify process CPU, backlog", value: b.processCPU * 1e6 / Double(total), unit: "µs/notification",
            note: "user + system time of the whole process during the backlog run (getrusage): notifier, its commit"
                + " and hashing threads, ZeroMQ with CURVE, the 10 recipients; \(format(b.processCPU)) s in"
                + " \(format(b.ackedSeconds)) s on 2 cores"),
        BenchRow(
            name: "notify delivered + acknowledged, live", value: Double(total) / s.ackedSeconds,
            unit: "notifications/s",
            note: "then \(total) more RiskFeedback events appended (batches of \(s.batch), synchronous=FULL, done after"
                + " \(format(s.appendSeconds)) s) and published; 10 CURVE recipients acking every notification;"
                + " all created after \(format(s.createdSeconds)) s, all received after \(format(s.receivedSeconds)) s"
                + " (\(s.received) receipts, \(s.hellos) re-hellos after 2 s quiet spells), every ack committed after"
                + " \(format(s.ackedSeconds)) s; the writer shares the 2 cores with the notifier"),
        BenchRow(
            name: "notify loop thread CPU, live", value: s.loopCPU * 1e6 / Double(total), unit: "µs/notification",
            note: "CPU time of the notifier's loop thread during the throughput run (pthread CPU clock):"
                + " routing, sends, receipts, commits; \(format(s.loopCPU)) s in all"),
        BenchRow(
            name: "notify process CPU, live", value: s.processCPU * 1e6 / Double(total), unit: "µs/notification",
            note: "user + system time of the whole process during the live run, the upstream writer included;"
                + " \(format(s.processCPU)) s in \(format(s.ackedSeconds)) s on 2 cores"),
        BenchRow(
            name: "notify latency p50", value: latency.p50, unit: "ms",
            note: "upstream EventLog.append returned → recipient received, \(latency.count) events at 1000/s"
                + " (appends of \(format(latency.meanBatch)) events on average), 10 recipients"),
        BenchRow(
            name: "notify latency p99", value: latency.p99, unit: "ms",
            note: "same run; max \(format(latency.max)) ms; goal p99 ≤ 10 ms"),
        BenchRow(
            name: "notify replay reproduces the state", value: digests.live == digests.replayed ? 1 : 0,
            unit: "1 = yes",
            note: "state digest at the graceful stop \(digests.live.prefix(12))… vs rebuilt from the log"
                + " \(digests.replayed.prefix(12))… (deliveries and acks were group-committed)"),
        BenchRow(
            name: "notify peak memory", value: peakResidentMiB(), unit: "MiB",
            note: "getrusage ru_maxrss of the bench process (notifier, recipients and upstream writer)"),
    ]
}

/// A risk feedback like the risk monitor's (the notifier embeds it as `source`), for bench index `i`.
func benchRiskFeedback(index i: Int, household: String, region: String) -> RiskFeedback {
    let high = i % 3 == 0
    return RiskFeedback(
        feedbackID: EventID.derived("notify-bench|feedback|\(i)").description,
        recommendationID: EventID.derived("notify-bench|recommendation|\(i)").description, kind: "monitoring",
        householdID: household, recipientRegion: String(region.prefix(6)), level: high ? .high : .medium,
        riskTypes: i % 2 == 0 ? ["01", "03"] : ["99"], recommendedAction: "",
        explanation: RiskExplanation(
            title: "纳入监测建议：户\(household)（\(high ? "高" : "中")风险）",
            summary: "户编号\(household)（区划\(region)）近12个月出现因病、因残风险信号，建议将该户纳入防止返贫动态监测并落实帮扶措施。",
            ruleID: "", ruleVersion: "", evidence: [], thresholds: []))
}

/// Ends a recipient's read of a message once it has what it needs.
private struct FieldsFound: Error {}

/// One county bureau: a CURVE DEALER on its own thread that says hello, then acknowledges every
/// notification and notes when each bench notification arrived (monotonic ns, by the bench index in
/// household id `BH<index>`; notifications for other households are acknowledged and counted only).
final class BenchRecipient: @unchecked Sendable {
    let id: String
    private let keys: CurveKeyPair
    private let serverKey: String
    private let endpoint: String
    private let stop = StopFlag()
    private let lock = NSLock()
    private var receipts: [(index: Int, nanos: UInt64)] = []
    private var receivedCount = 0
    /// Hellos re-sent after a quiet spell (each one asks for every unacknowledged notification again).
    private(set) var hellos = 0
    private var failure: Error?
    private let finished = DispatchSemaphore(value: 0)

    /// One `{"type":"ack","ids":[…]}` for what one read brought (else one message per acknowledgement).
    private let batchedAcks: Bool

    init(id: String, keys: CurveKeyPair, serverKey: String, endpoint: String, batchedAcks: Bool) {
        self.id = id
        self.batchedAcks = batchedAcks
        self.keys = keys
        self.serverKey = serverKey
        self.endpoint = endpoint
    }

    var received: Int { lock.withLock { receivedCount } }

    /// Takes the receipts noted so far (and forgets them).
    func takeReceipts() -> [(index: Int, nanos: UInt64)] {
        lock.withLock {
            defer { receipts = [] }
            return receipts
        }
    }

    func start() {
        let thread = Thread { [self] in
            do { try loop() } catch { failure = error }
            finished.signal()
        }
        thread.start()
    }

    /// Stops the thread; may be called more than once.
    func close() throws {
        stop.set()
        finished.wait()
        finished.signal()
        if let failure { throw failure }
    }

    private func loop() throws {
        let client = try RecipientClient(
            keys: keys, serverKey: serverKey, endpoint: endpoint, lingerMs: 0,
            maxMessageSize: ZMQSocket.defaultMaxMessageSize)
        defer { client.close() }
        let socket = client.socket
        var batch: [(Int, UInt64)] = []
        /// Encoded acknowledgement messages not yet sent; ids read but not yet in one.
        var acks: [[UInt8]] = []
        var unacknowledged: [String] = []
        var lastMessage = DispatchTime.now().uptimeNanoseconds
        while !stop.isSet {
            guard try socket.waitReadable(timeoutMs: acks.isEmpty ? 20 : 1) else {
                if !acks.isEmpty {
                    var sentAcks = 0
                    while sentAcks < acks.count, try socket.send(acks[sentAcks], dontWait: true) { sentAcks += 1 }
                    acks.removeFirst(sentAcks)
                    continue
                }
                // Quiet for 2 s: say hello again, which makes the notifier re-send everything not yet
                // acknowledged (PROTOCOL §1.2) — recovers notifications the notifier dropped on send.
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastMessage > 2_000_000_000 {
                    try client.hello()
                    lastMessage = now
                    lock.withLock { hellos += 1 }
                }
                continue
            }
            while let message = try socket.receiveMessage(dontWait: true) {
                let now = DispatchTime.now().uptimeNanoseconds
                lastMessage = now
                guard let body = message.parts.last, let n = Self.notification(body) else { continue }
                // Acknowledge once safely noted (here: in memory), as the protocol asks.
                unacknowledged.append(n.id)
                batch.append((n.index ?? -1, now))
                if batch.count >= 256 { flush(&batch) }
            }
            flush(&batch)
            if batchedAcks {
                for start in stride(from: 0, to: unacknowledged.count, by: RecipientMessage.maxAckIDs) {
                    let ids = Array(unacknowledged[start..<min(unacknowledged.count, start + RecipientMessage.maxAckIDs)])
                    acks.append((ids.count == 1 ? RecipientMessage.ack(id: ids[0]) : .acks(ids)).encoded())
                }
            } else {
                acks += unacknowledged.map { RecipientMessage.ack(id: $0).encoded() }
            }
            unacknowledged.removeAll(keepingCapacity: true)
            // Never block on a full send queue (the notifier reads acks only between other work): keep the
            // rest for the next turn and go on reading.
            var sentAcks = 0
            while sentAcks < acks.count, try socket.send(acks[sentAcks], dontWait: true) { sentAcks += 1 }
            acks.removeFirst(sentAcks)
        }
    }

    private func flush(_ batch: inout [(Int, UInt64)]) {
        guard !batch.isEmpty else { return }
        lock.withLock {
            receipts.append(contentsOf: batch.filter { $0.0 >= 0 }.map { (index: $0.0, nanos: $0.1) })
            receivedCount += batch.count
        }
        batch.removeAll(keepingCapacity: true)
    }

    /// Notification id and bench index (from household `BH<index>`, nil for other households), or nil
    /// for messages that are not notifications.
    private static func notification(_ body: [UInt8]) -> (id: String, index: Int?)? {
        var type = "", id = "", household = ""
        do {
            try JSONReader.read(body) { r in
                try r.readObject { r, k in
                    switch k {
                    case "type": type = try r.readString()
                    case "id": id = try r.readString()
                    case "household": household = try r.readString()
                    default: try r.skipValue()
                    }
                    // Stop once the three are read (the notifier writes them before the texts and the
                    // source; in any other order the whole message is read).
                    if !type.isEmpty && !id.isEmpty && !household.isEmpty { throw FieldsFound() }
                }
            }
        } catch is FieldsFound {
        } catch { return nil }
        guard type == "notification" else { return nil }
        return (id, household.hasPrefix("BH") ? Int(household.dropFirst(2)) : nil)
    }
}

private final class NotifyBench {
    let folder: String
    let counties = FoldBenchStream.counties
    private let socketBase = "ipc:///tmp/gonggu-bench-\(getpid())-notify"
    private var upstream: EventLog!
    private var publisher: EventPublisher!
    private var host: ServiceHost?
    private var running: HostThread?
    private var recipients: [BenchRecipient] = []
    /// The bureaus' ids and key pairs.
    private var pairs: [(String, CurveKeyPair)] = []
    private var nextIndex = 0
    /// Monotonic ns right after the append that committed each bench index.
    private var committedAt: [UInt64] = []
    private var config: Config?
    private var behaviour: NotifyBehaviour?

    /// Whether the recipients acknowledge what one read brought in one `{"type":"ack","ids":[…]}`.
    let batchedAcks: Bool

    init(folder: String, batchedAcks: Bool) throws {
        self.folder = folder
        self.batchedAcks = batchedAcks
        try? FileManager.default.removeItem(atPath: folder)
        for d in [folder, "\(folder)/keys", "\(folder)/data"] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
    }

    private var riskLogPath: String { "\(folder)/risk.log.sqlite" }
    private var upstreamEndpoint: String { "\(socketBase)-risk-pub" }
    private var recipientEndpoint: String { "\(socketBase)-recipients" }

    /// The notifier's key pair and the ten bureaus' (files under `keys/`), and `recipients.json`.
    @discardableResult
    func writeKeysAndDirectory() throws -> [(String, CurveKeyPair)] {
        let keys = "\(folder)/keys"
        try KeyFiles.write(try CurveKeyPair.generate(), name: Service.notify.rawValue, directory: keys)
        var pairs: [(String, CurveKeyPair)] = []
        for c in counties {
            let pair = try CurveKeyPair.generate()
            try KeyFiles.write(pair, name: "\(c)-bureau", directory: keys)
            pairs.append(("\(c)-bureau", pair))
        }
        try writeDirectory(pairs)
        return pairs
    }

    /// Keys, recipient directory, the upstream log and its publisher.
    func prepareUpstream() throws {
        pairs = try writeKeysAndDirectory()
        upstream = try EventLog(path: riskLogPath, stream: Service.risk.rawValue, synchronous: .full)
        publisher = try EventPublisher(stream: Service.risk.rawValue, endpoint: upstreamEndpoint)
    }

    /// The notifier's configuration and host (not started), and the recipients (not started).
    func prepareNotifier() throws {
        let keys = "\(folder)/keys"
        let root: JSONValue = .object([
            ("data", .object([("directory", .string("\(folder)/data"))])),
            ("endpoints", .object([
                ("publish", .string("\(socketBase)-pub")), ("control", .string("\(socketBase)-control")),
            ])),
            ("log", .object([("level", .string("warning"))])),
            ("upstreams", .array([.string(Service.risk.rawValue)])),
            ("upstream", .object([
                (
                    Service.risk.rawValue,
                    .object([("log", .string(riskLogPath)), ("publish", .string(upstreamEndpoint))])
                ),
            ])),
            ("recipients", .object([
                ("endpoint", .string(recipientEndpoint)), ("server_key_file", .string("\(keys)/notify.key")),
                ("directory_file", .string("\(folder)/recipients.json")),
            ])),
            ("outbox", .object([("directory", .string("\(folder)/outbox"))])),
        ])
        let config = Config(root: root, environment: [:])
        let settings = try ServiceSettings(service: Service.notify.rawValue, config: config)
        let behaviour = NotifyBehaviour(config: config)
        self.config = config
        self.behaviour = behaviour
        host = ServiceHost(
            settings: settings, behaviour: behaviour,
            logger: Logger(label: "bench-notify", minimumLevel: .warning))
        let serverKey = try KeyFiles.readPublic("\(keys)/notify.pub")
        recipients = pairs.map {
            BenchRecipient(
                id: $0.0, keys: $0.1, serverKey: serverKey, endpoint: recipientEndpoint, batchedAcks: batchedAcks)
        }
    }

    /// Starts the prepared host on its own thread and waits until it has logged its directory.
    func startNotifierThread() throws {
        guard let host else { throw StoreBenchError("notify bench: no notifier prepared") }
        running = HostThread(host)
        try waitFor("notifier ready", timeout: 30) { self.status()?["lastSeq"]?.intValue ?? 0 >= 1 }
    }

    private func writeDirectory(_ pairs: [(String, CurveKeyPair)]) throws {
        let bureaus = pairs.enumerated().map { i, pair in
            PipelineLauncher.Recipient(
                id: pair.0, name: "县乡村振兴局\(i + 1)", kind: "bureau", level: "county", region: counties[i],
                types: [EventType.riskFeedback, .recommendationOverdue].map(\.rawValue))
        }
        let keys = Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, $0.1.publicKey) })
        try PipelineLauncher.directoryDocument(
            bureaus, version: "bench-1", escalationAfterDays: 7, publicKey: { keys[$0] ?? "" }
        ).write(toFile: "\(folder)/recipients.json", atomically: true, encoding: .utf8)
    }

    /// The notifier's STATUS body.
    private func status() -> JSONValue? {
        guard let host, !host.stopFlag.isSet else { return nil }
        return try? JSONValue.parse(host.status.json())
    }

    /// Waits for `condition` while the notifier runs (its failure ends the wait); on timeout the error
    /// says what each recipient received.
    private func waitFor(_ what: String, timeout: Double, _ condition: () -> Bool) throws {
        // Polling the status board (a JSON parse) costs CPU the 2-core machine needs elsewhere.
        try GongguHarness.waitFor(
            "notify bench: \(what) (received: \(recipients.map { "\($0.id)=\($0.received)" }.joined(separator: " ")))",
            timeout: timeout, interval: 0.002
        ) {
            if let running, running.ended(within: 0) { try running.stop() }
            return condition()
        }
    }

    /// Upstream events like the benchmark's, for the cost breakdown (indexes after those used live).
    func sampleEvents(_ n: Int) -> [Event] { makeEvents(n) }

    private func makeEvents(_ n: Int) -> [Event] {
        (0..<n).map { _ in
            let i = nextIndex
            nextIndex += 1
            let county = counties[i % counties.count]
            let region = county + FoldBenchStream.pad(i / 10 % 20 + 1, 3) + FoldBenchStream.pad(i / 200 % 30 + 1, 3)
            let household = "BH\(i)"
            return Event(
                benchRiskFeedback(index: i, household: household, region: region),
                id: EventID.derived("notify-bench|event|\(i)"), subject: household, region: region,
                occurredAt: FoldBenchStream.at("2025-12-31"))
        }
    }

    /// Appends and publishes as the risk monitor's host does; notes the commit time of each index.
    private func appendAndPublish(_ events: [Event]) throws {
        let recorded = try upstream.append(events, recordedAt: ServiceHost.now())
        let now = DispatchTime.now().uptimeNanoseconds
        committedAt.append(contentsOf: repeatElement(now, count: events.count))
        try publisher.publish(recorded)
    }

    private var totalReceived: Int { recipients.reduce(0) { $0 + $1.received } }

    /// CPU seconds the notifier's loop thread has used so far.
    func loopCPUSeconds() -> Double { running?.cpuSeconds ?? 0 }

    // MARK: Throughput

    struct Throughput {
        var appendSeconds: Double
        var createdSeconds: Double
        var receivedSeconds: Double
        var ackedSeconds: Double
        var batch: Int
        var received: Int
        var hellos: Int
        /// CPU seconds of the notifier's loop thread over the run.
        var loopCPU: Double
        /// CPU seconds of the whole process over the run (every thread: the notifier's, the recipients',
        /// ZeroMQ's, and in the live run the upstream writer's).
        var processCPU: Double = 0
    }

    func throughput(count: Int) throws -> Throughput {
        let batch = 1000
        let baseReceived = totalReceived
        let baseTotal = status()?["notifications"]?.intValue ?? 0
        let baseCPU = loopCPUSeconds(), baseProcess = processCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        var lastHeartbeat = start
        while sent < count {
            let n = min(batch, count - sent)
            try appendAndPublish(makeEvents(n))
            sent += n
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastHeartbeat > 200_000_000 {
                try publisher.heartbeat(latest: try upstream.lastSeq)
                lastHeartbeat = now
            }
        }
        let appended = DispatchTime.now().uptimeNanoseconds
        var t = try awaitDelivery(count: count, start: start, baseReceived: baseReceived, baseTotal: baseTotal)
        t.appendSeconds = Double(appended - start) / 1e9
        t.batch = batch
        t.loopCPU = loopCPUSeconds() - baseCPU
        t.processCPU = processCPUSeconds() - baseProcess
        return t
    }

    /// The notifier's own rate: `count` events committed to the upstream log first; then the recipients
    /// start (they connect once the endpoint exists) and the notifier starts on an empty own log, which
    /// catches up on the upstream log by replay. Timed from the notifier's start until every notification
    /// was created, received and acknowledged, and every acknowledgement committed. Leaves the notifier
    /// running with the recipients connected.
    func backlogThroughput(count: Int) throws -> Throughput {
        try prepareUpstream()
        var appended = 0
        while appended < count {
            let n = min(2000, count - appended)
            _ = try upstream.append(makeEvents(n), recordedAt: ServiceHost.now())
            appended += n
        }
        try prepareNotifier()
        let baseProcess = processCPUSeconds()
        for r in recipients { r.start() }
        let start = DispatchTime.now().uptimeNanoseconds
        try startNotifierThread()
        var t = try awaitDelivery(count: count, start: start, baseReceived: 0, baseTotal: 0)
        t.loopCPU = loopCPUSeconds()
        t.processCPU = processCPUSeconds() - baseProcess
        try waitFor("10 recipients connected", timeout: 30) {
            self.status()?["connectedRecipients"]?.intValue == self.recipients.count
        }
        return t
    }

    /// Waits until `count` more notifications than `baseTotal` exist, none is open, the recipients received
    /// `count` more than `baseReceived` and no acknowledgement awaits its commit; times from `start`.
    private func awaitDelivery(count: Int, start: UInt64, baseReceived: Int, baseTotal: Int) throws -> Throughput {
        var receivedAt: UInt64 = 0, createdAt: UInt64 = 0
        var polls = 0
        try waitFor("\(count) notifications received and acknowledged", timeout: 180) {
            let now = DispatchTime.now().uptimeNanoseconds
            if receivedAt == 0 && totalReceived - baseReceived >= count { receivedAt = now }
            // Heartbeats tell the follower of anything the PUB socket dropped (as the host's, ~every 200 ms).
            polls += 1
            if polls % 200 == 0 { try? publisher.heartbeat(latest: try upstream.lastSeq) }
            // One read of the status board a poll (each is a JSON parse on a machine short of CPU).
            guard let s = status(), let open = s["openNotifications"]?.intValue, let total = s["notifications"]?.intValue
            else { return false }
            if createdAt == 0 && total - baseTotal >= count { createdAt = now }
            // Acknowledged means in the notifier's log: its group commit may hold the last ones briefly.
            return total - baseTotal >= count && open == 0 && receivedAt != 0 && awaitingCommit(s) == 0
        }
        let end = DispatchTime.now().uptimeNanoseconds
        for r in recipients { _ = r.takeReceipts() }
        func secs(_ t: UInt64) -> Double { Double(t - start) / 1e9 }
        return Throughput(
            appendSeconds: 0, createdSeconds: secs(createdAt), receivedSeconds: secs(receivedAt),
            ackedSeconds: secs(end), batch: 0, received: totalReceived - baseReceived,
            hellos: recipients.reduce(0) { $0 + $1.hellos }, loopCPU: 0)
    }

    /// Deliveries and acknowledgements the notifier applied but has not committed yet (queued, or in a
    /// batch its commit thread has not finished).
    private func awaitingCommit(_ s: JSONValue) -> Int? {
        guard let queued = s["receiptsAwaitingCommit"]?.intValue else { return nil }
        return queued + (s["commitsInFlight"]?.intValue ?? 0)
    }

    // MARK: Latency

    struct Latency {
        var p50: Double, p99: Double, max: Double
        var count: Int
        var meanBatch: Double
    }

    func latency(rate: Int, seconds: Int) throws -> Latency {
        let count = rate * seconds
        let first = nextIndex
        committedAt = Array(repeating: 0, count: first)
        let start = DispatchTime.now().uptimeNanoseconds
        let interval = UInt64(1_000_000_000 / rate)
        var sent = 0, appends = 0
        var lastHeartbeat = start
        while sent < count {
            let now = DispatchTime.now().uptimeNanoseconds
            let due = min(count, Int((now - start) / interval) + 1)
            if due > sent {
                try appendAndPublish(makeEvents(due - sent))
                appends += 1
                sent = due
            } else {
                let next = start + UInt64(sent) * interval
                if next > now { usleep(UInt32(max(1, (next - now) / 1000))) }
            }
            if now - lastHeartbeat > 500_000_000 {
                try publisher.heartbeat(latest: try upstream.lastSeq)
                lastHeartbeat = now
            }
        }
        var receipts: [(index: Int, nanos: UInt64)] = []
        try waitFor("latency run received", timeout: 60) {
            receipts += recipients.flatMap { $0.takeReceipts() }
            return receipts.filter { $0.index >= first }.count >= count
        }
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for r in receipts where r.index >= first && r.index < committedAt.count {
            let c = committedAt[r.index]
            samples.append(r.nanos >= c ? Double(r.nanos - c) / 1e6 : 0)
        }
        samples.sort()
        func pct(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        return Latency(
            p50: pct(0.50), p99: pct(0.99), max: samples.last ?? 0, count: samples.count,
            meanBatch: Double(count) / Double(max(1, appends)))
    }

    /// After `close()`: the state digest the notifier ended with (deliveries and acknowledgements were
    /// group-committed all along, the last ones at the graceful stop), and the digest of a fresh
    /// notifier rebuilt from its log. Equal when the log order reproduces the live state.
    func replayDigests() throws -> (live: String, replayed: String) {
        guard let config, let behaviour, host == nil else { throw StoreBenchError("notify bench: not stopped") }
        let replayed = try ServiceHost.digestAfterReplay(
            settings: try ServiceSettings(service: Service.notify.rawValue, config: config),
            behaviour: NotifyBehaviour(config: config),
            logger: Logger(label: "bench-notify-replay", minimumLevel: .warning))
        return (behaviour.stateDigest(), replayed)
    }

    func close() {
        try? running?.stop()
        running = nil
        for r in recipients { try? r.close() }
        recipients = []
        publisher?.close()
        host = nil
    }
}

/// Where a notification's time goes on the notifier's loop thread, measured piece by piece on this
/// thread with the same calls `NotifyBehaviour` makes: routing in `NotifyFold`, the wire encoding,
/// the delivery and acknowledgement bookkeeping (event ids, payloads, fold), and the log commits.
private func notifyCostBreakdown(directoryText: String, events: [Event], folder: String) throws -> [BenchRow] {
    let directory = try RecipientDirectory(text: directoryText)
    var fold = NotifyFold()
    _ = fold.apply(
        Event(DirectoryActivated(directory), id: EventID.derived("bench|directory"), subject: "directory",
              region: "", occurredAt: FoldBenchStream.at("2025-12-31")))
    func micros(_ start: UInt64, _ n: Int) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(max(1, n))
    }

    var t = DispatchTime.now().uptimeNanoseconds
    var created: [Event] = []
    for e in events { created += fold.apply(e) }
    let route = micros(t, created.count)

    t = DispatchTime.now().uptimeNanoseconds
    var notifications: [NotificationCreated] = []
    for e in created { if let n = try? e.decode(NotificationCreated.self) { notifications.append(n) } }
    let decode = micros(t, created.count)

    // What didCommit does now: the id at the head of the payload, then the fold's open notification.
    t = DispatchTime.now().uptimeNanoseconds
    var found = 0
    for e in created {
        if let id = NotificationCreated.notificationID(inPayload: e.payload), fold.openNotification(id) != nil {
            found += 1
        }
    }
    let lookup = micros(t, created.count)

    t = DispatchTime.now().uptimeNanoseconds
    var bytes = 0
    for n in notifications {
        guard let open = fold.openNotification(n.notificationID) else { continue }
        bytes += RecipientMessage.notification(open).encoded().count
    }
    let encode = micros(t, notifications.count)

    // As onLoop: the receipt, the fold's typed entry point (no decoding), the queue.
    var queue = ReceiptQueue()
    t = DispatchTime.now().uptimeNanoseconds
    var delivered: [(NotificationReceipts.Entry, String)] = []
    for n in notifications {
        let entry = NotificationReceipts.Entry.delivered(
            n.notificationID, channel: "zmq", attempt: 1, at: ServiceHost.now())
        fold.applyReceipt(entry, recipient: n.recipient)
        queue.append(entry, recipient: n.recipient)
        delivered.append((entry, n.recipient))
    }
    let deliver = micros(t, notifications.count)

    // As loopSocketReadable: the compact ack read off the wire, the receipt, the typed entry point.
    let wire = notifications.map { RecipientMessage.ack(id: $0.notificationID).encoded() }
    t = DispatchTime.now().uptimeNanoseconds
    var acks: [(NotificationReceipts.Entry, String)] = []
    for (i, n) in notifications.enumerated() {
        guard let id = RecipientMessage.compactAckID(wire[i]) else { continue }
        let entry = NotificationReceipts.Entry.acknowledged(id, at: ServiceHost.now())
        fold.applyReceipt(entry, recipient: n.recipient)
        queue.append(entry, recipient: n.recipient)
        acks.append((entry, n.recipient))
    }
    let ack = micros(t, notifications.count)
    _ = queue.seal()

    /// The log events of `range`: one receipts event per recipient holding their deliveries and
    /// acknowledgements (as the loop seals them at a commit), then its created notifications.
    func turn(_ range: Range<Int>) -> [Event] {
        for j in range {
            queue.append(delivered[j].0, recipient: delivered[j].1)
            queue.append(acks[j].0, recipient: acks[j].1)
        }
        return queue.seal() + Array(created[range])
    }

    // Commits as a busy loop turn makes them: one, holding the turn's created notifications with the
    // receipts queued since the last commit (group commit).
    let path = "\(folder)/cost.log.sqlite"
    StoreBenchData.remove(path)
    defer { StoreBenchData.remove(path) }
    // The notifier's own log settings (ServiceSettings defaults for "notify").
    let log = try EventLog(
        path: path, stream: Service.notify.rawValue, synchronous: .full,
        blockShift: NotifyRoom.profile.indexBlockShift,
        checkpoint: NotifyRoom.profile.checkpoint)
    let perTurn = 13
    t = DispatchTime.now().uptimeNanoseconds
    var commits = 0, i = 0, smallRows = 0
    // `turn` reads the deliveries and acknowledgements by index: a small run has fewer than 3,000.
    let turns = min(created.count, delivered.count, acks.count)
    while i + perTurn <= min(3000, turns) {
        let events = turn(i..<i + perTurn)
        smallRows += events.count
        try log.append(events, recordedAt: ServiceHost.now())
        commits += 1
        i += perTurn
    }
    let smallCommit = Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 / Double(max(1, commits))
    t = DispatchTime.now().uptimeNanoseconds
    var appended = 0, bulkRows = 0
    while i + 2000 <= turns {
        let events = turn(i..<i + 2000)
        bulkRows += events.count
        try log.append(events, recordedAt: ServiceHost.now())
        appended += 2000
        i += 2000
    }
    let bulkAppend = micros(t, max(1, appended))
    let cpu = route + lookup + encode + deliver + ack
    let note = "single thread, \(created.count) notifications, same calls as NotifyBehaviour"
    func perNotification(_ step: String, _ value: Double, _ detail: String) -> BenchRow {
        BenchRow(name: "notify cost: \(step)", value: value, unit: "µs/notification", note: detail)
    }
    return [
        perNotification("route (NotifyFold upstream)", route, note),
        perNotification(
            "decode NotificationCreated", decode,
            "what didCommit used to do with every NotificationCreated the fold just built (no longer done)"),
        perNotification(
            "find created notification", lookup,
            "didCommit now: id at the payload's head + NotifyFold.openNotification (\(found) found)"),
        perNotification(
            "wire encode", encode,
            "RecipientMessage.notification(…).encoded(), \(bytes / max(1, notifications.count)) bytes each"),
        perNotification(
            "delivery bookkeeping", deliver, "receipt + NotifyFold.applyReceipt + ReceiptQueue.append, as onLoop"),
        perNotification(
            "ack bookkeeping", ack,
            "compact ack parsed + receipt + NotifyFold.applyReceipt + ReceiptQueue.append, as loopSocketReadable"),
        BenchRow(
            name: "notify cost: CPU ceiling without log", value: 1e6 / cpu, unit: "notifications/s",
            note: "1 / (route + find + encode + delivery + ack) on one core, before commits, sockets and CURVE"),
        BenchRow(
            name: "notify cost: commit of a \(perTurn)-notification turn", value: smallCommit, unit: "ms/commit",
            note: "receipts sealed + EventLog.append synchronous=FULL of \(format(Double(smallRows) / Double(commits)))"
                + " events on average; a busy loop turn makes one (group commit)"),
        BenchRow(
            name: "notify cost: bulk append", value: bulkAppend, unit: "µs/notification",
            note: "receipts sealed + EventLog.append synchronous=FULL of 2000 notifications at a time,"
                + " \(format(Double(bulkRows) / Double(max(1, appended)))) log events per notification"),
    ]
}

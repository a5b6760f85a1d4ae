import Foundation
import GongguCore
import GongguEvents
import GongguStore
import GongguTransport

/// Runs one service: own log (single writer), publisher, control/replay server, upstream
/// followers, inbox, heartbeats, systemd notifications and graceful shutdown.
public final class ServiceHost: @unchecked Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let status: StatusBoard
    /// Prometheus metrics (docs/MONITORING.md), exposed by `exporter` when configured.
    public let metrics: ServiceMetrics
    private var exporter: MetricsExporter?
    public let stopFlag = StopFlag()
    public let inbox = Inbox()
    /// Closures other threads need run on the loop thread (queries, digests).
    public let loopTasks = LoopTasks()
    private let behaviour: ServiceBehaviour
    private let systemd: SystemdNotifier
    private var log: EventLog!
    private var publisher: EventPublisher!
    private var control: CommandServer!
    private var followers: [StreamFollower] = []
    /// Per upstream, the last consumed seq and the upstream's chain hash there (loop thread only): the
    /// anchor each `InputConsumed` marker records. Known from genesis or the last marker carrying it,
    /// then chained forward over each consumed event (SHA-256 of previous ‖ canonical bytes, as the
    /// upstream computed it), so local and remote upstreams alike need nothing more than the events.
    private var anchors: [String: (seq: Int64, hash: [UInt8])] = [:]
    private var anchorScratch: [UInt8] = []
    /// The order in which upstream events are applied (loop thread only; set up by the rebuild).
    private var merge = UpstreamMerge(streams: [], follows: [:])
    /// Per upstream, the ordinal of the last event applied (markers not counted): what derived events
    /// name as their basis (`UpstreamMerge`; loop thread only).
    private var basisPositions: [String: Int64] = [:]
    /// Commits consumed batches on a second thread (`log.pipelined_commits`); nil: on the loop thread.
    private var pipeline: CommitPipeline?
    /// Pipeline outcomes taken and not yet finished, oldest first (`finish` may be re-entered by an edge
    /// that commits, and must still finish them in order).
    private var unfinished: [CommitPipeline.Outcome] = []
    private var signals = SignalWatcher()
    /// RCVHWM of upstream subscriptions (small values are for tests of overflow recovery).
    public var receiveHighWaterMark: Int32 = 100_000
    /// SNDHWM of the own PUB socket (small values are for tests of overflow recovery).
    public var sendHighWaterMark: Int32 = 100_000
    /// Extra allowed peers for authenticated sockets (set by services that face other parties).
    public var authenticator: ZAPAuthenticator?
    /// Who may drive the service and the keys of its internal links (set before `start`).
    public var controlAccess = ControlAccess()
    /// Re-reads `controlAccess` on SIGHUP / RELOAD (revoked key files), if set.
    public var reloadControlAccess: (() throws -> ControlAccess)?
    /// The control plane's authenticators and extra servers (`ServiceHost+Control.swift`).
    var controlPlane = ControlPlane()

    public init(settings: ServiceSettings, behaviour: ServiceBehaviour, logger: Logger, systemd: SystemdNotifier = SystemdNotifier()) {
        self.settings = settings
        self.behaviour = behaviour
        self.logger = logger
        self.systemd = systemd
        status = StatusBoard(service: settings.name, version: settings.version)
        metrics = ServiceMetrics(service: settings.name, version: settings.version, status: status)
        receiveHighWaterMark = settings.receiveHighWaterMark
        sendHighWaterMark = settings.sendHighWaterMark
    }

    /// Set (loop thread) when the service stops because its state ran ahead of its log.
    private var needsRebuild: String?

    /// The own log (loop thread only).
    public var ownLog: EventLog { log }

    /// Submits input events from another thread and waits for their commit.
    public func submit(_ events: [Event]) throws -> [Event] { try inbox.submit(events) }

    // MARK: Start-up

    /// Opens the log, rebuilds state by replay, starts sockets. Call on the loop thread.
    public func start() throws {
        // The control socket is bound before the replay (it answers STATUS meanwhile): a start that
        // fails closes it.
        var started = false
        defer {
            if !started {
                control?.stop()
                control = nil
                stopControlPlane()
            }
        }
        try DataDirectory.prepare(settings.dataDirectory, logger: logger)
        try DataDirectory.checkPermissions(of: settings.logPath, logger: logger)
        let sync = Synchronous(rawValue: settings.synchronous.uppercased()) ?? .full
        let began = Date()
        let cursors: [String: Int64]
        var checkSeconds = 0.0
        // Before the replay, so that its progress can be watched (the control socket opens after it).
        exporter = try MetricsExporter(
            settings: settings.metrics, metrics: metrics, status: status, dataDirectory: settings.dataDirectory,
            logger: logger)
        // A start that fails closes the endpoint and its thread again (in-process hosts of the tests).
        defer { if !started { exporter?.stop() } }
        do {
            // A file unchanged since the graceful stop that checked it need not be checked again
            // (`LogStamp`); the stamp is removed here, before the log is opened for writing.
            let unchanged = LogStamp.takeMatching(logPath: settings.logPath)
            log = try EventLog(
                path: settings.logPath, stream: settings.name, synchronous: sync, blockShift: settings.indexBlockShift,
                checkpoint: settings.checkpoint)
            // Start only on a sound log: SQLite's own structure first (a damaged page would make the
            // replay below misread), then the hash chain, verified by the replay's own pass.
            if unchanged {
                quickCheckSkipped = true
                logger.info(
                    "quick_check skipped: log file unchanged since the graceful stop that checked it",
                    ["log.path": .string(settings.logPath)])
            } else {
                let findings = try log.checkStructure(.quick)
                guard findings.isEmpty else { throw LogDamage.structure(path: settings.logPath, findings: findings) }
            }
            checkSeconds = Date().timeIntervalSince(began)
            // The control socket answers STATUS (with the replay's progress) while the state is rebuilt;
            // everything else, PING included, is answered `starting` until the replay is done. Its
            // authenticators (and the internal links' credentials) come first.
            try startAuthenticators()
            control = try startControlServer(settings.controlEndpoint, name: "\(settings.name)-control")
            // From a snapshot only the events after it are walked: that is the replay's target.
            let snapshotSeq = restoreSnapshot()
            metrics.replayStarted(target: try log.lastSeq - snapshotSeq)
            cursors = try rebuild(after: snapshotSeq)
            metrics.replayFinished(seconds: Date().timeIntervalSince(began))
        } catch {
            // Upstream sources classify their own errors with their own paths (`LocalLogSource`).
            throw LogDamage.classify(error, path: settings.logPath)
        }
        let replaySeconds = Date().timeIntervalSince(began)
        if settings.pipelinedCommits { pipeline = CommitPipeline(log: log, name: settings.name, depth: 2) }
        try startAuthenticators()
        publisher = try EventPublisher(
            stream: settings.name, endpoint: settings.publishEndpoint, sendHighWaterMark: sendHighWaterMark,
            curve: publishCurve)
        try restrictSocketFile(settings.publishEndpoint)
        for up in settings.upstreams {
            let source: EventSource
            if let path = up.logPath {
                source = LocalLogSource(stream: up.stream, path: path)
            } else if let replay = up.replay {
                source = CommandClient(stream: up.stream, endpoint: replay)
            } else {
                throw ConfigError.invalid("upstream.\(up.stream)", "needs a log path or a replay endpoint")
            }
            followers.append(
                try StreamFollower(
                    source: source, publisher: up.publish, cursor: cursors[up.stream] ?? 0, live: up.live,
                    receiveHighWaterMark: receiveHighWaterMark))
        }
        status.update(lastSeq: try log.lastSeq, headHash: try log.headHash.hexString)
        checkAnchors()
        signals.watch([SIGTERM, SIGINT]) { [self] sig in
            logger.info("stop requested", ["signal": .int(Int(sig))])
            stopFlag.set()
        }
        signals.watch([SIGHUP]) { [self] _ in
            logger.info("reload requested")
            reloadControlPlane()
            behaviour.reload(host: self)
        }
        try behaviour.didStart(host: self)
        started = true
        // From here on PING answers OK: the state, the status board and the sockets are all ready.
        replayLock.lock()
        replayRunning = false
        replayLock.unlock()
        // Logged once PING answers: the digest walks the whole state (a second of a start from a
        // snapshot at province scale), and the log and state it describes are those after start-up.
        logger.info(
            "state rebuilt by replay",
            [
                "log.last_seq": .int(Int(try log.lastSeq)), "replay.seconds": .double(replaySeconds),
                "quick_check.seconds": .double(checkSeconds), "quick_check": .string(quickCheckSkipped ? "skipped" : "ran"),
                "state.digest": .string(behaviour.stateDigest()),
                // Which SHA-256 the log's hash chain runs on (`SHA256Engine`), for operators comparing hosts.
                "chain.sha256": .string(SHA256Engine.selected.engine.rawValue),
            ])
    }

    /// Whether this start skipped `quick_check` (the log file had the stamp of its last graceful stop).
    private var quickCheckSkipped = false

    /// How often the start-up replay reports its progress (tests shorten it).
    public var replayReportSeconds = 1.0

    /// Whether the start-up replay is still running (read on the control thread).
    private var isReplaying: Bool {
        replayLock.lock()
        defer { replayLock.unlock() }
        return replayRunning
    }
    private let replayLock = NSLock()
    private var replayRunning = true

    /// Replay progress, at most once a second: `STATUS=` and `EXTEND_TIMEOUT_USEC` to systemd (so a long
    /// replay that moves is neither killed by `TimeoutStartSec` nor silent) and `replay` in STATUS.
    private struct ReplayProgress {
        let began = Date()
        var lastReport = Date()
        let lastSeq: Int64
        /// How long systemd is asked to wait for the next report (a report comes each second).
        static let extendMicroseconds = 30_000_000
    }

    private func reportReplay(_ progress: inout ReplayProgress, seq: Int64, done: Bool = false) {
        let now = Date()
        guard done || now.timeIntervalSince(progress.lastReport) >= replayReportSeconds else { return }
        progress.lastReport = now
        let seconds = now.timeIntervalSince(progress.began)
        let percent = progress.lastSeq > 0 ? Int(Double(seq) * 100 / Double(progress.lastSeq)) : 100
        status.set(
            "replay",
            .object([
                ("done", .bool(done)), ("seq", .number(Double(seq))), ("lastSeq", .number(Double(progress.lastSeq))),
                ("percent", .number(Double(percent))), ("seconds", .number((seconds * 10).rounded() / 10)),
            ]))
        guard !done else { return }
        systemd.send(
            "STATUS=重放日志 replaying own log: seq \(seq) of \(progress.lastSeq) (\(percent)%), \(Int(seconds)) s\n"
                + "EXTEND_TIMEOUT_USEC=\(ReplayProgress.extendMicroseconds)")
    }

    /// Warns loudly when a consumer log in the data directory anchors this log beyond its head (a lost
    /// tail) or at another hash (a replaced log), and keeps the finding on the status board so that
    /// `gonggu status` is unhealthy until the operator restores the log (docs/OPERATIONS.md). The
    /// service keeps running: refusing would also stop new records, and restoring needs it stopped
    /// anyway. Consumers on other hosts are not seen here (`gonggu log verify --all` on gathered copies).
    private func checkAnchors() {
        let findings: [AnchorCheck.Finding]
        do {
            findings = try AnchorCheck.check(
                directory: settings.dataDirectory, upstream: settings.name, topology: settings.topology)
        } catch {
            logger.warning("cannot check the anchors consumers hold", ["error": .string("\(error)")])
            return
        }
        let wrong = findings.filter { $0.verdict != .ok }
        guard !wrong.isEmpty else { return }
        for f in wrong {
            logger.error(
                "log head not what its consumers anchored; restore it from a backup",
                ["consumer": .string(f.consumer), "problem": .string(f.description)])
        }
        status.set("anchoredBeyondHead", .array(wrong.map { .string($0.statusMessage) }))
    }

    /// Whether this service writes and reads snapshots (`snapshot.enabled`; a behaviour without them
    /// returns no `snapshot()`). A follower's snapshot also holds its merge positions, anchors and
    /// basis positions (`FollowerSnapshot`).
    private var snapshotsApply: Bool { settings.snapshotsEnabled }

    /// The host's own state restored from a snapshot, for `rebuild` (start-up only).
    private var restoredFollower: FollowerSnapshot?

    /// Start-up: the state of the newest valid snapshot, if any; returns the seq it covers (0: none).
    /// Every snapshot passed over is logged with the reason; with none valid, the replay starts at 1.
    private func restoreSnapshot() -> Int64 {
        guard snapshotsApply else { return 0 }
        for file in Snapshots.files(logPath: settings.logPath) {
            do {
                let reading = Date()
                let (header, state) = try Snapshots.read(path: file.path)
                guard header.logID == log.logID else { throw Snapshots.Rejection.otherLog(header.logID) }
                guard header.seq > 0, header.seq <= (try log.lastSeq) else { throw Snapshots.Rejection.beyondLog(header.seq) }
                guard let stored = try log.storedHash(ifPresent: header.seq), stored.hexString == header.headHash else {
                    throw Snapshots.Rejection.staleHead
                }
                let loaded = Date()
                var checkLater: (@Sendable () -> String)?
                do {
                    if settings.upstreams.isEmpty {
                        checkLater = try behaviour.restoreCheckingLater(snapshot: state, digest: header.digest)
                    } else {
                        // A follower's state: its own positions first, checked against a fresh merge of
                        // the configured upstreams, then the behaviour's (which changes nothing if it throws).
                        let (follower, inner) = try FollowerSnapshot.decode(state, merge: freshMerge())
                        checkLater = try behaviour.restoreCheckingLater(snapshot: inner, digest: header.digest)
                        restoredFollower = follower
                    }
                } catch let r as Snapshots.Rejection {
                    throw r
                } catch {
                    throw Snapshots.Rejection.stateRefused("\(error)")
                }
                logger.info(
                    "state restored from snapshot",
                    [
                        "snapshot": .string(file.path), "snapshot.seq": .int(Int(header.seq)),
                        "read.seconds": .double(loaded.timeIntervalSince(reading)),
                        "load.seconds": .double(Date().timeIntervalSince(loaded)),
                        "digest.check": .string(checkLater == nil ? "done" : "running"),
                    ])
                if let checkLater {
                    let check = DeferredDigestCheck(path: file.path, expected: header.digest)
                    DispatchQueue.global(qos: .userInitiated).async(group: check.group) { check.compute(checkLater) }
                    deferredDigestCheck = check
                }
                lastSnapshotSeq = header.seq
                return header.seq
            } catch {
                let rejection = error as? Snapshots.Rejection ?? .unreadable("\(error)")
                logger.warning(
                    "snapshot not used; replaying from the start",
                    ["snapshot": .string(file.path), "reason": .string(rejection.key), "why": .string(rejection.description)])
            }
        }
        return 0
    }

    /// The digest check of the state restored from a snapshot, when it runs off the loop thread.
    private var deferredDigestCheck: DeferredDigestCheck?

    /// Before the loop's first turn: waits for the digest check of the restored state. A state that
    /// does not give the snapshot's digest has folded nothing yet: the snapshot is set aside (renamed
    /// `….rejected`, so no start uses it again) and the service stops as for a clean rebuild (no
    /// snapshot, no stamp, an error exit), so that the restart replays without it.
    private func awaitDeferredDigestCheck() {
        guard let check = deferredDigestCheck else { return }
        deferredDigestCheck = nil
        check.group.wait()
        guard check.matched else {
            let rejection = Snapshots.Rejection.digestDiffers
            logger.warning(
                "snapshot not used; replaying from the start",
                ["snapshot": .string(check.path), "reason": .string(rejection.key), "why": .string(rejection.description)])
            rename(check.path, check.path + ".rejected")
            needsRebuild = "state restored from \(check.path): \(rejection.description)"
            stopFlag.set()
            return
        }
        logger.info("snapshot digest checked", ["snapshot": .string(check.path), "seconds": .double(check.seconds)])
    }

    /// Seq and time of the last snapshot written or restored (loop thread).
    private var lastSnapshotSeq: Int64 = 0
    /// Upstream events applied (the merge's applied seqs, summed) at the last snapshot: a follower's
    /// own log grows slowly, what it folds is mostly upstream events, so both count towards
    /// `snapshot.every_events`.
    private var lastSnapshotConsumed: Int64 = 0
    private var consumedSoFar: Int64 { settings.upstreams.reduce(0) { $0 + merge.applied($1.stream) } }
    private var lastSnapshotAt = Date()
    /// Writes snapshots off the loop thread, one at a time.
    private let snapshotQueue = DispatchQueue(label: "gonggu-snapshot")

    /// A snapshot when `snapshot.every_events` events or `snapshot.every_minutes` have passed (loop thread).
    private func snapshotIfDue(_ now: Date) {
        guard snapshotsApply else { return }
        let seq = status.currentLastSeq
        guard seq > lastSnapshotSeq else { return }
        // The spacing grows with what the last snapshot covered (`SnapshotSchedule`).
        let byEvents = settings.snapshotSchedule.dueByCount(
            fresh: (seq - lastSnapshotSeq) + (consumedSoFar - lastSnapshotConsumed),
            covered: lastSnapshotSeq + lastSnapshotConsumed)
        let byTime = settings.snapshotEveryMinutes > 0
            && now.timeIntervalSince(lastSnapshotAt) >= Double(settings.snapshotEveryMinutes) * 60
        if (byEvents || byTime) && snapshotGate.mayStart(now) { takeSnapshot(wait: false) }
    }

    /// Holds the fold still while a streamed snapshot reads it (`SnapshotGate`).
    private let snapshotGate = SnapshotGate()

    /// Takes a snapshot of the state as committed (loop thread); it is encoded and written on the
    /// snapshot queue. Returns the file it is written to (nil: nothing to write).
    @discardableResult
    private func takeSnapshot(wait: Bool) -> String? {
        guard snapshotsApply else { return nil }
        // What is in flight first: a refused batch leaves the state ahead of the log (no snapshot then).
        drainPipeline()
        guard needsRebuild == nil else { return nil }
        // The state taken here, on the loop thread; streamed if the behaviour can (`SnapshotStream`):
        // then read in place, the loop holding it still until the queue has released it (`SnapshotGate`).
        let held = behaviour.streamingSnapshot().map { SnapshotGate.Held($0) }
        let encode = held == nil ? behaviour.snapshot() : nil
        guard let seq = try? log.lastSeq, seq > 0, let head = try? log.headHash.hexString,
            held != nil || encode != nil
        else { return nil }
        lastSnapshotSeq = seq
        lastSnapshotConsumed = consumedSoFar
        lastSnapshotAt = Date()
        let service = settings.name, logID = log.logID, logPath = settings.logPath, keep = settings.snapshotKeep
        let logger = logger
        let path = Snapshots.path(logPath: logPath, seq: seq)
        // A follower's own positions, as a replay through `seq` would rebuild them (the pipeline is drained).
        // Encoded here (a few hundred bytes), so that no copy of the merge and its queues is held.
        let followerPrefix = settings.upstreams.isEmpty
            ? nil : FollowerSnapshot(merge: merge, anchors: anchors, basisPositions: basisPositions).prefix
        let gate = snapshotGate
        if held != nil { gate.begin() }
        let work = {
            let began = Date()
            // Encoded as it is written: the state is never held whole beside the fold, nor copied.
            func streamed(_ stream: SnapshotStream) {
                let header = Snapshots.Header(service: service, logID: logID, seq: seq, headHash: head, digest: stream.digest())
                do {
                    try Snapshots.writeStreaming(header, logPath: logPath, keep: keep) { put in
                        if let followerPrefix { try followerPrefix.withUnsafeBytes { try put($0) } }
                        try withoutActuallyEscaping(put) { put in
                            var w = SnapshotBinaryWriter(chunk: 1 << 20, sink: put)
                            stream.write(&w)
                            w.flush()
                            if let error = w.sinkError { throw error }
                        }
                        if followerPrefix != nil { try FollowerSnapshot.suffix.withUnsafeBytes { try put($0) } }
                    }
                    logger.info(
                        "snapshot written",
                        ["snapshot": .string(path), "snapshot.seq": .int(Int(seq)), "seconds": .double(Date().timeIntervalSince(began))])
                } catch {
                    logger.warning("snapshot not written", ["snapshot": .string(path), "error": .string("\(error)")])
                }
            }
            if let held {
                if let stream = held.state { streamed(stream) }
                // Every reference to the state dropped before the loop may change it again.
                held.release()
                gate.end(began: began)
                return
            }
            guard let encode else { return }
            var (state, digest) = encode()
            if let followerPrefix { state = FollowerSnapshot.wrap(state, prefix: followerPrefix) }
            let header = Snapshots.Header(service: service, logID: logID, seq: seq, headHash: head, digest: digest)
            do {
                try Snapshots.write(Snapshots.encode(header, state: state), logPath: logPath, seq: seq, keep: keep)
                logger.info(
                    "snapshot written",
                    ["snapshot": .string(path), "snapshot.seq": .int(Int(seq)), "seconds": .double(Date().timeIntervalSince(began))])
            } catch {
                logger.warning("snapshot not written", ["snapshot": .string(path), "error": .string("\(error)")])
            }
        }
        if wait { snapshotQueue.sync(execute: work) } else { snapshotQueue.async(execute: work) }
        return path
    }

    /// A merge of the configured upstreams with nothing applied.
    private func freshMerge() -> UpstreamMerge {
        UpstreamMerge(
            streams: settings.upstreams.map(\.stream),
            follows: Dictionary(settings.upstreams.map { ($0.stream, $0.follows) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Replays the own log (and the upstream ranges it records) into the behaviour, after `start` (a
    /// snapshot's seq; 0: from the beginning). Returns the upstream cursors.
    private func rebuild(after start: Int64 = 0) throws -> [String: Int64] {
        var cursors: [String: Int64] = [:]
        var sources: [String: EventSource] = [:]
        merge = freshMerge()
        for up in settings.upstreams { basisPositions[up.stream] = 0 }
        if start > 0, let restored = restoredFollower {
            // What the replay through the snapshot's seq had set: positions, anchors, cursors.
            merge = restored.merge
            anchors = restored.anchors
            lastSnapshotConsumed = consumedSoFar
            for (stream, position) in restored.basisPositions where basisPositions[stream] != nil {
                basisPositions[stream] = position
            }
            for up in settings.upstreams where merge.applied(up.stream) > 0 {
                cursors[up.stream] = merge.applied(up.stream)
            }
        }
        restoredFollower = nil
        for up in settings.upstreams {
            if let path = up.logPath {
                sources[up.stream] = LocalLogSource(stream: up.stream, path: path)
            } else if let replay = up.replay {
                sources[up.stream] = CommandClient(stream: up.stream, endpoint: replay, timeoutMs: 30_000)
            }
        }
        var progress = ReplayProgress(lastSeq: try log.lastSeq)
        var counted = 0
        defer { metrics.replayProgress(counted % 4096) }
        func replay(_ event: Event) throws {
            counted &+= 1
            if counted & 1023 == 0 { reportReplay(&progress, seq: event.seq) }
            if counted % 4096 == 0 { metrics.replayProgress(4096) }
            metrics.noteLogged(event)
            if event.type == InputConsumed.eventType {
                let marker = try event.decode(InputConsumed.self)
                guard let source = sources[marker.stream] else {
                    throw ConfigError.invalid("upstreams", "own log consumed '\(marker.stream)', which is not configured")
                }
                // A marker with its hash anchors directly; an old one (version 1) is chained over the
                // replayed range while the chain from genesis is unbroken, so its successors get a hash.
                var chain = marker.throughHash == nil ? anchors[marker.stream] ?? (0, CanonicalEncoding.genesis) : nil
                if chain?.seq != marker.after { chain = nil }
                try marker.replay(from: source) { event in
                    // Who sent a command is recorded as it is: no behaviour sees it (nor has it a
                    // position in the upstream, UpstreamMerge.isPositioned).
                    if event.type != CommandAccepted.eventType {
                        _ = behaviour.apply(upstream: event, stream: marker.stream)
                    }
                    merge.replayed(event, stream: marker.stream)
                    if let c = chain { chain = chained(c, event) }
                }
                if let hash = marker.throughHash {
                    anchors[marker.stream] = (marker.through, hash)
                } else if let chain, chain.seq == marker.through {
                    anchors[marker.stream] = chain
                } else {
                    anchors[marker.stream] = nil
                }
                cursors[marker.stream] = marker.through
                basisPositions[marker.stream] = merge.appliedOrdinal(marker.stream)
            } else if event.type == CommandAccepted.eventType {
                // A record of who sent a command: nothing of the state depends on it.
            } else if behaviour.isOwnInput(event.type) {
                behaviour.replayOwnInput(event)
            } else {
                behaviour.replayOwnOutput(event)
            }
        }
        if start == 0 {
            // The chain is verified in the replay's own pass (each row hashed as it is read, docs/ARCHITECTURE.md).
            try log.forEach(after: 0, verifyingChain: true, replay)
        } else {
            // After a snapshot: the chain from the snapshot's head hash (checked against the log) on.
            var anchor = try log.storedHash(ifPresent: start)
            var at = start
            while true {
                let (events, head) = try log.readVerified(after: at, limit: 8_192, anchor: anchor)
                guard let last = events.last else { break }
                for e in events { try replay(e) }
                at = last.seq
                anchor = head
            }
        }
        reportReplay(&progress, seq: progress.lastSeq, done: true)
        return cursors
    }

    // MARK: The loop

    /// Runs until SIGTERM/SIGINT (or `stopFlag`), then shuts down cleanly.
    public func run() throws {
        awaitDeferredDigestCheck()
        if needsRebuild == nil { systemd.ready(status: "\(settings.name) ready, last seq \(try log.lastSeq)") }
        logger.info(
            "service ready",
            [
                "publish": .string(settings.publishEndpoint), "control": .string(settings.controlEndpoint),
                "log.path": .string(settings.logPath),
            ])
        var lastHeartbeat = Date.distantPast
        var retryAfter: [Int: Date] = [:]
        var lastWatchdog = Date.distantPast
        let heartbeat = Double(settings.heartbeatMilliseconds) / 1000
        while !stopFlag.isSet {
            var worked = false
            // 0. Consumed batches the pipeline has committed since: publish them, run their edges.
            if let pipeline {
                let done = pipeline.takeCompleted()
                if !done.isEmpty {
                    finish(done)
                    worked = true
                }
                // Committed and published differ by these (status: `commitsInFlight`, plus what the
                // pipeline finished but this turn has not handed on yet).
                status.set("commitsInFlight", .number(Double(pipeline.batchesInFlight + unfinished.count)))
            }
            // While a snapshot reads the live state, nothing changes it (`SnapshotGate`): submissions
            // wait in the inbox, upstream events in the merge (reading stops at its capacity).
            let stateHeld = snapshotGate.isReading
            // 1. Inputs submitted by other threads.
            let submissions = stateHeld
                ? [] : inbox.take(timeout: followers.isEmpty && behaviour.loopSockets.isEmpty ? 0.05 : 0)
            if !submissions.isEmpty {
                processSubmissions(submissions)
                worked = true
            }
            // 2. Upstream events (replay first, then live), read from every upstream whose queue has room
            //    and applied in the order `UpstreamMerge` fixes from the logs alone: an event derived from
            //    another upstream waits until that one has been applied through the position it names, and
            //    an event others derive from waits until they are known to have passed it
            //    (docs/ARCHITECTURE.md, "The merge of several upstreams").
            var readCount = 0
            for (i, follower) in followers.enumerated() where !stopFlag.isSet {
                // An upstream that is down or answers garbage must not stop this service: keep what
                // is committed, report it, and try again shortly (the cursor has not moved).
                reportUpstream(follower)
                if let until = retryAfter[i], until > Date() { continue }
                guard merge.wantsMore(follower.stream) else { continue }
                var events: [Event]
                do {
                    events = try follower.next(timeoutMs: 0)
                    retryAfter[i] = nil
                    if brokenAttempts[i] != nil { upstreamRepaired(i, follower) }
                } catch let damage as LogDamage {
                    upstreamBroken(i, follower, damage, retryAfter: &retryAfter)
                    continue
                } catch {
                    retryAfter[i] = Date().addingTimeInterval(1)
                    logger.warning(
                        "upstream unavailable; retrying", ["upstream": .string(follower.stream), "error": .string("\(error)")])
                    continue
                }
                if !events.isEmpty {
                    readCount += events.count
                    merge.enqueue(&events, stream: follower.stream)
                }
            }
            var runs = stopFlag.isSet || stateHeld ? [] : merge.release()
            if !runs.isEmpty { consume(&runs) }
            if readCount > 0 || !runs.isEmpty {
                worked = true
                for follower in followers { reportUpstream(follower) }
                reportHeld()
            }
            // 3. Timers of the behaviour, and work other threads asked of the loop thread.
            if !stateHeld { behaviour.onLoop(host: self) }
            loopTasks.runPending()
            // 4. The behaviour's sockets every turn (acknowledgements must not wait for an idle loop);
            //    wait up to 10 ms only when there was nothing else to do. With nothing else to do and a
            //    batch in flight, wait for that batch instead: its deliveries are the next thing to do.
            if !worked, let pipeline, pipeline.hasBatchesInFlight {
                drainPipeline()
                worked = true
            }
            //    How long, and on which sockets, is `LoopWait`'s: under a steady upstream stream it waits a
            //    millisecond so messages arrive in batches, and it never polls an upstream it will not read.
            var sinceLastRead: UInt64?
            if readCount > 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                if lastReadNanos > 0 { sinceLastRead = now &- lastReadNanos }
                lastReadNanos = now
            }
            let wait = LoopWait.plan(
                worked: worked, read: stopFlag.isSet ? 0 : readCount, sinceLastRead: sinceLastRead,
                wantsMore: followers.map { merge.wantsMore($0.stream) })
            do {
                let reading = wait.upstreams.compactMap { followers[$0].socket }
                let sockets = reading + behaviour.loopSockets
                if !sockets.isEmpty {
                    let ready = try ZMQPoller.poll(sockets, timeoutMs: wait.timeoutMs)
                    let extraStart = reading.count
                    for i in extraStart..<sockets.count where ready[i] && !stateHeld {
                        let inputs = behaviour.loopSocketReadable(i - extraStart, host: self)
                        if !inputs.isEmpty { _ = try? appendInputs(inputs) }
                    }
                } else if wait.coalescing {
                    usleep(useconds_t(wait.timeoutMs * 1000))
                }
            }
            let now = Date()
            if now.timeIntervalSince(lastHeartbeat) >= heartbeat {
                // With a pipeline, what is published so far (the log may be a batch ahead, not yet published).
                try publisher.heartbeat(latest: pipeline == nil ? try log.lastSeq : status.currentLastSeq)
                lastHeartbeat = now
            }
            if stateHeld && !worked { usleep(2_000) } else { snapshotIfDue(now) }
            if let interval = systemd.watchdogInterval, now.timeIntervalSince(lastWatchdog) >= interval {
                systemd.watchdog()
                lastWatchdog = now
            }
        }
        shutdown()
        // A stop for a clean rebuild is a failure: the exit status must make supervisors restart us.
        if let needsRebuild { throw ServiceError.logUnavailable(needsRebuild) }
    }

    /// When the loop last read upstream events (monotonic nanoseconds; 0: never), for `LoopWait`.
    private var lastReadNanos: UInt64 = 0

    /// Failed attempts in a row per follower whose upstream log is damaged (backoff and STATUS).
    private var brokenAttempts: [Int: Int] = [:]
    /// What `STATUS.upstreamBroken` reports, by stream.
    private var brokenUpstreams: [String: LogDamage] = [:]

    /// An upstream's log is damaged: the consumer keeps serving what it has (its own log is sound) and
    /// folds nothing of the broken chain; it reports the file and first bad seq in STATUS
    /// (`upstreamBroken`) and as an error line once per attempt, retrying 1, 2, 4 … 60 s apart, so a
    /// restored file is taken up without a restart.
    private func upstreamBroken(
        _ i: Int, _ follower: StreamFollower, _ damage: LogDamage, retryAfter: inout [Int: Date]
    ) {
        let attempts = (brokenAttempts[i] ?? 0) + 1
        brokenAttempts[i] = attempts
        let delay = min(60, pow(2, Double(attempts - 1)))
        retryAfter[i] = Date().addingTimeInterval(delay)
        brokenUpstreams[follower.stream] = damage
        publishBrokenUpstreams()
        var fields: [String: LogValue] = [
            "upstream": .string(follower.stream), "log.path": .string(damage.path),
            "error": .string(damage.description), "attempt": .int(attempts), "retry.seconds": .double(delay),
        ]
        if let seq = damage.firstBadSeq { fields["seq"] = .int(Int(seq)) }
        logger.error("upstream log broken; not consuming it", fields)
    }

    private func upstreamRepaired(_ i: Int, _ follower: StreamFollower) {
        brokenAttempts[i] = nil
        brokenUpstreams[follower.stream] = nil
        publishBrokenUpstreams()
        logger.info("upstream log readable again", ["upstream": .string(follower.stream)])
    }

    private func publishBrokenUpstreams() {
        let entries: [(String, JSONValue)] = brokenUpstreams.keys.sorted().map { stream in
            let d = brokenUpstreams[stream]!
            var fields: [(String, JSONValue)] = [("path", .string(d.path)), ("error", .string(d.description))]
            if let seq = d.firstBadSeq { fields.append(("seq", .number(Double(seq)))) }
            return (stream, .object(fields))
        }
        status.set("upstreamBroken", .object(entries))
    }

    private func processSubmissions(_ submissions: [Inbox.Submission]) {
        var toAppend: [Event] = []
        var ranges: [(Inbox.Submission, Range<Int>)] = []
        for s in submissions {
            let start = toAppend.count
            for e in s.events {
                // Who sent a command is recorded as it is; no behaviour sees it.
                toAppend += e.type == CommandAccepted.eventType ? [e] : withBasis(behaviour.process(input: e))
            }
            ranges.append((s, start..<toAppend.count))
        }
        do {
            try commit(&toAppend)
            // One submission (an import's batch) takes the recorded batch whole: no copy of its events.
            if ranges.count == 1, ranges[0].1 == toAppend.indices {
                ranges[0].0.complete(.success(toAppend))
            } else {
                for (s, r) in ranges { s.complete(.success(Array(toAppend[r]))) }
            }
        } catch {
            undo(toAppend, error)
            for (s, _) in ranges { s.complete(.failure(error)) }
        }
    }

    /// Processes and appends own inputs produced on the loop thread.
    @discardableResult
    public func appendInputs(_ inputs: [Event]) throws -> [Event] {
        var toAppend: [Event] = []
        for e in inputs { toAppend += withBasis(behaviour.process(input: e)) }
        do {
            try commit(&toAppend)
            return toAppend
        } catch {
            undo(toAppend, error)
            throw error
        }
    }

    /// Processes own inputs produced on the loop thread and commits them as the pipeline commits consumed
    /// batches: on its thread, returning before they are durable (publication and `didCommit` follow once
    /// they are). Without a pipeline this is `appendInputs`. For inputs whose loss a crash may cause
    /// anyway and whose effect on the state is not undone — deliveries and acknowledgements, which the
    /// protocol sends again: a refused commit stops the service for a rebuild by replay.
    public func appendInputsPipelined(_ inputs: [Event]) throws {
        guard let pipeline else {
            try appendInputs(inputs)
            return
        }
        var toAppend: [Event] = []
        for e in inputs { toAppend += withBasis(behaviour.process(input: e)) }
        guard !toAppend.isEmpty else { return }
        pipeline.enqueue(toAppend)
    }

    /// After a refused commit of processed inputs: the behaviour rolls its state back to the log, or,
    /// when it cannot and the storage refused (disk full, read-only), the service stops for a clean
    /// rebuild by replay (systemd / Docker restart it). Other refusals keep the service running as before.
    private func undo(_ refused: [Event], _ error: Error) {
        guard !refused.isEmpty, !behaviour.commitFailed(refused) else { return }
        guard let fault = error as? ServiceError, fault == .diskFull || fault == .logReadOnly else { return }
        logger.error("state ran ahead of the log after a refused append; exiting for a clean rebuild")
        needsRebuild = "state ran ahead of the log after a refused append"
        stopFlag.set()
    }

    /// The upstream's anchor one event further: its chain hash over `event`.
    private func chained(_ anchor: (seq: Int64, hash: [UInt8]), _ event: Event) -> (seq: Int64, hash: [UInt8]) {
        // On the process's engine (SHA-NI where the CPU has it): every follower hashes every event it consumes
        // here, and on the Swift compression function this was the largest item of the verifier's profile.
        (event.seq, CanonicalEncoding.chainHash(
            previous: anchor.hash, event: event, scratch: &anchorScratch, hasher: SHA256Engine.hasher()))
    }

    /// STATUS of one upstream: `cursor` is what has been applied (read events the merge holds are not).
    private func reportUpstream(_ follower: StreamFollower) {
        status.update(
            upstream: .init(
                stream: follower.stream, cursor: min(follower.cursor, merge.applied(follower.stream)),
                latest: follower.knownLatest, gaps: follower.gapsDetected))
    }

    /// STATUS `upstreamHeld`: per upstream, the events read and held by the merge, and whom they wait for.
    private func reportHeld() {
        let held = merge.held
        guard !held.isEmpty || heldReported else { return }
        heldReported = !held.isEmpty
        status.set(
            "upstreamHeld",
            .object(held.map { h in
                (h.stream, .object([("queued", .number(Double(h.queued))), ("waitingFor", .array(h.waitingFor.map { .string($0) }))]))
            }))
    }
    private var heldReported = false

    /// `events` with the upstream positions applied so far added to those this service derives.
    private func withBasis(_ events: [Event]) -> [Event] {
        // Most upstream events derive nothing: no basis is built for them.
        guard !events.isEmpty, !basisPositions.isEmpty, behaviour.recordsUpstreamBasis else { return events }
        let basis = basisPositions.map { ($0.key, $0.value) }
        return events.map { e in
            guard e.type != InputConsumed.eventType, !behaviour.isOwnInput(e.type) else { return e }
            var e = e
            e.payload = UpstreamBasis.stamp(e.payload, basis)
            return e
        }
    }

    /// Applies runs of upstream events in the merged order and commits their outputs, each run followed
    /// by its `InputConsumed` marker, in one commit.
    private func consume(_ runs: inout [(stream: String, events: [Event])]) {
        var batch: [Event] = []
        for r in runs.indices {
            let stream = runs[r].stream
            batch += consumed(&runs[r].events, stream: stream)
        }
        if let pipeline {
            // Committed on the pipeline's thread while this thread folds the next batch; published and
            // handed to the behaviour's edges once durable (`finish`).
            pipeline.enqueue(batch)
            return
        }
        do {
            try commit(&batch)
        } catch {
            // The batch was not kept; the fold already advanced, so the only safe continuation is
            // a restart that rebuilds from the log (systemd / Docker restart the process).
            logger.error("cannot commit consumed batch; exiting for a clean rebuild", ["error": .string("\(error)")])
            needsRebuild = "cannot commit a consumed batch: \(error)"
            stopFlag.set()
        }
    }

    /// Applies one upstream's events; returns their outputs and the marker recording them. Each event is
    /// moved out of `events` for the behaviour to see and put back after (`events` is as given on return).
    private func consumed(_ events: inout [Event], stream: String) -> [Event] {
        var outputs: [Event] = []
        // The position is counted here and written to `basisPositions` before an output is stamped
        // with it: one dictionary update per run, not per event.
        let base = basisPositions[stream] ?? 0
        var positioned: Int64 = 0
        for k in events.indices {
            // Handed over from a local: an array's element was copied first (a retain and a release of
            // each string and the payload, cold in the cache by now); a swap moves it, twice.
            var e = UpstreamMerge.vacated
            swap(&e, &events[k])
            defer { swap(&e, &events[k]) }
            if UpstreamMerge.isPositioned(e) { positioned += 1 }
            // Who sent an upstream command is no fact: no position, and no behaviour sees it.
            guard e.type != CommandAccepted.eventType else { continue }
            let derived = behaviour.apply(upstream: e, stream: stream)
            if !derived.isEmpty {
                basisPositions[stream] = base + positioned
                outputs += withBasis(derived)
            }
        }
        basisPositions[stream] = base + positioned
        let first = events.first!.seq, last = events.last!.seq
        var anchor = first == 1 ? (0, CanonicalEncoding.genesis) : anchors[stream]
        if anchor?.seq != first - 1 { anchor = nil }
        if var a = anchor {
            // Read from the upstream's file, these events were checked against its chain as they were read:
            // where that walk agrees with ours before them, its hash after them is ours too.
            if let walk = followers.first(where: { $0.stream == stream })?.takeVerifiedChain(start: first - 1, end: last),
                walk.start == a.hash {
                a = (last, walk.end)
            } else {
                for e in events { a = chained(a, e) }
            }
            anchor = a
        }
        anchors[stream] = anchor
        var marker = Event(
            InputConsumed(stream: stream, after: first - 1, through: last, throughHash: anchor?.hash),
            id: EventID.derived("\(settings.name)|consumed|\(stream)|\(last)"), subject: stream,
            region: "", occurredAt: events.last!.occurredAt)
        marker.causation = events.last!.id
        return outputs + [marker]
    }

    /// Appends `events`, numbered in place (no copy of the batch): on return they are as recorded; on a
    /// throw as given (the behaviour's `commitFailed` sees them so).
    private func commit(_ events: inout [Event]) throws {
        guard !events.isEmpty else { return }
        // Whatever the pipeline holds goes first (the log's order is the fold's). A refusal among it
        // is thrown: the service is stopping for a rebuild, and these events must not follow the gap.
        if let failure = drainPipeline() { throw failure }
        do {
            let began = DispatchTime.now().uptimeNanoseconds
            try log.append(&events, recordedAt: Self.now())
            metrics.commitSeconds.observe(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
        } catch {
            // The transaction rolled back: nothing of the batch is in the log, which stays appendable
            // (the next commit after space returns succeeds without a restart).
            throw refused(error, events: events.count)
        }
        didAppend(events, headHash: (try? log.headHash.hexString) ?? "")
    }

    /// A refused append, classified, reported and set on the status board.
    private func refused(_ error: Error, events: Int) -> ServiceError {
        let fault = LogFault.classify(error, logPath: settings.logPath)
        status.set(error: fault.description)
        logger.error(
            "append refused",
            ["error": .string("\(error)"), "reason": .string(fault.description), "events": .int(events)])
        return fault
    }

    /// After an append: status, publication, and the behaviour's edges (deliveries) — in that order, on
    /// the loop thread, once the events are durable.
    private func didAppend(_ recorded: [Event], headHash: String) {
        status.set(error: nil)
        if let last = recorded.last { status.update(lastSeq: last.seq, headHash: headHash) }
        metrics.noteLogged(recorded)
        do {
            try publisher.publish(recorded)
        } catch {
            // Subscribers recover from a missed publication by replay.
            logger.warning("publish failed", ["error": .string("\(error)")])
        }
        behaviour.didCommit(recorded, host: self)
    }

    /// Finishes pipelined batches in order: a committed one is published and handed to the edges; a
    /// refused one stops the service for a clean rebuild (the fold already applied it and what followed).
    /// Returns the first refusal.
    @discardableResult
    private func finish(_ outcomes: [CommitPipeline.Outcome]) -> Error? {
        unfinished += outcomes
        var first: Error?
        while !unfinished.isEmpty {
            let outcome = unfinished.removeFirst()
            switch outcome.result {
            case let .success(committed):
                metrics.commitSeconds.observe(committed.seconds)
                didAppend(committed.recorded, headHash: committed.headHash)
            case let .failure(error):
                if first == nil {
                    let fault = refused(error, events: outcome.batch.count)
                    logger.error(
                        "cannot commit a pipelined batch; exiting for a clean rebuild", ["error": .string("\(error)")])
                    needsRebuild = "cannot commit a pipelined batch: \(error)"
                    stopFlag.set()
                    first = fault
                }
            }
        }
        return first
    }

    /// Waits for the pipeline's batches in flight and finishes them. Returns the first refusal.
    @discardableResult
    private func drainPipeline() -> Error? {
        guard let pipeline else { return nil }
        return finish(pipeline.drain())
    }

    private func shutdown() {
        systemd.stopping()
        // Consumed batches in flight are committed (or refused) and finished before the edges close.
        drainPipeline()
        // A graceful stop leaves a snapshot of what is committed (waiting for one in progress).
        if let seq = try? log.lastSeq, seq > lastSnapshotSeq { takeSnapshot(wait: true) } else { snapshotQueue.sync {} }
        behaviour.willStop(host: self)
        inbox.close()
        control?.stop()
        stopControlPlane()
        for f in followers { f.close() }
        publisher?.close()
        signals.cancel()
        exporter?.stop()
        finishIndexing()
        stampCheckedLog()
        logger.info("stopped", ["log.last_seq": .int(Int(status.currentLastSeq))])
    }

    /// Graceful stop: the log's sidecar index catches up with the head for a bounded time, so that an
    /// investigator's first look-up after the stop finds no long unindexed tail (docs/LOG_INDEX.md).
    private func finishIndexing() {
        guard log != nil else { return }
        let began = Date()
        let caughtUp = log.finishIndexing(within: EventLog.indexStopGrace)
        let fields: [String: LogValue] = ["seconds": .double(Date().timeIntervalSince(began))]
        if caughtUp {
            logger.info("index caught up at stop", fields)
        } else {
            logger.warning("index still behind at stop", fields)
        }
    }

    /// Graceful stop, last: `quick_check` of the log, a TRUNCATE checkpoint, and the file's stamp
    /// beside it (`LogStamp`), so that the next start skips the check if nothing touched the file.
    /// Any failure leaves no stamp (the next start checks).
    private func stampCheckedLog() {
        guard log != nil, needsRebuild == nil else { return }
        let began = Date()
        do {
            let findings = try log.checkStructure(.quick)
            guard findings.isEmpty else {
                logger.error("quick_check found damage at stop", ["findings": .string(findings.joined(separator: "; "))])
                return
            }
        } catch {
            logger.error("quick_check failed at stop", ["error": .string("\(error)")])
            return
        }
        guard log.checkpointTruncate(), LogStamp.write(logPath: settings.logPath) else {
            logger.info("log not stamped at stop (WAL in use); the next start runs quick_check")
            return
        }
        logger.info("log checked and stamped at stop", ["seconds": .double(Date().timeIntervalSince(began))])
    }

    // MARK: Control commands

    func handle(_ request: CommandRequest, reader: EventLog, channel: ControlChannel) -> CommandReply {
        if let refusal = authorize(request, channel: channel) { return refusal }
        if isReplaying, request.name != .status {
            return .error(.starting, "正在重放日志，尚未就绪 / replaying its log, not ready yet")
        }
        switch request.name {
        case .ping:
            return CommandReply(status: "OK", body: Array("{}".utf8))
        case .status:
            return CommandReply(status: "OK", body: status.json())
        case .reload:
            reloadControlPlane()
            behaviour.reload(host: self)
            return CommandReply(status: "OK", body: Array("{}".utf8))
        case .replay:
            do {
                return try reader.batch(try ReplayRequest(json: request.body)).reply
            } catch let e as WireFormatError {
                return .error(.badRequest, e.description)
            } catch let e as JSONError {
                return .error(.badRequest, e.description)
            } catch {
                return .error(.internalError, "\(error)")
            }
        case .snapshot:
            guard snapshotsApply else {
                return .error(.unsupported, "此服务不写快照 / this service writes no snapshots (snapshot.enabled)")
            }
            guard let written = loopTasks.perform({ [self] in takeSnapshot(wait: true) ?? "" }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            guard !written.isEmpty else {
                return .error(.unsupported, "此服务没有可写的快照 / nothing to snapshot (no state kept, or an empty log)")
            }
            var w = JSONWriter()
            w.beginObject()
            w.field("snapshot", written)
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        case .digest:
            // The state belongs to the loop thread: compute it there, with nothing in flight, so the
            // digest is that of the log up to `lastSeq`.
            guard let digest = loopTasks.perform({ [self] in
                drainPipeline()
                return (behaviour.stateDigest(), status.currentLastSeq)
            }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            var w = JSONWriter()
            w.beginObject()
            w.field("digest", digest.0)
            w.field("lastSeq", Int(digest.1))
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        default:
            if let reply = behaviour.handleCommand(request, host: self) { return reply }
            return .error(.unknownCommand, "unknown command \(request.command)")
        }
    }

    /// Wall clock in ms (recordedAt only; folds never see it).
    public static func now() -> Timestamp { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// A restored state's digest, computed off the loop thread (`ServiceBehaviour.restoreCheckingLater`).
final class DeferredDigestCheck: @unchecked Sendable {
    let path: String
    let expected: String
    let group = DispatchGroup()
    /// Written once by `compute`, read after `group` is done.
    private(set) var matched = false
    private(set) var seconds = 0.0

    init(path: String, expected: String) {
        self.path = path
        self.expected = expected
    }

    func compute(_ digest: () -> String) {
        let began = Date()
        matched = digest() == expected
        seconds = Date().timeIntervalSince(began)
    }
}

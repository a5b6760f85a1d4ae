import Foundation
import GongguCore
import GongguEvents

/// The metrics of one service, in Prometheus form (docs/MONITORING.md lists them all).
///
/// The host feeds what only it sees — commit latency, replay progress, rejects and ticks found in the
/// log — and the status board (`StatusBoard`) the rest: log head, upstream cursors and lag, the
/// service's figures. Behaviours add families of their own (`setFamily`: the notifier's counts per
/// recipient level). Everything is read under locks, so a scrape never touches the loop thread.
public final class ServiceMetrics: @unchecked Sendable {
    public let service: String
    public let version: String
    private let status: StatusBoard
    private let started = Date()
    private let lock = NSLock()
    /// Wall time of one commit of the own log (transaction and fsync), seconds.
    public let commitSeconds = Histogram(bounds: [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ])
    private var replayed = 0
    private var replayTarget = 0
    private var replaySeconds: Double?
    private var rejects: [String: Int] = [:]
    private var lastTick: String?
    private var disk: (free: Double, size: Double)?
    private var families: [String: (help: String, kind: PrometheusText.Kind, samples: [([(String, String)], Double)])] =
        [:]

    public init(service: String, version: String, status: StatusBoard) {
        self.service = service
        self.version = version
        self.status = status
    }

    // MARK: Fed by the host

    /// Replay at start-up begins, over an own log of `target` events.
    public func replayStarted(target: Int64) {
        lock.lock()
        replayTarget = Int(target)
        lock.unlock()
    }

    /// `count` more events of the own log replayed.
    public func replayProgress(_ count: Int) {
        lock.lock()
        replayed += count
        lock.unlock()
    }

    public func replayFinished(seconds: Double) {
        lock.lock()
        replaySeconds = seconds
        lock.unlock()
    }

    /// Events of the own log (appended or replayed): rejects by code and the last clock tick are
    /// counted from them, so the figures are those of the log, restarts included.
    public func noteLogged(_ events: [Event]) {
        // The type read in place: a `for e in events` copied every event (a retain and a release of
        // its strings and payload) to find the few this counts.
        for i in events.indices where Self.counts(events[i].type) { noteLogged(events[i]) }
    }

    /// The types `noteLogged` counts (its cases).
    @inline(__always)
    private static func counts(_ type: String) -> Bool {
        type == ClockTicked.eventType || type == RecordRejected.eventType
    }

    public func noteLogged(_ event: Event) {
        switch event.type {
        case ClockTicked.eventType:
            guard let tick = try? event.decode(ClockTicked.self) else { return }
            lock.lock()
            if lastTick.map({ tick.date > $0 }) ?? true { lastTick = tick.date }
            lock.unlock()
        case RecordRejected.eventType:
            let code = (try? event.decode(RecordRejected.self).code) ?? "unknown"
            lock.lock()
            rejects[code, default: 0] += 1
            lock.unlock()
        default:
            return
        }
    }

    /// Free and total bytes of the file system holding the data directory.
    public func setDisk(free: Double, size: Double) {
        lock.lock()
        disk = (free, size)
        lock.unlock()
    }

    /// A family a behaviour computes itself (replaces what it set before under `name`).
    public func setFamily(
        _ name: String, _ kind: PrometheusText.Kind, help: String, samples: [([(String, String)], Double)]
    ) {
        lock.lock()
        families[name] = (help, kind, samples)
        lock.unlock()
    }

    // MARK: Exposition

    /// The metrics in the text exposition format 0.0.4.
    public func render() -> String {
        let s = (try? JSONValue.parse(status.json())) ?? .object([])
        lock.lock()
        defer { lock.unlock() }
        var t = PrometheusText()
        let svc = ("service", service)
        t.family("gonggu_build_info", .gauge, "Build of the running service (value 1).")
        t.sample("gonggu_build_info", [svc, ("version", version)], 1)
        t.family("gonggu_process_start_time_seconds", .gauge, "Start of the service process, Unix time.")
        t.sample("gonggu_process_start_time_seconds", [svc], started.timeIntervalSince1970.rounded())
        t.family("gonggu_log_events_appended_total", .counter, "Events in the service's own log (its head seq).")
        t.sample("gonggu_log_events_appended_total", [svc], s["lastSeq"]?.intValue ?? 0)
        t.family("gonggu_log_append_failing", .gauge, "1 while the last append to the own log was refused.")
        t.sample("gonggu_log_append_failing", [svc], s["lastError"] == nil ? 0 : 1)
        t.family(
            "gonggu_commit_duration_seconds", .histogram, "Time of one commit (transaction and fsync) of the own log.")
        t.histogram("gonggu_commit_duration_seconds", [svc], commitSeconds.current)
        let ups = s["upstreams"]?.arrayValue ?? []
        for (name, type, help, key) in [
            ("gonggu_upstream_events_consumed_total", PrometheusText.Kind.counter,
             "Upstream events consumed (the cursor: last upstream seq consumed).", "cursor"),
            ("gonggu_upstream_head_seq", .gauge, "The upstream's last seq as this service last heard it.",
             "latest"),
            ("gonggu_upstream_lag_events", .gauge, "Upstream events not yet consumed (head seq minus cursor).",
             "lag"),
            ("gonggu_upstream_gaps_total", .counter, "Gaps in the live stream filled by replay since start.",
             "gaps"),
        ] {
            t.family(name, type, help)
            for u in ups {
                t.sample(name, [svc, ("upstream", u["stream"]?.stringValue ?? "?")], u[key]?.intValue ?? 0)
            }
        }
        t.family("gonggu_upstream_broken", .gauge, "1 while the upstream's log is damaged and not consumed.")
        for u in ups {
            let name = u["stream"]?.stringValue ?? "?"
            t.sample("gonggu_upstream_broken", [svc, ("upstream", name)], s["upstreamBroken"]?[name] == nil ? 0 : 1)
        }
        t.family("gonggu_replay_events_total", .counter, "Own-log events replayed at start-up so far.")
        t.sample("gonggu_replay_events_total", [svc], replayed)
        t.family("gonggu_replay_target_events", .gauge, "Own-log events the start-up replay walks.")
        t.sample("gonggu_replay_target_events", [svc], replayTarget)
        t.family("gonggu_replay_complete", .gauge, "1 once the start-up replay finished (the service is ready).")
        t.sample("gonggu_replay_complete", [svc], replaySeconds == nil ? 0 : 1)
        t.family("gonggu_replay_duration_seconds", .gauge, "Duration of the start-up replay (quick_check included).")
        t.sample("gonggu_replay_duration_seconds", [svc], replaySeconds ?? 0)
        t.family(
            "gonggu_records_rejected_total", .counter,
            "Records rejected, by rejection code (RecordRejected events in the log).")
        for code in rejects.keys.sorted() {
            t.sample("gonggu_records_rejected_total", [svc, ("code", code)], rejects[code]!)
        }
        if let accepted = s["acceptedRecords"]?.intValue {
            t.family("gonggu_records_accepted_total", .counter, "Records accepted into the intake log.")
            t.sample("gonggu_records_accepted_total", [svc], accepted)
        }
        t.family(
            "gonggu_clock_last_tick_timestamp_seconds", .gauge,
            "Business date of the last clock tick, as Unix time of its midnight in +08:00 (0: none).")
        t.sample("gonggu_clock_last_tick_timestamp_seconds", [svc], lastTick.flatMap(Self.midnightChina) ?? 0)
        if let disk {
            t.family(
                "gonggu_data_filesystem_free_bytes", .gauge,
                "Free bytes (for unprivileged users) of the file system of the data directory.")
            t.sample("gonggu_data_filesystem_free_bytes", [svc], disk.free)
            t.family("gonggu_data_filesystem_size_bytes", .gauge, "Size of the file system of the data directory.")
            t.sample("gonggu_data_filesystem_size_bytes", [svc], disk.size)
        }
        for name in families.keys.sorted() {
            let f = families[name]!
            t.family(name, f.kind, f.help)
            for (labels, value) in f.samples { t.sample(name, [svc] + labels, value) }
        }
        return t.text
    }

    /// Unix time of 00:00 of `date` (YYYY-MM-DD) in China Standard Time (UTC+8, no daylight saving).
    static func midnightChina(_ date: String) -> Double? {
        BusinessCalendar.dayNumber(date).map { Double($0 * 86400 - 8 * 3600) }
    }
}

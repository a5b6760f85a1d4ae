import Foundation
import GongguCore
import GongguStore
import GongguTransport

/// How to reach one upstream log.
public struct UpstreamSettings: Sendable, Equatable {
    /// Stream name (`intake`, `verify`, …).
    public var stream: String
    /// The upstream log file, when on the same host (read-only). Preferred for replay when set.
    public var logPath: String?
    /// The upstream PUB endpoint (live events).
    public var publish: String?
    /// The upstream replay endpoint (used when `logPath` is nil).
    public var replay: String?
    /// The streams this upstream itself derives from (`upstream.<stream>.follows`, by default its default
    /// upstreams): its events are merged with theirs in the order `UpstreamMerge` fixes.
    public var follows: [String]

    /// What the follower takes from the upstream's PUB socket: with the file on this host, heartbeats
    /// only (every event is read from the file, which the reads check against the chain); over the
    /// replay endpoint, every event.
    public var live: StreamFollower.Live { logPath == nil ? .events : .heartbeats }

    public init(
        stream: String, logPath: String? = nil, publish: String? = nil, replay: String? = nil, follows: [String] = []
    ) {
        self.stream = stream
        self.logPath = logPath
        self.publish = publish
        self.replay = replay
        self.follows = follows
    }
}

/// Settings every service shares, read from `Config` (file + `GONGGU_*` environment overrides).
public struct ServiceSettings: Sendable {
    public var name: String
    public var version: String
    /// Folder holding the service's log (created 0700 if absent).
    public var dataDirectory: String
    /// The own log file.
    public var logPath: String
    /// PUB endpoint for committed events.
    public var publishEndpoint: String
    /// ROUTER endpoint for replay and control commands (status, tick, rules …).
    public var controlEndpoint: String
    public var upstreams: [UpstreamSettings]
    /// Heartbeat period on the PUB socket.
    public var heartbeatMilliseconds: Int
    /// `synchronous` setting of the own log: `full` (default), `normal` or `off`.
    public var synchronous: String
    /// log2 of the events per index block of the own log when the service creates it
    /// (`log.index_block_shift`; an existing log keeps its own): by default the room's `ServiceProfile`.
    public var indexBlockShift: Int
    /// Who copies the own log's WAL back into its file (`log.checkpoint`: `commit` or `background`).
    public var checkpoint: WALCheckpointing
    /// Whether consumed upstream batches are committed on a second thread while the loop folds the next
    /// (`log.pipelined_commits`; `CommitPipeline`).
    public var pipelinedCommits: Bool
    public var logLevel: Logger.Level
    /// SNDHWM of the own PUB socket and RCVHWM of upstream subscriptions, in messages
    /// (`transport.send_hwm`, `transport.receive_hwm`). Overflow only costs a replay; small values
    /// are for tests that overflow them on purpose.
    public var sendHighWaterMark: Int32
    public var receiveHighWaterMark: Int32
    /// Scrape endpoint and textfile of the service's metrics (`metrics.*`, docs/MONITORING.md).
    public var metrics = MetricsSettings()
    /// Snapshots of the fold state beside the log (`snapshot.*`; `Snapshots`): whether, every how many
    /// events and minutes (0: not on that count), and how many are kept.
    public var snapshotsEnabled: Bool
    public var snapshotEveryEvents: Int
    public var snapshotEveryMinutes: Int
    public var snapshotKeep: Int
    /// `snapshot.growth_percent` (default 100): a snapshot by count also waits for new events of at least
    /// this percentage of what the last one covered (`SnapshotSchedule`; 0: `every_events` alone).
    public var snapshotGrowthPercent: Int
    /// When a snapshot is due by count.
    public var snapshotSchedule: SnapshotSchedule {
        SnapshotSchedule(everyEvents: snapshotEveryEvents, growthPercent: snapshotGrowthPercent)
    }

    /// The services of the deployment these settings were read against (defaults, who follows whom).
    public var topology: ServiceTopology

    /// Reads settings for `service`, one of `topology`'s services (its room's profile gives the defaults).
    public init(
        service: String, topology: ServiceTopology, config: Config, version: String = GongguVersion.current
    ) throws {
        guard let profile = topology[service] else {
            throw ConfigError.invalid("service", "\(service) is not one of \(topology.names.joined(separator: ", "))")
        }
        name = service
        self.topology = topology
        self.version = version
        dataDirectory = config.string("data.directory", default: "./gonggu-data")
        logPath = config.string("log.path", default: "\(dataDirectory)/\(service).log.sqlite")
        // Local sockets by default: TCP needs CURVE keys (docs/OPERATIONS.md §12).
        publishEndpoint = config.string("endpoints.publish", default: RuntimeDirectory.publish(service))
        controlEndpoint = config.string("endpoints.control", default: RuntimeDirectory.control(service))
        heartbeatMilliseconds = try config.int("heartbeat.milliseconds", default: 500)
        synchronous = config.string("log.synchronous", default: "full")
        guard ["full", "normal", "off"].contains(synchronous) else {
            throw ConfigError.invalid("log.synchronous", "must be full, normal or off")
        }
        indexBlockShift = try config.int(
            "log.index_block_shift", default: profile.indexBlockShift)
        guard (4...24).contains(indexBlockShift) else {
            throw ConfigError.invalid("log.index_block_shift", "must be between 4 and 24")
        }
        let checkpointName = config.string(
            "log.checkpoint", default: profile.checkpoint.rawValue)
        guard let checkpoint = WALCheckpointing(rawValue: checkpointName) else {
            throw ConfigError.invalid("log.checkpoint", "must be commit or background")
        }
        self.checkpoint = checkpoint
        pipelinedCommits = try config.bool("log.pipelined_commits", default: profile.pipelinedCommits)
        guard let level = Logger.Level(name: config.string("log.level", default: "info")) else {
            throw ConfigError.invalid("log.level", "must be debug, info, warning or error")
        }
        logLevel = level
        let hwm = (
            send: try config.int("transport.send_hwm", default: profile.sendHighWaterMark),
            receive: try config.int("transport.receive_hwm", default: profile.receiveHighWaterMark)
        )
        guard (0...Int(Int32.max)).contains(hwm.send), (0...Int(Int32.max)).contains(hwm.receive) else {
            throw ConfigError.invalid("transport", "high-water marks must be between 0 and \(Int32.max)")
        }
        sendHighWaterMark = Int32(hwm.send)
        receiveHighWaterMark = Int32(hwm.receive)
        snapshotsEnabled = try config.bool("snapshot.enabled", default: true)
        snapshotEveryEvents = try config.int("snapshot.every_events", default: 500_000)
        snapshotEveryMinutes = try config.int("snapshot.every_minutes", default: 30)
        snapshotKeep = try config.int("snapshot.keep", default: 3)
        snapshotGrowthPercent = try config.int("snapshot.growth_percent", default: 100)
        guard snapshotEveryEvents >= 0, snapshotEveryMinutes >= 0, snapshotKeep >= 1, snapshotGrowthPercent >= 0 else {
            throw ConfigError.invalid("snapshot", "every_events, every_minutes and growth_percent must be ≥ 0, keep ≥ 1")
        }
        var ups: [UpstreamSettings] = []
        for stream in config.strings("upstreams", default: profile.upstreams) {
            let dir = config.string("upstream.\(stream).directory", default: dataDirectory)
            let localPath = config.string("upstream.\(stream).log", default: "\(dir)/\(stream).log.sqlite")
            let useFile = try config.bool("upstream.\(stream).read_file", default: true)
            ups.append(
                UpstreamSettings(
                    stream: stream, logPath: useFile ? localPath : nil,
                    publish: config.string("upstream.\(stream).publish", default: RuntimeDirectory.publish(stream)),
                    replay: config.string("upstream.\(stream).replay", default: RuntimeDirectory.control(stream)),
                    follows: config.strings("upstream.\(stream).follows", default: topology.upstreams(of: stream))))
        }
        upstreams = ups
        metrics = try MetricsSettings(config: config)
    }
}

/// The version of this build: the one `Services/version.sh --stamp` wrote into
/// `GongguVersion+Stamp.generated.swift` (from the git tag, `git describe`; the package script does it
/// before its release build), else `dev` for a build from a tree nobody stamped.
public enum GongguVersion: GongguVersionStamp {
    public static let current: String = stamped ?? "dev"
}

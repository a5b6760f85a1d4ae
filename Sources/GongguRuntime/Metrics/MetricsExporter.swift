import Foundation

/// Where a service exposes its metrics (docs/MONITORING.md): `metrics.listen`, the scrape endpoint's
/// `HOST:PORT` (empty: none); `metrics.textfile`, a file for node_exporter's textfile collector
/// (empty: none), rewritten every `metrics.textfile_seconds` (default 15) and at stop.
public struct MetricsSettings: Sendable, Equatable {
    public var listen: String
    public var textfile: String
    public var textfileSeconds: Int

    public init(listen: String = "", textfile: String = "", textfileSeconds: Int = 15) {
        self.listen = listen
        self.textfile = textfile
        self.textfileSeconds = textfileSeconds
    }

    public init(config: Config) throws {
        listen = config.string("metrics.listen", default: "")
        textfile = config.string("metrics.textfile", default: "")
        textfileSeconds = try config.int("metrics.textfile_seconds", default: 15)
        guard (1...3600).contains(textfileSeconds) else {
            throw ConfigError.invalid("metrics.textfile_seconds", "must be between 1 and 3600")
        }
        if !listen.isEmpty { _ = try MetricsServer.split(listen) }
        if !textfile.isEmpty, !textfile.hasSuffix(".prom") {
            throw ConfigError.invalid("metrics.textfile", "node_exporter reads only files ending in .prom")
        }
    }

    /// The configuration keys above (`ConfigKeys.service`).
    public static let keys = ["metrics.listen", "metrics.textfile", "metrics.textfile_seconds"]
}

/// Runs a service's metrics edges off the loop thread: the scrape endpoint (`MetricsServer`), the
/// textfile (written atomically: a temporary file in the same folder, then `rename`), and a sampler of
/// the data directory's file system (free bytes, for metrics and `gonggu status --check`).
public final class MetricsExporter: @unchecked Sendable {
    private let settings: MetricsSettings
    private let metrics: ServiceMetrics
    private let status: StatusBoard
    private let dataDirectory: String
    private let logger: Logger
    private let server: MetricsServer?
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopping = false

    /// The bound port of the scrape endpoint, if any.
    public var port: Int? { server?.port }

    /// Binds the endpoint (before the start-up replay, so its progress can be watched) and starts the
    /// sampler thread.
    public init(
        settings: MetricsSettings, metrics: ServiceMetrics, status: StatusBoard, dataDirectory: String, logger: Logger
    ) throws {
        self.settings = settings
        self.metrics = metrics
        self.status = status
        self.dataDirectory = dataDirectory
        self.logger = logger
        if settings.listen.isEmpty {
            server = nil
        } else {
            let s = MetricsServer { [metrics] in metrics.render() }
            try s.start(address: settings.listen)
            server = s
            logger.info("metrics endpoint ready", ["metrics.listen": .string(settings.listen), "port": .int(s.port)])
        }
        sampleDisk()
        let t = Thread { [self] in run() }
        t.name = "metrics-sampler"
        t.start()
    }

    /// Stops the endpoint and the sampler, then writes the textfile a last time.
    public func stop() {
        lock.lock()
        let first = !stopping
        stopping = true
        lock.unlock()
        guard first else { return }
        wake.signal()
        done.wait()
        server?.stop()
        writeTextfile()
    }

    private func run() {
        defer { done.signal() }
        var lastWrite = Date.distantPast
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { return }
            sampleDisk()
            if Date().timeIntervalSince(lastWrite) >= Double(settings.textfileSeconds) {
                writeTextfile()
                lastWrite = Date()
            }
            _ = wake.wait(timeout: .now() + .milliseconds(min(5000, settings.textfileSeconds * 1000)))
        }
    }

    private func sampleDisk() {
        var s = statvfs()
        guard statvfs(dataDirectory, &s) == 0 else { return }
        let free = Double(s.f_bavail) * Double(s.f_frsize)
        let size = Double(s.f_blocks) * Double(s.f_frsize)
        metrics.setDisk(free: free, size: size)
        status.set("diskFreeBytes", .number(free))
        status.set("diskSizeBytes", .number(size))
    }

    private func writeTextfile() {
        guard !settings.textfile.isEmpty else { return }
        let path = settings.textfile
        let temporary = "\(path).\(getpid()).tmp"
        do {
            try Data(metrics.render().utf8).write(to: URL(fileURLWithPath: temporary))
            // Readable by node_exporter (the service's umask makes files private).
            chmod(temporary, 0o644)
            guard rename(temporary, path) == 0 else { throw MetricsServerError.socket("rename to \(path)", errno) }
        } catch {
            unlink(temporary)
            logger.warning("cannot write the metrics textfile", ["path": .string(path), "error": .string("\(error)")])
        }
    }
}

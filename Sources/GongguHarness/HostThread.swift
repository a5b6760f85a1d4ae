import Foundation
import GongguCore
import GongguEvents
import GongguNotifyService
import GongguRuntime
import GongguServices

/// A `ServiceHost` started and run on a thread of its own, as a service process runs it on its main
/// thread: tests and benchmarks watch its status board meanwhile and stop it like a signal would.
public final class HostThread: @unchecked Sendable {
    public let host: ServiceHost
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var thrown: Error?
    private var thread: pthread_t?

    /// Starts `host` (`start()` then `run()`) on a new thread (8 MiB of stack, as a process's main thread).
    public init(_ host: ServiceHost) {
        self.host = host
        let thread = Thread { [self] in
            lock.lock()
            self.thread = pthread_self()
            lock.unlock()
            do {
                try host.start()
                try host.run()
            } catch {
                lock.lock()
                thrown = error
                lock.unlock()
            }
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// CPU seconds the host's thread (its loop thread) has used so far; 0 before it started.
    public var cpuSeconds: Double {
        lock.lock()
        let t = thread
        lock.unlock()
        guard let t else { return 0 }
        var clock = clockid_t()
        guard pthread_getcpuclockid(t, &clock) == 0 else { return 0 }
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// What `start()` or `run()` threw, once the thread has ended (nil while it runs, or if nothing).
    public var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return thrown
    }

    /// Waits up to `seconds` for the host to end on its own; true if it did.
    public func ended(within seconds: Double) -> Bool {
        guard finished.wait(timeout: .now() + seconds) == .success else { return false }
        finished.signal()
        return true
    }

    /// Asks the host to stop, waits until it has, and rethrows what `start()` or `run()` threw.
    public func stop() throws {
        host.stopFlag.set()
        finished.wait()
        finished.signal()
        if let failure { throw failure }
    }
}

/// A notifier host (not started) with its data in `directory/data`, sockets `ipc://directory/s-…`, the CURVE
/// key `directory/notify.key`, the recipient directory `directory/recipients.json`, following the risk
/// log at `upstreamPath`; logging errors only.
public func notifierHost(directory dir: String, upstreamPath: String, pipelinedCommits: Bool) throws -> ServiceHost {
    let base = "ipc://\(dir)/s"
    var log: [(String, JSONValue)] = [("level", .string("error"))]
    if pipelinedCommits { log.append(("pipelined_commits", .bool(true))) }
    let root: JSONValue = .object([
        ("data", .object([("directory", .string("\(dir)/data"))])),
        ("endpoints", .object([("publish", .string("\(base)-pub")), ("control", .string("\(base)-control"))])),
        ("log", .object(log)),
        ("upstreams", .array([.string(Service.risk.rawValue)])),
        ("upstream", .object([(Service.risk.rawValue, .object([
            ("log", .string(upstreamPath)), ("publish", .string("\(base)-risk-pub")),
        ]))])),
        ("recipients", .object([
            ("endpoint", .string("\(base)-recipients")), ("server_key_file", .string("\(dir)/notify.key")),
            ("directory_file", .string("\(dir)/recipients.json")),
        ])),
    ])
    let config = Config(root: root, environment: [:])
    return ServiceHost(
        settings: try ServiceSettings(service: Service.notify.rawValue, config: config),
        behaviour: NotifyBehaviour(config: config),
        logger: Logger(label: "test", minimumLevel: .error))
}

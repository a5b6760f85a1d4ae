import Dispatch
import Foundation

/// Turns SIGTERM/SIGINT (stop) and SIGHUP (reload) into callbacks, with `DispatchSource`.
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "gonggu.signals")

    public init() {}

    /// Calls `handler` on a private queue for each delivery of `signals`.
    public func watch(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            // The default action must be off, or the process dies before the source fires.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    public func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}

/// A thread-safe one-way flag (stop requested).
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    public func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}

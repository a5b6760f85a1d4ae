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
            // The default action must be off, or the process dies before the source fires; dispatch
            // then installs its own handler, once per process. A signal that already has a handler
            // (an earlier watcher's) keeps it: ignoring it again would discard every later delivery,
            // and children inherit an ignored signal across exec (a SIGTERM could not stop them).
            if Self.hasDefaultAction(sig) { signal(sig, SIG_IGN) }
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

    private static func hasDefaultAction(_ sig: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(sig, nil, &current) == 0 else { return true }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 0  // SIG_DFL
    }
}

/// A thread-safe one-way flag (stop requested).
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    public var isSet: Bool { lock.withLock { value } }

    public func set() { lock.withLock { value = true } }
}

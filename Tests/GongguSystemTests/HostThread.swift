import Foundation
import GongguRuntime

/// A `ServiceHost` started and run on a thread of its own, as a service process runs it on its main
/// thread: tests watch its status board meanwhile and stop it like a signal would.
final class HostThread: @unchecked Sendable {
    let host: ServiceHost
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var thrown: Error?

    /// Starts `host` (`start()` then `run()`) on a new thread.
    init(_ host: ServiceHost) {
        self.host = host
        let thread = Thread { [self] in
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
        thread.start()
    }

    /// What `start()` or `run()` threw, once the thread has ended (nil while it runs, or if nothing).
    var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return thrown
    }

    /// Waits up to `seconds` for the host to end on its own; true if it did.
    func ended(within seconds: Double) -> Bool {
        guard finished.wait(timeout: .now() + seconds) == .success else { return false }
        finished.signal()
        return true
    }

    /// Asks the host to stop, waits until it has, and rethrows what `start()` or `run()` threw.
    func stop() throws {
        host.stopFlag.set()
        finished.wait()
        finished.signal()
        if let failure { throw failure }
    }
}

import Foundation
import GongguRuntime
import XCTest

/// A watcher ignores its signals' default action while it watches (else the process would die before
/// the handler runs), and ignored dispositions survive `exec`: a child started meanwhile, or after a
/// watcher that left them ignored, cannot be stopped with SIGTERM. An in-process `ServiceHost` in the
/// test process once left SIGTERM ignored, and a later `gonggu demo` then waited forever for its
/// bureau client to stop.
final class SignalWatcherTests: XCTestCase {
    /// Starts `sleep 30`, sends it SIGTERM, and says whether it died of that signal within 5 s.
    private func childDiesOfSIGTERM() throws -> Bool {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        kill(child.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while child.isRunning && Date() < deadline { usleep(10_000) }
        if child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            return false
        }
        return child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGTERM
    }

    /// A second watcher (a service host started after another in the same process, as in this test
    /// process) still gets its signals, and leaves nothing ignored behind it for children to inherit.
    func testSecondWatcherGetsItsSignalsAndChildrenCanBeStopped() throws {
        for round in 1...2 {
            let watcher = SignalWatcher()
            let received = DispatchSemaphore(value: 0)
            watcher.watch([SIGUSR2]) { _ in received.signal() }
            watcher.watch([SIGTERM]) { _ in }
            // Give the dispatch source time to be armed before the signal is raised.
            usleep(50_000)
            raise(SIGUSR2)
            XCTAssertEqual(received.wait(timeout: .now() + 2), .success, "round \(round): the handler ran")
            watcher.cancel()
            XCTAssertTrue(try childDiesOfSIGTERM(), "round \(round): a child started afterwards stops on SIGTERM")
        }
    }
}

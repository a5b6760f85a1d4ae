import Foundation

/// A condition that did not come true before its deadline; says what was awaited and for how long.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public let what: String
    public let seconds: TimeInterval

    public var description: String { "timed out after \(String(format: "%g", seconds)) s waiting for \(what)" }
}

/// Polls `condition` every `interval` seconds until it holds, or throws `WaitTimedOut` once `timeout`
/// seconds have passed. The one wait of the tests, the bench and `gonggu demo`: never a fixed sleep for
/// synchronisation, always a deadline. `what` is read only on timeout (it may describe the state
/// then); an error thrown by `condition` ends the wait at once.
public func waitFor(
    _ what: @autoclosure () -> String, timeout: TimeInterval = 30, interval: TimeInterval = 0.01,
    _ condition: () throws -> Bool
) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return }
        guard Date() < deadline else { throw WaitTimedOut(what: what(), seconds: timeout) }
        usleep(UInt32(max(0, interval) * 1e6))
    }
}

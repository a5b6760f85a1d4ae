import Foundation
import GongguCore
@testable import GongguTransport
import XCTest

/// Authenticators started and stopped back to back, as the hosts of one test process do, while other
/// threads keep every CPU busy: each start succeeds at once, and what a stopped one allowed is refused.
///
/// libzmq has one ZAP endpoint (`inproc://zeromq.zap.01`) per context, and every Gonggu socket of a
/// process is made from `ZMQContext.shared`; a handler that released the endpoint some time after
/// `stop()` returned made the next start fail with "Address already in use" on a loaded machine.
final class ZAPLifecycleTests: XCTestCase {
    static let server = try! CurveKeyPair.generate()

    func testAuthenticatorsStartAndStopBackToBackUnderCPULoad() throws {
        let load = CPULoad(seconds: 120)
        defer { load.stop() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<50 {
            let client = try CurveKeyPair.generate()
            let auth = ZAPAuthenticator(allowed: [client.publicKey: "client-\(i)"])
            do {
                try auth.start()
            } catch {
                XCTFail("start \(i) failed: \(error)")
                return
            }
            XCTAssertTrue(auth.isRunning, "start \(i)")
            let server = CommandServer(endpoint: "ipc://\(dir)/zap-\(i)", curve: (Self.server, auth)) {
                return { request in CommandReply(status: "OK", body: Array((request.peer ?? "").utf8)) }
            }
            try server.start()
            let call = CommandClient(
                stream: "x", endpoint: "ipc://\(dir)/zap-\(i)", timeoutMs: 20_000,
                curve: (client, Self.server.publicKey))
            let reply = try call.call("PING", body: [])
            XCTAssertEqual(String(decoding: reply.body, as: UTF8.self), "client-\(i)", "admitted and named, cycle \(i)")
            call.close()
            auth.stop()
            XCTAssertFalse(auth.isRunning, "stopped, cycle \(i)")
            // Once stop() has returned, the key it admitted is refused on the socket it served.
            let late = CommandClient(
                stream: "x", endpoint: "ipc://\(dir)/zap-\(i)", timeoutMs: 300,
                curve: (client, Self.server.publicKey))
            XCTAssertThrowsError(try late.call("PING", body: []), "refused after stop, cycle \(i)")
            late.close()
            server.stop()
        }
        XCTAssertGreaterThan(load.turns, 0, "the busy threads ran")
    }

    /// Two hosts in one process, each with its own allow-list: both start, and each server admits only
    /// its own clients.
    func testTwoAuthenticatorsRunSideBySideWithTheirOwnAllowLists() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try CurveKeyPair.generate(), second = try CurveKeyPair.generate()
        let a = ZAPAuthenticator(allowed: [first.publicKey: "first"])
        let b = ZAPAuthenticator(allowed: [second.publicKey: "second"])
        try a.start()
        defer { a.stop() }
        try b.start()
        defer { b.stop() }
        var servers: [CommandServer] = []
        defer { for s in servers { s.stop() } }
        for (name, auth) in [("a", a), ("b", b)] {
            let s = CommandServer(endpoint: "ipc://\(dir)/\(name)", curve: (Self.server, auth)) {
                return { request in CommandReply(status: "OK", body: Array((request.peer ?? "").utf8)) }
            }
            try s.start()
            servers.append(s)
        }
        func call(_ endpoint: String, _ keys: CurveKeyPair, timeoutMs: Int32 = 10_000) throws -> String {
            let c = CommandClient(
                stream: "x", endpoint: "ipc://\(dir)/\(endpoint)", timeoutMs: timeoutMs,
                curve: (keys, Self.server.publicKey))
            defer { c.close() }
            return String(decoding: try c.call("PING", body: []).body, as: UTF8.self)
        }
        XCTAssertEqual(try call("a", first), "first")
        XCTAssertEqual(try call("b", second), "second")
        XCTAssertThrowsError(try call("a", second, timeoutMs: 300), "a's server does not admit b's client")
        XCTAssertThrowsError(try call("b", first, timeoutMs: 300), "b's server does not admit a's client")
    }
}

/// Busy threads, one per processor, spinning until `stop()` or for `seconds` at most.
final class CPULoad: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var count = 0
    private let done = DispatchGroup()

    init(seconds: Double, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let deadline = Date().addingTimeInterval(seconds)
        for _ in 0..<max(1, threads) {
            done.enter()
            Thread { [self] in
                var x: UInt64 = 1
                while !isStopped, Date() < deadline {
                    for _ in 0..<100_000 { x = x &* 6_364_136_223_846_793_005 &+ 1 }
                    lock.lock()
                    count += 1
                    lock.unlock()
                }
                if x == 0 { print("") }
                done.leave()
            }.start()
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Rounds of work done so far.
    var turns: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// Stops the threads and waits until they have ended.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        done.wait()
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguStore
import GongguTransport
import XCTest

/// The backbone with real processes and real sockets: a log owner (`gonggu dev emit`) and a
/// consumer (`gonggu dev mirror`) that copies the stream into its own log. Whatever happens on the
/// way — late start, high-water-mark overflow, SIGKILL — the consumer ends with exactly the
/// publisher's events: no gap, no duplicate, same order.
final class BackboneProcessTests: XCTestCase {
    var dir = ""
    var processes: [ServiceProcess] = []

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("backbone")
    }

    override func tearDown() {
        for p in processes { p.stop() }
        processes.removeAll()
        try? FileManager.default.removeItem(atPath: dir)
    }

    var emitControl: String { "ipc://\(dir)/emit/emit-control.sock" }
    var emitPublish: String { "ipc://\(dir)/emit/emit-publish.sock" }
    var mirrorControl: String { "ipc://\(dir)/mirror/mirror-control.sock" }

    func startEmitter(_ extra: [String] = []) throws -> ServiceProcess {
        let p = try ServiceProcess("gonggu", ["dev", "emit", "--data", "\(dir)/emit"] + extra, logTo: dir)
        processes.append(p)
        try waitReady(emitControl)
        return p
    }

    func startMirror(_ extra: [String] = []) throws -> ServiceProcess {
        let p = try ServiceProcess(
            "gonggu",
            ["dev", "mirror", "--data", "\(dir)/mirror", "--upstream-publish", emitPublish, "--upstream-replay", emitControl]
                + extra, logTo: dir)
        processes.append(p)
        try waitReady(mirrorControl)
        return p
    }

    @discardableResult
    func append(_ count: Int, start: Int) -> (Int, Int)? {
        let body = "{\"count\": \(count), \"payloadBytes\": 300, \"salt\": \"t\", \"start\": \(start)}"
        guard let (status, reply) = command(emitControl, "APPEND", body, timeoutMs: 30_000), status == "OK",
            let first = reply?["first"]?.intValue, let last = reply?["last"]?.intValue
        else { return nil }
        return (first, last)
    }

    func mirrorCursor() -> Int {
        guard let (_, status) = command(mirrorControl, "STATUS", timeoutMs: 1000),
            let up = status?["upstreams"]?.arrayValue?.first
        else { return -1 }
        return up["cursor"]?.intValue ?? -1
    }

    /// The mirror's log holds exactly the emitter's events, in order, once each; both chains verify.
    func assertMirrorEqualsEmitter(file: StaticString = #filePath, line: UInt = #line) throws {
        let emitted = try EventLog(path: "\(dir)/emit/emit.log.sqlite", stream: "emit", readOnly: true)
        let mirrored = try EventLog(path: "\(dir)/mirror/mirror.log.sqlite", stream: "mirror", readOnly: true)
        var upstream: [EventID] = []
        try emitted.forEach { upstream.append($0.id) }
        var copies: [EventID] = []
        var consumedThrough: Int64 = 0
        try mirrored.forEach { e in
            if e.type == "Mirrored" { copies.append(e.causation ?? .zero) }
            if e.type == "InputConsumed" {
                let marker = try JSONValue.parse(e.payload)
                XCTAssertEqual(marker["after"]?.intValue, Int(consumedThrough), "cursor ranges are contiguous", file: file, line: line)
                consumedThrough = Int64(marker["through"]?.intValue ?? 0)
            }
        }
        XCTAssertEqual(copies.count, upstream.count, "same number of events", file: file, line: line)
        XCTAssertEqual(Set(copies).count, copies.count, "no duplicate", file: file, line: line)
        XCTAssertTrue(copies == upstream, "same events in the same order", file: file, line: line)
        XCTAssertTrue(try emitted.verify().isIntact, file: file, line: line)
        XCTAssertTrue(try mirrored.verify().isIntact, file: file, line: line)
    }

    func testLateSubscriberGetsHistoryThenLive() throws {
        _ = try startEmitter()
        XCTAssertNotNil(append(3000, start: 0))
        let mirror = try startMirror()
        XCTAssertNotNil(append(2000, start: 3000))
        try waitFor("mirror to catch up") { mirrorCursor() == 5000 }
        mirror.stop()
        try assertMirrorEqualsEmitter()
    }

    func testHighWaterMarkOverflowRecoversByReplay() throws {
        _ = try startEmitter(["--sndhwm", "10"])
        // A tiny receive high-water mark and a slow consumer: PUB drops most live messages.
        let mirror = try startMirror(["--rcvhwm", "10", "--delay-ms", "20"])
        var next = 0
        for _ in 0..<10 {
            XCTAssertNotNil(append(1000, start: next))
            next += 1000
        }
        try waitFor("mirror to catch up", timeout: 60) { mirrorCursor() == next }
        let status = command(mirrorControl, "STATUS")?.1
        let gaps = status?["upstreams"]?.arrayValue?.first?["gaps"]?.intValue ?? 0
        XCTAssertGreaterThan(gaps, 0, "the overflow was detected as gaps and repaired by replay")
        mirror.stop()
        try assertMirrorEqualsEmitter()
    }

    func testConsumerKilledMidStreamResumesExactlyOnce() throws {
        _ = try startEmitter()
        var mirror = try startMirror()
        var next = 0
        for round in 0..<4 {
            // Keep the stream flowing while the consumer is killed with SIGKILL at an arbitrary instant.
            let writer = Thread { [emitControl = emitControl] in
                for i in 0..<5 {
                    let body = "{\"count\": 500, \"payloadBytes\": 300, \"salt\": \"t\", \"start\": \(next + i * 500)}"
                    _ = command(emitControl, "APPEND", body, timeoutMs: 30_000)
                }
            }
            writer.start()
            try waitFor("mirror to be mid-stream") { mirrorCursor() > next }
            mirror.kill9()
            while !writer.isFinished { usleep(5000) }
            next += 2500
            mirror = try startMirror()
            try waitFor("mirror to catch up after kill \(round + 1)") { mirrorCursor() == next }
        }
        mirror.stop()
        try assertMirrorEqualsEmitter()
    }

    func testSigtermDuringBurstKeepsEveryAcknowledgedEventAndExitsQuickly() throws {
        let emitter = try startEmitter()
        let acked = AckList()
        let writer = Thread { [emitControl = emitControl] in
            var start = 0
            while true {
                let body = "{\"count\": 500, \"payloadBytes\": 300, \"salt\": \"burst\", \"start\": \(start)}"
                guard let (status, reply) = command(emitControl, "APPEND", body, timeoutMs: 5000), status == "OK",
                    let first = reply?["first"]?.intValue, let last = reply?["last"]?.intValue
                else { return }
                acked.add(first...last, start: start)
                start += 500
            }
        }
        writer.start()
        try waitFor("a burst in progress") { acked.count >= 10 }
        let signalled = Date()
        emitter.signal(SIGTERM)
        let status = emitter.wait(timeout: 5)
        let took = Date().timeIntervalSince(signalled)
        XCTAssertEqual(status, 0, "exit 0 after SIGTERM")
        XCTAssertLessThan(took, 5, "exits within 5 seconds")
        while !writer.isFinished { usleep(5000) }
        // Restart on the same log: every acknowledged event is there, the chain intact.
        _ = try startEmitter()
        let log = try EventLog(path: "\(dir)/emit/emit.log.sqlite", stream: "emit", readOnly: true)
        XCTAssertTrue(try log.verify().isIntact)
        for (range, start) in acked.all {
            for (offset, seq) in range.enumerated() {
                let event = try XCTUnwrap(try log.read(after: Int64(seq - 1), limit: 1).first, "acknowledged seq \(seq) present")
                XCTAssertEqual(event.id, EventID.derived("burst|\(start + offset)"))
            }
        }
        XCTAssertGreaterThanOrEqual(acked.count, 10)
    }
}

/// Acknowledged seq ranges, filled by the writer thread.
final class AckList: @unchecked Sendable {
    private let lock = NSLock()
    private var ranges: [(ClosedRange<Int>, Int)] = []
    func add(_ r: ClosedRange<Int>, start: Int) {
        lock.lock()
        ranges.append((r, start))
        lock.unlock()
    }
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return ranges.count
    }
    var all: [(ClosedRange<Int>, Int)] {
        lock.lock()
        defer { lock.unlock() }
        return ranges
    }
}

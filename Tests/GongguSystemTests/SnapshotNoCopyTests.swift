import Foundation
import GongguCore
import GongguHarness
@testable import GongguRuntime
import XCTest

/// A streamed snapshot reads the live state without a copy (`SnapshotGate`): while it is being encoded
/// the loop changes nothing, so the state's storage is never shared with the snapshot when the loop
/// writes to it (a shared storage is what copy-on-write duplicates: at province scale hundreds of MiB
/// of the verifier's and risk monitor's state, docs/RELIABILITY.md, "Snapshots of fold state").
final class SnapshotNoCopyTests: PrivateDirectoryTestCase {
    override var directoryLabel: String { "snapshot-nocopy" }

    /// The state's storage, shared with a snapshot as a fold's arrays are (copied when written to while shared).
    final class Storage: @unchecked Sendable {
        var applied: [Int] = []
        init(_ applied: [Int] = []) { self.applied = applied }
    }

    /// A behaviour whose snapshot blocks in its encoding until the test lets it go, and which notes
    /// whether its storage was shared with a snapshot whenever the loop changed it.
    final class HeldStateBehaviour: ServiceBehaviour, @unchecked Sendable {
        static let type = "TestInput"
        private var storage = Storage()
        private let lock = NSLock()
        private var shared: [Int] = []
        private var reading = false
        private var appliedWhileReading: [Int] = []
        /// Signalled when a snapshot starts encoding; encodings wait until `letGo`.
        let encoding = DispatchSemaphore(value: 0)
        private let release = DispatchSemaphore(value: 0)
        private var released = false

        /// Lets the snapshot encoding now and every later one go on.
        func letGo() {
            lock.lock()
            released = true
            lock.unlock()
            release.signal()
        }

        func isOwnInput(_ type: String) -> Bool { type == Self.type }
        func process(input: Event) -> [Event] {
            change(Int(input.subject) ?? -1)
            return [input]
        }
        func apply(upstream event: Event, stream: String) -> [Event] { [] }
        func replayOwnInput(_ event: Event) { change(Int(event.subject) ?? -1) }
        func stateDigest() -> String { "\(storage.applied)" }

        private func change(_ n: Int) {
            lock.lock()
            if !isKnownUniquelyReferenced(&storage) { shared.append(n) }
            if reading { appliedWhileReading.append(n) }
            lock.unlock()
            // Copy-on-write, as an array does.
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.applied) }
            storage.applied.append(n)
        }

        func streamingSnapshot() -> SnapshotStream? {
            let copy = storage
            return SnapshotStream(
                digest: { "\(copy.applied)" },
                write: { [self] w in
                    lock.lock()
                    reading = true
                    let wait = !released
                    lock.unlock()
                    encoding.signal()
                    if wait { _ = release.wait(timeout: .now() + 60) }
                    for n in copy.applied { w.int(n) }
                    lock.lock()
                    reading = false
                    lock.unlock()
                })
        }

        /// Inputs applied while their storage was shared with a snapshot, and while a snapshot was encoding.
        var report: (shared: [Int], whileReading: [Int]) {
            lock.lock()
            defer { lock.unlock() }
            return (shared, appliedWhileReading)
        }
    }

    private func input(_ n: Int) -> Event {
        Event(
            id: EventID.derived("nocopy|\(n)"), type: HeldStateBehaviour.type, subject: "\(n)", region: "220102001001",
            occurredAt: 1_700_000_000_000, recordedAt: 1_700_000_000_000, payload: Array("{}".utf8))
    }

    /// Submits `event` from a thread of its own; the returned semaphore is signalled once it is committed.
    private func submit(_ host: ServiceHost, _ event: Event) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? host.submit([event])
            done.signal()
        }.start()
        return done
    }

    func testTheLoopChangesNothingWhileAStreamedSnapshotReadsTheState() throws {
        try FileManager.default.createDirectory(atPath: "\(dir)/data", withIntermediateDirectories: true)
        let settings = try ServiceSettings(
            service: "intake",
            config: Config(
                root: .object([
                    ("data", .object([("directory", .string("\(dir)/data"))])),
                    ("endpoints", .object([
                        ("publish", .string("ipc://\(dir)/pub")), ("control", .string("ipc://\(dir)/ctl")),
                    ])),
                    ("snapshot", .object([("enabled", .bool(true)), ("every_events", .number(1))])),
                ]), environment: [:]))
        let behaviour = HeldStateBehaviour()
        let host = ServiceHost(settings: settings, behaviour: behaviour, logger: Logger(label: "test", minimumLevel: .error))
        let thread = HostThread(host)
        defer {
            behaviour.letGo()
            try? thread.stop()
        }
        // The first input is committed; a snapshot is due after it and starts encoding.
        XCTAssertEqual(submit(host, input(1)).wait(timeout: .now() + 60), .success, "first input committed")
        XCTAssertEqual(behaviour.encoding.wait(timeout: .now() + 60), .success, "a snapshot started")
        // A second input while the snapshot reads: the loop turns (three tasks run on it, each in a
        // turn that began after the submission) but does not apply it.
        let second = submit(host, input(2))
        for _ in 0..<3 { XCTAssertNotNil(host.loopTasks.perform(timeout: 60) { () }) }
        XCTAssertEqual(second.wait(timeout: .now()), .timedOut, "not committed while the snapshot reads the state")
        behaviour.letGo()
        XCTAssertEqual(second.wait(timeout: .now() + 60), .success, "committed once the snapshot ended")
        let report = behaviour.report
        XCTAssertEqual(report.whileReading, [], "nothing applied while the snapshot read the state")
        XCTAssertEqual(report.shared, [], "the state's storage was never shared with a snapshot when changed")
    }

    func testSnapshotsDueByEventsHoldTheStateStillForATenthOfTheTimeAtMost() {
        let gate = SnapshotGate()
        let now = Date()
        XCTAssertTrue(gate.mayStart(now))
        gate.begin()
        XCTAssertTrue(gate.isReading)
        XCTAssertFalse(gate.mayStart(now.addingTimeInterval(3600)), "one at a time")
        // An encoding that took 2 s: the next waits 18 s after it ended.
        gate.end(began: Date().addingTimeInterval(-2))
        XCTAssertFalse(gate.isReading)
        XCTAssertFalse(gate.mayStart(Date().addingTimeInterval(17)))
        XCTAssertTrue(gate.mayStart(Date().addingTimeInterval(18.5)))
    }
}

import Foundation
import GongguCore
import GongguTransport
import XCTest

/// An in-memory log for transport tests: appends, and answers replay requests like a real log.
final class MemorySource: EventSource, @unchecked Sendable {
    let stream: String
    private let lock = NSLock()
    private var events: [Event] = []

    init(stream: String = "test") { self.stream = stream }

    @discardableResult
    func append(count: Int, payloadBytes: Int = 100) -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        var out: [Event] = []
        for _ in 0..<count {
            let n = events.count + 1
            let e = Event(
                seq: Int64(n), id: EventID.derived("mem|\(n)"), type: "Test", subject: "S\(n)", region: "220102001001",
                occurredAt: Int64(n), payload: Array(String(repeating: "p", count: payloadBytes).utf8))
            events.append(e)
            out.append(e)
        }
        return out
    }

    var all: [Event] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }

    func read(_ request: ReplayRequest) throws -> EventBatch {
        lock.lock()
        defer { lock.unlock() }
        let start = Int(request.after)
        let slice = events.dropFirst(start).prefix(request.limit)
        return EventBatch(events: Array(slice), scannedTo: slice.last?.seq ?? request.after, latest: Int64(events.count))
    }
}

/// A fresh folder for sockets and files, removed after the test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "gonggu-test-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

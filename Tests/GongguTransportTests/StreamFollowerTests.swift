import Foundation
import GongguCore
import GongguHarness
@testable import GongguTransport
import XCTest

/// The Clone pattern: whatever PUB/SUB drops, the follower delivers exactly the log, in order.
final class StreamFollowerTests: XCTestCase {
    private func collect(_ follower: StreamFollower, until count: Int, source: MemorySource) throws -> [Event] {
        var got: [Event] = []
        try waitFor("\(count) events", timeout: 20) {
            got += try follower.next(timeoutMs: 5)
            return got.count >= count
        }
        return got
    }

    func testLateJoinerReplaysHistoryThenGoesLive() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub")
        try publisher.publish(source.append(count: 500))  // nobody listens yet: all lost on the wire
        let follower = try StreamFollower(source: source, publisher: "ipc://\(dir)/pub", cursor: 0)
        var got = try follower.next(timeoutMs: 0)
        XCTAssertEqual(got.count, 500, "history comes by replay")
        // Live: keep publishing until the subscription is established, then compare.
        try publisher.publish(source.append(count: 300))
        try waitFor("live events") {
            got += try follower.next(timeoutMs: 5)
            if got.count < source.all.count { try publisher.heartbeat(latest: Int64(source.all.count)) }
            return got.count == source.all.count
        }
        XCTAssertEqual(got.map(\.seq), Array(1...800).map(Int64.init))
        XCTAssertEqual(got.map(\.id), source.all.map(\.id))
    }

    func testHighWaterMarkOverflowIsRepairedByReplay() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub", sendHighWaterMark: 50)
        let follower = try StreamFollower(
            source: source, publisher: "ipc://\(dir)/pub", cursor: 0, receiveHighWaterMark: 20)
        // Make sure the subscription is live before the burst.
        var got: [Event] = []
        try waitFor("subscription") {
            try publisher.publish(source.append(count: 1))
            got += try follower.next(timeoutMs: 5)
            return follower.cursor > 0 && follower.gapsDetected == 0 && got.count == source.all.count
                && follower.replayedEvents < got.count
        }
        // A burst far beyond both high-water marks while the follower is not reading: PUB drops.
        for _ in 0..<20 { try publisher.publish(source.append(count: 500)) }
        try publisher.heartbeat(latest: Int64(source.all.count))
        try waitFor("all events", timeout: 30) {
            got += try follower.next(timeoutMs: 5)
            if got.count < source.all.count { try publisher.heartbeat(latest: Int64(source.all.count)) }
            return got.count == source.all.count
        }
        XCTAssertGreaterThan(follower.gapsDetected, 0, "the burst overflowed the high-water marks")
        XCTAssertEqual(got.map(\.seq), Array(1...Int64(source.all.count)))
        XCTAssertEqual(Set(got.map(\.id)).count, got.count, "no duplicates")
    }

    func testLostTailIsNoticedByHeartbeat() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub")
        let follower = try StreamFollower(source: source, publisher: "ipc://\(dir)/pub", cursor: 0)
        XCTAssertEqual(try follower.next(timeoutMs: 0).count, 0)
        // Events committed but never published (e.g. the owner crashed between commit and send).
        source.append(count: 7)
        var got: [Event] = []
        try waitFor("tail via heartbeat") {
            try publisher.heartbeat(latest: 7)
            got += try follower.next(timeoutMs: 5)
            return got.count == 7
        }
        XCTAssertEqual(got.map(\.seq), Array(1...7))
    }

    func testResumesFromCursorWithoutDuplicates() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        source.append(count: 100)
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub")
        let follower = try StreamFollower(source: source, publisher: "ipc://\(dir)/pub", cursor: 60)
        let got = try follower.next(timeoutMs: 0)
        XCTAssertEqual(got.first?.seq, 61)
        XCTAssertEqual(got.last?.seq, 100)
        publisher.close()
    }
}

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

    /// Every publication ends with a heartbeat carrying the last seq it sent, so a subscriber that takes
    /// heartbeats only hears of each commit at once, not a heartbeat period later.
    func testEveryPublicationEndsWithAHeartbeat() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub")
        let sub = try ZMQSocket(.sub, lingerMs: 0)
        try sub.subscribe("")
        try sub.connect("ipc://\(dir)/pub")
        var topics: [String] = []
        var seqs: [Int64] = []
        // Publish single events until the subscription is live; then one batch of three.
        try waitFor("subscription") {
            try publisher.publish(source.append(count: 1))
            return try sub.waitReadable(timeoutMs: 5)
        }
        while try sub.receiveMessage(dontWait: true) != nil {}
        try publisher.publish(source.append(count: 3))
        try waitFor("four messages") {
            while try sub.waitReadable(timeoutMs: 5) {
                guard let parts = try sub.receiveMessage(dontWait: true)?.parts else { break }
                let topic = String(decoding: parts[0], as: UTF8.self)
                topics.append(topic)
                seqs.append(WireFormat.isHeartbeat(parts[0])
                    ? try WireFormat.decodeSeq(parts[1]) : try CanonicalEncoding.decode(parts[1]).seq)
            }
            return topics.count >= 4
        }
        let last = Int64(source.all.count)
        XCTAssertEqual(topics, ["Test/220102001001", "Test/220102001001", "Test/220102001001", "_HB/test"])
        XCTAssertEqual(seqs, [last - 2, last - 1, last, last], "the heartbeat names the batch's last seq")
        publisher.close()
    }

    /// A follower on the upstream's host takes heartbeats only and reads every event from the source:
    /// nothing comes twice (wire and file), a burst costs no gap, and each publication wakes it.
    func testHeartbeatFollowerReadsEveryEventFromTheSource() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub", sendHighWaterMark: 50)
        let follower = try StreamFollower(
            source: source, publisher: "ipc://\(dir)/pub", cursor: 0, live: .heartbeats, receiveHighWaterMark: 20)
        var got: [Event] = []
        // Live once a publication (and no periodic heartbeat) brings the follower to the head: the first
        // read is the start-up replay, every later one needs a heartbeat that came over the wire.
        try waitFor("subscription") {
            try publisher.publish(source.append(count: 1))
            got += try follower.next(timeoutMs: 5)
            return got.count >= 2 && got.count == source.all.count && !follower.isBehind
        }
        // The next publications arrive by their heartbeats alone: the source is read at once.
        for _ in 0..<20 { try publisher.publish(source.append(count: 500)) }
        try waitFor("all events", timeout: 30) {
            got += try follower.next(timeoutMs: 5)
            return got.count == source.all.count
        }
        XCTAssertEqual(got.map(\.seq), Array(1...Int64(source.all.count)))
        XCTAssertEqual(follower.replayedEvents, got.count, "every event came from the source, none from the wire")
        XCTAssertEqual(follower.gapsDetected, 0, "a heartbeat ahead of the cursor is a wake-up, not a gap")
        publisher.close()
    }

    /// While every subscriber takes heartbeats only, events are not sent; a subscriber of the whole
    /// stream turns them on, and its leaving turns them off again.
    func testEventsAreSentOnlyWhileSomeoneSubscribesToThem() throws {
        let dir = try temporaryDirectory()
        let source = MemorySource()
        let publisher = try EventPublisher(stream: "test", endpoint: "ipc://\(dir)/pub")
        let follower = try StreamFollower(source: source, publisher: "ipc://\(dir)/pub", cursor: 0, live: .heartbeats)
        var got: [Event] = []
        try waitFor("heartbeat subscription") {
            try publisher.publish(source.append(count: 1))
            got += try follower.next(timeoutMs: 5)
            return got.count >= 2 && got.count == source.all.count
        }
        XCTAssertFalse(publisher.eventsWanted)
        XCTAssertEqual(publisher.unsent, source.all.count, "nobody wanted the events: none was sent")
        let sub = try ZMQSocket(.sub, lingerMs: 0)
        try sub.subscribe("")
        try sub.connect("ipc://\(dir)/pub")
        try waitFor("event subscription") { publisher.eventsWanted }
        try publisher.publish(source.append(count: 2))
        var topics: [String] = []
        try waitFor("events on the wire") {
            while let parts = try sub.receiveMessage(dontWait: true)?.parts { topics.append(String(decoding: parts[0], as: UTF8.self)) }
            return topics.count >= 3
        }
        XCTAssertEqual(topics, ["Test/220102001001", "Test/220102001001", "_HB/test"])
        sub.close()
        try waitFor("event subscriber gone") { !publisher.eventsWanted }
        let before = publisher.unsent
        try publisher.publish(source.append(count: 4))
        XCTAssertEqual(publisher.unsent, before + 4)
        try waitFor("the follower still hears of them") {
            got += try follower.next(timeoutMs: 5)
            return got.count == source.all.count
        }
        XCTAssertEqual(got.map(\.seq), Array(1...Int64(source.all.count)))
        publisher.close()
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

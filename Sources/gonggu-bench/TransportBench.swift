import CZMQ
import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguStore
import GongguTransport

/// Publish → subscribe throughput over tcp loopback, Gonggu's publisher and Clone-pattern follower
/// against raw libzmq PUB→SUB of the same bytes in the same run; and the latency from "append
/// requested" to "received by a subscriber" at a steady rate with durable (synchronous=FULL) append
/// before publish.
enum TransportBench {
    static func sampleEvents(_ count: Int, payloadBytes: Int = 300) -> [Event] {
        let filler = String(repeating: "x", count: max(0, payloadBytes - 30))
        return (0..<count).map { n in
            var w = JSONWriter()
            w.beginObject()
            w.field("n", n)
            w.field("filler", filler)
            w.endObject()
            return Event(
                seq: Int64(n + 1), id: EventID.derived("bench|\(n)"), type: SyntheticRecorded.eventType, subject: "H\(n % 1000)",
                region: "220102001001", occurredAt: 1_700_000_000_000 + Int64(n), recordedAt: 1_700_000_000_000,
                payload: w.bytes)
        }
    }

    /// Raw libzmq: the same topic and envelope bytes, sent and received with no Gonggu code at all.
    static func rawThroughput(_ events: [Event], port: Int) throws -> Double {
        let frames = events.map { (Array($0.topic.utf8), CanonicalEncoding.encode($0)) }
        let ctx = zmq_ctx_new()!
        defer { zmq_ctx_term(ctx) }
        let pub = zmq_socket(ctx, ZMQ_PUB)!
        var zero: Int32 = 0
        zmq_setsockopt(pub, ZMQ_SNDHWM, &zero, 4)
        zmq_setsockopt(pub, ZMQ_LINGER, &zero, 4)
        zmq_bind(pub, "tcp://127.0.0.1:\(port)")
        let received = ManagedCounter()
        let subReady = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        var elapsed = 0.0
        let target = frames.count
        let t = Thread {
            let sub = zmq_socket(ctx, ZMQ_SUB)!
            zmq_setsockopt(sub, ZMQ_RCVHWM, &zero, 4)
            zmq_setsockopt(sub, ZMQ_LINGER, &zero, 4)
            zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0)
            zmq_connect(sub, "tcp://127.0.0.1:\(port)")
            var msg = zmq_msg_t()
            // Wait for the warm-up message that proves the subscription is live.
            zmq_msg_init(&msg)
            zmq_msg_recv(&msg, sub, 0)
            while zmq_msg_more(&msg) != 0 { zmq_msg_recv(&msg, sub, 0) }
            subReady.signal()
            var count = 0
            var start = Date()
            while count < target {
                zmq_msg_recv(&msg, sub, 0)
                let topicSize = zmq_msg_size(&msg)
                if topicSize == 4 { continue }  // late warm-up
                if count == 0 { start = Date() }
                zmq_msg_recv(&msg, sub, 0)
                count += 1
            }
            elapsed = Date().timeIntervalSince(start)
            zmq_msg_close(&msg)
            zmq_close(sub)
            received.value = count
            done.signal()
        }
        t.start()
        while subReady.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
            zmq_send(pub, "warm", 4, ZMQ_SNDMORE)
            zmq_send(pub, "x", 1, 0)
        }
        for (topic, body) in frames {
            topic.withUnsafeBytes { _ = zmq_send(pub, $0.baseAddress, $0.count, ZMQ_SNDMORE) }
            body.withUnsafeBytes { _ = zmq_send(pub, $0.baseAddress, $0.count, 0) }
        }
        done.wait()
        zmq_close(pub)
        return Double(received.value) / elapsed
    }

    /// Gonggu: `EventPublisher` encodes each event, `StreamFollower` orders, checks and decodes it.
    static func gongguThroughput(_ events: [Event], port: Int) throws -> Double {
        let publisher = try EventPublisher(stream: "bench", endpoint: "tcp://127.0.0.1:\(port)", sendHighWaterMark: 0)
        defer { publisher.close() }
        var start = Date(), elapsed = 0.0, count = 0
        let done = try follow(publisher, port: port, total: events.count, batchLimit: 5000, receiveHighWaterMark: 0) {
            if count == 0 && !$0.isEmpty { start = Date() }
            count += $0.count
            if count >= events.count { elapsed = Date().timeIntervalSince(start) }
        }
        var i = 0
        while i < events.count {
            try publisher.publish(Array(events[i..<min(i + 1000, events.count)]))
            i += 1000
        }
        done.wait()
        return Double(count) / elapsed
    }

    /// Starts a thread that follows `publisher` on `port` (a `StreamFollower` with no replay) and hands
    /// each received batch to `receive` until `total` events came; returns once the subscription is live
    /// (heartbeats with seq 0 prove it), with the semaphore the thread signals when it ends.
    static func follow(
        _ publisher: EventPublisher, port: Int, total: Int, batchLimit: Int = 2000,
        receiveHighWaterMark: Int32 = 100_000, receive: @escaping ([Event]) -> Void
    ) throws -> DispatchSemaphore {
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            do {
                let follower = try StreamFollower(
                    source: StaticSource(events: []), publisher: "tcp://127.0.0.1:\(port)", cursor: 0,
                    batchLimit: batchLimit, receiveHighWaterMark: receiveHighWaterMark)
                while follower.socket!.getReadyHeartbeat() == false {}
                ready.signal()
                var seen = 0
                while seen < total {
                    let got = try follower.next(timeoutMs: 100)
                    seen += got.count
                    receive(got)
                }
                follower.close()
            } catch {
                print("follower failed: \(error)")
            }
            done.signal()
        }
        t.start()
        while ready.wait(timeout: .now() + .milliseconds(10)) == .timedOut { try publisher.heartbeat(latest: 0) }
        return done
    }

    /// The disk's own floor under a durable commit: `count` times, an 8 KiB write at the end of a
    /// file then `fdatasync`, timed together.
    static func fsyncLatency(directory: String, count: Int) throws -> (p50: Double, p99: Double, max: Double) {
        let path = directory + "/fsync.bin"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw StoreBenchError("cannot create \(path)") }
        defer {
            close(fd)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5a, count: 8192)
        var times: [Double] = []
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == block.count, fdatasync(fd) == 0 else {
                throw StoreBenchError("write or fdatasync failed: errno \(errno)")
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return (percentile(times, 0.5), percentile(times, 0.99), times.last ?? 0)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// A source with fixed content (the throughput runs never need replay: HWM 0 drops nothing).
final class StaticSource: EventSource {
    let stream = "bench"
    let events: [Event]
    init(events: [Event]) { self.events = events }
    func read(_ request: ReplayRequest) throws -> EventBatch {
        EventBatch(events: [], scannedTo: request.after, latest: request.after)
    }
}

final class ManagedCounter: @unchecked Sendable {
    var value = 0
}

extension ZMQSocket {
    /// Bench warm-up: true once a heartbeat (or anything) arrived, proving the subscription is live.
    /// Consumes that one message.
    func getReadyHeartbeat() -> Bool {
        (try? waitReadable(timeoutMs: 10)) == true && (try? receiveMessage(dontWait: true)) != nil
    }
}

import Foundation
import GongguCore

/// What a service reports to `gonggu status`: updated by the loop thread, read by the control
/// thread, guarded by a lock (plain values, no sockets).
public final class StatusBoard: @unchecked Sendable {
    public struct Upstream: Sendable {
        public var stream: String
        public var cursor: Int64
        public var latest: Int64
        public var gaps: Int
    }

    private let lock = NSLock()
    public let service: String
    public let version: String
    private let started = Date()
    private var lastSeq: Int64 = 0
    private var headHash = ""
    private var upstreams: [String: Upstream] = [:]
    private var extra: [String: JSONValue] = [:]
    private var lastError: String?

    public init(service: String, version: String) {
        self.service = service
        self.version = version
    }

    public func update(lastSeq: Int64, headHash: String) {
        lock.lock()
        self.lastSeq = lastSeq
        self.headHash = headHash
        lock.unlock()
    }

    public func update(upstream: Upstream) {
        lock.lock()
        upstreams[upstream.stream] = upstream
        lock.unlock()
    }

    /// Service-specific figures (connected recipients, pending notifications, rejects today …).
    public func set(_ key: String, _ value: JSONValue) {
        lock.lock()
        extra[key] = value
        lock.unlock()
    }

    public func set(error: String?) {
        lock.lock()
        lastError = error
        lock.unlock()
    }

    /// The last seq of the own log as last reported.
    public var currentLastSeq: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return lastSeq
    }

    /// The status as JSON (what the STATUS command returns).
    public func json() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var w = JSONWriter()
        w.beginObject()
        w.field("service", service)
        w.field("version", version)
        w.field("pid", Int(getpid()))
        w.field("uptimeSeconds", Int(Date().timeIntervalSince(started)))
        w.field("lastSeq", Int(lastSeq))
        w.field("headHash", headHash)
        w.objects("upstreams", upstreams.values.sorted(by: { $0.stream < $1.stream })) { w, u in
            w.field("stream", u.stream)
            w.field("cursor", Int(u.cursor))
            w.field("latest", Int(u.latest))
            w.field("lag", Int(max(0, u.latest - u.cursor)))
            w.field("gaps", u.gaps)
        }
        for key in extra.keys.sorted() {
            w.key(key)
            extra[key]!.write(to: &w)
        }
        if let lastError { w.field("lastError", lastError) }
        w.endObject()
        return w.bytes
    }
}

/// Judges the STATUS replies of a deployment, for `gonggu status` and monitoring checks: a service is
/// a problem when it does not answer, reports a failed append (`lastError`) or a head behind what its
/// consumers anchored (`anchoredBeyondHead`, seen at start-up), or follows an upstream
/// more than `maxLag` events behind. Pure: the same replies always give the same verdict.
public enum StatusCheck {
    /// One thing wrong, with the service it concerns.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public var service: String
        public var message: String

        public init(service: String, message: String) {
            self.service = service
            self.message = message
        }

        public var description: String { "\(service): \(message)" }
    }

    /// How far `reply`'s follower of `upstream` is behind: the larger of what the follower knows
    /// (`latest - cursor`, from heartbeats) and what the upstream itself reports as its last seq, so a
    /// follower that stopped hearing heartbeats still shows its lag.
    public static func lag(of upstream: JSONValue, replies: [String: JSONValue?]) -> Int {
        let cursor = upstream["cursor"]?.intValue ?? 0
        var lag = max(0, upstream["lag"]?.intValue ?? 0)
        if let name = upstream["stream"]?.stringValue, let reply = replies[name] ?? nil,
            let last = reply["lastSeq"]?.intValue
        {
            lag = max(lag, last - cursor)
        }
        return lag
    }

    /// The problems of a deployment; `replies[s]` is nil (or holds nil) for a service that did not answer.
    public static func problems(services: [String], replies: [String: JSONValue?], maxLag: Int) -> [Problem] {
        var out: [Problem] = []
        for s in services {
            guard let reply = replies[s] ?? nil else {
                out.append(Problem(service: s, message: "无响应 down (no answer on the control socket)"))
                continue
            }
            if let replay = reply["replay"], replay["done"]?.boolValue == false {
                out.append(
                    Problem(
                        service: s,
                        message: "重放日志中 replaying its log: seq \(replay["seq"]?.intValue ?? 0) of "
                            + "\(replay["lastSeq"]?.intValue ?? 0) (\(replay["percent"]?.intValue ?? 0)%)"))
            }
            if let error = reply["lastError"]?.stringValue {
                out.append(Problem(service: s, message: "无法写入日志 cannot append to its log: \(error)"))
            }
            for anchored in reply["anchoredBeyondHead"]?.arrayValue ?? [] {
                out.append(Problem(service: s, message: anchored.stringValue ?? "?"))
            }
            for (stream, broken) in reply["upstreamBroken"]?.objectValue ?? [] {
                out.append(
                    Problem(
                        service: s,
                        message: "上游日志损坏 upstream \(stream) log broken: \(broken["error"]?.stringValue ?? "?")"))
            }
            for u in reply["upstreams"]?.arrayValue ?? [] {
                let lag = lag(of: u, replies: replies)
                if lag > maxLag {
                    out.append(
                        Problem(
                            service: s,
                            message:
                                "落后上游 \(u["stream"]?.stringValue ?? "?") lags \(lag) events (more than \(maxLag))"))
                }
            }
        }
        return out
    }
}

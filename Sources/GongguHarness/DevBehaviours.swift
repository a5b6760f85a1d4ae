import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguTransport

extension SyntheticRecorded {
    /// An event carrying a payload of about `payloadBytes` bytes, region cycling over Jilin prefectures.
    public static func event(_ n: Int, payloadBytes: Int, salt: String) -> Event {
        let regions = ["220102001001", "220203002002", "220302003003", "220402004004", "220502005005"]
        let filler = String(repeating: "x", count: max(0, payloadBytes - 24))
        return Event(
            SyntheticRecorded(n: n, filler: filler), id: EventID.derived("\(salt)|\(n)"), subject: "H\(n % 1000)",
            region: regions[n % regions.count], occurredAt: 1_700_000_000_000 + Int64(n))
    }
}

/// `gonggu dev emit`: a log owner that appends synthetic events on request (`APPEND {count,
/// payloadBytes}` replies with the seqs once committed — the acknowledgement) or at a steady rate.
public final class EmitBehaviour: ServiceBehaviour {
    private var count = 0

    public init() {}

    public func isOwnInput(_ type: String) -> Bool { true }
    public func process(input: Event) -> [Event] {
        count += 1
        return [input]
    }
    public func apply(upstream event: Event, stream: String) -> [Event] { [] }
    public func replayOwnInput(_ event: Event) { count += 1 }
    public func stateDigest() -> String { SHA256.hash("\(count)").hexString }

    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        guard request.name == .append else { return nil }
        guard let body = try? JSONValue.parse(request.body), let n = body["count"]?.intValue, n > 0, n <= 100_000 else {
            return .error(.badRequest, "APPEND needs {\"count\": 1…100000}")
        }
        let bytes = body["payloadBytes"]?.intValue ?? 300
        let salt = body["salt"]?.stringValue ?? "\(ServiceHost.now())"
        let start = body["start"]?.intValue ?? 0
        let events = (0..<n).map { SyntheticRecorded.event(start + $0, payloadBytes: bytes, salt: salt) }
        do {
            let recorded = try host.submit(events)
            var w = JSONWriter()
            w.beginObject()
            w.field("first", Int(recorded.first?.seq ?? 0))
            w.field("last", Int(recorded.last?.seq ?? 0))
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        } catch {
            return .error(.unavailable, "\(error)")
        }
    }
}

/// `gonggu dev mirror`: a consumer that copies every upstream event into its own log as
/// `Mirrored` (causation = the upstream event), for delivery tests: the mirror's log must hold the
/// upstream's events exactly once, in order, whatever was dropped or killed on the way.
public final class MirrorBehaviour: ServiceBehaviour {
    private var digest = SHA256()
    private var count = 0
    /// Milliseconds to sleep per batch (to simulate a slow consumer and overflow high-water marks).
    private let delayMs: Int

    public init(delayMs: Int = 0) { self.delayMs = delayMs }

    public func isOwnInput(_ type: String) -> Bool { false }
    public func process(input: Event) -> [Event] { [] }

    public func apply(upstream event: Event, stream: String) -> [Event] {
        if delayMs > 0 && count % 100 == 0 { usleep(UInt32(delayMs * 1000)) }
        count += 1
        digest.update(event.id.bytes)
        var copy = event
        copy.seq = 0
        copy.type = "Mirrored"
        copy.id = EventID.derived(from: event.id, "mirror")
        copy.causation = event.id
        return [copy]
    }

    public func replayOwnInput(_ event: Event) {}

    public func stateDigest() -> String {
        var d = digest
        return d.finalize().hexString + "/\(count)"
    }
}

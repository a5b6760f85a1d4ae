import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime
import GongguTransport

/// Forwards bureau decisions to intake's submission endpoint as `decision` records, on a thread of
/// its own (which owns the CURVE client socket). The notifier's key is an intake client allowed
/// the `decision` kind; the `bureau` field carries the recipient the notifier authenticated.
/// Retries until intake confirms; a restart re-forwards nothing twice because intake de-duplicates
/// by record fingerprint.
final class DecisionForwarder: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [DecisionForwarded] = []
    private var stopping = false
    private let thread: Thread

    init(endpoint: String, keys: CurveKeyPair, serverKey: String, logger: Logger) {
        var box: DecisionForwarder?
        thread = Thread {
            guard let me = box else { return }
            let client = CommandClient(
                stream: Service.intake.rawValue, endpoint: endpoint, timeoutMs: 5000, curve: (keys, serverKey))
            while let next = me.take() {
                var delay: UInt32 = 200_000
                while !me.isStopping {
                    do {
                        let reply = try client.call("SUBMIT", body: Self.submission(next))
                        if reply.status == "OK" {
                            logger.info("decision forwarded to intake", ["household.id": .string(next.recorded.householdID)])
                        } else {
                            logger.error("intake refused a forwarded decision", ["reply": .string(String(decoding: reply.body, as: UTF8.self))])
                        }
                        break
                    } catch {
                        logger.warning("intake unavailable for decision forwarding; retrying", ["error": .string("\(error)")])
                        usleep(delay)
                        delay = min(delay * 2, 5_000_000)
                    }
                }
            }
            client.close()
        }
        thread.name = "decision-forwarder"
        box = self
        thread.start()
    }

    static func submission(_ d: DecisionForwarded) -> [UInt8] {
        let r = d.recorded
        var w = JSONWriter()
        w.beginObject()
        w.field("kind", "decision")
        w.key("records")
        w.beginArray()
        w.beginObject()
        w.field("householdID", r.householdID)
        w.field("region", d.region)
        w.field("decision", r.decision.rawValue)
        w.field("date", r.date)
        w.field("bureau", r.bureau)
        w.field("householdType", r.householdType?.rawValue)
        w.field("measure", r.measure)
        w.field("inReplyTo", r.inReplyTo)
        w.endObject()
        w.endArray()
        w.endObject()
        return w.bytes
    }

    func enqueue(_ d: DecisionForwarded) {
        condition.lock()
        queue.append(d)
        condition.signal()
        condition.unlock()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func take() -> DecisionForwarded? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        return stopping && queue.isEmpty ? nil : queue.removeFirst()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }
}

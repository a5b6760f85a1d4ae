import Foundation
import GongguCore
import GongguNotify
import GongguRuntime
import GongguTransport

/// The notifier's control commands (`TICK`, `DIRECTORY`, `RECEIPT_CHECK` …), answered on the loop thread.
extension NotifyBehaviour {
    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        switch request.name {
        case .tick:
            guard let tick = ClockCommand.request(request) else { return ClockCommand.usage }
            guard let last = host.loopTasks.perform({ [self] in fold.clockDate }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            if let answer = ClockCommand.answer(tick, lastTickDay: last.flatMap(BusinessCalendar.dayNumber)) {
                return answer
            }
            let event = ClockCommand.tick(tick, service: host.settings.name)
            do {
                let recorded = try host.submit([event])
                return CommandReply(status: "OK", body: Array("{\"appended\":\(recorded.count)}".utf8))
            } catch {
                return .error(.unavailable, "\(error)")
            }
        case .receiptCheck:
            // Intake asks, at import of a returned outbox file, where the notification a row names stands.
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            guard let id = body["id"]?.stringValue else {
                return .error(.badRequest, "RECEIPT_CHECK needs {\"id\": \"…\"}")
            }
            guard let answer = host.loopTasks.perform({ [self] () -> [UInt8] in
                var w = JSONWriter()
                w.beginObject()
                if let t = fold.receiptTarget(id) {
                    w.field("found", true)
                    w.field("recipient", t.recipient)
                    w.field("created", t.created)
                    w.field("outbox", t.outbox)
                    w.field("closed", t.closed)
                } else {
                    w.field("found", false)
                }
                w.endObject()
                return w.bytes
            }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            return CommandReply(status: "OK", body: answer)
        case .pending:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            guard let recipient = body["recipient"]?.stringValue else {
                return .error(.badRequest, "PENDING needs {\"recipient\": \"…\"}")
            }
            guard let count = host.loopTasks.perform({ [self] in fold.pendingIDs(for: recipient).ids.count }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            return CommandReply(status: "OK", body: Array("{\"pending\":\(count)}".utf8))
        case .overdue:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            let recipient = body["recipient"]?.stringValue
            let answer = host.loopTasks.perform { [self] () -> [UInt8] in
                var w = JSONWriter()
                w.beginArray()
                let ids = recipient.map { [$0] } ?? (fold.directory?.recipients.map(\.id) ?? [])
                for id in ids {
                    for o in fold.overdue(for: id) {
                        w.beginObject()
                        w.field("recipient", id)
                        w.field("notification", o.notification.notificationID)
                        w.field("title", o.notification.title)
                        w.field("created", o.notification.created)
                        w.field("daysOverdue", o.daysOverdue)
                        w.endObject()
                    }
                }
                w.endArray()
                return w.bytes
            }
            guard let answer else { return .error(.busy, "the service loop did not answer in time") }
            return CommandReply(status: "OK", body: answer)
        default:
            return nil
        }
    }
}

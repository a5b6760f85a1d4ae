import GongguCore
import GongguEvents
import GongguTransport

/// `TICK {"date": "YYYY-MM-DD", "force": false, "check": false}`: the clock event a service appends to
/// its own log. A date before the latest tick the service has taken is refused (`stale_date`) unless
/// `force`; `check` only answers whether the tick would be taken (and the latest tick), appending
/// nothing — `gonggu tick` checks every service first, so a tick is taken by all or by none.
public enum ClockCommand {
    public struct Request {
        public let date: String
        public let day: Int
        public let force: Bool
        public let check: Bool
    }

    public static func request(_ request: CommandRequest) -> Request? {
        guard let body = try? JSONValue.parse(request.body), let date = body["date"]?.stringValue,
            let day = BusinessCalendar.dayNumber(date)
        else { return nil }
        return Request(
            date: date, day: day, force: body["force"]?.boolValue ?? false, check: body["check"]?.boolValue ?? false)
    }

    /// The tick event for `request`.
    public static func tick(_ request: Request, service: String) -> Event {
        Event(
            ClockTicked(date: request.date), id: EventID.derived("\(service)|tick|\(request.date)|\(ServiceHost.now())"),
            subject: service, region: "", occurredAt: BusinessCalendar.timestamp(ofDay: request.day))
    }

    /// The reply when the tick is not to be appended — a refused stale date, or the answer to a check —
    /// else nil. `lastTickDay` is the latest business day this service has ticked, if any.
    public static func answer(_ request: Request, lastTickDay: Int?) -> CommandReply? {
        let last = lastTickDay.map { BusinessCalendar.dateText(ofDay: $0) }
        if let lastTickDay, request.day < lastTickDay, !request.force {
            return .error(
                "stale_date",
                "日期 \(request.date) 早于上次时钟 \(last ?? "")，未追加；确需如此请加 --force"
                    + " / date before the last tick \(last ?? ""), not appended; --force to append it anyway")
        }
        guard request.check else { return nil }
        var w = JSONWriter()
        w.beginObject()
        w.field("check", true)
        w.key("lastTick")
        if let last { w.string(last) } else { w.null() }
        w.endObject()
        return CommandReply(status: "OK", body: w.bytes)
    }

    /// The business day of a `ClockTicked` event, else nil.
    public static func tickDay(_ event: Event) -> Int? {
        guard event.type == ClockTicked.eventType, let t = try? event.decode(ClockTicked.self) else { return nil }
        return BusinessCalendar.dayNumber(t.date)
    }

    public static let usage = CommandReply.error(
        "bad_request", "TICK needs {\"date\": \"YYYY-MM-DD\"} (optional \"force\", \"check\": true|false)")
}

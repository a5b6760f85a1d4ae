import GongguCore
import GongguRuntime
import GongguTransport

/// `TICK {"date": "YYYY-MM-DD"}`: the clock event a service appends to its own log.
enum ClockCommand {
    /// The tick event for `date`, or nil when the body is not a valid request.
    static func tick(_ request: CommandRequest, service: String) -> Event? {
        guard let body = try? JSONValue.parse(request.body), let date = body["date"]?.stringValue,
            let day = BusinessCalendar.dayNumber(date)
        else { return nil }
        return Event(
            ClockTicked(date: date), id: EventID.derived("\(service)|tick|\(date)|\(ServiceHost.now())"),
            subject: service, region: "", occurredAt: BusinessCalendar.timestamp(ofDay: day))
    }

    static let usage = CommandReply.error("bad_request", "TICK needs {\"date\": \"YYYY-MM-DD\"}")
}

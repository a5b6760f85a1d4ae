import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// One recipient line of a test directory.
struct TestRecipient {
    var id: String
    var kind = "bureau"
    var level = "county"
    var region: String
    var escalateTo: String?
    var revoked = false
    var types: [String]?
    /// Channel types (`zmq`, `outbox`); nil for the directory's default.
    var channels: [String]?

    /// A valid Z85 key unique per id.
    var key: String {
        let base = "K" + id.filter { $0.isLetter || $0.isNumber }
        return String((base + String(repeating: "0", count: 40)).prefix(40))
    }

    var json: String {
        var s = """
            {"id":"\(id)","name":"测试单位\(id)","kind":"\(kind)","level":"\(level)","region":"\(region)",
            "publicKey":"\(key)","revoked":\(revoked)
            """
        if let escalateTo { s += ",\"escalateTo\":\"\(escalateTo)\"" }
        if let types { s += ",\"types\":[" + types.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        if let channels {
            s += ",\"channels\":[" + channels.map { "{\"type\":\"\($0)\"}" }.joined(separator: ",") + "]"
        }
        return s + "}"
    }
}

/// Two counties of 长春 (220102, 220182) and one of 延边 (222401), bureaus and offices, cities and province.
let standardRecipients: [TestRecipient] = [
    TestRecipient(id: "22-bureau", level: "province", region: "22"),
    TestRecipient(id: "2201-bureau", level: "city", region: "2201", escalateTo: "22-bureau"),
    TestRecipient(id: "220102-bureau", region: "220102", escalateTo: "2201-bureau"),
    TestRecipient(id: "220182-bureau", region: "220182", escalateTo: "2201-bureau"),
    TestRecipient(id: "2224-bureau", level: "city", region: "2224", escalateTo: "22-bureau"),
    TestRecipient(id: "222401-bureau", region: "222401", escalateTo: "2224-bureau"),
    TestRecipient(id: "2201-office", kind: "office", level: "city", region: "2201"),
    TestRecipient(id: "220102-office", kind: "office", region: "220102", escalateTo: "2201-office"),
    TestRecipient(id: "220182-office", kind: "office", region: "220182", escalateTo: "2201-office"),
]

func directoryDocument(_ recipients: [TestRecipient] = standardRecipients, afterDays: Int = 7) -> String {
    "{\"version\":\"test-1\",\"escalation\":{\"afterDays\":\(afterDays)},\"recipients\":["
        + recipients.map(\.json).joined(separator: ",") + "]}"
}

let day0 = BusinessCalendar.dayNumber("2025-03-01")!

func time(_ day: Int, hour: Int64 = 10) -> Timestamp { BusinessCalendar.timestamp(ofDay: day) + hour * 3_600_000 }

/// Builds the events of a scenario with unique, deterministic ids.
struct Script {
    private(set) var events: [Event] = []
    private var n = 0

    private mutating func nextID(_ label: String) -> EventID {
        n += 1
        return EventID.derived("test|\(label)|\(n)")
    }

    @discardableResult
    mutating func directory(_ document: String = directoryDocument(), day: Int = day0) -> Event {
        add(DirectoryActivated(document: document, version: "test"), subject: "notify", region: "22", at: time(day))
    }

    @discardableResult
    mutating func upstream(
        _ type: String, household: String, region: String, day: Int, title: String = "标题", summary: String = "内容",
        recommendation: String? = nil
    ) -> Event {
        var w = JSONWriter()
        w.beginObject()
        w.field("householdID", household)
        w.field("recommendationID", recommendation)
        w.field("title", title)
        w.field("summary", summary)
        w.field("findingID", "gap|\(household)|nursing")
        // Findings carry their measure (the notifier reads them with the verifier's own type).
        if ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved"].contains(type) {
            w.field("measure", "nursing")
        }
        w.key("thresholds")
        w.beginObject()
        w.field("monitoringLineFen", 760_000)
        w.endObject()
        w.endObject()
        let e = Event(
            id: nextID(type), type: type, subject: household, region: region, occurredAt: time(day), payload: w.bytes)
        events.append(e)
        return e
    }

    @discardableResult
    mutating func tick(_ day: Int) -> Event {
        add(
            ClockTicked(date: BusinessCalendar.dateText(ofDay: day)), subject: "notify", region: "22",
            at: time(day, hour: 0))
    }

    @discardableResult
    mutating func delivered(_ id: String, to recipient: String, day: Int, attempt: Int = 1) -> Event {
        add(
            NotificationDelivered(notificationID: id, recipient: recipient, channel: "zmq", attempt: attempt),
            subject: recipient, region: "22", at: time(day))
    }

    @discardableResult
    mutating func acknowledged(_ id: String, by recipient: String, day: Int, hour: Int64 = 11) -> Event {
        add(
            NotificationAcknowledged(notificationID: id, recipient: recipient), subject: recipient, region: "22",
            at: time(day, hour: hour))
    }

    @discardableResult
    mutating func decision(_ p: BureauDecisionSubmitted, day: Int) -> Event {
        add(p, subject: p.householdID, region: "22", at: time(day))
    }

    @discardableResult
    mutating func add<P: EventPayload>(_ payload: P, subject: String, region: String, at: Timestamp) -> Event {
        let e = Event(payload, id: nextID(P.eventType), subject: subject, region: region, occurredAt: at)
        events.append(e)
        return e
    }
}

/// Two county feedbacks and one finding routed under a 2-day escalation directory: the script (to add
/// more events to), the fold after them, and the 8 notifications as (id, recipient) — three bureau
/// levels per feedback, two office levels for the finding.
func threeRoutedSources() -> (script: Script, fold: NotifyFold, notifications: [(String, String)]) {
    var s = Script()
    s.directory(directoryDocument(afterDays: 2))
    s.upstream("RiskFeedback", household: "H1", region: "220102001001", day: day0)
    s.upstream("RiskFeedback", household: "H2", region: "220182003004", day: day0)
    s.upstream("EntitlementGap", household: "H3", region: "220102001002", day: day0)
    let routed = runFold(s.events)
    return (s, routed.fold, created(routed.outputs).map { ($0.notificationID, $0.recipient) })
}

/// Runs `events` through a fresh fold; returns it and every output.
func runFold(_ events: [Event]) -> (fold: NotifyFold, outputs: [Event]) {
    var fold = NotifyFold()
    var outputs: [Event] = []
    for e in events { outputs += fold.apply(e) }
    return (fold, outputs)
}

func created(_ outputs: [Event]) -> [NotificationCreated] {
    outputs.filter { $0.type == NotificationCreated.eventType }.map { try! $0.decode(NotificationCreated.self) }
}

func escalations(_ outputs: [Event]) -> [NotificationEscalated] {
    outputs.filter { $0.type == NotificationEscalated.eventType }.map { try! $0.decode(NotificationEscalated.self) }
}

import GongguCore
import GongguEvents

/// The notifier as a deterministic fold (docs/ARCHITECTURE.md): upstream decisions and findings become one
/// `NotificationCreated` per recipient of the event's jurisdiction; deliveries, acknowledgements,
/// directory activations, clock ticks and bureau decisions are its own inputs.
///
/// Outputs: `NotificationCreated`, `NotificationEscalated`, `DecisionForwarded`, `DecisionRefused`.
/// Their ids are derived from the input (and notification ids from the source event and recipient),
/// so replay gives the same outputs. The fold never sees its own outputs again (the runtime discards
/// them on rebuild); everything it needs from them is kept in its state when it emits them.
public struct NotifyFold: ServiceFold {
    /// The recipient directory in force (nil before the first valid `DirectoryActivated`).
    public internal(set) var directory: RecipientDirectory?
    /// SHA-256 of each directory activated, in order.
    var directoryHashes: [String] = []
    /// Every notification ever created, in creation order, found by id; unacknowledged ones with their
    /// full payload.
    var table = NotificationTable()
    /// Source event id or recommendation id → the first notification about it (to resolve replies).
    var replyIndex = ReplyIndex()
    /// Household → region code, from the events routed (validates bureau decisions).
    var householdRegions: [String: String] = [:]
    /// Keys of decisions already forwarded (`decisionKey`): the same decision sent again, in any form,
    /// is refused as `duplicate`. Rebuilt on replay from the logged `BureauDecisionSubmitted` inputs.
    var decisionKeys: Set<String> = []
    /// Counts by recipient id.
    var byRecipient = CountsTable()
    /// Counts by full region code; prefix queries sum them.
    var byRegion = CountsTable()
    /// Creation order of the next notification (its row in `table`).
    var nextOrdinal: Int { table.count }
    /// Latest clock tick day (−1 before any).
    var clockDay: Int32 = -1
    /// Day of the last escalation sweep (−1: none since the last directory activation).
    var sweptDay: Int32 = -1
    /// Ignored inputs by reason.
    public internal(set) var anomalies = NotifyAnomalies()

    /// An empty fold; the service activates a directory (`DirectoryActivated`) before anything routes.
    public init() {}

    /// Own input types: the runtime re-applies these from the own log on rebuild.
    public static let ownInputTypes: Set<String> = [
        NotificationReceipts.eventType, NotificationDelivered.eventType, NotificationAcknowledged.eventType,
        DirectoryActivated.eventType, ClockTicked.eventType, BureauDecisionSubmitted.eventType,
    ]

    /// Upstream types the fold consumes: decisions of the risk monitor, findings of the verifier, and
    /// from intake only the receipts offices return for their outbox files (`ReceiptRecorded`).
    public static let upstreamTypes: Set<String> = NotifyEventTypes.routable.union([ReceiptRecorded.eventType])

    public mutating func apply(_ event: Event) -> [Event] {
        var out = NotifyEmitter(cause: event)
        switch event.type {
        case NotificationReceipts.eventType:
            if let p = input(event, NotificationReceipts.self) {
                for entry in p.entries { applyReceipt(entry, recipient: p.recipient) }
            }
        case NotificationDelivered.eventType:
            if let p = input(event, NotificationDelivered.self) { onDelivered(p, at: event.occurredAt) }
        case NotificationAcknowledged.eventType:
            if let p = input(event, NotificationAcknowledged.self) {
                onAcknowledged(p.notificationID, by: p.recipient, at: event.occurredAt, explicit: true)
            }
        case DirectoryActivated.eventType:
            if let p = try? event.decode(DirectoryActivated.self), let d = try? RecipientDirectory(text: p.document) {
                directory = d
                directoryHashes.append(d.sha256)
                sweptDay = -1
            } else {
                anomalies.invalidDirectories += 1
            }
        case ClockTicked.eventType:
            if let p = try? event.decode(ClockTicked.self), let day = BusinessCalendar.dayNumber(p.date) {
                onTick(Int32(day), &out)
            } else {
                badInput()
            }
        case BureauDecisionSubmitted.eventType:
            if let p = input(event, BureauDecisionSubmitted.self) { onDecision(p, event, &out) }
        case ReceiptRecorded.eventType:
            if let p = try? event.decode(ReceiptRecorded.self) {
                onReceipt(p, at: event.occurredAt)
            } else {
                anomalies.malformedSources += 1
            }
        default:
            if NotifyEventTypes.routable.contains(event.type) { onUpstream(event, &out) }
        }
        return out.events
    }

    private mutating func badInput() { anomalies.malformedInputs += 1 }

    /// An own input's payload, or nil (counted in `malformedInputs`) when it does not decode.
    private mutating func input<P: EventPayload>(_ event: Event, _: P.Type) -> P? {
        guard let p = try? event.decode(P.self) else {
            badInput()
            return nil
        }
        return p
    }

    // MARK: Upstream decisions and findings

    private mutating func onUpstream(_ e: Event, _ out: inout NotifyEmitter) {
        guard let source = RoutedSource(e) else {
            anomalies.malformedSources += 1
            return
        }
        let household = source.householdID ?? e.subject
        guard let directory, !household.isEmpty else {
            anomalies.unrouted += 1
            return
        }
        let recipients = directory.route(type: e.type, region: e.region)
        guard !recipients.isEmpty else {
            anomalies.unrouted += 1
            return
        }
        householdRegions[household] = e.region
        let createdDay = Int32(BusinessCalendar.day(of: e.occurredAt))
        let sourceID = e.id.description
        let sourceKey = NotificationKey(e.id)
        let title = source.title ?? NotifyTexts.fallbackTitle(type: e.type, household: household)
        let summary = source.summary ?? title
        for r in recipients {
            let key = NotificationKey(EventID.derived(from: e.id, "notification|\(r.id)"))
            guard table.row(of: key) == nil else {
                anomalies.duplicateNotifications += 1
                continue
            }
            let id = key.description
            let payload = NotificationCreated(
                notificationID: id, recipient: r.id, sourceEventID: sourceID, sourceType: e.type, region: e.region,
                householdID: household, title: title, summary: summary,
                created: BusinessCalendar.dateText(ofDay: Int(createdDay)), findingID: source.findingID,
                sourcePayload: e.payloadText)
            let record = NotificationRecord(
                key: key, recipient: r.id, isEscalation: false, sourceEventID: sourceID, sourceType: e.type,
                region: e.region, householdID: household,
                createdDay: createdDay, replyTarget: source.recommendationID ?? sourceID,
                open: OpenNotification(payload))
            add(record)
            replyIndex.noteFirst(sourceKey, key)
            if let rec = source.recommendationID { replyIndex.noteFirst(rec, key) }
            out.emit(payload.logged, label: "NotificationCreated|\(r.id)", subject: household, region: e.region)
        }
        // Escalation counts from `created`: notifications made already overdue (old data arriving late)
        // allow another sweep on the clock's day, so they escalate on the next tick, even the same day.
        if clockDay >= 0, Int(clockDay - createdDay) > directory.escalationAfterDays {
            sweptDay = min(sweptDay, clockDay - 1)
        }
    }

    /// Adds a new notification (open, with its payload).
    mutating func add(_ record: NotificationRecord) {
        var record = record
        record.recipientSlot = byRecipient.slot(record.recipient)
        record.regionSlot = byRegion.slot(record.region)
        byRecipient[record.recipientSlot].created += 1
        byRegion[record.regionSlot].created += 1
        table.append(record)
    }

    /// The record of the notification with id `id`; nil for an unknown id.
    func record(_ id: String) -> NotificationRecord? { NotificationKey(id).flatMap { table.record($0) } }

    /// Applies `change` to the counts of the recipient and the region of the notification in `row`.
    mutating func count(row: Int32, _ change: (inout NotifyCounts) -> Void) {
        change(&byRecipient[table[row].recipientSlot])
        change(&byRegion[table[row].regionSlot])
    }

    // MARK: Deliveries and acknowledgements

    mutating func onDelivered(_ p: NotificationDelivered, at time: Timestamp) {
        // The record is changed in place (one probe; no copy of its texts out and back).
        guard let key = NotificationKey(p.notificationID), let row = table.row(of: key),
            table[row].recipient == p.recipient
        else {
            anomalies.strayDeliveries += 1
            return
        }
        table[row].deliveries += 1
        if table[row].deliveries == 1 {
            table[row].firstDeliveredAt = time
            count(row: row) { $0.delivered += 1 }
        }
    }

    /// Records an acknowledgement by `recipient`, and closes (withdraws) every escalation the
    /// notification started, down the chain. Returns whether it changed anything. `explicit` is false
    /// when a bureau decision answering the notification stands for the acknowledgement.
    @discardableResult
    mutating func onAcknowledged(_ id: String, by recipient: String, at time: Timestamp, explicit: Bool) -> Bool {
        guard let key = NotificationKey(id), let row = table.row(of: key) else {
            if explicit { anomalies.unknownAcknowledgements += 1 }
            return false
        }
        guard table[row].recipient == recipient else {
            if explicit { anomalies.foreignAcknowledgements += 1 }
            return false
        }
        if directory?.isRevoked(recipient) == true {
            if explicit { anomalies.revokedAcknowledgements += 1 }
            return false
        }
        guard !table[row].isAcknowledged else {
            if explicit { anomalies.duplicateAcknowledgements += 1 }
            return false
        }
        // Withdrawn with its chain: its recipient acknowledging it too is no anomaly, and no change.
        guard table[row].withdrawnDay == nil else { return false }
        let day = Int32(BusinessCalendar.day(of: time))
        table[row].acknowledgedDay = day
        let days = max(0, Int(day - table[row].createdDay))
        let millis = table[row].firstDeliveredAt.map { max(0, time - $0) }
        table.close(row)
        count(row: row) { c in
            c.acknowledged += 1
            c.ackDaysTotal += days
            c.ackDaysMax = max(c.ackDaysMax, days)
            if let millis {
                c.ackMillisTotal += millis
                c.ackMillisCount += 1
            }
        }
        withdrawEscalations(startedBy: row, day: day)
        return true
    }

    /// Closes the escalation the notification in `row` started, the one that escalation started, and so
    /// on: the original is acknowledged, so nobody up the chain needs to chase it any more.
    private mutating func withdrawEscalations(startedBy row: Int32, day: Int32) {
        var next = table[row].escalation
        while let key = next, let r = table.row(of: key) {
            if !table[r].isClosed {
                table[r].withdrawnDay = day
                table.close(r)
                count(row: r) { $0.withdrawn += 1 }
            }
            next = table[r].escalation
        }
    }
}

/// Collects the events one input causes (`CausedEvents`), ids derived from a label.
typealias NotifyEmitter = CausedEvents

extension CausedEvents {
    mutating func emit<P: EventPayload>(_ payload: P, label: String, subject: String, region: String) {
        append(payload, id: EventID.derived(from: cause.id, label), subject: subject, region: region)
    }
}

/// What the notifier takes from an upstream event it routes (docs/PROTOCOL.md §1.3), read with the producer's own
/// payload table (GongguEvents); everything else is carried along untouched in `sourcePayload`. Empty
/// texts and ids count as absent.
///
/// The tables build only the strings routing uses (`EventFields.building(only:)`); every other key is
/// still checked as the producer's read checks it, so a payload `decode` refuses (a `RiskFeedback`
/// with `"level":"severe"`, a missing `householdID`) is refused here too and counted malformed.
struct RoutedSource {
    var title: String?
    var summary: String?
    var householdID: String?
    var findingID: String?
    var recommendationID: String?

    init?(_ e: Event) {
        switch e.type {
        case RiskFeedback.eventType:
            guard let p = Self.read(e, Self.riskFeedback) else { return nil }
            self.init(p.explanation, p.householdID, recommendationID: p.recommendationID)
        case RecommendationOverdue.eventType:
            guard let p = Self.read(e, Self.overdue) else { return nil }
            self.init(p.explanation, p.householdID, recommendationID: p.recommendationID)
        case MonitoringWithoutAssistance.eventType:
            guard let p = Self.read(e, Self.withoutAssistance) else { return nil }
            self.init(p.explanation, p.householdID, recommendationID: "")
        case EntitlementGap.eventType:
            guard let p = Self.read(e, EntitlementGap.self) else { return nil }
            self.init(p)
        case AssistanceDiscontinued.eventType:
            guard let p = Self.read(e, AssistanceDiscontinued.self) else { return nil }
            self.init(p)
        case PaymentAnomaly.eventType:
            guard let p = Self.read(e, PaymentAnomaly.self) else { return nil }
            self.init(p)
        case FindingResolved.eventType:
            guard let p = Self.read(e, Self.resolved) else { return nil }
            self.init(p.title, p.summary, p.householdID, findingID: p.findingID, recommendationID: "")
        default:
            return nil
        }
    }

    static let riskFeedback = RiskFeedback.fields.building(only: ["householdID", "recommendationID", "title", "summary"])
    static let overdue = RecommendationOverdue.fields.building(
        only: ["householdID", "recommendationID", "title", "summary"])
    static let withoutAssistance = MonitoringWithoutAssistance.fields.building(only: ["householdID", "title", "summary"])
    static let finding = FindingBody.fields.building(only: ["findingID", "householdID", "title", "summary"])
    static let resolved = FindingResolved.fields.building(only: ["findingID", "householdID", "title", "summary"])

    /// The payload of `e` (of type `P`) read with `table`, a view of `P`'s own table: nil exactly when
    /// `e.decode(P.self)` throws. Another schema version than `P`'s goes through `decode` (upcasting).
    static func read<P: TabledPayload>(_ e: Event, _ table: EventFields<P>) -> P? {
        guard e.version == P.schemaVersion else { return try? e.decode(P.self) }
        return try? JSONReader.read(e.payload) { try table.read(&$0) }
    }

    /// A verifier finding's body, as `read` (the three finding types share one table).
    static func read<T>(_ e: Event, _: Finding<T>.Type) -> FindingBody? {
        guard e.version == Finding<T>.schemaVersion else { return (try? e.decode(Finding<T>.self))?.body }
        return try? JSONReader.read(e.payload) { try finding.read(&$0) }
    }

    private init(_ x: RiskExplanation, _ householdID: String, recommendationID: String) {
        self.init(x.title, x.summary, householdID, findingID: "", recommendationID: recommendationID)
    }

    private init(_ f: FindingBody) {
        self.init(f.title, f.summary, f.householdID, findingID: f.findingID, recommendationID: "")
    }

    private init(_ title: String, _ summary: String, _ householdID: String, findingID: String, recommendationID: String) {
        func given(_ s: String) -> String? { s.isEmpty ? nil : s }
        self.title = given(title)
        self.summary = given(summary)
        self.householdID = given(householdID)
        self.findingID = given(findingID)
        self.recommendationID = given(recommendationID)
    }
}

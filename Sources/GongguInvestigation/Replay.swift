import GongguCore
import GongguEvents
import GongguNotify

/// `gonggu replay`: the events of several logs that pass a filter, merged in causal order.
///
/// With a subject the logs are read through the subject index (and, for a
/// resident ID, the person index to find the person's households): the cost is that of the
/// household's history, not of the logs. Without one, the logs are read in batches (by type and
/// region prefix in SQL where one type is asked), and filtered as they stream by.
public enum Replay {
    /// Understands `subject`: a resident ID number stands for the person and every household their
    /// membership facts name; anything else is a subject key (a household id).
    public static func resolve(subject: String, in logs: LogSet) throws -> SubjectResolution {
        guard SubjectResolution.looksLikeResidentID(subject) else {
            return SubjectResolution(asked: subject, isPerson: false, households: [subject])
        }
        var households: [String] = []
        for source in logs.sources {
            for h in try source.households(ofPerson: subject) where !households.contains(h) { households.append(h) }
        }
        return SubjectResolution(asked: subject, isPerson: true, households: households)
    }

    /// Calls `body` with every selected event in causal order.
    public static func run(_ filter: ReplayFilter, logs: LogSet, _ body: (LocatedEvent) throws -> Void) throws {
        let merge = CausalMerge(logs: logs)
        if let subject = filter.subject {
            let resolution = try resolve(subject: subject, in: logs)
            merge.cursors = try logs.sources.map { ArrayCursor(try selected(resolution, filter, in: $0)) }
        } else {
            let exact = filter.types.count == 1 ? filter.types.first : nil
            merge.cursors = logs.sources.map { source in
                StreamCursor(
                    source, exactType: exact, regionPrefix: filter.regionPrefix, keep: filter.matches,
                    seen: { [weak merge] in merge?.note($0, source: source.position) })
            }
        }
        try merge.run(body)
    }

    /// Every selected event, in causal order.
    public static func collect(_ filter: ReplayFilter, logs: LogSet) throws -> [LocatedEvent] {
        var out: [LocatedEvent] = []
        try run(filter, logs: logs) { out.append($0) }
        return out
    }

    /// One log's events about the subject's keys, in log order, passing the other conditions.
    static func selected(_ resolution: SubjectResolution, _ filter: ReplayFilter, in source: LogSource) throws
        -> [Event]
    {
        var bySeq: [Int64: Event] = [:]
        for key in resolution.keys {
            for e in try source.events(subject: key) { bySeq[e.seq] = e }
        }
        if filter.includeDeliveries {
            for e in try deliveries(about: Array(bySeq.values), in: source) { bySeq[e.seq] = e }
        }
        return bySeq.values.filter(filter.matches).sorted { $0.seq < $1.seq }
    }

    /// Deliveries and acknowledgements of the notifications among `events`: the notifier records them
    /// under the recipient, so they are found through the recipient's subject index.
    static func deliveries(about events: [Event], in source: LogSource) throws -> [Event] {
        var byRecipient: [String: Set<String>] = [:]
        for e in events where e.type == NotificationCreated.eventType {
            guard let p = try? JSONValue.parse(e.payload), let id = p["notificationID"]?.stringValue,
                let recipient = p["recipient"]?.stringValue
            else { continue }
            byRecipient[recipient, default: []].insert(id)
        }
        var out: [Event] = []
        for (recipient, ids) in byRecipient.sorted(by: { $0.key < $1.key }) {
            for e in try source.events(subject: recipient) where LoggedReceipt.isReceipt(e.type) {
                if LoggedReceipt.all(in: e).contains(where: { ids.contains($0.notificationID) }) { out.append(e) }
            }
        }
        return out
    }
}

import GongguCore
import GongguEvents
import GongguNotify

/// One notification the notifier made (or would make) for a recipient, reduced to what a directory
/// comparison shows.
public struct RecipientNotification: Sendable, Equatable {
    /// The notification id: derived from the source event and the recipient, so the same notification
    /// has the same id under both directories.
    public var id: String
    public var recipient: String
    /// The kind of notification: the source event's type (`EntitlementGap`, `RiskFeedback`, …).
    public var type: String
    /// The household's 12-digit region.
    public var region: String
    public var householdID: String
    public var sourceEventID: String
    /// Business date of creation.
    public var created: String
    /// One line, Chinese (may hold personal data: mask it when showing).
    public var title: String

    /// Reads a routed `NotificationCreated`; nil for anything else (escalations included: see
    /// `RecipientsWhatIf`).
    init?(_ e: Event) {
        guard e.type == NotificationCreated.eventType, let p = try? e.decode(NotificationCreated.self),
            p.kind == NotificationCreated.routed
        else { return nil }
        (id, recipient, type, region) = (p.notificationID, p.recipient, p.sourceType, p.region)
        (householdID, sourceEventID, created, title) = (p.householdID, p.sourceEventID, p.created, p.title)
    }

    /// The 6-digit county prefix of the household's region.
    public var county: String { String(region.prefix(6)) }
}

/// What `gonggu recipients diff` reports.
public struct RecipientsWhatIfReport: Sendable {
    public var inForceVersion: String
    public var proposedVersion: String
    /// Entries that differ between the directory in force and the proposed one.
    public var entryChanges: [RecipientEntryChange]
    /// Notifications only the proposed directory makes (a recipient would start receiving them), and
    /// only the directory in force makes (it would stop), sorted by recipient, kind, region and id.
    public var started: [RecipientNotification]
    public var stopped: [RecipientNotification]
    /// Routed notifications in each run (after the region filter).
    public var inForceCount: Int
    public var proposedCount: Int
    /// Recipient id → name, from both directories (the proposed name wins).
    public var recipientNames: [String: String]

    /// One line of the summary by recipient, kind of notification and county.
    public struct Row: Sendable, Equatable {
        public var recipient: String
        public var type: String
        public var county: String
        public var started = 0
        public var stopped = 0
    }

    /// Counts per recipient, kind and county, sorted by the three.
    public var rows: [Row] {
        var rows: [String: Row] = [:]
        for (list, started) in [(self.started, true), (stopped, false)] {
            for n in list {
                let key = "\(n.recipient)|\(n.type)|\(n.county)"
                var row = rows[key] ?? Row(recipient: n.recipient, type: n.type, county: n.county)
                if started { row.started += 1 } else { row.stopped += 1 }
                rows[key] = row
            }
        }
        return rows.values.sorted { ($0.recipient, $0.type, $0.county) < ($1.recipient, $1.type, $1.county) }
    }
}

/// `gonggu recipients diff`: the notifier's fold rebuilt twice from its log, in-process and read-only
/// (`FoldReplayer`: its own activations, ticks, deliveries and acknowledgements, and each
/// `InputConsumed` marker's upstream range where the notifier consumed it) — once as it was, once with
/// the proposed directory activated before the first event and again after every `DirectoryActivated`
/// of the log (as if it had been in force all along) — in one pass (`PairedFold`), and the routed
/// notifications compared by id: who would start or stop receiving which notifications.
///
/// Escalations are not compared: whether a notification escalates depends on its acknowledgement, and
/// a recipient that never received a notification never acknowledged it, so the replay would make
/// every new recipient's notifications escalate. A change of `escalateTo` or of the escalation period
/// is listed among the entry changes instead.
public enum RecipientsWhatIf {
    public static func compare(
        proposed: RecipientDirectory, logs: LogSet, until instant: Timestamp? = nil, regionPrefix: String? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> RecipientsWhatIfReport {
        guard let source = logs.source(stream: Service.notify.rawValue), let log = source.local else {
            throw InvestigationError.noLogs("notify log")
        }
        let until = instant ?? Int64.max
        var total = 0
        for name in [Service.intake, .risk, .verify].map(\.rawValue) {
            total += Int(try logs.source(stream: name)?.local?.lastSeq ?? 0)
        }
        total += Int(try log.lastSeq)
        let proposal = Event(
            DirectoryActivated(proposed), id: EventID.derived("recipients-diff|\(proposed.sha256)"),
            subject: "directory", region: "", occurredAt: 0)
        var pair = PairedFold(
            WhatIfFold(NotifyFold(), proposal: nil, keep: RecipientNotification.init),
            WhatIfFold(NotifyFold(), proposal: proposal, keep: RecipientNotification.init)
        ) { progress?($0, total) }
        _ = try FoldReplayer(logs: logs).replay(
            &pair, service: source, until: until, isOwnInput: NotifyFold.ownInputTypes.contains)
        pair.finish()
        progress?(total, total)
        let inForce = pair.first.fold.inner.directory
        var before = pair.first.fold.kept
        var after = pair.second.fold.kept
        if let regionPrefix {
            before = before.filter { $0.region.hasPrefix(regionPrefix) }
            after = after.filter { $0.region.hasPrefix(regionPrefix) }
        }
        let a = Set(before.map(\.id))
        let b = Set(after.map(\.id))
        func sorted(_ l: [RecipientNotification]) -> [RecipientNotification] {
            l.sorted { ($0.recipient, $0.type, $0.region, $0.id) < ($1.recipient, $1.type, $1.region, $1.id) }
        }
        let base = try inForce ?? RecipientDirectory(text: emptyDirectory)
        return RecipientsWhatIfReport(
            inForceVersion: inForce?.version ?? "（无）", proposedVersion: proposed.version,
            entryChanges: RecipientDirectoryDiff.changes(from: base, to: proposed),
            started: sorted(after.filter { !a.contains($0.id) }), stopped: sorted(before.filter { !b.contains($0.id) }),
            inForceCount: a.count, proposedCount: b.count,
            recipientNames: Dictionary(
                ((inForce?.recipients ?? []) + proposed.recipients).map { ($0.id, $0.name) }, uniquingKeysWith: { $1 }))
    }

    /// Compared with when the log never activated a directory.
    static let emptyDirectory = "{\"version\": \"（无）\", \"recipients\": []}"
}

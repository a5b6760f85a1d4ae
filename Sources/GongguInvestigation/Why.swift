import GongguCore
import GongguEvents
import GongguNotify
import GongguRisk
import GongguVerify

/// The rule version a decision was taken under, and where that version entered the log.
public struct RulesInForce: Sendable {
    /// `risk`, `verify`, … (the rule id's first part).
    public var ruleSet: String
    public var version: String
    /// The `RulesActivated` event that brought the version in, nil for the built-in default document.
    public var activation: LocatedEvent?
    public var effectiveFrom: String?
    /// SHA-256 of the rule document, when activated by an event.
    public var sha256: String?
    /// The version is the module's built-in default document (never logged as an event).
    public var builtIn: Bool
}

/// One link of a causation chain.
public struct WhyLink: Sendable {
    /// How the link relates to the one it hangs under.
    public enum Role: String, Sendable {
        /// The event asked about.
        case asked
        /// The envelope's causation: the event that caused the one above.
        case cause
        /// Listed in the payload's `evidence`: a fact the decision used.
        case evidence
        /// Another event the payload names (a recommendation answered, a resolved finding, a notification).
        case reference
    }

    public var role: Role
    /// For references: the payload field naming the event.
    public var field: String?
    /// Distance from the event asked about (0 for it).
    public var depth: Int
    public var id: EventID
    /// The event and its log; nil when none of the logs holds it.
    public var located: LocatedEvent?
    /// Already shown above in the chain (not expanded again).
    public var repeated: Bool
    /// For a fact: the file (or endpoint) and line intake read it from.
    public var sourceFile: String?
    public var sourceLine: Int?
    public var title: String?
    public var ruleID: String?
    public var ruleVersion: String?
    /// Hex ids listed in the payload's `evidence`.
    public var evidence: [String]
    public var rules: RulesInForce?

    /// Whether this link is a source record (an intake fact with its file and line).
    public var isSourceRecord: Bool { !(sourceFile ?? "").isEmpty }
}

/// The whole explanation of one event: its links, depth-first (causation first, then evidence, then
/// references), each event expanded once.
public struct WhyReport: Sendable {
    public var links: [WhyLink]
    /// The source records reached (intake facts with file and line).
    public var sources: [WhyLink] { links.filter { $0.isSourceRecord && !$0.repeated } }
    /// Every rule version in force along the chain.
    public var rules: [RulesInForce] { links.compactMap(\.rules) }
}

/// `gonggu why`: why an event exists, back to the records it came from and the rules it applied.
public enum Why {
    /// Payload fields that name other events (or notifications) worth following.
    static let referenceFields = [
        "sourceEventID", "recommendationID", "resolvedBy", "inReplyTo", "notificationID", "escalationOf",
    ]

    /// Verifier event types that raise a finding (`findingID` names them).
    static let raisingTypes: Set<String> = [
        GapFinding.eventType, DiscontinuationFinding.eventType, AnomalyFinding.eventType,
    ]

    /// Explains event `id`, following links up to `maxDepth` steps across every log of `logs`.
    public static func explain(_ id: EventID, logs: LogSet, maxDepth: Int = 16) throws -> WhyReport {
        guard let found = try logs.locate(id) else { throw InvestigationError.eventNotFound(id.description) }
        var walker = Walker(logs: logs, maxDepth: maxDepth)
        try walker.visit(LocatedEvent(event: found.event, source: found.source), role: .asked, field: nil, depth: 0)
        return WhyReport(links: walker.links)
    }

    struct Walker {
        let logs: LogSet
        let maxDepth: Int
        var links: [WhyLink] = []
        var shown: Set<EventID> = []

        mutating func visit(_ at: LocatedEvent?, id: EventID? = nil, role: WhyLink.Role, field: String?, depth: Int)
            throws
        {
            let eventID = at?.event.id ?? id ?? .zero
            guard let at else {
                links.append(
                    WhyLink(
                        role: role, field: field, depth: depth, id: eventID, located: nil, repeated: false, evidence: []
                    ))
                return
            }
            let e = at.event
            let payload = try? JSONValue.parse(e.payload)
            var link = WhyLink(
                role: role, field: field, depth: depth, id: e.id, located: at, repeated: shown.contains(e.id),
                evidence: payload?["evidence"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            if let source = payload?["source"] {
                link.sourceFile = source["file"]?.stringValue
                link.sourceLine = source["line"]?.intValue
            }
            link.title = payload?["title"]?.stringValue
            link.ruleID = payload?["ruleID"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            link.ruleVersion = payload?["ruleVersion"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if !link.repeated, let version = link.ruleVersion {
                link.rules = try rulesInForce(ruleID: link.ruleID, version: version, decision: at)
            }
            links.append(link)
            guard !link.repeated, depth < maxDepth else { return }
            shown.insert(e.id)

            if let cause = e.causation {
                try visit(try locate(cause), id: cause, role: .cause, field: nil, depth: depth + 1)
            }
            for hex in link.evidence {
                guard let ev = EventID(hex) else { continue }
                try visit(try locate(ev), id: ev, role: .evidence, field: nil, depth: depth + 1)
            }
            for name in Why.referenceFields {
                guard let value = payload?[name]?.stringValue, let ref = EventID(value), ref != e.id else { continue }
                // A notification id is not an event id: find the notification that carries it.
                let target = try locate(ref) ?? notification(value, about: e.subject, near: at.source)
                if target?.event.id == e.id || target?.event.id == e.causation { continue }
                try visit(target, id: ref, role: .reference, field: name, depth: depth + 1)
            }
            // A finding id names the finding a resolution (or a notification) is about; it is a
            // stable string, not an event id: find the event that raised it.
            if let findingID = payload?["findingID"]?.stringValue, !Why.raisingTypes.contains(e.type),
                let raised = try finding(findingID, about: e.subject), raised.event.id != e.causation
            {
                try visit(raised, role: .reference, field: "findingID", depth: depth + 1)
            }
        }

        /// The verifier event that raised `findingID`, among the subject's events (subject index).
        func finding(_ findingID: String, about subject: String) throws -> LocatedEvent? {
            for source in logs.sources where source.stream == Service.verify.rawValue {
                for e in try source.events(subject: subject) where Why.raisingTypes.contains(e.type) {
                    if (try? JSONValue.parse(e.payload))?["findingID"]?.stringValue == findingID {
                        return LocatedEvent(event: e, source: source)
                    }
                }
            }
            return nil
        }

        func locate(_ id: EventID) throws -> LocatedEvent? {
            try logs.locate(id).map { LocatedEvent(event: $0.event, source: $0.source) }
        }

        /// The `NotificationCreated` carrying `notificationID`, among the subject's events of the
        /// notifier logs (subject index).
        func notification(_ notificationID: String, about subject: String, near: LogSource) throws -> LocatedEvent? {
            for source in logs.sources where source.stream == near.stream || source.stream == Service.notify.rawValue {
                for e in try source.events(subject: subject) where e.type == NotificationCreated.eventType {
                    if (try? JSONValue.parse(e.payload))?["notificationID"]?.stringValue == notificationID {
                        return LocatedEvent(event: e, source: source)
                    }
                }
            }
            return nil
        }

        /// The `RulesActivated` of `version` in the decision's own log, recorded before the decision
        /// (subject index: rule activations have the rule set as subject); else the built-in default.
        func rulesInForce(ruleID: String?, version: String, decision: LocatedEvent) throws -> RulesInForce {
            let ruleSet = ruleID.flatMap { $0.split(separator: ".").first.map(String.init) } ?? decision.source.stream
            var activation: LocatedEvent?
            var parsed: RulesActivated?
            for e in try decision.source.events(subject: ruleSet)
            where e.type == RulesActivated.eventType && e.seq < decision.event.seq {
                if let r = try? e.decode(RulesActivated.self), r.version == version, r.ruleSet == ruleSet {
                    activation = LocatedEvent(event: e, source: decision.source)
                    parsed = r
                }
            }
            let builtIn = activation == nil && Self.builtInVersion(ruleSet) == version
            return RulesInForce(
                ruleSet: ruleSet, version: version, activation: activation, effectiveFrom: parsed?.effectiveFrom,
                sha256: parsed?.sha256, builtIn: builtIn)
        }

        static func builtInVersion(_ ruleSet: String) -> String? {
            switch ruleSet {
            case Service.risk.rawValue: return (try? RuleDocument(text: RiskRules.defaultDocument))?.version
            case Service.verify.rawValue: return (try? RuleDocument(text: VerifyRules.defaultDocument))?.version
            default: return nil
            }
        }
    }
}

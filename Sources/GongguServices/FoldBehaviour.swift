import Foundation
import GongguCore
import GongguRuntime
import GongguStore
import GongguTransport

/// Runs a pure `ServiceFold` as a service: upstream events and own inputs (ticks, rule
/// activations) go through the fold; its outputs are appended and published by the host.
///
/// Control commands (JSON bodies):
/// - `TICK {"date": "YYYY-MM-DD"}` appends a `ClockTicked` (elapsed-time decisions are taken then).
/// - `RULES {"document": "…"}` validates a rule document and appends `RulesActivated`; an invalid
///   document is refused with a Chinese and English message and nothing changes.
/// - service-specific read-only queries (e.g. `CONTINUITY` on the verifier), answered on the loop thread.
public final class FoldBehaviour<F: ServiceFold>: ServiceBehaviour {
    private var fold: F
    /// The rule set this service accepts in `RULES`.
    public let ruleSet: String
    private let validateRules: (RuleDocument) throws -> Void
    /// Read-only queries on the fold, by command name (run on the loop thread).
    private let queries: [String: (F, JSONValue) -> CommandReply]
    /// SHA-256 of every rule document activated so far (from the log), so a configured document is
    /// activated once, as an event, and replay never depends on the configuration of the day.
    private var activatedRules = Set<String>()
    /// A rule document from configuration, activated at start if the log does not hold it yet.
    private let configuredRules: String?

    public init(
        fold: F, ruleSet: String, validateRules: @escaping (RuleDocument) throws -> Void,
        configuredRules: String? = nil, queries: [String: (F, JSONValue) -> CommandReply] = [:]
    ) {
        self.fold = fold
        self.configuredRules = configuredRules
        self.ruleSet = ruleSet
        self.validateRules = validateRules
        self.queries = queries
    }

    public func isOwnInput(_ type: String) -> Bool {
        type == ClockTicked.eventType || type == RulesActivated.eventType
    }

    public func process(input: Event) -> [Event] {
        noteRules(input)
        return [input] + fold.apply(input)
    }

    public func apply(upstream event: Event, stream: String) -> [Event] { fold.apply(event) }

    public func replayOwnInput(_ event: Event) {
        noteRules(event)
        _ = fold.apply(event)
    }

    private func noteRules(_ event: Event) {
        guard event.type == RulesActivated.eventType, let r = try? event.decode(RulesActivated.self) else { return }
        activatedRules.insert(r.sha256)
    }

    public func didStart(host: ServiceHost) throws {
        guard let text = configuredRules, !activatedRules.contains(SHA256.hash(text).hexString) else { return }
        // Runs before the loop: apply and append directly on this (the loop) thread.
        let reply = activate(text, host: host, direct: true)
        guard reply.status == "OK" else {
            throw ConfigError.invalid("rules.file", String(decoding: reply.body, as: UTF8.self))
        }
        host.logger.info("rule document from configuration activated", ["rules.sha256": .string(SHA256.hash(text).hexString)])
    }

    public func stateDigest() -> String { fold.stateDigest() }

    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        switch request.command {
        case "TICK":
            guard let event = ClockCommand.tick(request, service: host.settings.name) else { return ClockCommand.usage }
            return submitReply(event, host: host)
        case "RULES":
            guard let body = try? JSONValue.parse(request.body), let text = body["document"]?.stringValue else {
                return .error("bad_request", "RULES needs {\"document\": \"<rule document JSON>\"}")
            }
            return activate(text, host: host, direct: false)
        case let name where queries[name] != nil:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            let query = queries[name]!
            guard let reply = host.loopTasks.perform({ [self] in query(fold, body) }) else {
                return .error("busy", "the service loop did not answer in time")
            }
            return reply
        default:
            return nil
        }
    }

    /// Validates a rule document and appends its `RulesActivated`; refuses invalid documents with a
    /// Chinese and English message, leaving the running version in force.
    private func activate(_ text: String, host: ServiceHost, direct: Bool) -> CommandReply {
        let document: RuleDocument
        do {
            document = try RuleDocument(text: text)
            guard document.ruleSet == ruleSet else {
                throw RuleError.wrongRuleSet(expected: ruleSet, found: document.ruleSet)
            }
            try validateRules(document)
        } catch let e as RuleError {
            return .error("invalid_rules", "\(e.chinese) / \(e.description)")
        } catch {
            return .error("invalid_rules", "\(error)")
        }
        let day = BusinessCalendar.dayNumber(document.effectiveFrom)!
        let event = Event(
            RulesActivated(
                ruleSet: document.ruleSet, version: document.version, effectiveFrom: document.effectiveFrom, document: text),
            id: EventID.derived("\(host.settings.name)|rules|\(SHA256.hash(text).hexString)"),
            subject: document.ruleSet, region: "", occurredAt: BusinessCalendar.timestamp(ofDay: day))
        return submitReply(event, host: host, direct: direct)
    }

    private func submitReply(_ event: Event, host: ServiceHost, direct: Bool = false) -> CommandReply {
        do {
            let recorded = direct ? try host.appendInputs([event]) : try host.submit([event])
            var w = JSONWriter()
            w.beginObject()
            w.field("appended", recorded.count)
            w.field("seq", Int(recorded.first?.seq ?? 0))
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        } catch {
            return .error("unavailable", "\(error)")
        }
    }
}

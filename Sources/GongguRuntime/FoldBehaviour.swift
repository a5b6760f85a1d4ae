import Foundation
import GongguCore
import GongguEvents
import GongguStore
import GongguTransport

/// Runs a pure `ServiceFold` as a service: upstream events and own inputs (ticks, rule
/// activations) go through the fold; its outputs are appended and published by the host.
///
/// Control commands (JSON bodies):
/// - `TICK {"date": "YYYY-MM-DD"}` appends a `ClockTicked` (elapsed-time decisions are taken then); a date
///   before the latest tick is refused unless `"force": true`; `"check": true` appends nothing (ClockCommand).
/// - `RULES {"document": "…"}` validates a rule document and appends `RulesActivated`; an invalid
///   document is refused with a Chinese and English message and nothing changes. The reply names the
///   version activated and the version in force today (China Standard Time).
/// - `RULES_SHOW {}` answers the versions known (the built-in default, then each activated one) and
///   the document in force today.
/// - service-specific read-only queries (e.g. `CONTINUITY` on the verifier), answered on the loop thread.
public final class FoldBehaviour<F: ServiceFold>: ServiceBehaviour {
    private var fold: F
    /// The rule set this service accepts in `RULES`.
    public let ruleSet: RuleSet
    /// Read-only queries on the fold, by command name (run on the loop thread).
    private let queries: [String: (F, JSONValue) -> CommandReply]
    /// SHA-256 of every rule document activated so far (from the log), so a configured document is
    /// activated once, as an event, and replay never depends on the configuration of the day.
    private var activatedRules = Set<String>()
    /// The documents of `activatedRules`, in activation order (for a snapshot).
    private var activatedDocuments: [String] = []
    /// The versions known, in activation order (the built-in default first); read on the loop thread.
    private var ruleVersions: [RuleVersion]
    /// A rule document from configuration, activated at start if the log does not hold it yet.
    private let configuredRules: String?
    /// The latest business day ticked (from the log), for refusing an earlier `TICK`; loop thread.
    private var lastTickDay: Int?

    public init(
        fold: F, ruleSet: RuleSet, configuredRules: String? = nil,
        queries: [String: (F, JSONValue) -> CommandReply] = [:]
    ) {
        self.fold = fold
        self.configuredRules = configuredRules
        self.ruleSet = ruleSet
        self.queries = queries
        // The fold starts from the built-in default (covered by tests, so it always parses).
        let builtIn = try! RuleDocument(text: ruleSet.defaultDocument)
        ruleVersions = [RuleVersion(document: builtIn, source: "built-in")]
    }

    public func isOwnInput(_ type: String) -> Bool {
        type == ClockTicked.eventType || type == RulesActivated.eventType
    }

    public func process(input: Event) -> [Event] {
        noteRules(input)
        noteTick(input)
        return [input] + fold.apply(input)
    }

    public func apply(upstream event: Event, stream: String) -> [Event] { fold.apply(event) }

    public func replayOwnInput(_ event: Event) {
        noteRules(event)
        noteTick(event)
        _ = fold.apply(event)
    }

    private func noteTick(_ event: Event) {
        guard let day = ClockCommand.tickDay(event) else { return }
        lastTickDay = max(lastTickDay ?? day, day)
    }

    private func noteRules(_ event: Event) {
        guard event.type == RulesActivated.eventType, let r = try? event.decode(RulesActivated.self) else { return }
        noteRules(document: r.document, sha256: r.sha256)
    }

    private func noteRules(document text: String, sha256: String? = nil) {
        let sha = sha256 ?? SHA256.hash(text).hexString
        guard activatedRules.insert(sha).inserted else { return }
        activatedDocuments.append(text)
        // The fold ignores a document it refuses; so does the list of versions.
        if let document = try? ruleSet.check(text) {
            ruleVersions.append(RuleVersion(document: document, source: "sha256 \(sha.prefix(12))"))
        }
    }

    /// The version in force on business day `day`: like `RuleBook`, the latest effective date not after
    /// `day` (of equal dates, the later activation), else the earliest version.
    private func ruleVersionInForce(day: Int) -> RuleVersion {
        let ordered = ruleVersions.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }
        return ordered.last { $0.element.day <= day }?.element ?? ordered[0].element
    }

    /// Today in China Standard Time, the business calendar's day.
    private static var today: Int { BusinessCalendar.day(of: Int64(Date().timeIntervalSince1970 * 1000)) }

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

    /// Snapshot (`Snapshots`), when the fold is a `SnapshotFold`: `{"fold": <the fold's state>,
    /// "rules": [<every RulesActivated document, in activation order>], "lastTickDay": n}`. The fold is a
    /// value: the copy taken here is encoded (and its digest computed) off the loop thread.
    public func snapshot() -> (() -> (state: [UInt8], digest: String))? {
        guard let copy = fold as? any SnapshotFold else { return nil }
        let rules = activatedDocuments, lastTick = lastTickDay
        return {
            var w = JSONWriter(capacity: 1 << 20)
            w.beginObject()
            w.key("fold")
            copy.writeSnapshot(to: &w)
            w.field("rules", rules)
            w.field("lastTickDay", lastTick)
            w.endObject()
            return (w.bytes, copy.stateDigest())
        }
    }

    /// Snapshot of a `BinarySnapshotFold`, streamed (`BinaryFoldState`). The fold is a value: the copy
    /// taken here (its arrays shared until the loop next changes them) is encoded off the loop thread.
    public func streamingSnapshot() -> SnapshotStream? {
        guard let copy = fold as? any BinarySnapshotFold else { return nil }
        let rules = activatedDocuments, lastTick = lastTickDay
        return SnapshotStream(
            digest: { copy.stateDigest() },
            write: { w in BinaryFoldState.write(copy, rules: rules, lastTick: lastTick, to: &w) })
    }

    public func restore(snapshot: [UInt8], digest: String) throws {
        let loaded = try load(snapshot)
        guard loaded.fold.stateDigest() == digest else { throw Snapshots.Rejection.digestDiffers }
        adopt(loaded)
    }

    /// Takes the state at once and leaves its digest (a walk of every household: at province scale as
    /// long as reading the state) to the host, which computes it off the loop thread from the copy
    /// returned here and compares it before the loop folds anything (`ServiceHost.run`).
    public func restoreCheckingLater(snapshot: [UInt8], digest: String) throws -> (@Sendable () -> String)? {
        let loaded = try load(snapshot)
        adopt(loaded)
        let copy = loaded.fold
        return { copy.stateDigest() }
    }

    private func load(_ snapshot: [UInt8]) throws -> (fold: F, rules: [String], lastTick: Int?) {
        guard let type = F.self as? any SnapshotFold.Type else {
            throw Snapshots.Rejection.stateRefused("this service has no snapshots")
        }
        var restored: F?
        var rules: [String] = []
        var lastTick: Int?
        if BinaryFoldState.isBinary(snapshot) {
            guard let binary = F.self as? any BinarySnapshotFold.Type else {
                throw Snapshots.Rejection.stateRefused("binary state for a fold without one")
            }
            let read = try BinaryFoldState.read(snapshot, as: binary)
            guard let fold = read.fold as? F else { throw Snapshots.Rejection.stateRefused("no fold state") }
            return (fold, read.rules, read.lastTick)
        }
        try JSONReader.read(snapshot) { r in
            try r.readObject { r, k in
                switch k.string {
                case "fold": restored = try type.init(snapshot: &r) as? F
                case "rules": rules = try r.readStringArray()
                case "lastTickDay": lastTick = try r.readInt()
                default: try r.skipValue()
                }
            }
        }
        guard let restored else { throw Snapshots.Rejection.stateRefused("no fold state") }
        return (restored, rules, lastTick)
    }

    private func adopt(_ loaded: (fold: F, rules: [String], lastTick: Int?)) {
        fold = loaded.fold
        // The versions known, as replaying the activations would list them.
        activatedRules = []
        activatedDocuments = []
        let builtIn = ruleVersions[0]
        ruleVersions = [builtIn]
        for document in loaded.rules { noteRules(document: document) }
        lastTickDay = loaded.lastTick
    }

    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        switch request.name {
        case .tick:
            guard let tick = ClockCommand.request(request) else { return ClockCommand.usage }
            guard let last = host.loopTasks.perform({ [self] in lastTickDay ?? Int.min }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            if let answer = ClockCommand.answer(tick, lastTickDay: last == Int.min ? nil : last) { return answer }
            return submitReply(ClockCommand.tick(tick, service: host.settings.name), host: host)
        case .rules:
            guard let body = try? JSONValue.parse(request.body), let text = body["document"]?.stringValue else {
                return .error(.badRequest, "RULES needs {\"document\": \"<rule document JSON>\"}")
            }
            return activate(text, host: host, direct: false)
        case .rulesShow:
            let day = Self.today
            guard let reply = host.loopTasks.perform({ [self] in rulesShowReply(day: day) }) else {
                return .error(.busy, "the service loop did not answer in time")
            }
            return reply
        case let name where queries[name.rawValue] != nil:
            let body = (try? JSONValue.parse(request.body)) ?? .object([])
            let query = queries[name.rawValue]!
            guard let reply = host.loopTasks.perform({ [self] in query(fold, body) }) else {
                return .error(.busy, "the service loop did not answer in time")
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
            document = try ruleSet.check(text)
        } catch let e as RuleError {
            return .error(.invalidRules, "\(e.chinese) / \(e.description)")
        } catch {
            return .error(.invalidRules, "\(error)")
        }
        let day = BusinessCalendar.dayNumber(document.effectiveFrom)!
        let event = Event(
            RulesActivated(
                ruleSet: document.ruleSet, version: document.version, effectiveFrom: document.effectiveFrom, document: text),
            id: EventID.derived("\(host.settings.name)|rules|\(SHA256.hash(text).hexString)"),
            subject: document.ruleSet, region: "", occurredAt: BusinessCalendar.timestamp(ofDay: day))
        let today = Self.today
        // Fold state is read on the loop thread (directly at start, which runs on it).
        func onLoop<T>(_ body: @escaping () -> T) -> T? { direct ? body() : host.loopTasks.perform(body) }
        let describe: (inout JSONWriter) -> Void = { [self] w in
            w.field("version", document.version)
            w.field("effectiveFrom", document.effectiveFrom)
            // Read after the event went through the fold.
            if let inForce = onLoop({ [self] in ruleVersionInForce(day: today) }) {
                w.key("inForce")
                inForce.write(&w, document: false)
            }
            w.field("today", BusinessCalendar.dateText(ofDay: today))
        }
        // The same document again: its event id is taken, so nothing to append; say so instead of
        // failing on the log's unique id.
        let sha = SHA256.hash(text).hexString
        if onLoop({ [self] in activatedRules.contains(sha) }) == true {
            var w = JSONWriter()
            w.beginObject()
            w.field("appended", 0)
            w.field("alreadyActivated", true)
            describe(&w)
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        }
        return submitReply(event, host: host, direct: direct, extra: describe)
    }

    /// `RULES_SHOW`: every version known and the one in force on `day`, with its document.
    private func rulesShowReply(day: Int) -> CommandReply {
        var w = JSONWriter()
        w.beginObject()
        w.field("ruleSet", ruleSet.name)
        w.field("today", BusinessCalendar.dateText(ofDay: day))
        w.key("inForce")
        ruleVersionInForce(day: day).write(&w, document: true)
        w.key("versions")
        w.beginArray()
        for v in ruleVersions { v.write(&w, document: false) }
        w.endArray()
        w.endObject()
        return CommandReply(status: "OK", body: w.bytes)
    }

    private func submitReply(
        _ event: Event, host: ServiceHost, direct: Bool = false, extra: (inout JSONWriter) -> Void = { _ in }
    ) -> CommandReply {
        do {
            let recorded = direct ? try host.appendInputs([event]) : try host.submit([event])
            var w = JSONWriter()
            w.beginObject()
            w.field("appended", recorded.count)
            w.field("seq", Int(recorded.first?.seq ?? 0))
            extra(&w)
            w.endObject()
            return CommandReply(status: "OK", body: w.bytes)
        } catch {
            return .error(.unavailable, "\(error)")
        }
    }
}

/// One rule version a service knows: the built-in default or an activated document.
struct RuleVersion {
    let document: RuleDocument
    /// `built-in`, or `sha256 <first 12 hex digits>` of an activated document.
    let source: String
    /// Day number of `effectiveFrom`.
    var day: Int { BusinessCalendar.dayNumber(document.effectiveFrom)! }

    func write(_ w: inout JSONWriter, document withText: Bool) {
        w.beginObject()
        w.field("version", document.version)
        w.field("effectiveFrom", document.effectiveFrom)
        w.field("source", source)
        w.field("regions", document.regions.map(\.prefix))
        if withText { w.field("document", document.text) }
        w.endObject()
    }
}

/// The state of a `FoldBehaviour` whose fold is a `BinarySnapshotFold` (snapshot format 3): a start
/// mark, the activated rule documents, the last tick, the fold's binary state, an end mark. The start
/// mark is never JSON (`{"fold": …}`, the form of other folds), and the end mark's last byte is neither
/// white space nor a brace, so a follower's split (`Snapshots.splitFollower`) leaves the state whole.
public enum BinaryFoldState {
    static let start: [UInt8] = Array("binary-fold\u{1}".utf8)
    static let end: [UInt8] = [0x00, 0xFF]

    public static func isBinary(_ state: [UInt8]) -> Bool { state.starts(with: start) }

    public static func write(_ fold: any BinarySnapshotFold, rules: [String], lastTick: Int?, to w: inout SnapshotBinaryWriter) {
        w.raw(start)
        w.count(rules.count)
        for r in rules { w.string(r) }
        w.bool(lastTick != nil)
        w.int(lastTick ?? 0)
        fold.writeBinarySnapshot(to: &w)
        w.raw(end)
        w.flush()
    }

    /// Reads what `write` wrote; throws `SnapshotStateError` on anything cut, damaged or followed by more.
    public static func read(_ state: [UInt8], as type: any BinarySnapshotFold.Type) throws -> (
        fold: any BinarySnapshotFold, rules: [String], lastTick: Int?
    ) {
        try state.withUnsafeBytes { bytes in
            var r = SnapshotBinaryReader(bytes)
            try r.expect(start)
            var rules: [String] = []
            for _ in 0..<(try r.count()) { rules.append(try r.string()) }
            let hasTick = try r.bool()
            let tick = try r.int()
            let fold = try type.init(binarySnapshot: &r)
            try r.expect(end)
            guard r.isAtEnd else { throw SnapshotStateError("binary state: bytes after its end") }
            return (fold, rules, hasTick ? tick : nil)
        }
    }
}

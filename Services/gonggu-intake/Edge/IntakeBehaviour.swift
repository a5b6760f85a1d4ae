import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguRuntime
import GongguTransport

/// The intake service's state: which records it already holds (event ids derive from the record
/// fingerprint, so a re-submitted record has the id of the one accepted before), and the counts
/// staff see. Every fact and every rejection is an own input: intake has no upstream.
public final class IntakeBehaviour: ServiceBehaviour {
    private var known = RecordIDSet()
    private var acceptedCount = 0
    private var rejectedCount = 0
    /// Business day (China time) → rejections recorded that day, for `gonggu status`.
    private var rejectedByDay: [Int: Int] = [:]
    let regionPolicy: RegionPolicy
    let imports = ImportSessions()
    private let policyLock = NSLock()
    private var policy: SubmissionPolicy
    private let config: Config
    private var submissionServer: CommandServer?
    private var authenticator: ZAPAuthenticator?

    /// - Parameter config: `submission.endpoint`, `submission.server_key_file` and
    ///   `submission.clients` configure the authenticated network endpoint (off when no endpoint).
    public init(config: Config = Config(), regionPolicy: RegionPolicy = .jilin) throws {
        self.config = config
        self.regionPolicy = regionPolicy
        policy = try SubmissionPolicy.load(config: config)
    }

    var submissions: SubmissionPolicy {
        policyLock.lock()
        defer { policyLock.unlock() }
        return policy
    }

    public func didStart(host: ServiceHost) throws {
        let endpoint = config.string("submission.endpoint", default: "")
        guard !endpoint.isEmpty else { return }
        let keyFile = config.string("submission.server_key_file", default: "")
        guard !keyFile.isEmpty else {
            throw ConfigError.invalid("submission.server_key_file", "the submission endpoint needs a server key")
        }
        let keys = try KeyFiles.readPair(keyFile)
        let auth = ZAPAuthenticator(allowed: submissions.allowList)
        auth.onDecision = { [logger = host.logger] admitted, name, address in
            logger.info(admitted ? "client admitted" : "client refused", ["client": .string(name ?? "unknown"), "peer": .string(address)])
        }
        try auth.start()
        authenticator = auth
        let server = CommandServer(endpoint: endpoint, curve: (keys, auth), maxMessageSize: 4 << 20) { [self] in
            return { [self] request in
                guard request.name == .submit else { return .error(.unknownCommand, "only SUBMIT is served here") }
                return SubmissionHandler.handle(request, host: host, policy: submissions, regionPolicy: regionPolicy)
            }
        }
        try server.start(name: "intake-submission")
        submissionServer = server
        host.logger.info("submission endpoint ready", ["endpoint": .string(endpoint), "clients": .int(submissions.clients.count)])
    }

    public func reload(host: ServiceHost) {
        do {
            let fresh = try config.path.map { try Config.load(path: $0) } ?? config
            try fresh.refuseUnknownKeys(known: ConfigKeys.service, streams: host.settings.topology.names)
            let updated = try SubmissionPolicy.load(config: fresh)
            policyLock.lock()
            policy = updated
            policyLock.unlock()
            authenticator?.update(allowed: updated.allowList)
            host.logger.info("submission clients reloaded", ["clients": .int(updated.clients.count)])
        } catch {
            host.logger.error("reload failed; previous clients stay in force", ["error": .string("\(error)")])
        }
    }

    public func willStop(host: ServiceHost) {
        submissionServer?.stop()
        authenticator?.stop()
    }

    public func isOwnInput(_ type: String) -> Bool { true }

    /// Appends the event unless an event with its id is already held (a duplicate).
    public func process(input: Event) -> [Event] {
        guard known.insert(input.id) else { return [] }
        count(input)
        return [input]
    }

    public func apply(upstream event: Event, stream: String) -> [Event] { [] }

    /// The log refused these events (disk full, read-only disk): forget them, so that submitting the
    /// same records again appends them instead of counting them as duplicates of nothing.
    public func commitFailed(_ events: [Event]) -> Bool {
        for e in events where known.remove(e.id) {
            if e.type == RecordRejected.eventType {
                rejectedCount -= 1
                rejectedByDay[BusinessCalendar.day(of: e.recordedAt == 0 ? e.occurredAt : e.recordedAt), default: 1] -= 1
            } else {
                acceptedCount -= 1
            }
        }
        return true
    }

    public func replayOwnInput(_ event: Event) {
        if known.insert(event.id) { count(event) }
    }

    private func count(_ event: Event) {
        if event.type == RecordRejected.eventType {
            rejectedCount += 1
            rejectedByDay[BusinessCalendar.day(of: event.recordedAt == 0 ? event.occurredAt : event.recordedAt), default: 0] += 1
        } else {
            acceptedCount += 1
        }
    }

    public func stateDigest() -> String { known.digest }

    /// Snapshot (`Snapshots`), raw bytes, integers little-endian: `accepted`, `rejected`, the number of
    /// `rejectedByDay` pairs and the pairs (day, n), then the record ids as `RecordIDSet` writes them
    /// (sorted, 16 bytes each) to the end. The copy is taken here (copy-on-write arrays); off the loop
    /// thread the digest (SHA-256 of the ids' bytes) is computed first, then the state is streamed to the
    /// file one partition of ids at a time: the encoded state (16 bytes a record, 176 MiB at 11 million)
    /// is never held whole beside the set (docs/RELIABILITY.md, "Snapshots of fold state").
    public func streamingSnapshot() -> SnapshotStream? {
        let known = known, accepted = acceptedCount, rejected = rejectedCount, byDay = rejectedByDay
        return SnapshotStream(
            digest: { known.digest },
            write: { w in
                var head: [UInt8] = []
                head.reserveCapacity(24 + byDay.count * 16)
                func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { head.append(contentsOf: $0) } }
                int(accepted)
                int(rejected)
                int(byDay.count)
                for (day, n) in byDay.sorted(by: { $0.key < $1.key }) {
                    int(day)
                    int(n)
                }
                w.raw(head)
                known.forEachSortedChunk { chunk in
                    w.raw(Array(chunk))
                    w.flushIfFull()
                }
            })
    }

    public func restore(snapshot: [UInt8], digest: String) throws {
        let (ids, byDay, accepted, rejected, idsDigest) = try snapshot.withUnsafeBytes { raw in
            var at = 0
            func int() throws -> Int {
                guard at + 8 <= raw.count else { throw Snapshots.Rejection.corrupt("intake state: truncated") }
                defer { at += 8 }
                return Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            }
            let accepted = try int(), rejected = try int(), days = try int()
            guard days >= 0, days <= (raw.count - at) / 16 else {
                throw Snapshots.Rejection.corrupt("intake state: days")
            }
            var byDay: [Int: Int] = [:]
            for _ in 0..<days { byDay[try int()] = try int() }
            let (ids, idsDigest) = try RecordIDSet.decode(UnsafeRawBufferPointer(rebasing: raw[at...]))
            return (ids, byDay, accepted, rejected, idsDigest)
        }
        guard idsDigest == digest else { throw Snapshots.Rejection.digestDiffers }
        known = ids
        acceptedCount = accepted
        rejectedCount = rejected
        rejectedByDay = byDay
    }

    public func onLoop(host: ServiceHost) {
        host.status.set("acceptedRecords", .number(Double(acceptedCount)))
        host.status.set("rejectedRecords", .number(Double(rejectedCount)))
        let today = BusinessCalendar.day(of: ServiceHost.now())
        host.status.set("rejectedToday", .number(Double(rejectedByDay[today] ?? 0)))
    }

    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? {
        switch request.name {
        case .importBegin, .importChunk, .importEnd:
            // An operator key limited to a region imports only that region: records elsewhere are
            // refused like records outside the province (docs/OPERATIONS.md §12).
            var policy = regionPolicy
            if let prefix = host.importRegionPrefix(for: request) { policy = regionPolicy.narrowed(to: prefix) }
            return imports.handle(
                request, host: host, regionPolicy: policy,
                notifyControl: config.string("notify.control", default: Self.defaultNotifyControl))
        default:
            return nil
        }
    }
}

/// Outcomes turned into events to append, with rejection ids made stable across re-imports
/// (kind, file, line and raw record), so re-importing a file adds nothing at all.
enum IntakeEvents {
    static func event(for outcome: IntakeOutcome) -> Event {
        switch outcome {
        case let .accepted(e, _, _):
            return e
        case let .rejected(e):
            guard let r = try? e.decode(RecordRejected.self) else { return e }
            var stable = e
            stable.id = EventID.derived("rejected|\(r.kind)|\(r.file)|\(r.line)|\(r.code)|\(r.raw)")
            return stable
        }
    }

    /// Per submitted event, whether it was appended now: the first occurrence of an id that the log
    /// took. A second copy in the same batch, or one held before, is a duplicate.
    static func newlyAppended(_ events: [Event], recorded: [Event]) -> [Bool] {
        // The log takes the new ones in the order submitted, each at its id's first occurrence: one
        // walk pairs them (a set of the batch's ids hashed each id twice).
        var isNew = [Bool](repeating: false, count: events.count)
        var j = 0
        for i in events.indices where j < recorded.count && recorded[j].id == events[i].id {
            isNew[i] = true
            j += 1
        }
        if j == recorded.count { return isNew }
        // Recorded events that are not the submitted ones in order (a behaviour that adds its own).
        var appended = Set(recorded.map(\.id))
        return events.map { appended.remove($0.id) != nil }
    }

    /// Submits outcomes in one batch and counts accepted, duplicate and rejected into `summary`.
    /// Accepted outcomes at the indices in `known` are duplicates found otherwise (a receipt for a
    /// notification already acknowledged): counted as such, not appended.
    static func submit(
        _ outcomes: [IntakeOutcome], known: Set<Int> = [], host: ServiceHost, summary: inout ImportSummary
    ) throws {
        let submitted = outcomes.indices.filter { !known.contains($0) }
        let events = submitted.map { event(for: outcomes[$0]) }
        let recorded = try host.submit(events)
        var isNew = Array(repeating: false, count: outcomes.count)
        for (i, new) in zip(submitted, newlyAppended(events, recorded: recorded)) { isNew[i] = new }
        for (i, outcome) in outcomes.enumerated() {
            summary.count(outcome)
            if outcome.isAccepted && !isNew[i] { summary.markDuplicate() }
        }
    }
}

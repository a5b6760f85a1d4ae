import GongguCore
import GongguEvents
import GongguNotify
import GongguRisk
import GongguVerify

/// A person's disability card as the latest survey fact recorded by the instant states it.
public struct CardView: Sendable, Equatable {
    public var personID: String
    public var name: String
    /// 20-character card number (it contains the resident ID: mask it when showing).
    public var cardNumber: String
    public var category: DisabilityCategory
    public var grade: Int
    public var surveyYear: Int
    /// The intake fact and the record it was read from.
    public var eventID: String
    public var sourceFile: String
    public var sourceLine: Int
}

/// How one service's state was rebuilt.
public struct ServiceRebuild: Sendable, Equatable {
    public var service: String
    public var log: String
    /// Last own-log seq taken, own-log events read, upstream events applied.
    public var lastSeq: Int64
    public var ownEvents: Int
    public var upstreamEvents: Int
    /// The fold's state digest after the rebuild (equal to the running service's `DIGEST` at that seq).
    public var stateDigest: String
}

/// One household as the services knew it at an instant.
public struct HouseholdAsOf: Sendable {
    public var instant: Timestamp
    public var householdID: String
    /// From the risk monitor: level, signals, status, monitoring, recommendations, members.
    public var risk: HouseholdRiskView?
    public var members: [RiskMemberView]
    public var signals: [RiskSignalView]
    /// From the benefit verifier: status, persons with disabilities and their entitlements,
    /// assistance spans, open findings.
    public var verify: VerifyHouseholdView?
    /// From intake: the latest card of each person with a disability.
    public var cards: [CardView]
    /// From the notifier: every notification about the household and where it stands.
    public var notifications: [NotificationStatus]
}

/// Everything `gonggu asof` answers.
public struct AsOfReport: Sendable {
    public var instant: Timestamp
    public var subject: SubjectResolution
    public var households: [HouseholdAsOf]
    public var rebuilds: [ServiceRebuild]
}

/// The services' states rebuilt at one instant: ask it about as many households as needed.
public struct AsOfState: @unchecked Sendable {
    public let instant: Timestamp
    /// How each service's state was rebuilt.
    public let rebuilds: [ServiceRebuild]
    /// The rebuilt folds (nil for a service whose log was not given or not asked for).
    public let risk: RiskFold?
    public let verify: VerifyFold?
    public let notify: NotifyFold?
    let logs: LogSet

    /// The households `subject` stands for (a household id, or a resident ID), as known at the instant.
    public func report(subject: String) throws -> AsOfReport {
        let resolution = try Replay.resolve(subject: subject, in: logs)
        var households = resolution.households
        // A person the intake log does not name may still be known to the verifier.
        if resolution.isPerson, households.isEmpty, let h = verify?.householdID(ofPerson: resolution.asked) {
            households = [h]
        }
        var out: [HouseholdAsOf] = []
        for id in households {
            var view = HouseholdAsOf(
                instant: instant, householdID: id, risk: risk?.view(household: id),
                members: risk?.members(household: id) ?? [], signals: risk?.signals(household: id) ?? [],
                verify: verify?.householdView(id), cards: try AsOf.cards(household: id, at: instant, logs: logs),
                notifications: [])
            if let notify, let source = logs.source(stream: Service.notify.rawValue) {
                for e in try source.events(subject: id)
                where e.type == NotificationCreated.eventType && e.recordedAt <= instant {
                    guard let p = try? e.decode(NotificationCreated.self), let s = notify.status(of: p.notificationID)
                    else { continue }
                    view.notifications.append(s)
                }
            }
            out.append(view)
        }
        return AsOfReport(instant: instant, subject: resolution, households: out, rebuilds: rebuilds)
    }
}

/// `gonggu asof`: a household's state as the services knew it at an instant, rebuilt by replaying each
/// service's log (recordedAt ≤ instant) through the service's own fold (`RiskFold`, `VerifyFold`,
/// `NotifyFold`) with `FoldReplayer` — the code path of a service's start-up, not a second
/// implementation. Services whose log is not given are left out.
public enum AsOf {
    /// Rebuilds the states of `services` (default: every fold service whose log is given) at `instant`.
    public static func rebuild(at instant: Timestamp, logs: LogSet, services: Set<String>? = nil) throws -> AsOfState {
        let replayer = FoldReplayer(logs: logs)
        var rebuilds: [ServiceRebuild] = []
        func source(_ name: String) -> LogSource? {
            guard services?.contains(name) ?? true else { return nil }
            return logs.source(stream: name)
        }
        // The fold services' own inputs, as their behaviours declare them (`FoldBehaviour`, `NotifyBehaviour`).
        let ownInputs: Set<String> = [ClockTicked.eventType, RulesActivated.eventType]
        /// Replays the service's log into `fold` and notes how, or nil when the log is not asked for.
        func rebuilt<F: ServiceFold>(_ name: String, _ fold: @autoclosure () throws -> F, ownInputs: Set<String>)
            throws -> F?
        {
            guard let s = source(name) else { return nil }
            var fold = try fold()
            let r = try replayer.replay(&fold, service: s, until: instant, isOwnInput: ownInputs.contains)
            rebuilds.append(
                ServiceRebuild(
                    service: s.stream, log: s.name, lastSeq: r.lastSeq, ownEvents: r.ownEvents,
                    upstreamEvents: r.upstreamEvents, stateDigest: fold.stateDigest()))
            return fold
        }
        let risk = try rebuilt(Service.risk.rawValue, try RiskFold(), ownInputs: ownInputs)
        let verify = try rebuilt(Service.verify.rawValue, VerifyFold(), ownInputs: ownInputs)
        let notify = try rebuilt(Service.notify.rawValue, NotifyFold(), ownInputs: NotifyFold.ownInputTypes)
        return AsOfState(instant: instant, rebuilds: rebuilds, risk: risk, verify: verify, notify: notify, logs: logs)
    }

    /// Rebuilds every service at `instant` and reports on `subject`.
    public static func report(subject: String, at instant: Timestamp, logs: LogSet) throws -> AsOfReport {
        try rebuild(at: instant, logs: logs).report(subject: subject)
    }

    /// The latest `DisabilityRecorded` of each person of the household recorded by `instant`
    /// (intake's knowledge: intake keeps no fold, its log is its state).
    static func cards(household id: String, at instant: Timestamp, logs: LogSet) throws -> [CardView] {
        guard let intake = logs.source(stream: Service.intake.rawValue) else { return [] }
        var latest: [String: CardView] = [:]
        var order: [String] = []
        for e in try intake.events(subject: id) where e.type == DisabilityRecorded.eventType && e.recordedAt <= instant
        {
            guard let p = try? e.decode(DisabilityRecorded.self) else { continue }
            if latest[p.personID] == nil { order.append(p.personID) }
            if let known = latest[p.personID], known.surveyYear > p.surveyYear { continue }
            latest[p.personID] = CardView(
                personID: p.personID, name: p.name, cardNumber: p.cardNumber, category: p.category, grade: p.grade,
                surveyYear: p.surveyYear, eventID: e.id.description, sourceFile: p.source.file,
                sourceLine: p.source.line)
        }
        return order.compactMap { latest[$0] }
    }
}

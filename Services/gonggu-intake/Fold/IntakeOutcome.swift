import GongguCore
import GongguEvents

/// What became of one record: accepted as a fact event, or rejected with a reason.
public enum IntakeOutcome: Sendable, Equatable {
    /// A valid record. `fingerprint` is SHA-256 over the kind and the normalised business content
    /// (not the file name or line): the service treats a fingerprint it already holds as a
    /// duplicate. `correctionKey` is the kind plus the record's natural key: an earlier event with
    /// the same key and another fingerprint is superseded by this one (a correction).
    case accepted(Event, fingerprint: [UInt8], correctionKey: String)
    /// An invalid record: an event carrying a `RecordRejected` payload with the raw record.
    case rejected(Event)

    /// The event to append (fact or rejection).
    public var event: Event {
        switch self {
        case let .accepted(e, _, _): return e
        case let .rejected(e): return e
        }
    }

    /// Whether the record was accepted.
    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// The fingerprint of an accepted record.
    public var fingerprint: [UInt8]? {
        if case let .accepted(_, fingerprint, _) = self { return fingerprint }
        return nil
    }

    /// The correction key of an accepted record.
    public var correctionKey: String? {
        if case let .accepted(_, _, key) = self { return key }
        return nil
    }

    /// The rejection payload, for rejected records.
    public var rejection: RecordRejected? {
        guard case let .rejected(e) = self else { return nil }
        return try? e.decode(RecordRejected.self)
    }
}

/// Counts of one import. Intake counts `read`, `accepted` and `rejected`; the service, which
/// decides duplicates against its store, moves accepted records to `duplicate`.
/// `read == accepted + duplicate + rejected` always holds.
public struct ImportSummary: Sendable, Equatable, CustomStringConvertible {
    public private(set) var read = 0
    public private(set) var accepted = 0
    public private(set) var duplicate = 0
    public private(set) var rejected = 0

    public init() {}

    /// Counts as another party reported them (e.g. the intake service's reply to an import).
    public init(accepted: Int, duplicate: Int, rejected: Int) {
        self.accepted = accepted
        self.duplicate = duplicate
        self.rejected = rejected
        read = accepted + duplicate + rejected
    }

    /// Counts one outcome as read.
    public mutating func count(_ outcome: IntakeOutcome) {
        read += 1
        if outcome.isAccepted { accepted += 1 } else { rejected += 1 }
    }

    /// Moves one accepted record to the duplicates (the store already holds its fingerprint).
    public mutating func markDuplicate() {
        precondition(accepted > 0, "markDuplicate without an accepted record")
        accepted -= 1
        duplicate += 1
    }

    /// Adds another summary (e.g. several files of one import).
    public mutating func add(_ other: ImportSummary) {
        read += other.read
        accepted += other.accepted
        duplicate += other.duplicate
        rejected += other.rejected
    }

    /// Whether the counts add up.
    public var isBalanced: Bool { read == accepted + duplicate + rejected }

    public var description: String {
        "read \(read), accepted \(accepted), duplicate \(duplicate), rejected \(rejected)"
    }

    /// The summary in Chinese, for staff.
    public var chinese: String { "读取 \(read) 条，接收 \(accepted) 条，重复 \(duplicate) 条，退回 \(rejected) 条" }
}

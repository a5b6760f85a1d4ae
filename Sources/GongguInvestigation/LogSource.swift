import Foundation
import GongguCore
import GongguEvents
import GongguStore
import GongguTransport

/// One log an investigator reads: a local SQLite file (indexed queries) or a running service's
/// replay endpoint (`REPLAY` on its control socket; ranges only, so subject queries scan it).
public final class LogSource: @unchecked Sendable {
    /// What the tools print for the log: the file name, or the endpoint.
    public let name: String
    /// The stream (service) whose log this is: `intake`, `verify`, `risk`, `notify`.
    public let stream: String
    /// Position in its `LogSet` (ties in merged output are broken by it).
    public internal(set) var position = 0
    /// The open log, for a local file.
    public let local: EventLog?
    private let remote: CommandClient?

    /// Opens a local log file read-only.
    public init(path: String) throws {
        let log: EventLog
        do {
            log = try EventLog(path: path, stream: nil, readOnly: true)
        } catch {
            throw LogDamage.classify(error, path: path)
        }
        local = log
        remote = nil
        stream = log.stream
        name = URL(fileURLWithPath: path).lastPathComponent
    }

    /// Connects to a running service's control socket (`ipc://…` or `tcp://…`); asks it its name.
    public init(endpoint: String, timeoutMs: Int32 = 30_000) throws {
        let client = CommandClient(stream: "", endpoint: endpoint, timeoutMs: timeoutMs)
        let reply = try client.call("STATUS", body: Array("{}".utf8))
        guard reply.status == "OK", let service = try JSONValue.parse(reply.body)["service"]?.stringValue else {
            throw InvestigationError.noLogs(endpoint)
        }
        local = nil
        remote = client
        stream = service
        name = endpoint
    }

    /// Whether this is a local file (indexed lookups) rather than a replay endpoint.
    public var isLocal: Bool { local != nil }

    /// Up to `limit` events after `seq`, optionally only one exact type and a region prefix.
    func read(after seq: Int64, limit: Int, exactType: String?, regionPrefix: String?) throws -> [Event] {
        if let local {
            if let exactType {
                return try local.read(after: seq, limit: limit, topicPrefix: "\(exactType)/\(regionPrefix ?? "")")
            }
            if let regionPrefix {
                return try local.read(after: seq, limit: limit, typePrefix: nil, regionPrefix: regionPrefix)
            }
            return try local.read(after: seq, limit: limit)
        }
        var after = seq
        while true {
            let batch = try remote!.read(
                ReplayRequest(
                    after: after, limit: min(limit, ReplayRequest.maxLimit), typePrefix: exactType ?? "",
                    regionPrefix: regionPrefix ?? ""))
            // A type prefix also takes longer names (`Risk` takes `RiskAssessed`): keep the exact type.
            let events = batch.events.filter { exactType == nil || $0.type == exactType }
            if !events.isEmpty || batch.scannedTo >= batch.latest || batch.scannedTo <= after { return events }
            after = batch.scannedTo
        }
    }

    /// The event with `id`, if this log holds it (local files only: nil for an endpoint).
    func event(id: EventID) throws -> Event? { try local?.event(id: id) }

    /// Every event whose subject is `subject`, in log order: the subject index for a file,
    /// a scan for an endpoint.
    func events(subject: String) throws -> [Event] {
        if let local { return try local.events(subject: subject) }
        var out: [Event] = []
        try scan { if $0.subject == subject { out.append($0) } }
        return out
    }

    /// The households whose membership facts name `personID` (the person index; a scan for an
    /// endpoint or an older file without the index).
    func households(ofPerson personID: String) throws -> [String] {
        if let local { return try local.households(ofPerson: personID) }
        var out: [String] = []
        try scan { e in
            guard e.type == DisabilityRecorded.eventType || e.type == MemberRecorded.eventType,
                let p = try? JSONValue.parse(e.payload), p["personID"]?.stringValue == personID,
                !out.contains(e.subject)
            else { return }
            out.append(e.subject)
        }
        return out
    }

    /// Whether person lookups use an index (false: they scan).
    public var personLookupIsIndexed: Bool { (try? local?.hasPersonIndex) == true }

    /// Calls `body` with every event in log order.
    func scan(_ body: (Event) throws -> Void) throws {
        if let local { return try local.forEach(after: 0, body) }
        var after: Int64 = 0
        while true {
            let events = try read(after: after, limit: ReplayRequest.maxLimit, exactType: nil, regionPrefix: nil)
            guard let last = events.last else { return }
            for e in events { try body(e) }
            after = last.seq
        }
    }
}

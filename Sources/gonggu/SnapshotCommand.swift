import Foundation
import GongguCore
import GongguEvents
import GongguRooms
import GongguRuntime
import GongguServices
import GongguStore

/// `gonggu snapshot list|verify --data DIR` and `gonggu snapshot take --service S`: the fold-state
/// snapshots beside the logs (docs/RELIABILITY.md, "Snapshots of fold state").
///
/// - `list`: each snapshot file, the seq it covers, whether it would be used at the next start (the
///   same checks the service makes: checksum, format, log_id, head hash at its seq) and why not.
/// - `verify`: `list`'s checks, and the state rebuilt from scratch (a full replay of the log through
///   the snapshot's seq, in-process, read-only; for a follower with the upstream ranges its markers
///   record, read from the upstream logs in the same folder) compared with the snapshot's digest, and a
///   follower's merge positions with the replay's. Exit 1 if any differs or fails a check.
/// - `take`: asks the running service for a snapshot now (control command `SNAPSHOT`).
enum SnapshotCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args)
        let sub = try a.positional(0, "list|verify|take")
        switch sub {
        case "take":
            guard let name = a.option("service") else {
                throw UsageError("missing --service S (intake, verify, risk or notify)")
            }
            let service = try parseService(name)
            let endpoints = try ServiceEndpoints(configPath: a.option("config"))
            guard let reply = endpoints.call(service, "SNAPSHOT", timeoutMs: 120_000) else {
                throw CommandFailure("\(service) does not answer at \(endpoints.control[service] ?? "?")", exit: .unavailable)
            }
            let v = try JSONValue.parse(reply.body)
            guard reply.status == "OK" else { throw CommandFailure(v["message"]?.stringValue ?? "\(service) refused") }
            print("快照已写入 snapshot written: \(v["snapshot"]?.stringValue ?? "?")")
            return .success
        case "list", "verify":  // not a service name: the subcommands
            guard let data = a.option("data") else { throw UsageError("missing --data DIR") }
            var bad = 0
            for service in ServiceEndpoints.services {
                let logPath = "\(data)/\(service).log.sqlite"
                guard FileManager.default.fileExists(atPath: logPath) else { continue }
                for file in Snapshots.files(logPath: logPath) {
                    // not a service name: the subcommand
                    let verdict = check(file.path, logPath: logPath, service: service, rebuild: sub == "verify")
                    if !verdict.ok { bad += 1 }
                    print("\(service)\tseq \(file.seq)\t\(verdict.text)\t\(file.path)")
                }
            }
            return bad == 0 ? .success : .failure
        default:
            throw UsageError("snapshot list|verify --data DIR, or snapshot take --service S")
        }
    }

    static func check(_ path: String, logPath: String, service: String, rebuild: Bool) -> (ok: Bool, text: String) {
        do {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw Snapshots.Rejection.unreadable(path) }
            let (header, state) = try Snapshots.decode(Array(bytes))
            let log = try EventLog(path: logPath, stream: nil, readOnly: true)
            guard header.logID == log.logID else { throw Snapshots.Rejection.otherLog(header.logID) }
            guard header.seq > 0, header.seq <= (try log.lastSeq) else { throw Snapshots.Rejection.beyondLog(header.seq) }
            guard try log.storedHash(ifPresent: header.seq)?.hexString == header.headHash else {
                throw Snapshots.Rejection.staleHead
            }
            guard rebuild else { return (true, "可用 usable") }
            guard let fresh = try behaviour(service) else { return (false, "无法重建 cannot rebuild \(service) in the CLI") }
            // The state from scratch: the own log through the snapshot's seq, replayed in-process, with
            // the upstream ranges its markers record read from the upstream logs beside it (as the
            // service's start does), and the merge's positions as that replay sets them.
            let upstreams = Rooms.topology.upstreams(of: service)
            var merge = UpstreamMerge(
                streams: upstreams,
                follows: Dictionary(upstreams.map { ($0, Rooms.topology.upstreams(of: $0)) }, uniquingKeysWith: { a, _ in a }))
            var sources: [String: LocalLogSource] = [:]
            let folder = URL(fileURLWithPath: logPath).deletingLastPathComponent().path
            try log.forEach(after: 0, verifyingChain: true) { e in
                guard e.seq <= header.seq else { return }
                if e.type == InputConsumed.eventType {
                    let marker = try e.decode(InputConsumed.self)
                    guard upstreams.contains(marker.stream) else {
                        throw CommandFailure("\(service) consumed '\(marker.stream)', not one of its upstreams")
                    }
                    if sources[marker.stream] == nil {
                        sources[marker.stream] = LocalLogSource(stream: marker.stream, path: "\(folder)/\(marker.stream).log.sqlite")
                    }
                    try marker.replay(from: sources[marker.stream]!) { u in
                        if u.type != CommandAccepted.eventType { _ = fresh.apply(upstream: u, stream: marker.stream) }
                        merge.replayed(u, stream: marker.stream)
                    }
                } else if e.type == CommandAccepted.eventType {
                    return
                } else if fresh.isOwnInput(e.type) {
                    fresh.replayOwnInput(e)
                } else {
                    fresh.replayOwnOutput(e)
                }
            }
            guard fresh.stateDigest() == header.digest else { throw Snapshots.Rejection.digestDiffers }
            // And the snapshot's own state loads with that digest (a follower's, with its positions).
            let loaded = try behaviour(service)!
            if upstreams.isEmpty {
                try loaded.restore(snapshot: state, digest: header.digest)
            } else {
                let (positions, inner) = try Snapshots.splitFollower(state)
                var rebuilt = JSONWriter()
                merge.writeSnapshot(to: &rebuilt)
                guard let kept = positions["merge"], kept == (try JSONValue.parse(rebuilt.bytes)) else {
                    return (false, "不一致 merge positions differ from a replay's")
                }
                try loaded.restore(snapshot: inner, digest: header.digest)
            }
            return (true, "一致 verified (digest \(header.digest.prefix(12)))")
        } catch let r as Snapshots.Rejection {
            return (false, "不可用 \(r.key): \(r.description)")
        } catch {
            return (false, "不可用 error: \(error)")
        }
    }

    /// A fresh behaviour of a service, as its start builds it before the replay (no configuration:
    /// rule documents and the directory in force come from the log).
    static func behaviour(_ service: String) throws -> ServiceBehaviour? {
        try Rooms.behaviour(service, config: Config())
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguIntakeService
import GongguRuntime
import GongguServices
import GongguStore

/// `gonggu-bench snapshot-start [--events N]`: start-up of an intake service (in-process host, its own
/// log of N accepted-record events) until it would answer PING — `start()` returns once the state is
/// rebuilt and the control socket is bound — by full replay and from a snapshot, in the same run.
/// The other services' start-up from a snapshot is measured by `gonggu-bench pipeline` (real processes).
enum SnapshotStartBench {
    static func run(events n: Int, directory: String) throws -> [BenchRow] {
        try FileManager.default.createDirectory(atPath: "\(directory)/data", withIntermediateDirectories: true)
        func settings(snapshots: Bool) throws -> ServiceSettings {
            try ServiceSettings(
                service: Service.intake.rawValue,
                config: Config(
                    root: .object([
                        ("data", .object([("directory", .string("\(directory)/data"))])),
                        ("endpoints", .object([
                            ("publish", .string("ipc://\(directory)/pub")), ("control", .string("ipc://\(directory)/ctl")),
                        ])),
                        ("snapshot", .object([("enabled", .bool(snapshots))])),
                    ]), environment: [:]))
        }
        let path = try settings(snapshots: false).logPath
        do {
            let log = try EventLog(path: path, stream: Service.intake.rawValue, synchronous: .off)
            var next = 0
            while next < n {
                let count = min(100_000, n - next)
                let chunk = (next..<(next + count)).map { i in
                    Event(
                        id: EventID.derived("snapshot-start|\(i)"), type: DisabilityRecorded.eventType,
                        subject: "H\(i / 2)",
                        region: "220102001001", occurredAt: 1_700_000_000_000, payload: Array(#"{"bench":true}"#.utf8))
                }
                try log.append(chunk, recordedAt: 1_700_000_000_000)
                next += count
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        final class LastLines: @unchecked Sendable {
            var rebuilt = ""
        }
        let lines = LastLines()
        let logger = Logger(label: "bench", minimumLevel: .info, sink: { line in
            if line.contains("state rebuilt by replay") { lines.rebuilt = line }
        })
        /// `quick_check.seconds` of the last start (SQLite's structure check, before any replay).
        func quickCheck() -> String {
            guard let v = try? JSONValue.parse(Array(lines.rebuilt.utf8)), let q = v["quick_check.seconds"]?.doubleValue
            else { return "?" }
            return String(format: "%.2f", q)
        }
        /// Seconds from a fresh host to the end of `start()`, and the digest it started with.
        func start(snapshots: Bool) throws -> (Double, String) {
            let behaviour = try IntakeBehaviour(config: Config())
            let host = ServiceHost(settings: try settings(snapshots: snapshots), behaviour: behaviour, logger: logger)
            host.stopFlag.set()
            let began = Date()
            try host.start()
            let seconds = Date().timeIntervalSince(began)
            let digest = behaviour.stateDigest()
            try host.run()  // stopped before its first turn: closes the sockets (and writes a snapshot)
            return (seconds, digest)
        }
        let (full, fullDigest) = try start(snapshots: false)
        let fullQuick = quickCheck()
        // A graceful stop with snapshots on leaves one; time writing it apart (it happens off the start).
        let writeBegan = Date()
        _ = try start(snapshots: true)
        let firstWithWrite = Date().timeIntervalSince(writeBegan)
        let (fromSnapshot, snapshotDigest) = try start(snapshots: true)
        let snapshotQuick = quickCheck()
        guard fullDigest == snapshotDigest else { throw BenchFailure("digest from the snapshot differs from full replay") }
        let size = (Snapshots.files(logPath: path).first.flatMap {
            try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int
        }) ?? 0
        return [
            BenchRow(
                name: "intake start-up, full replay", value: full, unit: "s",
                note: "\(n) events; of which quick_check \(fullQuick) s"),
            BenchRow(
                name: "intake start-up, from snapshot", value: fromSnapshot, unit: "s",
                note: String(format: "%.3f × full replay; ceiling 0.1 × = %.2f s and 3 s; digests equal; ", fromSnapshot / full, full * 0.1)
                    + "of which quick_check \(snapshotQuick) s"),
            BenchRow(
                name: "intake start + stop writing the snapshot", value: firstWithWrite, unit: "s",
                note: "snapshot \(size / 1_048_576) MiB"),
        ]
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

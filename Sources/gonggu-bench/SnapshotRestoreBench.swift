import Foundation
import GongguCore
import GongguEvents
import GongguRisk
import GongguRiskService
import GongguRuntime
import GongguVerify
import GongguVerifyService

/// `gonggu-bench snapshot-restore [--persons N]`: where the start of the verifier and the risk monitor
/// from a snapshot goes, in process (no sockets, no log): each fold is built over the synthetic
/// province of `gonggu-bench risk|verify`, its snapshot state encoded as the service writes it (wrapped
/// as a follower's), and read back as a start does: the follower's positions split off, then the
/// behaviour's state parsed into a fold. Each step timed; digests compared with the fold written.
enum SnapshotRestoreBench {
    static func run(persons: Int) throws -> [BenchRow] {
        let stream = FoldBenchStream(persons: persons)
        var rows: [BenchRow] = []
        for service in [Service.verify, .risk].map(\.rawValue) {
            let built: (state: [UInt8], digest: String)
            if service == Service.risk.rawValue {
                var fold = try RiskFold()
                stream.forEachChunk(size: 50_000) { chunk in for e in chunk { _ = fold.apply(e) } }
                for e in stream.findings() { _ = fold.apply(e) }
                built = (wrap(fold), fold.stateDigest())
            } else {
                var fold = VerifyFold()
                stream.forEachChunk(size: 50_000) { chunk in for e in chunk { _ = fold.apply(e) } }
                built = (wrap(fold), fold.stateDigest())
            }
            let behaviour: ServiceBehaviour
            if service == Service.risk.rawValue {
                behaviour = try RiskService.behaviour(config: Config())
            } else {
                behaviour = try VerifyService.behaviour(config: Config())
            }
            var t = DispatchTime.now().uptimeNanoseconds
            func lap() -> Double {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { t = now }
                return Double(now - t) / 1e9
            }
            _ = lap()
            let (_, inner) = try Snapshots.splitFollower(built.state)
            let split = lap()
            guard let check = try behaviour.restoreCheckingLater(snapshot: inner, digest: built.digest) else {
                throw BenchFailure("\(service): no deferred digest check")
            }
            let load = lap()
            let digest = check()
            let digestSeconds = lap()
            guard digest == built.digest else { throw BenchFailure("\(service): digest after restore differs") }
            let mib = built.state.count / 1_048_576
            rows.append(BenchRow(name: "\(service) restore: split follower positions", value: split, unit: "s", note: "state \(mib) MiB"))
            rows.append(BenchRow(name: "\(service) restore: load fold state", value: load, unit: "s", note: "\(persons) persons"))
            rows.append(BenchRow(name: "\(service) restore: split + load", value: split + load, unit: "s", note: "before PING"))
            rows.append(BenchRow(name: "\(service) restore: digest (after PING)", value: digestSeconds, unit: "s", note: "digests equal"))
        }
        return rows
    }

    /// The state line a follower's snapshot holds: its positions (empty here) and the behaviour's state.
    static func wrap(_ fold: any SnapshotFold) -> [UInt8] {
        var w = JSONWriter(capacity: 1 << 20)
        w.beginObject()
        w.key("fold")
        fold.writeSnapshot(to: &w)
        w.field("rules", [String]())
        w.endObject()
        var outer = Array(#"{"follower":{"merge":{},"anchors":{},"basis":{}},"state":"#.utf8)
        outer += w.bytes
        outer.append(UInt8(ascii: "}"))
        return outer
    }
}

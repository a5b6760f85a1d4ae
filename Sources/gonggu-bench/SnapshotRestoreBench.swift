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
/// province of `gonggu-bench risk|verify`, and its snapshot written to a file both ways, in the same
/// run — the JSON state of format 2 (encoded whole, then the file) and the binary state of format 3
/// (streamed to the file as it is encoded) — each wrapped as a follower's. Each is read back as a
/// start does: the file read and its checksum checked, the follower's positions split off, the
/// behaviour's state loaded into a fold (parse and build in one pass); then the digest (after PING
/// in a service). Digests compared with the fold written.
enum SnapshotRestoreBench {
    static func run(persons: Int) throws -> [BenchRow] {
        let stream = FoldBenchStream(persons: persons)
        let folder = NSTemporaryDirectory() + "gonggu-snapshot-restore-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var rows: [BenchRow] = []
        for service in [Service.verify, .risk].map(\.rawValue) {
            let fold: any BinarySnapshotFold
            if service == Service.risk.rawValue {
                var f = try RiskFold()
                stream.forEachChunk(size: 50_000) { chunk in for e in chunk { _ = f.apply(e) } }
                for e in stream.findings() { _ = f.apply(e) }
                fold = f
            } else {
                var f = VerifyFold()
                stream.forEachChunk(size: 50_000) { chunk in for e in chunk { _ = f.apply(e) } }
                fold = f
            }
            let digest = fold.stateDigest()
            let header = Snapshots.Header(service: service, logID: "bench", seq: 1, headHash: "", digest: digest)
            for form in ["json", "binary"] {
                let logPath = "\(folder)/\(service)-\(form).log.sqlite"
                var t = DispatchTime.now().uptimeNanoseconds
                func lap() -> Double {
                    let now = DispatchTime.now().uptimeNanoseconds
                    defer { t = now }
                    return Double(now - t) / 1e9
                }
                _ = lap()
                var held = 0
                if form == "json" {
                    // As format 2 wrote: the state line whole, then the file's bytes whole.
                    let state = wrap(fold)
                    let file = Snapshots.encode(header, state: state)
                    held = state.count + file.count
                    try Snapshots.write(file, logPath: logPath, seq: 1, keep: 1)
                } else {
                    try Snapshots.writeStreaming(header, logPath: logPath, keep: 1) { put in
                        try Array(#"{"follower":{"merge":{},"anchors":{},"basis":{}},"state":"#.utf8).withUnsafeBytes { try put($0) }
                        try withoutActuallyEscaping(put) { put in
                            var w = SnapshotBinaryWriter(chunk: 1 << 20, sink: put)
                            BinaryFoldState.write(fold, rules: [], lastTick: nil, to: &w)
                            if let e = w.sinkError { throw e }
                            held = w.bytes.capacity
                        }
                        try Array("}".utf8).withUnsafeBytes { try put($0) }
                    }
                }
                let written = lap()
                let path = Snapshots.path(logPath: logPath, seq: 1)
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let behaviour: ServiceBehaviour =
                    service == Service.risk.rawValue ? try RiskService.behaviour(config: Config()) : try VerifyService.behaviour(config: Config())
                _ = lap()
                let (_, state) = try Snapshots.read(path: path)
                let read = lap()
                let (_, inner) = try Snapshots.splitFollower(state)
                let split = lap()
                guard let check = try behaviour.restoreCheckingLater(snapshot: inner, digest: digest) else {
                    throw BenchFailure("\(service): no deferred digest check")
                }
                let load = lap()
                let after = check()
                let digestSeconds = lap()
                guard after == digest else { throw BenchFailure("\(service) \(form): digest after restore differs") }
                let name = "\(service) \(form)"
                let mib = String(format: "%.1f", Double(size) / 1_048_576)
                let heldMiB = String(format: "%.1f", Double(held) / 1_048_576)
                rows.append(BenchRow(name: "\(name): write file", value: written, unit: "s", note: "file \(mib) MiB; encoded bytes held at once \(heldMiB) MiB"))
                rows.append(BenchRow(name: "\(name): read file + checksum", value: read, unit: "s", note: "\(persons) persons"))
                rows.append(BenchRow(name: "\(name): split follower positions", value: split, unit: "s", note: ""))
                rows.append(BenchRow(name: "\(name): load (parse + build)", value: load, unit: "s", note: ""))
                rows.append(BenchRow(name: "\(name): read + split + load", value: read + split + load, unit: "s", note: "before PING"))
                rows.append(BenchRow(name: "\(name): digest (after PING)", value: digestSeconds, unit: "s", note: "digests equal"))
            }
        }
        return rows
    }

    /// The JSON state line a follower's snapshot held in format 2: its positions (empty here) and the
    /// behaviour's state.
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

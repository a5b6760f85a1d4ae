import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguSimulation
import GongguVerify

/// `gonggu-bench verify-memory [--households N] [--seed S]`: what the verifier's fold state costs in
/// memory, in process, on the province of `gonggu-bench pipeline` (the same `Simulator` files, read by
/// `IntakeReader` as intake reads them; a record whose event id was accepted before is skipped, as
/// intake refuses it), then the reference date's tick. Heap in use and resident memory (glibc
/// `malloc_stats`, `/proc/self/statm`, after `malloc_trim(0)`) before and after the fold, and the peak
/// of the pass (`VmHWM` reset before it); the state digest and a hash of every finding emitted, so two
/// builds can be shown to decide the same; the size of the binary snapshot state and a hash of it.
enum VerifyMemoryBench {
    static func run(households: Int, seed: UInt64, directory: String) throws -> [BenchRow] {
        let province = try BenchProvince(households: households, seed: seed, directory: directory)

        // The facts first, in memory as events, so the measured pass holds nothing but the fold's growth.
        var facts: [Event] = []
        do {
            var seen = Set<EventID>()
            for (file, kind) in province.files {
                let reader = try province.reader(file, kind)
                while let outcome = try reader.next() {
                    guard case let .accepted(event, _, _) = outcome, seen.insert(event.id).inserted else { continue }
                    facts.append(event)
                }
            }
        }
        facts.append(province.tick)

        let heapBefore = RiskMemoryBench.heapInUse()
        let rssBefore = RiskMemoryBench.residentBytes()
        RiskMemoryBench.resetPeak()
        let started = DispatchTime.now().uptimeNanoseconds
        var fold = VerifyFold()
        var findings = SHA256()
        var outputs = 0
        for e in facts {
            for o in fold.apply(e) {
                outputs += 1
                findings.update(CanonicalEncoding.encode(o))
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let peakMiB = RiskMemoryBench.peakResidentMiB()
        let heapAfter = RiskMemoryBench.heapInUse()
        let rssAfter = RiskMemoryBench.residentBytes()
        let digest = fold.stateDigest()

        var snapshotBytes = 0
        var snapshotHash = SHA256()
        var w = SnapshotBinaryWriter(chunk: 1 << 20) {
            snapshotBytes += $0.count
            snapshotHash.update(raw: $0)
        }
        fold.writeBinarySnapshot(to: &w)
        w.flush()
        let snapshotPeakMiB = RiskMemoryBench.peakResidentMiB()

        let heap = heapAfter - heapBefore
        let rss = rssAfter - rssBefore
        let n = fold.counts
        let setting = "\(n.households) households, \(n.persons) persons, \(facts.count) facts, \(outputs) findings, seed \(seed)"
        func mib(_ b: Int) -> Double { Double(b) / 1_048_576 }
        withExtendedLifetime(fold) {}
        return [
            BenchRow(name: "verify fold heap in use", value: mib(heap), unit: "MiB", note: "malloc_stats, after − before, trimmed; \(setting)"),
            BenchRow(name: "… per person", value: Double(heap) / Double(max(1, n.persons)), unit: "bytes", note: ""),
            BenchRow(name: "verify fold resident", value: mib(rss), unit: "MiB", note: "VmRSS after − before, trimmed"),
            BenchRow(name: "peak during the fold, above the start", value: peakMiB - mib(rssBefore), unit: "MiB",
                     note: "VmHWM (reset before the pass) − VmRSS before it (\(String(format: "%.0f", mib(rssBefore))) MiB): the fold's growth included"),
            BenchRow(name: "peak while the snapshot is written, above the start", value: snapshotPeakMiB - mib(rssBefore), unit: "MiB", note: "VmHWM"),
            BenchRow(name: "binary snapshot state", value: mib(snapshotBytes), unit: "MiB", note: snapshotHash.finalize().hexString),
            BenchRow(name: "fold time", value: seconds, unit: "s", note: "\(outputs) findings"),
            BenchRow(name: "state digest", value: 0, unit: "", note: digest),
            BenchRow(name: "findings hash", value: 0, unit: "", note: findings.finalize().hexString),
        ]
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguRisk
import GongguSimulation
import GongguVerify

/// `gonggu-bench risk-memory [--households N] [--seed S]`: what the risk monitor's fold state costs in
/// memory per household and per person, in process, on the province of `gonggu-bench pipeline` (the
/// same `Simulator` files, read by `IntakeReader` as intake reads them, wired as `PipelineCheck`:
/// every accepted fact in file order, then the verifier's findings, then the reference date's tick).
///
/// The verifier runs first, in a pass of its own, and is gone before the measured pass, so the
/// figures are the risk fold's alone: heap bytes in use (glibc `malloc_stats`, all arenas, mmap
/// included) and resident memory (`/proc/self/statm`), each after `malloc_trim(0)`, before and after
/// the fold; and the peak of the measured pass (`VmHWM` reset through `/proc/self/clear_refs`), which
/// adds what the fold's growth holds for a moment (a dense array copied into a larger one). The
/// digest of the state and a hash of every decision emitted are printed so two builds can be shown
/// to decide the same; and the size of the binary snapshot state (`writeBinarySnapshot`), counted.
enum RiskMemoryBench {
    static func run(households: Int, seed: UInt64, directory: String) throws -> [BenchRow] {
        let province = try BenchProvince(households: households, seed: seed, directory: directory)
        let tick = province.tick

        /// Every accepted fact of the province, in file order, to `body` (a record whose event id was
        /// accepted before is a duplicate, as `PipelineCheck` decides).
        func forEachFact(skipping repeated: Set<EventID>, _ body: (Event) -> Void) throws -> Set<EventID> {
            var seen = Set<EventID>()
            var again = Set<EventID>()
            for (file, kind) in province.files {
                let reader = try province.reader(file, kind)
                while let outcome = try reader.next() {
                    guard case let .accepted(event, _, _) = outcome else { continue }
                    if repeated.isEmpty {
                        guard seen.insert(event.id).inserted else {
                            again.insert(event.id)
                            continue
                        }
                    } else if repeated.contains(event.id) {
                        guard seen.insert(event.id).inserted else { continue }
                    }
                    body(event)
                }
            }
            return again
        }

        // Pass 1, not measured: the verifier's findings, the persons, the repeated ids.
        var findings: [Event] = []
        var persons = 0
        var facts = 0
        var repeated = Set<EventID>()
        do {
            var verify = VerifyFold()
            var people = Set<String>()
            repeated = try forEachFact(skipping: []) { e in
                facts += 1
                if e.type == MemberRecorded.eventType, let m = try? e.decode(MemberRecorded.self) { people.insert(m.personID) }
                findings += verify.apply(e)
            }
            findings += verify.apply(tick)
            persons = people.count
        }
        // Any id never repeated makes the second pass skip nothing it should keep.
        if repeated.isEmpty { repeated.insert(EventID.derived("risk-memory|none")) }

        // Pass 2: the risk fold alone.
        let heapBefore = heapInUse()
        let rssBefore = residentBytes()
        resetPeak()
        let started = DispatchTime.now().uptimeNanoseconds
        var risk = try RiskFold()
        var decisions = SHA256()
        var outputs = 0
        func note(_ out: [Event]) {
            for e in out {
                outputs += 1
                decisions.update(CanonicalEncoding.encode(e))
            }
        }
        _ = try forEachFact(skipping: repeated) { e in note(risk.apply(e)) }
        for e in findings { note(risk.apply(e)) }
        note(risk.apply(tick))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let peakMiB = peakResidentMiB()
        let heapAfter = heapInUse()
        let rssAfter = residentBytes()
        let digest = risk.stateDigest()

        var snapshotBytes = 0
        var w = SnapshotBinaryWriter(chunk: 1 << 20) { snapshotBytes += $0.count }
        risk.writeBinarySnapshot(to: &w)
        w.flush()

        let heap = heapAfter - heapBefore
        let rss = rssAfter - rssBefore
        let n = risk.householdCount
        let setting = "\(n) households, \(persons) persons, \(facts) facts + \(findings.count) findings, seed \(seed)"
        func mib(_ b: Int) -> Double { Double(b) / 1_048_576 }
        withExtendedLifetime(risk) {}
        return [
            BenchRow(name: "risk fold heap in use", value: mib(heap), unit: "MiB", note: "malloc_stats, after − before, trimmed; \(setting)"),
            BenchRow(name: "… per household", value: Double(heap) / Double(max(1, n)), unit: "bytes", note: ""),
            BenchRow(name: "… per person", value: Double(heap) / Double(max(1, persons)), unit: "bytes", note: ""),
            BenchRow(name: "risk fold resident", value: mib(rss), unit: "MiB", note: "VmRSS after − before, trimmed"),
            BenchRow(name: "… per household", value: Double(rss) / Double(max(1, n)), unit: "bytes", note: ""),
            BenchRow(name: "peak during the fold, above the start", value: peakMiB - mib(rssBefore), unit: "MiB",
                     note: "VmHWM (reset before the pass) − VmRSS before it (\(String(format: "%.0f", mib(rssBefore))) MiB): the fold's growth included"),
            BenchRow(name: "binary snapshot state", value: mib(snapshotBytes), unit: "MiB",
                     note: String(format: "%.0f bytes per household", Double(snapshotBytes) / Double(max(1, n)))),
            BenchRow(name: "fold time (reading the files included)", value: seconds, unit: "s", note: "\(outputs) decisions"),
            BenchRow(name: "state digest", value: 0, unit: "", note: digest),
            BenchRow(name: "decisions hash", value: 0, unit: "", note: decisions.finalize().hexString),
        ]
    }

    // MARK: glibc's heap figures

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, name) else { return nil }
        return unsafeBitCast(sym, to: type)
    }

    /// Returns freed memory to the kernel, so resident figures count what is in use.
    static func trim() {
        typealias Trim = @convention(c) (Int) -> Int32
        _ = symbol("malloc_trim", as: Trim.self)?(0)
    }

    /// Heap bytes in use over all arenas, mmap'd chunks included: glibc's `malloc_stats` (which prints
    /// to stderr, so stderr goes to a file for the call), "Total (incl. mmap)", "in use bytes".
    static func heapInUse() -> Int {
        trim()
        typealias Stats = @convention(c) () -> Void
        guard let stats = symbol("malloc_stats", as: Stats.self) else { return 0 }
        let path = NSTemporaryDirectory() + "gonggu-malloc-stats-\(getpid())"
        defer { unlink(path) }
        fflush(stderr)
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { return 0 }
        let saved = dup(2)
        dup2(fd, 2)
        stats()
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        close(fd)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let total = text.range(of: "Total (incl. mmap):")
        else { return 0 }
        for line in text[total.upperBound...].split(separator: "\n") where line.contains("in use bytes") {
            return Int(line.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        }
        return 0
    }

    /// Resident bytes (`/proc/self/statm`, after a trim).
    static func residentBytes() -> Int {
        trim()
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Resets VmHWM to the current resident size (Linux: `5` to `/proc/self/clear_refs`).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM, MiB.
    static func peakResidentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return Double(kb) / 1024
        }
        return 0
    }
}

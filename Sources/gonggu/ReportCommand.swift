import Foundation
import GongguCore
import GongguReport
import GongguSimulation

/// `gonggu report --year Y [--region PREFIX] --logs DIR --out DIR [--upto LOG=SEQ,…] [--closed-at T]
/// [--region-names FILE]`: the yearly post-assessment indicators (docs/REPORT.md) from the four service
/// logs, as a self-contained Chinese HTML page with SVG charts, CSV tables and CSV case lists (resident
/// IDs masked). The files are written 0640 and a folder made for them 0750: case lists are personal data.
///
/// Cut-off (docs/REPORT.md): every log is read up to a seq — its head by default, the given seq with
/// `--upto`, or the prefix recorded before an instant with `--closed-at` — and only events with
/// business time in (or, for states, up to the end of) the year count. The report names the seqs and
/// the chain hashes at them; the same seqs always give the same bytes.
enum ReportCommand {
    /// What the last run computed, kept until the process exits (see `run`).
    nonisolated(unsafe) static var retained: Any?

    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args)
        guard let year = Int(a.option("year") ?? ""), (2000...2099).contains(year) else {
            throw UsageError("missing or invalid --year YYYY")
        }
        let region = a.option("region", default: "")
        guard region.allSatisfy({ $0.isASCII && $0.isNumber }), region.count <= 12 else {
            throw UsageError("--region needs a region code prefix of digits, got '\(region)'")
        }
        guard let logs = a.option("logs") else { throw UsageError("missing --logs DIR (the services' data folder)") }
        guard let out = a.option("out") else { throw UsageError("missing --out DIR") }
        let cutoff = try parseCutoff(a)
        // Jilin's counties, as the simulator knows them (real codes and names), then the user's file.
        var names = RegionNames().adding(Dictionary(PipelineCheck.counties.map { ($0.code, $0.name) }) { a, _ in a })
        if let file = a.option("region-names") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandFailure("cannot read region names from \(file)", exit: .noInput)
            }
            names = names.adding(RegionNames(csv: text).names)
        }

        let started = Date()
        let (fold, cuts) = try ReportLogReader(directory: logs).read(year: year, region: region, cutoff: cutoff)
        let rule: CutoffRule
        if case let .recordedBefore(t) = cutoff { rule = .recordedBefore(t) } else { rule = .bySeq }
        let read = Date().timeIntervalSince(started)
        let data = fold.finish(cuts: cuts, rule: rule, names: names)
        let folded = Date().timeIntervalSince(started)
        let files = ReportRenderer.files(data)
        let rendered = Date().timeIntervalSince(started)
        // Case lists name people: the folder 0750 (when made here), every file 0640.
        try PersonalDataOutput.makeFolder(out)
        try write(files, to: out)
        let c = data.regions[0].code
        print("报告 report \(year) \(region.isEmpty ? "全部" : region): \(files.count) 个文件 files in \(out)")
        print("脱贫残疾人家庭 \(data.count(.lifted, c)) 户，全部延续 \(data.count(.continued, c)) 户")
        for cut in data.cuts {
            print("  \(cut.log.rawValue): 截止序号 seq ≤ \(cut.cutoffSeq), 计入 used \(cut.eventsUsed), "
                + "hash \(cut.chainHash)")
        }
        print("复核 reproduce: --upto " + data.cuts.map { "\($0.log.rawValue)=\($0.cutoffSeq)" }.joined(separator: ","))
        // The fold and the data (millions of strings) are never freed: the process ends now, and
        // releasing them one by one would cost seconds at a province's size.
        ReportCommand.retained = (fold, data, files)
        let total = Date().timeIntervalSince(started)
        print(String(format: "用时 elapsed %.1f s (read and fold %.1f s, indicators %.1f s, render %.1f s, write %.1f s)",
                     total, read, folded - read, rendered - folded, total - rendered))
        return .success
    }

    /// Writes the files on two threads (the case lists are hundreds of megabytes for a province).
    static func write(_ files: [ReportFile], to out: String) throws {
        let failed = inParallel(2) { t -> [String] in
            files.enumerated().filter { $0.offset % 2 == t }.compactMap { _, f in
                // The bytes are handed to the file without a copy into `Data`.
                let ok = f.bytes.withUnsafeBytes { raw in
                    let data = raw.baseAddress.map {
                        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: raw.count, deallocator: .none)
                    }
                    return PersonalDataOutput.write(data ?? Data(), to: "\(out)/\(f.name)")
                }
                return ok ? nil : f.name
            }
        }
        if let name = failed.joined().sorted().first { throw CommandFailure("cannot write \(out)/\(name)", exit: .cantCreate) }
    }

    static func parseCutoff(_ a: Arguments) throws -> ReportLogReader.Cutoff {
        if a.option("upto") != nil, a.option("closed-at") != nil {
            throw UsageError("give either --upto or --closed-at, not both")
        }
        if let upto = a.option("upto") {
            var map: [ReportLog: Int64] = [:]
            for part in upto.split(separator: ",") {
                let kv = part.split(separator: "=")
                guard kv.count == 2, let log = ReportLog(rawValue: String(kv[0])), let seq = Int64(kv[1]), seq >= 0
                else {
                    throw UsageError("--upto needs LOG=SEQ pairs (intake, risk, verify, notify), got '\(part)'")
                }
                map[log] = seq
            }
            return .seqs(map)
        }
        if let text = a.option("closed-at") {
            guard let t = parseInstant(text) else {
                throw UsageError("--closed-at needs YYYY-MM-DD or YYYY-MM-DDTHH:MM (China time), got '\(text)'")
            }
            return .recordedBefore(t)
        }
        return .head
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, China time.
    static func parseInstant(_ text: String) -> Timestamp? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard let first = parts.first, let day = BusinessCalendar.dayNumber(String(first)) else { return nil }
        var minutes = 0
        if parts.count == 2 {
            let hm = parts[1].split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m)
            else {
                return nil
            }
            minutes = h * 60 + m
        }
        return BusinessCalendar.timestamp(ofDay: day) + Int64(minutes) * 60_000
    }
}

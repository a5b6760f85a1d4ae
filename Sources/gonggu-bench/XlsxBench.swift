import Foundation
import GongguCore
import GongguIntake
import GongguSimulation

/// Workbook intake beside CSV for the same survey rows: the reader alone on one thread
/// (inflate, scan the sheet XML, build rows, then the same parse → validate → fact events as CSV),
/// and the real path through `gonggu-intake` with its peak RSS.
enum XlsxBench {
    /// Rows compared by `gonggu-bench intake` (the workbook writer holds its sheet in memory).
    static let defaultRows = 200_000

    /// Writes the same rows as `IntakeBench.writeSurvey`, as a one-sheet workbook (shared strings,
    /// DEFLATE), through `XlsxWriter`.
    static func writeSurveyWorkbook(rows: Int, path: String) throws {
        var table: [[String]] = [IntakeBench.surveyHeader]
        table.reserveCapacity(rows + 1)
        for n in 0..<rows { table.append(IntakeBench.surveyRow(n)) }
        var writer = XlsxWriter()
        writer.addSheet(name: "survey", rows: table)
        try Data(writer.bytes()).write(to: URL(fileURLWithPath: path))
    }

    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    static func compare(rows: Int, directory: String, throughServices: Bool) throws -> [BenchRow] {
        let csv = directory + "/survey-same-\(rows).csv"
        let xlsx = directory + "/survey-same-\(rows).xlsx"
        try IntakeBench.writeSurvey(rows: rows, path: csv)
        let t0 = Date()
        try writeSurveyWorkbook(rows: rows, path: xlsx)
        var out: [BenchRow] = []
        out.append(BenchRow(
            name: "survey workbook generated (same rows)", value: Double(rows), unit: "rows",
            note: String(format: "%.1f MB xlsx (CSV %.1f MB) in %.1f s", Double(size(xlsx)) / 1e6,
                         Double(size(csv)) / 1e6, Date().timeIntervalSince(t0))))
        // Alternate the two, best of three each, so machine load hits both alike.
        var csvBest = 0.0, xlsxBest = 0.0, csvCPU = 0.0, xlsxCPU = 0.0
        for _ in 0..<3 {
            let c = try IntakeBench.parseOnly(path: csv)
            if c.perSecond > csvBest { (csvBest, csvCPU) = (c.perSecond, c.cpuMicros) }
            let x = try IntakeBench.parseOnly(path: xlsx)
            if x.perSecond > xlsxBest { (xlsxBest, xlsxCPU) = (x.perSecond, x.cpuMicros) }
        }
        out.append(BenchRow(
            name: "CSV parse → validate → fact events (same rows)", value: csvBest, unit: "records/s",
            note: "\(format(csvCPU)) µs of CPU per record; best of 3"))
        out.append(BenchRow(
            name: "xlsx parse → validate → fact events (same rows)", value: xlsxBest, unit: "records/s",
            note: "\(format(xlsxCPU)) µs of CPU per record; best of 3"))
        let ratio = xlsxBest / csvBest
        out.append(BenchRow(
            name: "xlsx ÷ CSV throughput", value: ratio, unit: "×",
            note: "goal ≥ 0.5 — " + (ratio >= 0.5 ? "met" : "**missed**")))
        let cpuRatio = csvCPU / xlsxCPU
        out.append(BenchRow(
            name: "xlsx ÷ CSV, by CPU per record", value: cpuRatio, unit: "×",
            note: "less sensitive to a loaded machine than records/s — " + (cpuRatio >= 0.5 ? "met" : "**missed**")))
        if throughServices {
            let e2e = try IntakeBench.throughServices(path: xlsx, directory: directory, rows: rows)
            out.append(BenchRow(
                name: "gonggu import xlsx → gonggu-intake (separate processes)", value: e2e.perSecond, unit: "records/s",
                note: e2e.output.split(separator: "\n").last.map(String.init) ?? ""))
            out.append(BenchRow(
                name: "gonggu-intake peak RSS, xlsx import (VmHWM)", value: e2e.serviceMaxRSSMiB, unit: "MiB",
                note: "workbook spooled to a temporary file, sheet streamed"))
        }
        return out
    }

    /// Reads one workbook (or CSV) with the reader alone, for `/usr/bin/time -v`: records and rate.
    static func read(path: String) throws -> [BenchRow] {
        let context = IntakeContext(
            kind: .survey, source: (path as NSString).lastPathComponent, importID: EventID.derived("bench"),
            receivedAt: 1_764_000_000_000)
        let started = Date()
        let r = try IntakeReader(path: path, context: context)
        while try r.next() != nil {}
        let s = r.summary
        return [
            BenchRow(
                name: "read " + (path as NSString).lastPathComponent, value: Double(s.read) / Date().timeIntervalSince(started),
                unit: "records/s", note: "\(s.read) read, \(s.accepted) accepted, \(s.rejected) rejected; "
                    + String(format: "file %.1f MB", Double(size(path)) / 1e6)),
            BenchRow(name: "peak RSS (getrusage)", value: peakResidentMiB(), unit: "MiB", note: ""),
        ]
    }
}

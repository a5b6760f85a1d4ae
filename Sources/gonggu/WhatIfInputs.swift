import Foundation
import GongguCore
import GongguInvestigation
import GongguReport
import GongguSimulation

/// What `gonggu rules diff` and `gonggu recipients diff` share around their replays: the logs of
/// `--logs DIR` (the replayed service's among them), the `--asof` instant, the progress bar, the
/// county names and the list of files written to `--out`.
struct WhatIfInputs {
    let logs: LogSet
    let until: Timestamp?
    let bar: ProgressBar
    /// County names as the yearly report has them (the province's counties).
    let names = RegionNames().adding(Dictionary(PipelineCheck.counties.map { ($0.code, $0.name) }) { a, _ in a })

    init(_ a: Arguments, stream: String) throws {
        guard let dir = a.option("logs") else { throw UsageError("missing --logs DIR (the services' data folder)") }
        var instant: Timestamp?
        if let when = a.option("asof") {
            guard let t = InstantText.parse(when, endOfDay: true) else {
                throw UsageError("--asof needs a date (YYYY-MM-DD) or an instant, got '\(when)'")
            }
            instant = t
        }
        until = instant
        do { logs = try LogSet(paths: [dir]) } catch {
            throw CommandFailure("日志目录中没有可读的日志：\(dir) / \(error)", exit: .noInput)
        }
        guard logs.source(stream: stream) != nil else {
            throw CommandFailure("日志目录中没有 \(stream) 服务的日志：\(dir)", exit: .noInput)
        }
        bar = ProgressBar(total: 1, enabled: isatty(STDERR_FILENO) != 0 && !a.flag("quiet"))
    }

    /// Reports the replay's progress on the bar.
    func progress(_ done: Int, _ total: Int) { bar.update(done: done, total: total, label: "重放") }

    /// Ends the progress bar, prints `summary` and, with `--out DIR`, writes the files (`write(DIR)`) and
    /// lists them.
    func finish(_ a: Arguments, summary: String, write: (String) throws -> [String]) throws {
        bar.finish()
        print(summary)
        guard let out = a.option("out") else { return }
        let files = try write(out)
        print("\n输出文件（网页和明细，身份证号已脱敏）：")
        for f in files { print("  \(out)/\(f)") }
    }
}

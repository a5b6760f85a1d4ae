import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguNotify
import GongguReport
import GongguSimulation

/// `gonggu recipients diff FILE --logs DIR [--asof DATE] [--region PREFIX] [--out DIR] [--quiet]`: what a
/// proposed recipient directory would change (docs/RULES-WHATIF.md, "Recipient directory"). The
/// notifier's fold is rebuilt twice over the logs in DIR, in-process and read-only, and the routed
/// notifications compared: who would start or stop receiving which kinds of notification, per
/// recipient, kind and county.
enum RecipientsDiffCommand {
    static let usage = """
        usage: gonggu recipients diff FILE --logs DIR [--asof DATE] [--region PREFIX] [--out DIR] [--quiet]

          diff  假设启用接收单位目录 FILE 会改变什么：在本进程内只读重放 DIR 中的日志（按施行的目录、按 FILE），
                比较通知服务生成的通知，按单位、通知种类和县（区）列出开始接收和停止接收的通知，以及目录中变化的条目；
                --asof 只重放该日期前记录的，--region 只报告该区划，--out 写出网页和明细 CSV（身份证号脱敏）。
                不连接、不改变正在运行的服务（docs/RULES-WHATIF.md）
        exit: 0 成功, 64 用法错误, 65 目录文件未通过检查, 66 文件或日志不存在或不可读
        """

    static func run(_ args: [String]) throws -> ExitCode {
        if args.contains("--help") || args.contains("-h") || args.first == "help" {
            print(usage)
            return .success
        }
        let a = try Arguments(args, switches: ["quiet"])
        try a.onlyOptions(["logs", "asof", "region", "out", "quiet"])
        guard a.positionals.first == "diff" else { throw UsageError("missing diff\n\(usage)") }
        guard a.positionals.count == 2 else {
            throw UsageError("missing FILE (the proposed recipient directory)\n\(usage)")
        }
        let file = a.positionals[1]
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("接收单位目录文件不存在或不可读：\(file) / directory not found or unreadable", exit: .noInput)
        }
        let proposed: RecipientDirectory
        do { proposed = try RecipientDirectory(text: String(decoding: data, as: UTF8.self)) } catch let e
            as DirectoryError
        {
            throw CommandFailure("\(e.chinese) / \(e.description)", exit: .dataError)
        }
        let inputs = try WhatIfInputs(a, stream: Service.notify.rawValue)
        let report = try RecipientsWhatIf.compare(
            proposed: proposed, logs: inputs.logs, until: inputs.until, regionPrefix: a.option("region"),
            progress: inputs.progress)
        try inputs.finish(a, summary: RecipientsDiffText.summary(report, names: inputs.names)) { out in
            try RecipientsDiffText.write(report, to: out, names: inputs.names, region: a.option("region"))
        }
        return .success
    }
}

import Foundation

/// One `gonggu` command: its name, a Chinese summary line, how it runs, its subcommands (name and
/// summary) and more detail for `--help`. Its usage lines are those of `CommandRegistry.usageText` that
/// name it. `main.swift` dispatches through `CommandRegistry.commands`, and `--help`/`-h` is answered
/// here, before the command runs (no file written, no connection made).
struct CLICommand {
    /// A subcommand (`log verify`, `keys rotate`…): its own summary and usage line.
    struct Subcommand {
        let name: String
        let summary: String
        let usage: String
    }

    let name: String
    /// One line in Chinese for operators.
    let summary: String
    let run: ([String]) throws -> ExitCode
    /// Subcommand names and their Chinese summaries, in order.
    var subcommandSummaries: KeyValuePairs<String, String> = [:]
    /// More detail printed after the usage lines by `--help` (options, exit statuses).
    var detail: String? = nil

    /// The command's lines in the top-level usage (two-space indent, English).
    var usage: String { CommandRegistry.lines(naming: [name], in: CommandRegistry.usageText) }

    var subcommands: [Subcommand] {
        subcommandSummaries.map {
            Subcommand(
                name: $0.key, summary: $0.value,
                usage: CommandRegistry.lines(naming: [name, $0.key], in: CommandRegistry.subcommandUsageText))
        }
    }

    func subcommand(_ name: String?) -> Subcommand? { subcommands.first { $0.name == name } }

    /// The text `gonggu NAME --help` prints: summary, usage with `gonggu ` in front, detail.
    var help: String {
        var text = "gonggu \(name)：\(summary)\nusage:\n\(Self.qualified(usage))"
        if !subcommandSummaries.isEmpty {
            text += "\nsubcommands: \(subcommandSummaries.map(\.key).joined(separator: ", "))"
            text += " (gonggu \(name) SUBCOMMAND --help)"
        }
        if let detail { text += "\n\n\(detail)" }
        return text
    }

    /// The text `gonggu NAME SUB --help` prints.
    func help(_ sub: Subcommand) -> String {
        "gonggu \(name) \(sub.name)：\(sub.summary)\nusage:\n\(Self.qualified(sub.usage))"
    }

    /// Usage lines as in the top-level usage ("  log verify PATH   …") with the program name in front.
    private static func qualified(_ lines: String) -> String {
        lines.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop { $0 == " " }
            let indent = line.count - body.count
            return indent == 2 ? "  gonggu \(body)" : String(line)
        }.joined(separator: "\n")
    }
}

enum CommandRegistry {
    /// True when the arguments ask for help (`--help` or `-h` anywhere).
    static func asksForHelp(_ args: [String]) -> Bool { Arguments.asksForHelp(args) }

    static func command(_ name: String) -> CLICommand? { commands.first { $0.name == name } }

    /// The top-level usage, built from the registry.
    static var usage: String {
        """
        usage: gonggu <command> [options]

        commands:
        \(commands.map(\.usage).joined(separator: "\n"))
          help [COMMAND [SUBCOMMAND]]     this text, or a command's usage (also: gonggu COMMAND … --help | -h)
          version                         the version (also --version)
        """
    }

    /// Every command and subcommand, one per line (`gonggu help --list`): what the help test walks.
    static var list: [String] {
        commands.flatMap { c in [c.name] + c.subcommandSummaries.map { "\(c.name) \($0.key)" } }
    }

    /// `gonggu help [COMMAND [SUBCOMMAND]]`, or `gonggu COMMAND [SUBCOMMAND] … --help`: the help text, or nil
    /// for an unknown command.
    static func help(_ path: [String]) -> String? {
        guard let name = path.first else { return usage }
        guard let c = command(name) else { return nil }
        if let sub = c.subcommand(path.dropFirst().first) { return c.help(sub) }
        return c.help
    }

    /// The lines of `text` that belong to `words` (a command, or a command and a subcommand): a line
    /// indented two spaces whose first words are `words` opens them, and the lines indented further
    /// below it continue them.
    static func lines(naming words: [String], in text: String) -> String {
        var out: [Substring] = [], inside = false
        for line in text.split(separator: "\n") {
            let body = line.drop { $0 == " " }
            if line.count - body.count == 2 {
                inside = Array(body.split(separator: " ").prefix(words.count).map(String.init)) == words
            }
            if inside { out.append(line) }
        }
        return out.joined(separator: "\n")
    }

    static let commands: [CLICommand] = [
        CLICommand(
            name: "log", summary: "事件日志：校验哈希链、查看最近的事件（身份证号脱敏）",
            // statuses named by LogCommandExit
            run: { ExitCode(rawValue: runLogCommand($0)) },
            subcommandSummaries: [
                // not a service name: the subcommand
                "verify": "校验日志的哈希链和结构（--all 校验目录中每个日志）",
                "tail": "显示日志最后的事件（身份证号脱敏），--follow 持续显示新事件",
            ],
            detail: "exit: 0 成功, 1 哈希链断裂或结构损坏, 64 用法错误, 66 文件不存在或不可读"),
        CLICommand(name: "import", summary: "把 CSV、JSON Lines 或 .xlsx 文件送交受理服务", run: ImportCommand.run),
        CLICommand(name: "rejects", summary: "受理服务拒收的记录（身份证号脱敏）", run: RejectsCommand.run),
        CLICommand(name: "status", summary: "各服务的运行状态；Nagios 检查；Docker/Kubernetes 存活与就绪探测", run: StatusCommand.run),
        CLICommand(name: "tick", summary: "向每个服务追加时钟事件（按经过时间的决定），或一个也不追加", run: TickCommand.run),
        CLICommand(
            name: "keys", summary: "服务、接收单位和客户端的 CURVE 密钥", run: KeysCommand.run,
            subcommandSummaries: [
                "new": "生成一对新密钥",
                "ensure": "缺少时生成密钥（已有的不变）",
                "list": "列出密钥及其状态",
                "revoke": "吊销密钥，并通知服务重新读取",
                "rotate": "更换服务的密钥对（旧密钥移入 retired/；服务重启后使用新密钥）",
            ]),
        CLICommand(name: "backup", summary: "在线复制每个日志（可附配置和密钥）", run: BackupCommand.run),
        CLICommand(name: "restore", summary: "检查备份的哈希和哈希链，写入一个新目录", run: RestoreCommand.run),
        CLICommand(name: "recipient", summary: "参考接收端：接收、确认通知并发送决定", run: RecipientCommand.run),
        CLICommand(name: "continuity", summary: "四个不摘延续台账（CSV），来自核查服务", run: ContinuityCommand.run),
        CLICommand(name: "report", summary: "年度后评估指标：网页、CSV 表和案例清单", run: ReportCommand.run),
        CLICommand(name: "simulate", summary: "生成带真实答案的合成省份数据", run: SimulateCommand.run),
        CLICommand(name: "demo", summary: "在合成省份上运行整条流水线", run: DemoCommand.run),
        CLICommand(name: "replay", summary: "多个日志的事件，按因果顺序、可筛选（身份证号脱敏）", run: ReplayCommand.run),
        CLICommand(name: "why", summary: "因果链：追溯到源记录和施行的规则", run: WhyCommand.run),
        CLICommand(name: "asof", summary: "某户在某日各服务所知的状态（各服务自己的折叠）", run: AsofCommand.run),
        CLICommand(
            name: "rules", summary: "规则文件：摘要、离线检查、启用、假设启用的影响", run: RulesCommand.run,
            subcommandSummaries: [
                "show": "施行中的规则版本，或规则文件的版本、施行日期和地区覆盖",
                "check": "离线检查规则文件（不启用）",
                "activate": "检查后通过服务的控制命令启用规则文件",
                "diff": "假设启用规则文件会改变什么（本进程内只读重放）",
            ],
            detail: RulesCommand.usage),
        CLICommand(
            name: "recipients", summary: "假设启用新的接收单位目录，谁开始或停止接收哪些通知", run: RecipientsDiffCommand.run,
            subcommandSummaries: ["diff": "假设启用接收单位目录会改变什么（本进程内只读重放）"],
            detail: RecipientsDiffCommand.usage),
        CLICommand(
            name: "snapshot", summary: "日志旁的折叠状态快照：能否使用、重建核对、立即生成", run: SnapshotCommand.run,
            subcommandSummaries: [
                "list": "每个快照文件及其下次启动时能否使用",
                // not a service name: the subcommand
                "verify": "list 的检查，并从头重建状态与快照摘要比较",
                "take": "请正在运行的服务立即生成快照",
            ]),
        CLICommand(
            name: "dev", summary: "骨干测试用的合成日志所有者和消费者", run: DevCommands.run,
            subcommandSummaries: [
                "emit": "运行名为 emit 的日志所有者，按 APPEND 请求追加合成事件",
                "mirror": "运行名为 mirror 的消费者，把 emit 的事件流复制进自己的日志",
                "append": "请 emit 追加事件，显示确认的 seq 范围",
            ]),
    ]

    /// The commands' lines of the top-level usage, in the registry's order, as printed.
    static let usageText = """
          log verify PATH                 walk a log's hash chain (exit 1 names the first bad seq)
          log tail PATH [-n N] [--follow] print the last events of a log (ID numbers masked)
          import FILE --kind KIND [--sheet NAME|N] [--connect-timeout S]  send a CSV, JSON Lines or .xlsx file to intake
          rejects [--since D] [--file F] [--format csv [--unmasked]]  records intake refused (IDs masked)
          status [--json] [--max-lag N]   ask every service how it is (exit 1 when down or lagging)
          status --check [--warn-lag N --crit-lag N --warn-overdue N --crit-overdue N --warn-disk PCT --crit-disk PCT]
                                          Nagios plugin: one line with perfdata, exit 0 OK 1 WARNING 2 CRITICAL 3 UNKNOWN
          status --live | --ready [--max-lag N]   liveness / readiness probe for Docker and Kubernetes (exit 0 or 1)
          tick DATE [--force]             append a clock tick (elapsed-time decisions) to every fold, or to none
          keys new|ensure|list|revoke|rotate NAME  CURVE keys for services, recipients and clients
          backup BACKUPDIR --data DIR [--with-config DIR]  online copy of every log (+ configuration and keys)
          restore BACKUPDIR --data DIR    check a backup's hashes and chains, write it into a new folder
          recipient --key F --server-key F  reference client: receive, acknowledge, send decisions
          continuity --year Y [--region P] continuity ledger (四个不摘) as CSV, from the verifier
          report --year Y --logs DIR --out DIR [--region P] [--upto LOG=SEQ,…] [--closed-at DATE]
                                          yearly post-assessment indicators: HTML page, CSV tables and case lists
          simulate --households N --seed S --out DIR [--format csv|xlsx]   write a synthetic province with ground truth
          demo [--households N] [--dir PATH] [--format csv|xlsx] [--keep-running]  the whole pipeline on a synthetic province
          replay LOG… [--subject ID] [--region P] [--type T]… [--from D] [--to D] [--jsonl] [--unmasked]
                                          events of several logs, filtered, in causal order (IDs masked)
          why EVENT-ID LOG…               causation chain back to the source records and the rules in force
          asof DATE --subject ID LOG…     a household's state as the services knew it then (their own folds)
          rules show|check|activate [FILE] --service risk|verify  rule documents: summary, offline check, activation
          rules diff FILE --service risk|verify --logs DIR [--asof D] [--region P] [--out DIR]
                                          what a proposed rule document would change (replayed in-process, read-only)
          recipients diff FILE --logs DIR [--asof D] [--region P] [--out DIR]
                                          who would start or stop receiving which notifications under a new directory
          snapshot list|verify --data DIR  fold-state snapshots beside the logs: usable? (verify: rebuilt from scratch, digests compared)
          snapshot take --service S       ask a running service for a snapshot now
          dev emit|mirror|append …        synthetic log owner / consumer for backbone tests
        """

    /// Each subcommand's usage line (`gonggu COMMAND SUBCOMMAND --help`).
    static let subcommandUsageText = """
          log verify PATH | log verify --all DIR   walk the hash chain (exit 1 names the first bad seq)
          log tail PATH [-n N] [--follow]  print the last N events (default 10), then follow
          keys new NAME [--dir DIR]       write NAME.key (secret) and NAME.pub
          keys ensure NAME… [--dir DIR] [--group G]  create the keys that are missing
          keys list [--dir DIR]           list the keys and whether they are revoked
          keys revoke NAME [--dir DIR] [--recipients FILE]  revoke a key and reload the services
          keys rotate NAME [--dir DIR]    replace a server key pair (the old one moves to DIR/retired/)
          rules show [FILE] --service risk|verify [--document] [--control ENDPOINT] [--config FILE]
          rules check FILE --service risk|verify
          rules activate FILE --service risk|verify [--control ENDPOINT] [--config FILE]
          rules diff FILE --service risk|verify --logs DIR [--asof DATE] [--region PREFIX] [--out DIR]
          recipients diff FILE --logs DIR [--asof DATE] [--region PREFIX] [--out DIR] [--quiet]
          snapshot list --data DIR        each snapshot, its seq, usable or why not
          snapshot verify --data DIR      list's checks and the state rebuilt from scratch, digests compared
          snapshot take --service S [--config FILE]  ask a running service for a snapshot now
          dev emit --data DIR [--publish EP] [--control EP] [--sndhwm N]
          dev mirror --data DIR --upstream-publish EP --upstream-replay EP [--rcvhwm N] [--delay-ms N]
          dev append --control EP --count N [--payload-bytes B] [--salt S] [--start K]
        """
}

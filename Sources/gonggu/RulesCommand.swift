import Foundation
import GongguCore
import GongguEvents
import GongguServices

/// `gonggu rules show|check|activate [FILE] --service risk|verify`: rule documents without a restart
/// (docs/RULES-risk.md §1.1, docs/RULES-verify.md "Changing the rules without a restart",
/// docs/OPERATIONS.md "Rule documents at run time").
///
/// - `show` without FILE asks the service for the version in force today and every version it knows
///   (`--document`: print the document in force, a starting point for a new version); with FILE, a
///   summary of the file (version, effective date, regions and the keys each overrides) and its check.
/// - `check FILE` validates offline, exactly as the service would (no service needed): exit 0, or 65
///   (EX_DATAERR) naming the key by its dotted path.
/// - `activate FILE` checks, then sends the document through the service's `RULES` control command and
///   prints the version activated and the version in force today, as the service reports them.
enum RulesCommand {
    static let usage = """
        usage: gonggu rules show [FILE] --service risk|verify [--document] [--control ENDPOINT] [--config FILE]
               gonggu rules check FILE --service risk|verify
               gonggu rules activate FILE --service risk|verify [--control ENDPOINT] [--config FILE]
               gonggu rules diff FILE --service risk|verify --logs DIR [--asof DATE] [--region PREFIX] [--out DIR]

          show      无 FILE：向服务查询今天施行的规则版本及全部已知版本（--document 输出施行中的规则文件全文）；
                    有 FILE：显示该文件的版本、施行日期、地区覆盖，并检查
          check     离线检查规则文件（不需要服务运行，不启用）：通过退出 0；缺少或无效的键退出 65 并指出键名
          activate  检查后通过服务的 RULES 控制命令启用，显示服务报告的今天施行版本
          diff      假设启用 FILE 会改变什么：在本进程内只读重放 DIR 中的日志两次（按施行的规则、加上 FILE），
                    按户比较决定（新增、取消、变化），输出按县和按变化类型的统计及变化的规则键；
                    --asof 只重放该日期前记录的，--region 只报告该区划，--out 写出网页和明细 CSV（身份证号脱敏）。
                    不连接、不改变正在运行的服务（docs/RULES-WHATIF.md）
        默认规则文件：/etc/gonggu/rules/risk.json、/etc/gonggu/rules/verify.json（源码中 Services/rules/）
        exit: 0 成功, 64 用法错误, 65 规则文件未通过检查, 66 文件不存在或不可读, 69 服务无应答
        """

    static func run(_ args: [String]) throws -> ExitCode {
        if args.contains("--help") || args.contains("-h") || args.first == "help" {
            print(usage)
            return .success
        }
        let a = try Arguments(args, switches: ["document", "quiet"])
        guard let action = a.positionals.first else {
            throw UsageError("missing show, check, activate or diff\n\(usage)")
        }
        guard let name = a.option("service") else { throw UsageError("missing --service risk|verify\n\(usage)") }
        // Rules exist for risk and verify only.
        let ruleSet = RuleSetName(rawValue: try parseService(name, among: [.risk, .verify]))!
        let file = a.positionals.count > 1 ? a.positionals[1] : nil
        guard a.positionals.count <= 2 else { throw UsageError("too many arguments\n\(usage)") }
        switch action {
        case "check":
            guard let file else { throw UsageError("missing FILE (the rule document to check)") }
            let document = try check(file, ruleSet)
            print("规则文件检查通过（未启用）：\(file)")
            print(summary(document))
        case "show":
            guard let file else { return try showInForce(ruleSet, a) }
            let document = try check(file, ruleSet)
            print(summary(document))
            print("检查：通过（gonggu rules activate \(file) --service \(ruleSet.rawValue) 可启用）")
        case "diff":
            guard let file else { throw UsageError("missing FILE (the proposed rule document)\n\(usage)") }
            return try RulesDiffCommand.run(a, ruleSet, file: file)
        case "activate":
            guard let file else { throw UsageError("missing FILE (the rule document to activate)") }
            try activate(try check(file, ruleSet), ruleSet, a)
        default:
            throw UsageError("unknown rules action '\(action)' (show, check, activate, diff)\n\(usage)")
        }
        return .success
    }

    /// Reads and checks a rule document as the service would: 66 when unreadable, 65 when refused.
    static func check(_ path: String, _ ruleSet: RuleSetName) throws -> RuleDocument {
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path)
        else {
            throw CommandFailure("规则文件不存在或不可读：\(path) / rule document not found or unreadable", exit: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("规则文件不是 UTF-8 文本：\(path) / rule document is not UTF-8", exit: .dataError)
        }
        do {
            return try ruleSet.check(text)
        } catch let e as RuleError {
            var message = "规则文件未通过检查：\(path)\n  \(e.chinese)\n  \(e.description)"
            if let key = e.key { message += "\n  键 / key: \(key)" }
            message += "\n  规则说明见 docs/RULES-\(ruleSet.rawValue).md；服务中施行的版本不变"
            throw CommandFailure(message, exit: .dataError)
        }
    }

    /// Version, effective date and, per region prefix, the keys it overrides.
    static func summary(_ d: RuleDocument) -> String {
        var lines = ["规则集：\(d.ruleSet)", "版本：\(d.version)", "施行日期：\(d.effectiveFrom) 起"]
        if d.regions.isEmpty {
            lines.append("地区覆盖：无（全省使用 defaults）")
        } else {
            lines.append("地区覆盖：\(d.regions.count) 个区划")
            for (prefix, override) in d.regions {
                lines.append("  \(prefix)：\(leafKeys(override).joined(separator: "、"))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Dotted paths of the non-object values in an override (what it actually changes).
    static func leafKeys(_ value: JSONValue, _ prefix: String = "") -> [String] {
        guard let fields = value.objectValue, !fields.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        return fields.flatMap { leafKeys($0.1, prefix.isEmpty ? $0.0 : "\(prefix).\($0.0)") }
    }

    static func endpoints(_ ruleSet: RuleSetName, _ a: Arguments) throws -> ServiceEndpoints {
        var endpoints = try ServiceEndpoints(configPath: a.option("config"))
        if let control = a.option("control") { endpoints.control[ruleSet.rawValue] = control }
        return endpoints
    }

    static func call(_ ruleSet: RuleSetName, _ a: Arguments, _ command: String, body: [UInt8]) throws -> JSONValue {
        let endpoints = try endpoints(ruleSet, a)
        let service = ruleSet.rawValue
        guard let reply = endpoints.call(service, command, body: body, timeoutMs: 30_000) else {
            throw CommandFailure(
                "gonggu-\(service) 无应答（\(endpoints.control[service] ?? "?")）/ the service does not answer",
                exit: .unavailable)
        }
        let v = (try? JSONValue.parse(reply.body)) ?? .object([])
        guard reply.status == "OK" else {
            let message = v["message"]?.stringValue ?? "\(reply.status)"
            let refused = v["code"]?.stringValue == "invalid_rules"
            throw CommandFailure(
                (refused ? "服务拒绝了规则文件，施行的版本不变：" : "服务报错：") + message,
                exit: refused ? .dataError : .failure)
        }
        return v
    }

    static func activate(_ document: RuleDocument, _ ruleSet: RuleSetName, _ a: Arguments) throws {
        var w = JSONWriter()
        w.beginObject()
        w.field("document", document.text)
        w.endObject()
        let v = try call(ruleSet, a, "RULES", body: w.bytes)
        let version = v["version"]?.stringValue ?? document.version
        let from = v["effectiveFrom"]?.stringValue ?? document.effectiveFrom
        if v["appended"]?.intValue == 0 {
            print("该规则文件此前已启用（日志中已有同一文件），未重复记录：\(ruleSet.rawValue) 版本 \(version)")
        } else {
            print("已启用：\(ruleSet.rawValue) 版本 \(version)，自 \(from) 起施行（日志序号 \(v["seq"]?.intValue ?? 0)）")
        }
        if let inForce = v["inForce"], let current = inForce["version"]?.stringValue {
            let today = v["today"]?.stringValue ?? "今天"
            print("\(today) 施行的版本：\(current)（自 \(inForce["effectiveFrom"]?.stringValue ?? "?") 起）")
            if current != version {
                print("注意：新版本自 \(from) 起施行，此前的业务日期仍按 \(current) 判断")
            }
        }
    }

    static func showInForce(_ ruleSet: RuleSetName, _ a: Arguments) throws -> ExitCode {
        let v = try call(ruleSet, a, "RULES_SHOW", body: Array("{}".utf8))
        guard let inForce = v["inForce"], let text = inForce["document"]?.stringValue else {
            throw CommandFailure("服务的应答不完整 / incomplete reply", exit: .failure)
        }
        if a.flag("document") {
            print(text)
            return .success
        }
        let today = v["today"]?.stringValue ?? "今天"
        print("gonggu-\(ruleSet.rawValue) \(today) 施行的规则：")
        if let document = try? RuleDocument(text: text) { print(summary(document)) }
        print("来源：\(inForce["source"]?.stringValue == "built-in" ? "内置默认规则" : "已启用的规则文件") "
            + "（\(inForce["source"]?.stringValue ?? "?")）")
        print("服务已知的全部版本（按启用顺序）：")
        for version in v["versions"]?.arrayValue ?? [] {
            let regions = version["regions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            print("  \(version["version"]?.stringValue ?? "?")  自 \(version["effectiveFrom"]?.stringValue ?? "?") 起"
                + "  \(version["source"]?.stringValue ?? "")"
                + (regions.isEmpty ? "" : "  地区覆盖 \(regions.joined(separator: ","))"))
        }
        return .success
    }
}

import Foundation
import GongguCore
import GongguRooms
import GongguRuntime

/// `gonggu status [--json] [--max-lag N] [--timeout S] [--service NAME] [--config FILE] [--data DIR]`: asks
/// every service for its status over its control socket and prints a table — version, uptime, last seq, upstream
/// cursors and lag, and each service's figures (rejected records today; connected recipients,
/// pending and overdue notifications). Exits 1 when a service is down, cannot append to its log, or
/// follows an upstream more than N events behind (default 10 000), a service that does not answer
/// within S seconds (default 10) counting as down: usable as a Docker health check and a
/// Nagios/Zabbix check. `--json` prints one object for monitoring systems. With `--data DIR` (the services'
/// data directory, same host) it also compares each service's log head with the anchors its consumers'
/// logs hold (`AnchorCheck`): a lost tail or divergent history is a problem (exit 1).
enum StatusCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        // Monitoring modes: Nagios check, liveness, readiness (HealthCommand).
        if HealthCommand.wants(args) { return HealthCommand.run(args) }
        let a = try Arguments(args, switches: ["json"])
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        let maxLag = try a.int("max-lag", default: 10_000)
        // A control socket answers one request at a time: during an import, intake answers STATUS
        // after the chunk in hand (a second or more on a busy machine), so wait longer than a ping.
        let timeoutMs = Int32(clamping: try a.int("timeout", default: 10) * 1000)
        let services = try a.option("service").map { [try parseService($0)] } ?? ServiceEndpoints.services
        // Ask every service, also those not checked, so a follower's lag is measured against its
        // upstream's own last seq.
        var replies: [String: JSONValue?] = [:]
        for s in ServiceEndpoints.services where services.contains(s) || isUpstream(s, of: services) {
            let reply = endpoints.call(s, "STATUS", timeoutMs: timeoutMs)
            replies[s] = reply.flatMap { $0.status == "OK" ? try? JSONValue.parse($0.body) : nil }
        }
        var problems = StatusCheck.problems(services: services, replies: replies, maxLag: maxLag)
        // With the data directory (one host): each service's head against what its consumers anchored.
        var anchors: [AnchorCheck.Finding] = []
        if let data = a.option("data") {
            do {
                anchors = try AnchorCheck.check(directory: data, topology: Rooms.topology).filter { services.contains($0.upstream) }
            } catch {
                problems.append(.init(service: "data", message: "锚点检查失败 anchor check failed in \(data): \(error)"))
            }
            // A service that saw the same at its start already reports it (`anchoredBeyondHead`).
            for f in anchors where f.verdict != .ok {
                let problem = StatusCheck.Problem(service: f.upstream, message: f.statusMessage)
                if !problems.contains(problem) { problems.append(problem) }
            }
        }
        if a.flag("json") {
            print(json(services: services, replies: replies, problems: problems, maxLag: maxLag))
        } else {
            print(table(services: services, replies: replies, endpoints: endpoints))
            if !anchors.isEmpty {
                print("锚定的日志头 anchored heads:")
                for f in anchors { print("  \(f.upstream): \(f.statusMessage)") }
            }
            if problems.isEmpty {
                print("正常 healthy (max lag \(maxLag))")
            } else {
                print("异常 UNHEALTHY")
                for p in problems { print("  \(p)") }
            }
        }
        return problems.isEmpty ? .success : .failure
    }

    static func isUpstream(_ s: String, of services: [String]) -> Bool {
        services.contains { Rooms.topology.upstreams(of: $0).contains(s) }
    }

    static func json(
        services: [String], replies: [String: JSONValue?], problems: [StatusCheck.Problem], maxLag: Int
    ) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("healthy", problems.isEmpty)
        w.field("maxLag", maxLag)
        w.objects("problems", problems) { w, p in
            w.field("service", p.service)
            w.field("message", p.message)
        }
        w.key("services")
        w.beginObject()
        for s in services {
            w.key(s)
            guard let v = replies[s] ?? nil else {
                JSONValue.object([("down", .bool(true))]).write(to: &w)
                continue
            }
            // The reply as the service gave it, with each upstream's lag as judged here.
            let fields = (v.objectValue ?? []).map { key, value -> (String, JSONValue) in
                guard key == "upstreams", let ups = value.arrayValue else { return (key, value) }
                return (
                    key,
                    .array(
                        ups.map { u in
                            .object(
                                (u.objectValue ?? []).filter { $0.0 != "lag" }
                                    + [("lag", .number(Double(StatusCheck.lag(of: u, replies: replies))))])
                        })
                )
            }
            JSONValue.object([("down", .bool(false))] + fields).write(to: &w)
        }
        w.endObject()
        w.endObject()
        return w.string
    }

    static func table(services: [String], replies: [String: JSONValue?], endpoints: ServiceEndpoints) -> String {
        var rows = [
            [
                "服务 service", "版本 version", "运行 uptime", "日志头 last seq",
                "上游 游标/最新 延迟 upstreams (cursor/latest, lag)", "指标 figures",
            ]
        ]
        for s in services {
            guard let v = replies[s] ?? nil else {
                rows.append([s, "停止 DOWN", "-", "-", "无响应 no answer from \(endpoints.control[s] ?? "?")", ""])
                continue
            }
            let ups = (v["upstreams"]?.arrayValue ?? []).map { u in
                "\(u["stream"]?.stringValue ?? "?") \(u["cursor"]?.intValue ?? 0)/\(u["latest"]?.intValue ?? 0), "
                    + "延迟 lag \(StatusCheck.lag(of: u, replies: replies))"
            }
            rows.append([
                s, v["version"]?.stringValue ?? "?", duration(v["uptimeSeconds"]?.intValue ?? 0),
                "\(v["lastSeq"]?.intValue ?? 0)", ups.isEmpty ? "-" : ups.joined(separator: "; "), figures(v),
            ])
        }
        let widths = (0..<5).map { c in rows.map { displayWidth($0[c]) }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in c < 5 ? pad(cell, widths[c] + 2) : cell }.joined()
        }.joined(separator: "\n")
    }

    /// Labels of the service-specific figures, in display order; anything else is shown as key=value.
    static let figureLabels: [(String, String)] = [
        ("rejectedToday", "今日退回 rejected today"), ("acceptedRecords", "接收 accepted"),
        ("rejectedRecords", "退回 rejected"), ("connectedRecipients", "在线接收方 recipients connected"),
        ("openNotifications", "待确认 pending"), ("overdueNotifications", "逾期 overdue"),
        ("notifications", "通知 notifications"), ("clockDate", "时钟 clock"),
    ]

    static func figures(_ v: JSONValue) -> String {
        let standard: Set<String> = ["service", "version", "pid", "uptimeSeconds", "lastSeq", "headHash", "upstreams"]
        var parts: [String] = []
        var shown = standard
        for (key, label) in figureLabels {
            guard let value = v[key] else { continue }
            shown.insert(key)
            parts.append("\(label) \(display(value))")
        }
        // The data file system, as the share free (`status --check --warn-disk`).
        shown.formUnion(["diskFreeBytes", "diskSizeBytes"])
        if let free = v["diskFreeBytes"]?.doubleValue, let size = v["diskSizeBytes"]?.doubleValue, size > 0 {
            parts.append(String(format: "数据盘剩余 disk free %.1f%%", free / size * 100))
        }
        for (key, value) in v.objectValue ?? [] where !shown.contains(key) {
            parts.append("\(key)=\(display(value))")
        }
        return parts.joined(separator: ", ")
    }

    static func display(_ v: JSONValue) -> String {
        if let i = v.intValue { return "\(i)" }
        if let s = v.stringValue { return s }
        if case .null = v { return "-" }
        return v.jsonString
    }

    /// 45s, 12m05s, 3h07m, 2d04h.
    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return String(format: "%dm%02ds", seconds / 60, seconds % 60)
        case ..<86400: return String(format: "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
        default: return String(format: "%dd%02dh", seconds / 86400, seconds % 86400 / 3600)
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let w = displayWidth(s)
        return w >= n ? s + " " : s + String(repeating: " ", count: n - w)
    }

    /// Terminal columns of `s`: Chinese characters and full-width punctuation take two.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}

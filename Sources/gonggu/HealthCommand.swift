import Foundation
import GongguCore
import GongguRuntime

/// `gonggu status --check | --live | --ready` (docs/MONITORING.md, "Health"):
///
/// - `--check [--warn-lag N] [--crit-lag N] [--warn-overdue N] [--crit-overdue N] [--warn-disk PCT]
///   [--crit-disk PCT]`: a Nagios/Icinga plugin — one line `GONGGU STATE - summary | perfdata`, exit
///   0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad usage or configuration).
/// - `--live`: every service asked answers PING (its process is up and its control thread serves):
///   exit 0, else 1 — a Docker HEALTHCHECK or Kubernetes liveness probe (exit 1 = unhealthy; Docker
///   reserves 2).
/// - `--ready`: every service asked answers STATUS (its start-up replay is over: the control socket
///   opens after it), can append to its log, has no broken upstream and lags at most `--max-lag`
///   events (default 10 000): exit 0, else 1 — a readiness probe.
///
/// `--service NAME`, `--config FILE` and `--timeout S` as for `gonggu status`.
enum HealthCommand {
    static func wants(_ args: [String]) -> Bool {
        args.contains { ["--check", "--live", "--ready"].contains($0) }
    }

    static func run(_ args: [String]) -> ExitCode {
        if args.contains("--check") {
            do {
                return try check(args)
            } catch {
                print("GONGGU UNKNOWN - \(error)")
                return ExitCode(HealthCheck.State.unknown)
            }
        }
        do {
            return try probe(args, ready: args.contains("--ready"))
        } catch let e as UsageError {
            print("用法错误 (usage): \(e.message)")
            return .usage
        } catch {
            print("\(error)")
            return .failure
        }
    }

    private static func common(_ a: Arguments) throws -> (ServiceEndpoints, [String], Int32) {
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        let timeoutMs = Int32(clamping: try a.int("timeout", default: 10) * 1000)
        let services = try a.option("service").map { [try parseService($0)] } ?? ServiceEndpoints.services
        return (endpoints, services, timeoutMs)
    }

    private static func check(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["check"])
        try a.onlyOptions([
            "check", "config", "timeout", "service", "warn-lag", "crit-lag", "warn-overdue", "crit-overdue",
            "warn-disk", "crit-disk",
        ])
        let (endpoints, services, timeoutMs) = try common(a)
        var t = HealthCheck.Thresholds()
        t.warnLag = try a.int("warn-lag", default: t.warnLag)
        t.critLag = try a.int("crit-lag", default: t.critLag)
        t.warnOverdue = try a.int("warn-overdue", default: t.warnOverdue)
        t.critOverdue = try a.int("crit-overdue", default: t.critOverdue)
        t.warnDiskFreePercent = try percent(a, "warn-disk", default: t.warnDiskFreePercent)
        t.critDiskFreePercent = try percent(a, "crit-disk", default: t.critDiskFreePercent)
        var replies: [String: JSONValue?] = [:]
        for s in ServiceEndpoints.services where services.contains(s) || StatusCommand.isUpstream(s, of: services) {
            let reply = endpoints.call(s, "STATUS", timeoutMs: timeoutMs)
            replies[s] = reply.flatMap { $0.status == "OK" ? try? JSONValue.parse($0.body) : nil }
        }
        let result = HealthCheck.evaluate(services: services, replies: replies, thresholds: t)
        print(result.line)
        return ExitCode(result.state)
    }

    private static func percent(_ a: Arguments, _ name: String, default def: Double) throws -> Double {
        guard let v = a.option(name) else { return def }
        guard let p = Double(v.hasSuffix("%") ? String(v.dropLast()) : v), (0...100).contains(p) else {
            throw UsageError("选项 --\(name) 需要 0 到 100 之间的百分比，实际为“\(v)” / --\(name) needs a percentage, got '\(v)'")
        }
        return p
    }

    private static func probe(_ args: [String], ready: Bool) throws -> ExitCode {
        let a = try Arguments(args, switches: ["live", "ready"])
        try a.onlyOptions(["live", "ready", "config", "timeout", "service", "max-lag"])
        let (endpoints, services, timeoutMs) = try common(a)
        let maxLag = try a.int("max-lag", default: 10_000)
        var failures: [String] = []
        if !ready {
            for s in services where endpoints.call(s, "PING", timeoutMs: timeoutMs)?.status != "OK" {
                failures.append("\(s) 无响应 (not live)")
            }
        } else {
            var replies: [String: JSONValue?] = [:]
            for s in ServiceEndpoints.services where services.contains(s) || StatusCommand.isUpstream(s, of: services) {
                let reply = endpoints.call(s, "STATUS", timeoutMs: timeoutMs)
                replies[s] = reply.flatMap { $0.status == "OK" ? try? JSONValue.parse($0.body) : nil }
            }
            // Only the services asked: an upstream that is down does not make its consumer unready.
            failures = StatusCheck.problems(services: services, replies: replies, maxLag: maxLag)
                .map { "\($0.service) 未就绪 (not ready): \($0.message)" }
        }
        let what = ready ? "就绪 (ready)" : "存活 (live)"
        print(failures.isEmpty ? "\(services.joined(separator: ", ")) \(what)" : failures.joined(separator: "; "))
        return failures.isEmpty ? .success : .failure
    }
}

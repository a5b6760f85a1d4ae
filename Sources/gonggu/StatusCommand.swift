import Foundation
import GongguCore

/// `gonggu status [--json] [--max-lag N] [--config FILE]`: asks every service for its status and
/// prints a table. Exits 1 when a service is down or an upstream lags by more than N events
/// (usable as a Docker health check or a Nagios/Zabbix check); `--service NAME` checks one.
enum StatusCommand {
    static func run(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, switches: ["json"])
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        let maxLag = try a.int("max-lag", default: 10_000)
        let services = a.option("service").map { [$0] } ?? ServiceEndpoints.services
        var healthy = true
        var rows: [(String, JSONValue?)] = []
        for s in services {
            if let reply = endpoints.call(s, "STATUS"), reply.status == "OK", let v = try? JSONValue.parse(reply.body) {
                rows.append((s, v))
                for u in v["upstreams"]?.arrayValue ?? [] where (u["lag"]?.intValue ?? 0) > maxLag { healthy = false }
            } else {
                rows.append((s, nil))
                healthy = false
            }
        }
        if a.flag("json") {
            var w = JSONWriter()
            w.beginObject()
            w.field("healthy", healthy)
            w.key("services")
            w.beginObject()
            for (s, v) in rows {
                w.key(s)
                (v ?? .object([("down", .bool(true))])).write(to: &w)
            }
            w.endObject()
            w.endObject()
            print(w.string)
        } else {
            print(pad("service", 8) + pad("version", 9) + pad("uptime", 9) + pad("last seq", 11) + "upstreams (cursor/latest, lag) and figures")
            for (s, v) in rows {
                guard let v else {
                    print(pad(s, 8) + "DOWN (no answer from \(endpoints.control[s] ?? "?"))")
                    continue
                }
                let ups = (v["upstreams"]?.arrayValue ?? []).map {
                    "\($0["stream"]?.stringValue ?? "?") \($0["cursor"]?.intValue ?? 0)/\($0["latest"]?.intValue ?? 0) lag \($0["lag"]?.intValue ?? 0)"
                }
                let known: Set<String> = ["service", "version", "pid", "uptimeSeconds", "lastSeq", "headHash", "upstreams"]
                let extras = (v.objectValue ?? []).filter { !known.contains($0.0) }.map { "\($0.0)=\($0.1.jsonString)" }
                print(
                    pad(s, 8) + pad(v["version"]?.stringValue ?? "?", 9) + pad("\(v["uptimeSeconds"]?.intValue ?? 0)s", 9)
                        + pad("\(v["lastSeq"]?.intValue ?? 0)", 11) + (ups + extras).joined(separator: "; "))
            }
            print(healthy ? "healthy" : "UNHEALTHY")
        }
        return healthy ? 0 : 1
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// `gonggu tick DATE [--service NAME]…`: appends a clock tick to the risk, verify and notify logs
/// (elapsed-time decisions — overdue, escalation, months without payment — are taken on ticks).
enum TickCommand {
    static func run(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args)
        let date = try a.positional(0, "DATE (YYYY-MM-DD)")
        guard BusinessCalendar.dayNumber(date) != nil else { throw UsageError("DATE must be YYYY-MM-DD, got \(date)") }
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        let services = a.option("service").map { [$0] } ?? ["verify", "risk", "notify"]
        var ok = true
        for s in services {
            var w = JSONWriter()
            w.beginObject()
            w.field("date", date)
            w.endObject()
            if let reply = endpoints.call(s, "TICK", body: w.bytes, timeoutMs: 30_000), reply.status == "OK" {
                print("\(s): tick \(date) appended")
            } else {
                print("\(s): no answer")
                ok = false
            }
        }
        return ok ? 0 : 1
    }
}

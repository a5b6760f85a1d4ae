import Foundation
import GongguCore
import GongguRooms
import GongguServices

/// `gonggu tick DATE [--force] [--service NAME] [--config FILE]`: appends a clock tick to the verify,
/// risk and notify logs (elapsed-time decisions — overdue, escalation, months without payment — are
/// taken on ticks). All or nothing: every service is asked first (`TICK` with `"check": true`); the
/// tick is appended only when all answer and none has ticked a later date. Exit 0 appended everywhere;
/// 69 (EX_UNAVAILABLE) a service did not answer — appended nowhere; 65 (EX_DATAERR) DATE is before a
/// service's latest tick — appended nowhere (`--force` appends it anyway); 75 (EX_TEMPFAIL) a service
/// failed between the check and the append — the per-service result is printed, and running the same
/// command again completes it.
enum TickCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["force"])
        let date = try a.positional(0, "DATE (YYYY-MM-DD)")
        guard BusinessCalendar.dayNumber(date) != nil else { throw UsageError("DATE must be YYYY-MM-DD, got \(date)") }
        let force = a.flag("force")
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        let services = try a.option("service").map { [try parseService($0)] } ?? Rooms.topology.tickedServices
        func body(check: Bool) -> [UInt8] {
            var w = JSONWriter()
            w.beginObject()
            w.field("date", date)
            w.field("force", force)
            w.field("check", check)
            w.endObject()
            return w.bytes
        }
        func message(_ reply: [UInt8]) -> String {
            (try? JSONValue.parse(reply))?["message"]?.stringValue ?? String(decoding: reply, as: UTF8.self)
        }

        // 1. Check: every service answers, none has a later tick (unless --force).
        var down: [String] = [], refused: [String] = []
        for s in services {
            guard let reply = endpoints.call(s, "TICK", body: body(check: true), timeoutMs: 10_000) else {
                print("\(s): 未应答 no answer")
                down.append(s)
                continue
            }
            guard reply.status == "OK" else {
                print("\(s): \(message(reply.body))")
                refused.append(s)
                continue
            }
            let last = (try? JSONValue.parse(reply.body))?["lastTick"]?.stringValue ?? "-"
            print("\(s): 可追加 ready (上次时钟 last tick \(last))")
        }
        guard down.isEmpty, refused.isEmpty else {
            print("时钟 \(date) 未追加到任何服务 / tick not appended to any service")
            if !down.isEmpty {
                print("先启动 start \(down.map { "gonggu-\($0)" }.joined(separator: " "))，再运行 then run gonggu tick \(date)")
                return .unavailable
            }
            return .dataError
        }

        // 2. Append everywhere.
        var appended: [String] = [], failed: [String] = []
        for s in services {
            if let reply = endpoints.call(s, "TICK", body: body(check: false), timeoutMs: 30_000), reply.status == "OK" {
                print("\(s): 已追加 tick \(date) appended")
                appended.append(s)
            } else {
                print("\(s): 追加失败 not appended")
                failed.append(s)
            }
        }
        guard failed.isEmpty else {
            print(
                "时钟 \(date) 只追加到 appended only to \(appended.isEmpty ? "-" : appended.joined(separator: ", "))；"
                    + "服务恢复后再次运行 gonggu tick \(date)\(force ? " --force" : "") 补齐"
                    + " / run the same command again when \(failed.joined(separator: ", ")) is back to complete it")
            return .tempFail
        }
        return .success
    }
}

import Foundation
import GongguCore

/// The monitoring verdict over the STATUS replies of a deployment, in the Nagios plugin convention
/// (`gonggu status --check`, docs/MONITORING.md): a state (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN),
/// one summary line and performance data. Pure: the same replies and thresholds give the same result.
public enum HealthCheck {
    /// Nagios plugin states, which are also the exit codes.
    public enum State: Int32, Comparable, Sendable {
        case ok = 0, warning = 1, critical = 2, unknown = 3

        public var label: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(rawValue)] }

        /// Worse first: CRITICAL over WARNING over UNKNOWN over OK (the plugin guidelines' order).
        var severity: Int { [0, 2, 3, 1][Int(rawValue)] }

        public static func < (a: State, b: State) -> Bool { a.severity < b.severity }
    }

    /// Thresholds: lag in events and overdue notifications alert at or above their value; disk alerts
    /// when the free share of the data file system is below its value, in percent.
    public struct Thresholds: Sendable, Equatable {
        public var warnLag = 1_000, critLag = 10_000
        public var warnOverdue = 1, critOverdue = 100
        public var warnDiskFreePercent = 20.0, critDiskFreePercent = 10.0

        public init() {}
    }

    /// One finding: the state it causes, its Chinese text and English key.
    public struct Finding: Equatable, Sendable {
        public var state: State
        public var service: String
        public var chinese: String
        public var english: String

        public var text: String { "\(service) \(chinese) (\(english))" }
    }

    public struct Result: Sendable {
        public var state: State
        public var findings: [Finding]
        /// Nagios performance data: `'label'=value[UOM];warn;crit;min;max`, space-separated.
        public var perfdata: [String]

        /// The one line a Nagios plugin prints: `GONGGU STATE - summary | perfdata`.
        public var line: String {
            let worst = findings.filter { $0.state == state }
            let summary = worst.isEmpty ? "全部服务正常 (all services healthy)" : worst.map(\.text).joined(separator: "; ")
            let others = findings.count - worst.count
            let more = others > 0 ? "；另有 \(others) 项较轻问题 (\(others) lesser)" : ""
            return "GONGGU \(state.label) - \(summary)\(more) | " + perfdata.joined(separator: " ")
        }
    }

    public static func evaluate(services: [String], replies: [String: JSONValue?], thresholds t: Thresholds) -> Result {
        var findings: [Finding] = []
        var perf: [String] = []
        /// A finding when a figure is past its critical or warning threshold.
        func judge(_ critical: Bool, _ warning: Bool, _ service: String, _ chinese: String, _ english: String) {
            guard critical || warning else { return }
            findings.append(
                .init(state: critical ? .critical : .warning, service: service, chinese: chinese, english: english))
        }
        for s in services {
            guard let reply = replies[s] ?? nil else {
                findings.append(.init(state: .critical, service: s, chinese: "无响应", english: "down"))
                perf.append("'\(s)_up'=0;;1:;0;1")
                continue
            }
            perf.append("'\(s)_up'=1;;1:;0;1")
            if let error = reply["lastError"]?.stringValue {
                findings.append(
                    .init(state: .critical, service: s, chinese: "无法写入日志：\(error)", english: "cannot append to its log")
                )
            }
            for anchored in reply["anchoredBeyondHead"]?.arrayValue ?? [] {
                findings.append(
                    .init(
                        state: .critical, service: s, chinese: anchored.stringValue ?? "?",
                        english: "log head behind its consumers"))
            }
            for (stream, _) in reply["upstreamBroken"]?.objectValue ?? [] {
                findings.append(
                    .init(
                        state: .critical, service: s, chinese: "上游 \(stream) 日志损坏",
                        english: "upstream \(stream) log broken"))
            }
            for u in reply["upstreams"]?.arrayValue ?? [] {
                let stream = u["stream"]?.stringValue ?? "?"
                let lag = StatusCheck.lag(of: u, replies: replies)
                perf.append("'\(s)_lag_\(stream)'=\(lag);\(t.warnLag);\(t.critLag);0")
                judge(
                    lag >= t.critLag, lag >= t.warnLag, s, "落后上游 \(stream) \(lag) 条事件",
                    "\(stream) lags \(lag) events")
            }
            if let overdue = reply["overdueNotifications"]?.intValue {
                perf.append("'\(s)_overdue'=\(overdue);\(t.warnOverdue);\(t.critOverdue);0")
                if let pending = reply["openNotifications"]?.intValue { perf.append("'\(s)_pending'=\(pending);;;0") }
                if let connected = reply["connectedRecipients"]?.intValue {
                    perf.append("'\(s)_recipients_connected'=\(connected);;;0")
                }
                judge(
                    overdue >= t.critOverdue, overdue >= t.warnOverdue, s, "逾期未确认通知 \(overdue) 条",
                    "\(overdue) notifications overdue")
            }
            if let free = reply["diskFreeBytes"]?.doubleValue, let size = reply["diskSizeBytes"]?.doubleValue, size > 0
            {
                let percent = (free / size * 1000).rounded() / 10
                perf.append("'\(s)_disk_free'=\(percent)%;\(t.warnDiskFreePercent):;\(t.critDiskFreePercent):;0;100")
                judge(
                    percent < t.critDiskFreePercent, percent < t.warnDiskFreePercent, s, "数据盘剩余 \(percent)%",
                    "data disk \(percent)% free")
            }
        }
        let state = findings.map(\.state).max() ?? .ok
        return Result(state: state, findings: findings.sorted { $0.state > $1.state }, perfdata: perf)
    }
}

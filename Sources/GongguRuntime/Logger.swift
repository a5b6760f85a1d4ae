import Foundation
import GongguCore

/// Structured logs: one JSON object per line on stderr, friendly to journald and Docker.
///
/// Libraries receive a logger, they never make one. Metadata keys are dotted (`household.id`).
/// Every string value and the message pass through `PersonalDataMask.maskText`, so a resident ID
/// that slips into a log line is masked anyway.
///
/// For operators (docs/MONITORING.md, "Logs"): a message is written as its English key, which the
/// line keeps in the `key` field, while `msg` holds its Chinese text (`LogTexts`); `ts` is local
/// time with its UTC offset (`+08:00` under `TZ=Asia/Shanghai`). When stderr is the journal
/// (systemd sets `JOURNAL_STREAM` to its device and inode) each line starts with the sd-daemon
/// priority prefix `<N>` (error 3, warning 4, info 6, debug 7), so `journalctl -p warning` shows
/// exactly the warnings and errors; elsewhere (Docker, a terminal) lines are plain JSON.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable {
        case debug = 0, info, warning, error

        var name: String { ["debug", "info", "warning", "error"][rawValue] }

        /// syslog priority (sd-daemon(3) prefix `<N>`): error 3, warning 4, info 6, debug 7.
        public var priority: Int { [7, 6, 4, 3][rawValue] }

        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            default: return nil
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// Component name, e.g. `gonggu-risk`.
    public let label: String
    public var minimumLevel: Level
    /// Whether lines start with the sd-daemon priority prefix `<N>`.
    public let priorityPrefix: Bool
    private let sink: @Sendable (String) -> Void

    /// A logger writing to stderr, with priority prefixes when stderr is the journal.
    public init(label: String, minimumLevel: Level = .info) {
        self.init(label: label, minimumLevel: minimumLevel, priorityPrefix: Self.stderrIsJournal()) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// A logger writing lines to `sink` (tests capture lines this way).
    public init(
        label: String, minimumLevel: Level = .info, priorityPrefix: Bool = false,
        sink: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.minimumLevel = minimumLevel
        self.priorityPrefix = priorityPrefix
        self.sink = sink
    }

    /// Whether stderr is connected to the journal: `JOURNAL_STREAM` (`DEVICE:INODE`, set by systemd
    /// for a unit whose output goes to the journal) names stderr's own file (systemd.exec(5); a child
    /// whose stderr was redirected inherits the variable but not the stream).
    public static func stderrIsJournal(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }

    public func debug(_ message: String, _ metadata: [String: LogValue] = [:]) { log(.debug, message, metadata) }
    public func info(_ message: String, _ metadata: [String: LogValue] = [:]) { log(.info, message, metadata) }
    public func warning(_ message: String, _ metadata: [String: LogValue] = [:]) { log(.warning, message, metadata) }
    public func error(_ message: String, _ metadata: [String: LogValue] = [:]) { log(.error, message, metadata) }

    public func log(_ level: Level, _ message: String, _ metadata: [String: LogValue]) {
        guard level >= minimumLevel else { return }
        var w = JSONWriter()
        w.beginObject()
        w.field("ts", Self.timestamp())
        w.field("level", level.name)
        w.field("logger", label)
        if let chinese = LogTexts.chinese[message] {
            w.field("msg", chinese)
            w.field("key", message)
        } else {
            w.field("msg", PersonalDataMask.maskText(message))
        }
        for key in metadata.keys.sorted() {
            w.key(key)
            switch metadata[key]! {
            case let .string(s): w.string(PersonalDataMask.maskText(s))
            case let .int(i): w.int(i)
            case let .double(d): w.double(d)
            case let .bool(b): w.bool(b)
            }
        }
        w.endObject()
        sink(priorityPrefix ? "<\(level.priority)>" + w.string : w.string)
    }

    /// Local time with its offset, e.g. `2026-12-07T08:15:02.417+08:00` (the machine's zone: `TZ` or
    /// /etc/localtime).
    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return timestamp(seconds: Int(tv.tv_sec), milliseconds: Int(tv.tv_usec / 1000))
    }

    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        let offset = parts.tm_gmtoff / 60
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, milliseconds)
            + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
    }
}

/// A metadata value.
public enum LogValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
}

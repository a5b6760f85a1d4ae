import Foundation
import GongguCore

/// Structured logs: one JSON object per line on stderr, friendly to journald and Docker.
///
/// Libraries receive a logger, they never make one. Metadata keys are dotted (`household.id`).
/// Every string value and the message pass through `PersonalDataMask.maskText`, so a resident ID
/// that slips into a log line is masked anyway.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable {
        case debug = 0, info, warning, error

        var name: String { ["debug", "info", "warning", "error"][rawValue] }

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
    private let sink: @Sendable (String) -> Void

    /// A logger writing to stderr.
    public init(label: String, minimumLevel: Level = .info) {
        self.init(label: label, minimumLevel: minimumLevel) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// A logger writing lines to `sink` (tests capture lines this way).
    public init(label: String, minimumLevel: Level = .info, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.minimumLevel = minimumLevel
        self.sink = sink
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
        w.field("msg", PersonalDataMask.maskText(message))
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
        sink(w.string)
    }

    private static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int(tv.tv_usec / 1000))
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

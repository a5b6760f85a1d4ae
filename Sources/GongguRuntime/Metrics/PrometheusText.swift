import Foundation

/// Writes the Prometheus text exposition format, version 0.0.4: a `# HELP` and a `# TYPE` line per
/// metric family, then its samples, `name{label="value",…} value`, one per line, `\n`-terminated.
///
/// Escaping as the format specifies: in HELP text a backslash and a line feed (`\\`, `\n`); in label
/// values those and the double quote (`\"`). Values are Go-parsable floats: integers as integers,
/// `+Inf`, `-Inf`, `NaN`.
public struct PrometheusText {
    /// The content type of a scrape reply in this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public enum Kind: String { case counter, gauge, histogram }

    public private(set) var text = ""

    public init() {}

    /// Starts a family: its HELP and TYPE lines. Samples of the family follow.
    public mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line; labels in the order given.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// A histogram's `_bucket{le}` (cumulative, ending with `+Inf`), `_sum` and `_count` samples.
    public mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ h: Histogram.Snapshot) {
        var cumulative = 0
        for (bound, count) in zip(h.bounds, h.counts) {
            cumulative += count
            sample(name + "_bucket", labels + [("le", Self.format(bound))], cumulative)
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], h.count)
        sample(name + "_sum", labels, h.sum)
        sample(name + "_count", labels, h.count)
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeLabel(_ s: String) -> String {
        escapeHelp(s).replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// A histogram with fixed upper bounds (Prometheus `le`), thread-safe.
public final class Histogram: @unchecked Sendable {
    public struct Snapshot: Sendable {
        /// Upper bounds, ascending (without `+Inf`).
        public var bounds: [Double]
        /// Observations per bucket (not cumulative); those above the last bound only in `count`.
        public var counts: [Int]
        public var sum: Double
        public var count: Int
    }

    private let lock = NSLock()
    private var snapshot: Snapshot

    public init(bounds: [Double]) {
        snapshot = Snapshot(bounds: bounds.sorted(), counts: Array(repeating: 0, count: bounds.count), sum: 0, count: 0)
    }

    public func observe(_ value: Double) {
        lock.lock()
        defer { lock.unlock() }
        if let i = snapshot.bounds.firstIndex(where: { value <= $0 }) { snapshot.counts[i] += 1 }
        snapshot.sum += value
        snapshot.count += 1
    }

    public var current: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return snapshot
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguStore

/// Cross-checks the logs of one data directory against the anchors their consumers hold.
///
/// A log's own chain cannot show a tail cut off after its last remaining event, nor a history
/// rewritten wholesale (`EventLog.verify`). Its consumers can: every `InputConsumed` marker records the
/// upstream's chain hash at the seq it consumed through (`throughHash`). For each consumer log and each
/// of its upstreams whose log is in the same directory, the highest marker is the anchor; the upstream
/// must hold an event at that seq, with that hash. Reads the logs read-only, beside running services.
///
/// Limits: only logs in one directory (one host) are compared, and a consumer log is searched for
/// markers of its default upstreams (`ServiceTopology.upstreams(of:)`); a deployment across hosts
/// runs the check where copies of the logs are brought together (e.g. a backup set).
public enum AnchorCheck {
    /// What one consumer's anchor says about one upstream log.
    public enum Verdict: Equatable, Sendable {
        /// The upstream holds the anchored seq with the anchored hash (or, for a marker written before
        /// hashes were recorded, holds the seq).
        case ok
        /// The upstream's head is below the anchored seq: seqs head+1 … anchored are lost.
        case lostTail
        /// The upstream holds the anchored seq with another hash: it was replaced or rewritten.
        case divergent(found: [UInt8])
    }

    /// One (upstream, consumer) pair.
    public struct Finding: Equatable, Sendable, CustomStringConvertible {
        public var upstream: String
        public var upstreamPath: String
        public var consumer: String
        public var consumerPath: String
        /// The upstream log's last seq.
        public var head: Int64
        /// The highest seq the consumer recorded as consumed, and the upstream's hash there (nil for a
        /// version 1 marker).
        public var anchoredSeq: Int64
        public var anchoredHash: [UInt8]?
        public var verdict: Verdict

        /// Events the upstream lacks below the anchor (0 unless `lostTail`).
        public var missing: Int64 { verdict == .lostTail ? anchoredSeq - head : 0 }

        /// One line, Chinese and English, naming what is wrong, the range and which log holds the anchor.
        public var description: String {
            let file = (upstreamPath as NSString).lastPathComponent
            let holder = "held by \(consumer) log \(consumerPath)"
            let hash = anchoredHash?.hexString ?? "unknown (marker without hash)"
            switch verdict {
            case .ok:
                return "正常 ok: \(consumer) → \(upstream): seq \(anchoredSeq) present, hash \(hash)"
            case .lostTail:
                return "丢失尾部 lost tail: \(file) head seq \(head), \(consumer) consumed up to seq \(anchoredSeq): "
                    + "missing seqs \(head + 1)…\(anchoredSeq), \(missing) events, last known hash \(hash), \(holder)"
            case let .divergent(found):
                return "历史分叉 divergent history: \(file) at seq \(anchoredSeq) has hash \(found.hexString), "
                    + "\(consumer) anchored \(hash) (the log was replaced or rewritten), \(holder)"
            }
        }

        /// The short form `gonggu status` shows against the upstream service.
        public var statusMessage: String {
            switch verdict {
            case .ok:
                return "anchored by \(consumer) at seq \(anchoredSeq): ok"
            case .lostTail:
                return "head \(head) behind seq \(anchoredSeq) anchored by \(consumer): 丢失尾部 lost tail, "
                    + "missing seqs \(head + 1)…\(anchoredSeq) (\(missing) events); restore from backup"
            case .divergent:
                return "seq \(anchoredSeq) differs from the hash anchored by \(consumer): 历史分叉 divergent history"
            }
        }
    }

    /// The `*.log.sqlite` files of `directory`, sorted by name.
    public static func logFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".log.sqlite") }.sorted().map { "\(directory)/\($0)" }
    }

    /// Every (upstream, consumer) pair of the logs in `directory` that follow each other in `topology`,
    /// upstreams in file-name order; only those of `upstream` when given.
    public static func check(directory: String, upstream: String? = nil, topology: ServiceTopology) throws -> [Finding] {
        var logs: [(stream: String, path: String, log: EventLog)] = []
        for path in try logFiles(in: directory) {
            let log = try EventLog(path: path, stream: nil, readOnly: true)
            logs.append((log.stream, path, log))
        }
        var findings: [Finding] = []
        for up in logs where upstream == nil || up.stream == upstream {
            let head = try up.log.lastSeq
            for consumer in logs where topology.upstreams(of: consumer.stream).contains(up.stream) {
                guard let marker = try lastMarker(of: up.stream, in: consumer.log) else { continue }
                var finding = Finding(
                    upstream: up.stream, upstreamPath: up.path, consumer: consumer.stream, consumerPath: consumer.path,
                    head: head, anchoredSeq: marker.through, anchoredHash: marker.throughHash, verdict: .ok)
                if head < marker.through {
                    finding.verdict = .lostTail
                } else if let anchored = marker.throughHash,
                    let found = try up.log.storedHash(ifPresent: marker.through), found != anchored
                {
                    finding.verdict = .divergent(found: found)
                }
                findings.append(finding)
            }
        }
        return findings
    }

    /// The highest `InputConsumed` marker of `stream` in `log`, read backwards from the head in windows
    /// (a consumer writes one per batch, so the first window almost always holds it).
    static func lastMarker(of stream: String, in log: EventLog) throws -> InputConsumed? {
        var high = try log.lastSeq
        let window: Int64 = 2000
        while high > 0 {
            let low = max(0, high - window)
            for e in try log.read(after: low, limit: Int(high - low)).reversed()
            where e.type == InputConsumed.eventType && e.subject == stream {
                let marker = try e.decode(InputConsumed.self)
                if marker.stream == stream { return marker }
            }
            high = low
        }
        return nil
    }
}

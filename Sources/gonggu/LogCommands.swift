import Dispatch
import Foundation
import GongguCore
import GongguStore

/// `gonggu log verify PATH` and `gonggu log tail PATH [-n N] [--follow]`.
///
/// Opens logs read-only, so it can run beside the service that writes them. `verify` runs SQLite's
/// `integrity_check` (naming a damaged index or table) and walks the hash chain. Exit codes
/// (`LogCommandExit`): 0 success, 1 broken chain or damaged structure, 64 (EX_USAGE) bad usage,
/// 66 (EX_NOINPUT) the log cannot be opened or read (a Chinese and English message with the path).
func runLogCommand(_ args: [String]) -> Int32 {
    let usage = "usage: gonggu log verify PATH | gonggu log tail PATH [-n N] [--follow]"
    guard let sub = args.first else { return LogCommandIO.usageError(usage) }
    switch sub {
    case "verify":
        guard args.count == 2 else { return LogCommandIO.usageError(usage) }
        return verifyLog(path: args[1])
    case "tail":
        var path: String?, count = 10, follow = false
        var i = 1
        while i < args.count {
            switch args[i] {
            case "-n":
                guard i + 1 < args.count, let n = Int(args[i + 1]), n >= 0 else {
                    return LogCommandIO.usageError("gonggu log tail: -n needs a non-negative number")
                }
                count = n
                i += 1
            case "--follow", "-f": follow = true
            case let a where a.hasPrefix("-"): return LogCommandIO.usageError("gonggu log tail: unknown option \(a)")
            case let a:
                guard path == nil else { return LogCommandIO.usageError(usage) }
                path = a
            }
            i += 1
        }
        guard let path else { return LogCommandIO.usageError(usage) }
        return tailLog(path: path, count: count, follow: follow)
    default:
        return LogCommandIO.usageError(usage)
    }
}

/// Exit statuses of `gonggu log`.
enum LogCommandExit: Int32 {
    case ok = 0
    /// The chain is broken or SQLite's structure is damaged.
    case damaged = 1
    /// EX_USAGE.
    case usage = 64
    /// EX_NOINPUT: the log cannot be opened or read (the message says why, with the path).
    case unreadable = 66
}

/// SQLite's `integrity_check` first (a damaged index makes lookups such as `gonggu why` miss events
/// the chain still holds), then the hash chain. Both are reported, each naming what is damaged.
private func verifyLog(path: String) -> Int32 {
    do {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var damaged = false
        let findings = try log.checkStructure(.full)
        if !findings.isEmpty {
            damaged = true
            print("结构损坏 structure damaged: \(path)")
            for line in findings { print("  \(line)") }
            let indexes = damagedStructures(findings)
            if !indexes.isEmpty { print("损坏的结构 damaged structures: \(indexes.joined(separator: ", "))") }
        }
        switch try log.verify() {
        case let .intact(count, head):
            if damaged {
                print("hash chain ok: \(count) events, head hash \(head.hexString)")
                print(LogDamage.structure(path: path, findings: findings).description)
                return LogCommandExit.damaged.rawValue
            }
            print("ok: \(count) events, head hash \(head.hexString)")
            return LogCommandExit.ok.rawValue
        case let .broken(seq, problem, verified):
            print("broken at seq \(seq): \(problem); \(verified) events before it verified")
            print(LogDamage.chainBroken(path: path, seq: seq, problem: problem).description)
            return LogCommandExit.damaged.rawValue
        }
    } catch {
        return LogCommandIO.failure("gonggu log verify: \(LogDamage.classify(error, path: path))")
    }
}

/// The tables and indexes SQLite's check lines name (`… from index events_id_block`, `Tree 3 page …`).
func damagedStructures(_ findings: [String]) -> [String] {
    var names: [String] = []
    for line in findings {
        let words = line.split(separator: " ")
        for (i, w) in words.enumerated() where (w == "index" || w == "table") && i + 1 < words.count {
            let name = String(words[i + 1]).trimmingCharacters(in: CharacterSet(charactersIn: ":,"))
            if !names.contains(name) { names.append(name) }
        }
    }
    return names
}

private func tailLog(path: String, count: Int, follow: Bool) -> Int32 {
    do {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var cursor = max(0, try log.lastSeq - Int64(count))
        cursor = try printEvents(log, after: cursor)
        guard follow else { return 0 }
        let stop = LogCommandIO.StopFlag()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { stop.set() }
        source.resume()
        defer { source.cancel() }
        // Polls the read-only log: the writer is another process, WAL shows its commits here.
        while !stop.isSet {
            if try log.lastSeq > cursor { cursor = try printEvents(log, after: cursor) }
            else { usleep(200_000) }
        }
        return 0
    } catch {
        return LogCommandIO.failure("gonggu log tail: \(LogDamage.classify(error, path: path))")
    }
}

/// Prints the events after `cursor` one per line; returns the new cursor.
private func printEvents(_ log: EventLog, after cursor: Int64) throws -> Int64 {
    var cursor = cursor
    while true {
        let batch = try log.read(after: cursor, limit: 1000)
        guard let last = batch.last else { return cursor }
        for event in batch { print(EventLineFormat.line(event)) }
        fflush(stdout)
        cursor = last.seq
    }
}

enum LogCommandIO {
    static func usageError(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return LogCommandExit.usage.rawValue
    }

    static func failure(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return LogCommandExit.unreadable.rawValue
    }

    /// Set from the signal handler's queue, read by the polling loop.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }
}

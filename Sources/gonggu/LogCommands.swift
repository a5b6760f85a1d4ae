import Dispatch
import Foundation
import GongguCore
import GongguRooms
import GongguRuntime
import GongguStore

/// `gonggu log verify PATH`, `gonggu log verify --all DIR` and `gonggu log tail PATH [-n N] [--follow]`.
///
/// Opens logs read-only, so it can run beside the service that writes them. `verify` runs SQLite's
/// `integrity_check` (naming a damaged index or table) and walks the hash chain. Exit codes
/// (`LogCommandExit`): 0 success, 1 broken chain or damaged structure, 64 (EX_USAGE) bad usage,
/// 66 (EX_NOINPUT) the log cannot be opened or read (a Chinese and English message with the path);
/// `--all` also 3 a lost tail and 4 a divergent history, found from the anchors consumers hold.
func runLogCommand(_ args: [String]) -> Int32 {
    let usage = "usage: gonggu log verify PATH | gonggu log verify --all DIR | gonggu log tail PATH [-n N] [--follow]"
    guard let sub = args.first else { return LogCommandIO.usageError(usage) }
    switch sub {
    case "verify":  // not a service name: the subcommand
        if args.count == 3 && args[1] == "--all" { return verifyAll(directory: args[2]) }
        guard args.count == 2, !args[1].hasPrefix("-") else { return LogCommandIO.usageError(usage) }
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
    /// `--all`: a log lacks seqs a consumer anchored (its tail was lost).
    case lostTail = 3
    /// `--all`: a log holds an anchored seq with another hash (it was replaced or rewritten).
    case divergent = 4
    /// EX_USAGE.
    case usage = 64
    /// EX_NOINPUT: the log cannot be opened or read (the message says why, with the path).
    case unreadable = 66
}

/// SQLite's `integrity_check` first (a damaged index makes lookups such as `gonggu why` miss events
/// the chain still holds), then the hash chain. Both are reported, each naming what is damaged.
private func verifyLog(path: String, say: (String) -> Void = { print($0) }) -> Int32 {
    do {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var damaged = false
        let findings = try log.checkStructure(.full)
        if !findings.isEmpty {
            damaged = true
            say("结构损坏 structure damaged: \(path)")
            for line in findings { say("  \(line)") }
            let indexes = damagedStructures(findings)
            if !indexes.isEmpty { say("损坏的结构 damaged structures: \(indexes.joined(separator: ", "))") }
        }
        switch try log.verify() {
        case let .intact(count, head):
            if damaged {
                say("哈希链完好 hash chain ok: \(count) events, head hash \(head.hexString)")
                say(LogDamage.structure(path: path, findings: findings).description)
                return LogCommandExit.damaged.rawValue
            }
            say("完好 ok: \(count) events, head hash \(head.hexString)")
            return LogCommandExit.ok.rawValue
        case let .broken(seq, problem, verified):
            say("哈希链断裂 broken at seq \(seq): \(problem); \(verified) events before it verified")
            say(LogDamage.chainBroken(path: path, seq: seq, problem: problem).description)
            return LogCommandExit.damaged.rawValue
        }
    } catch {
        return LogCommandIO.failure("gonggu log verify: \(LogDamage.classify(error, path: path))")
    }
}

/// Every `*.log.sqlite` in `directory`: its own structure and chain (as `verify PATH`, each line prefixed
/// with the file name), then every log against the anchors its consumers in the directory hold
/// (`AnchorCheck`). Exits with the gravest outcome: divergent history (4), then a damaged or unreadable
/// log (1), then a lost tail (3); 0 when everything holds.
private func verifyAll(directory: String) -> Int32 {
    let files: [String]
    do {
        files = try AnchorCheck.logFiles(in: directory)
    } catch {
        return LogCommandIO.failure("gonggu log verify --all: 无法读取目录 cannot read directory \(directory): \(error)")
    }
    guard !files.isEmpty else {
        return LogCommandIO.failure("gonggu log verify --all: 目录中没有日志 no *.log.sqlite in \(directory)")
    }
    var outcomes: Set<LogCommandExit> = []
    for path in files {
        let name = (path as NSString).lastPathComponent
        let code = verifyLog(path: path) { print("\(name): \($0)") }
        outcomes.insert(LogCommandExit(rawValue: code) ?? .damaged)
    }
    do {
        for finding in try AnchorCheck.check(directory: directory, topology: Rooms.topology) {
            print(finding.description)
            switch finding.verdict {
            case .ok: break
            case .lostTail: outcomes.insert(.lostTail)
            case .divergent: outcomes.insert(.divergent)
            }
        }
    } catch {
        print("锚点检查失败 anchor check failed: \(LogDamage.classify(error, path: directory))")
        outcomes.insert(.damaged)
    }
    for gravest in [LogCommandExit.divergent, .damaged, .unreadable, .lostTail] where outcomes.contains(gravest) {
        return gravest == .unreadable ? LogCommandExit.damaged.rawValue : gravest.rawValue
    }
    return LogCommandExit.ok.rawValue
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
        guard follow else { return LogCommandExit.ok.rawValue }
        let stop = StopFlag()  // set from the signal handler's queue, read by the polling loop
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
        return LogCommandExit.ok.rawValue
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
}

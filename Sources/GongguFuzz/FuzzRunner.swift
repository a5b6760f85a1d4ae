import Foundation

/// The seeded mutation engine (for CI and machines without libFuzzer): runs the corpus, then mutated
/// corpus entries until the time or run budget is spent. A crash or trap saves the input to
/// `artifacts/crash-<target>-<pid>` before the process dies; an input that runs longer than the
/// per-input limit is saved as `hang-…` and the process exits with status 3.
public final class FuzzRunner {
    public struct Options: Sendable {
        public var seconds: Double = 10
        /// Stop after this many executions (0: no limit).
        public var runs = 0
        public var seed: UInt64 = 1
        public var corpus: [String] = []
        /// Per-input time limit: a longer input is a hang.
        public var timeoutMilliseconds = 5000
        public var maxLength = 16 * 1024
        /// Where crashing and hanging inputs are written.
        public var artifacts = "."

        public init() {}
    }

    /// What a run did.
    public struct Report: Sendable, CustomStringConvertible {
        public var target: String
        public var seed: UInt64
        public var seconds: Double
        public var executions: Int
        public var accepted: Int
        public var refused: Int
        public var corpusEntries: Int

        public var execsPerSecond: Double { seconds > 0 ? Double(executions) / seconds : 0 }

        /// One JSON line, for scripts and docs/FUZZING.md.
        public var description: String {
            "{\"target\":\"\(target)\",\"seed\":\(seed),\"seconds\":\(String(format: "%.1f", seconds)),"
                + "\"executions\":\(executions),\"execsPerSecond\":\(Int(execsPerSecond)),\"accepted\":\(accepted),"
                + "\"refused\":\(refused),\"corpus\":\(corpusEntries),\"crashes\":0,\"hangs\":0}"
        }
    }

    let target: FuzzTarget
    let options: Options
    private let watchdog: Watchdog

    public init(target: FuzzTarget, options: Options) {
        self.target = target
        self.options = options
        watchdog = Watchdog(
            target: target.name, limitMilliseconds: options.timeoutMilliseconds, artifacts: options.artifacts)
    }

    /// Reads every file of the corpus folders (sorted by name, so runs repeat).
    public static func loadCorpus(_ folders: [String]) throws -> [[UInt8]] {
        var entries: [[UInt8]] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                throw FuzzError("cannot read corpus folder \(folder)")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
                entries.append([UInt8](data))
            }
        }
        return entries
    }

    /// Runs the corpus, then mutations until the budget is spent.
    public func run() throws -> Report {
        try target.setUp()
        defer { target.tearDown() }
        let corpus = try Self.loadCorpus(options.corpus)
        CrashRecorder.install(target: target.name, artifacts: options.artifacts, capacity: options.maxLength)
        watchdog.start()
        defer { watchdog.stop() }
        var report = Report(
            target: target.name, seed: options.seed, seconds: 0, executions: 0, accepted: 0, refused: 0,
            corpusEntries: corpus.count)
        let began = Date()
        func execute(_ input: [UInt8]) {
            CrashRecorder.record(input)
            watchdog.begin(input)
            let accepted = target.run(input)
            watchdog.end()
            report.executions += 1
            if accepted { report.accepted += 1 } else { report.refused += 1 }
        }
        for entry in corpus { execute(entry) }
        let mutator = Mutator(dictionary: target.dictionary, maxLength: options.maxLength)
        var random = FuzzRandom(seed: options.seed)
        let pool = corpus.isEmpty ? [[]] : corpus
        var lastProgress = began
        while true {
            let elapsed = Date().timeIntervalSince(began)
            if elapsed >= options.seconds || (options.runs > 0 && report.executions >= options.runs) { break }
            let base = pool[random.below(pool.count)]
            let other = pool[random.below(pool.count)]
            var input = mutator.mutate(base, other: other, random: &random)
            // Stack mutations now and then, so inputs drift further from the seeds.
            if random.below(4) == 0 { input = mutator.mutate(input, other: other, random: &random) }
            execute(input)
            if Date().timeIntervalSince(lastProgress) >= 10 {
                lastProgress = Date()
                FileHandle.standardError.write(
                    Data("#\(report.executions) \(target.name) \(Int(Date().timeIntervalSince(began)))s\n".utf8))
            }
        }
        report.seconds = Date().timeIntervalSince(began)
        return report
    }

    /// Runs each file once (corpus regression).
    public func replay(_ paths: [String]) throws -> Report {
        try target.setUp()
        defer { target.tearDown() }
        CrashRecorder.install(target: target.name, artifacts: options.artifacts, capacity: options.maxLength)
        watchdog.start()
        defer { watchdog.stop() }
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FuzzError("no such file or folder \(path)")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        var report = Report(
            target: target.name, seed: 0, seconds: 0, executions: 0, accepted: 0, refused: 0,
            corpusEntries: files.count)
        let began = Date()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw FuzzError("cannot read \(file)") }
            let input = [UInt8](data)
            CrashRecorder.record(input)
            watchdog.begin(input)
            if target.run(input) { report.accepted += 1 } else { report.refused += 1 }
            watchdog.end()
            report.executions += 1
        }
        report.seconds = Date().timeIntervalSince(began)
        return report
    }
}

/// Detects hangs: a thread that checks how long the current input has run.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let target: String
    private let limit: TimeInterval
    private let artifacts: String
    private var started: Date?
    private var input: [UInt8] = []
    private var stopped = false
    private var thread: Thread?

    init(target: String, limitMilliseconds: Int, artifacts: String) {
        self.target = target
        limit = Double(limitMilliseconds) / 1000
        self.artifacts = artifacts
    }

    func begin(_ input: [UInt8]) {
        lock.lock()
        started = Date()
        self.input = input
        lock.unlock()
    }

    func end() {
        lock.lock()
        started = nil
        lock.unlock()
    }

    func start() {
        let t = Thread { [self] in watch() }
        t.name = "fuzz-watchdog"
        thread = t
        t.start()
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: min(0.1, limit / 4))
            lock.lock()
            if stopped {
                lock.unlock()
                return
            }
            if let started, Date().timeIntervalSince(started) > limit {
                let path = "\(artifacts)/hang-\(target)-\(getpid())"
                _ = FileManager.default.createFile(atPath: path, contents: Data(input))
                FileHandle.standardError.write(
                    Data("== hang: an input ran longer than \(Int(limit * 1000)) ms; saved to \(path)\n".utf8))
                exit(3)
            }
            lock.unlock()
        }
    }
}

/// Saves the input in hand when the process dies of a signal (a Swift trap is SIGILL or SIGTRAP, an
/// invariant failure the same, a memory error SIGSEGV/SIGBUS, an address-sanitizer report SIGABRT).
/// The handler only uses async-signal-safe calls on memory prepared beforehand.
enum CrashRecorder {
    nonisolated(unsafe) static var buffer: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) static var capacity = 0
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var installed = false

    static func install(target: String, artifacts: String, capacity: Int) {
        guard !installed else { return }
        installed = true
        self.capacity = max(capacity, 1 << 20)
        buffer = .allocate(capacity: self.capacity)
        path = strdup("\(artifacts)/crash-\(target)-\(getpid())")
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                if let path = CrashRecorder.path, let buffer = CrashRecorder.buffer {
                    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    if fd >= 0 {
                        _ = write(fd, buffer, CrashRecorder.length)
                        close(fd)
                    }
                    let note = "== crash: the input in hand was saved to "
                    _ = write(2, note, strlen(note))
                    _ = write(2, path, strlen(path))
                    _ = write(2, "\n", 1)
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func record(_ input: [UInt8]) {
        guard let buffer else { return }
        let n = min(input.count, capacity)
        if n > 0 { input.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: n) } }
        length = n
    }
}

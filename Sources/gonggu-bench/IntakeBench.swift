import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguIntake
import GongguStore
import GongguTransport

/// CSV → committed, published fact events: in-process (reader thread → writer thread with group
/// commit and publish) and through the real services (`gonggu import` → `gonggu-intake`).
enum IntakeBench {
    /// A valid resident ID: address code, birth date and sequence number, with its check character.
    static func residentID(address: String, day: Int, sequence: Int) -> String {
        let (y, m, d) = BusinessCalendar.date(ofDay: day)
        let seq = String(format: "%03d", sequence % 1000)
        let body = address + String(format: "%04d%02d%02d", y, m, d) + seq
        return body + String(UnicodeScalar(ResidentID.checkCharacter(body.utf8)))
    }

    static let surveyHeader = [
        "personID", "householdID", "region", "name", "cardNumber", "category", "grade", "labour", "surveyYear",
        "needsLongTermCare", "pensionEnrolled",
    ]

    /// Survey record `n` (valid), the fields of one CSV line or workbook row.
    static func surveyRow(_ n: Int) -> [String] {
        let base = BusinessCalendar.dayNumber(year: 1950, month: 1, day: 1)
        let names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
        let labour = ["有劳动力", "弱劳动力", "无劳动力"]
        let id = residentID(address: "220102", day: base + n / 1000, sequence: n % 1000)
        let category = n % 7 + 1, grade = n % 4 + 1
        let village = String(format: "220102%03d%03d", n % 50 + 1, n % 200 + 1)
        return [
            id, "H\(n / 2)", village, names[n % names.count], "\(id)\(category)\(grade)", "\(category)", "\(grade)",
            labour[n % 3], "2025", grade <= 2 ? "是" : "否", "是",
        ]
    }

    /// Writes a survey CSV of `rows` valid records (UTF-8, English headers).
    static func writeSurvey(rows: Int, path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = surveyHeader.joined(separator: ",") + "\n"
        for n in 0..<rows {
            buffer += surveyRow(n).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }

    /// Reader thread parses and validates; writer thread de-duplicates, appends (group commit,
    /// synchronous=FULL) and publishes. Returns records/s and counts.
    static func inProcess(path: String, directory: String, port: Int) throws -> (perSecond: Double, accepted: Int, rejected: Int) {
        let logPath = directory + "/intake-bench.sqlite"
        try? FileManager.default.removeItem(atPath: logPath)
        let log = try EventLog(path: logPath, stream: Service.intake.rawValue, synchronous: .full)
        let publisher = try EventPublisher(stream: Service.intake.rawValue, endpoint: "tcp://127.0.0.1:\(port)")
        defer { publisher.close() }
        let queue = BatchQueue(capacity: 4)
        let context = IntakeContext(
            kind: .survey, source: (path as NSString).lastPathComponent, importID: EventID.derived("bench"),
            receivedAt: 1_764_000_000_000)
        var parseError: Error?
        let started = Date()
        let reader = Thread {
            do {
                let r = try IntakeReader(path: path, context: context)
                var batch: [Event] = []
                batch.reserveCapacity(20_000)
                while let outcome = try r.next() {
                    batch.append(outcome.event)
                    if batch.count == 20_000 {
                        queue.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { queue.put(batch) }
            } catch {
                parseError = error
            }
            queue.close()
        }
        reader.start()
        var known = Set<EventID>()
        var accepted = 0, rejected = 0
        while let batch = queue.take() {
            let fresh = batch.filter { known.insert($0.id).inserted }
            let recorded = try log.append(fresh, recordedAt: Int64(Date().timeIntervalSince1970 * 1000))
            try publisher.publish(recorded)
            for e in batch { if e.type == RecordRejected.eventType { rejected += 1 } else { accepted += 1 } }
        }
        let elapsed = Date().timeIntervalSince(started)
        if let parseError { throw parseError }
        return (Double(accepted + rejected) / elapsed, accepted, rejected)
    }

    /// The reader alone on one thread (decode, parse, validate, build the fact events; no log, no
    /// socket): records/s and µs of CPU per record, the share of a record's budget that is not the log.
    static func parseOnly(path: String) throws -> (perSecond: Double, cpuMicros: Double) {
        let context = IntakeContext(
            kind: .survey, source: (path as NSString).lastPathComponent, importID: EventID.derived("bench"),
            receivedAt: 1_764_000_000_000)
        let started = Date()
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        let cpuStart = Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        let r = try IntakeReader(path: path, context: context)
        var count = 0, bytes = 0
        while let outcome = try r.next() {
            count += 1
            bytes &+= outcome.event.payload.count
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        let cpu = Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 - cpuStart
        guard count > 0, bytes > 0 else { throw StoreBenchError("parse-only read nothing") }
        return (Double(count) / Date().timeIntervalSince(started), cpu * 1e6 / Double(count))
    }

    /// The real path: a release `gonggu-intake` process and `gonggu import` over its control socket.
    static func throughServices(path: String, directory: String, rows: Int) throws -> (perSecond: Double, serviceMaxRSSMiB: Double, output: String) {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let data = directory + "/service-data"
        try? FileManager.default.removeItem(atPath: data)
        let control = "ipc://\(directory)/intake-control.sock"
        let service = Process()
        service.executableURL = bin.appendingPathComponent("gonggu-intake")
        var env = ProcessInfo.processInfo.environment
        env["GONGGU_DATA_DIRECTORY"] = data
        env["GONGGU_ENDPOINTS_CONTROL"] = control
        env["GONGGU_ENDPOINTS_PUBLISH"] = "ipc://\(directory)/intake-publish.sock"
        env["GONGGU_LOG_LEVEL"] = "warning"
        service.environment = env
        try service.run()
        defer {
            kill(service.processIdentifier, SIGTERM)
            service.waitUntilExit()
        }
        try waitFor("gonggu-intake to answer PING", timeout: 30) {
            let c = CommandClient(stream: Service.intake.rawValue, endpoint: control, timeoutMs: 200)
            defer { c.close() }
            // A service still replaying its log answers `starting`.
            return (try? c.call("PING", body: []))?.status == "OK"
        }
        let cli = Process()
        cli.executableURL = bin.appendingPathComponent("gonggu")
        cli.arguments = ["import", path, "--kind", "survey", "--control", control, "--quiet"]
        let out = Pipe()
        cli.standardOutput = out
        let started = Date()
        try cli.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        cli.waitUntilExit()
        let elapsed = Date().timeIntervalSince(started)
        let rss = peakRSS(pid: service.processIdentifier)
        return (Double(rows) / elapsed, rss, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// VmHWM of a running process, MiB.
    static func peakRSS(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
            return kb / 1024
        }
        return .nan
    }

    static func run(rows: Int, directory: String) throws -> [BenchRow] {
        let path = directory + "/survey-\(rows).csv"
        let t0 = Date()
        try writeSurvey(rows: rows, path: path)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        var rows_: [BenchRow] = []
        rows_.append(BenchRow(
            name: "survey CSV generated", value: Double(rows), unit: "rows",
            note: String(format: "%.0f MB in %.1f s", Double(size) / 1e6, Date().timeIntervalSince(t0))))
        let parse = try parseOnly(path: path)
        rows_.append(BenchRow(
            name: "parse → validate → fact events only (one thread, no log)", value: parse.perSecond,
            unit: "records/s", note: "\(format(parse.cpuMicros)) µs of CPU per record"))
        let inproc = try inProcess(path: path, directory: directory, port: 17_311)
        rows_.append(BenchRow(
            name: "intake in-process: parse → dedup → append(FULL) → publish", value: inproc.perSecond, unit: "records/s",
            note: "\(inproc.accepted) accepted, \(inproc.rejected) rejected; goal ≥ 150,000"))
        rows_.append(BenchRow(name: "bench process peak RSS", value: peakResidentMiB(), unit: "MiB", note: "getrusage"))
        let e2e = try throughServices(path: path, directory: directory, rows: rows)
        rows_.append(BenchRow(
            name: "gonggu import → gonggu-intake (separate processes)", value: e2e.perSecond, unit: "records/s",
            note: e2e.output.split(separator: "\n").last.map(String.init) ?? ""))
        rows_.append(BenchRow(name: "gonggu-intake peak RSS (VmHWM)", value: e2e.serviceMaxRSSMiB, unit: "MiB", note: "flat in file size"))
        rows_ += try XlsxBench.compare(rows: min(rows, XlsxBench.defaultRows), directory: directory, throughServices: true)
        return rows_
    }
}

/// A bounded hand-over queue between two threads.
final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [[Event]] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ batch: [Event]) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func take() -> [Event]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let b = items.removeFirst()
        condition.broadcast()
        return b
    }
}

import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguRuntime
import GongguTransport

/// File imports sent by `gonggu import` over the control socket, streamed through a pipe into a
/// parser thread so memory stays flat whatever the file size:
///
/// - `IMPORT_BEGIN {"kind", "file", "encoding", "format"}` → `{"session"}`
/// - `IMPORT_CHUNK {"session"}` + one frame of raw file bytes → running counts of the committed
///   batches and `throughLine`, the last file line committed (all before it are): after a lost
///   connection the client can say which records are stored for certain
/// - `IMPORT_END {"session", "waitMs"?}` → `DONE` and the summary (read = accepted + duplicate +
///   rejected), or the file-level error in Chinese (missing columns, undecodable bytes …); with
///   `waitMs`, `PENDING` and the running counts when the import did not finish within it (call again).
final class ImportSessions: @unchecked Sendable {
    final class Session: @unchecked Sendable {
        let id: String
        let writeFD: Int32
        let thread: Thread
        let finished = DispatchSemaphore(value: 0)
        let lock = NSLock()
        var summary = ImportSummary()
        /// The last file line whose record is committed: every record up to it is in the log (batches
        /// commit in file order).
        var throughLine = 0
        var fileError: String?
        var failure: String?
        var writeClosed = false

        init(id: String, writeFD: Int32, thread: Thread) {
            self.id = id
            self.writeFD = writeFD
            self.thread = thread
        }

        var snapshot: (ImportSummary, String?, String?, Int) {
            lock.lock()
            defer { lock.unlock() }
            return (summary, fileError, failure, throughLine)
        }
    }

    /// Records per append batch. Large batches mattered while the log had an id index (every commit
    /// rewrote the index pages it touched); since the sidecar index a commit appends at the end of the
    /// table, and what a batch costs is memory: three are held at once (one parsed, two queued or
    /// committing), ≈ 1.3 KB a record in flight — 76 MiB of intake's peak at 20,000 a batch, 38 MiB at
    /// 10,000, 19 MiB at 5,000 (docs/RELIABILITY.md, "Memory of intake"); a commit of 5,000 records
    /// still writes ≈ 3.5 MB, so the fsync a commit adds is small beside the writing.
    static let batchSize = 5_000
    private var sessions: [String: Session] = [:]
    private var counter = 0

    func handle(
        _ request: CommandRequest, host: ServiceHost, regionPolicy: RegionPolicy, notifyControl: String
    ) -> CommandReply {
        guard let body = try? JSONValue.parse(request.body) else { return .error(.badRequest, "body must be JSON") }
        switch request.name {
        case .importBegin:
            return begin(body, host: host, regionPolicy: regionPolicy, notifyControl: notifyControl)
        case .importChunk:
            guard let id = body["session"]?.stringValue, let s = sessions[id] else {
                return .error(.unknownSession, "no such import session")
            }
            guard request.extra.count == 1 else { return .error(.badRequest, "IMPORT_CHUNK carries one data frame") }
            let data = request.extra[0]
            let ok = data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let n = write(s.writeFD, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
            if !ok {
                // The parser stopped reading (a file-level error): END will report why.
                return reply(s, status: "FAILED")
            }
            return reply(s, status: "OK")
        case .importEnd:
            guard let id = body["session"]?.stringValue, let s = sessions[id] else {
                return .error(.unknownSession, "no such import session")
            }
            if !s.writeClosed {
                close(s.writeFD)
                s.writeClosed = true
            }
            // With `waitMs`, answer PENDING with the running counts when the last batches take longer,
            // so that the client learns what is committed while it waits (and the control loop serves
            // others between its calls); without it, wait to the end.
            if let waitMs = body["waitMs"]?.intValue {
                if s.finished.wait(timeout: .now() + .milliseconds(max(0, min(waitMs, 5000)))) == .timedOut {
                    return reply(s, status: "PENDING")
                }
            } else {
                s.finished.wait()
            }
            sessions.removeValue(forKey: id)
            return reply(s, status: "DONE")
        default:
            return .error(.badRequest, "unknown import command")
        }
    }

    private func begin(
        _ body: JSONValue, host: ServiceHost, regionPolicy: RegionPolicy, notifyControl: String
    ) -> CommandReply {
        guard let kindName = body["kind"]?.stringValue, let kind = RecordKind(name: kindName) else {
            let kinds = RecordKind.allCases.map(\.rawValue).joined(separator: ", ")
            return .error(.badKind, "未知的记录类型，可用类型：\(kinds) / unknown record kind")
        }
        let file = body["file"]?.stringValue ?? "unnamed"
        let encodingName = body["encoding"]?.stringValue ?? TextEncoding.auto.rawValue
        guard let encoding = TextEncoding(rawValue: encodingName) else {
            let names = TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")
            return .error(.badEncoding, "未知的编码“\(encodingName)”，可用：\(names) / unknown encoding")
        }
        let format: RecordFormat
        if let formatName = body["format"]?.stringValue {
            guard let named = RecordFormat(rawValue: formatName) else {
                let names = RecordFormat.allCases.map(\.rawValue).joined(separator: ", ")
                return .error(.badFormat, "未知的文件格式“\(formatName)”，可用：\(names) / unknown format")
            }
            format = named
        } else {
            format = RecordFormat.guess(fileName: file)
        }
        let sheet = body["sheet"]?.stringValue
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .error(.internalError, "cannot create pipe") }
        counter += 1
        let id = "\(getpid())-\(counter)-\(ServiceHost.now())"
        var context = IntakeContext.receivedNow(
            kind: kind, source: file, regionPolicy: regionPolicy, importID: EventID.derived("import|\(id)"))
        let checker = kind == .receipt ? ReceiptChecker(endpoint: notifyControl) : nil
        if let checker { context.receiptLookup = { checker.standing($0) } }
        let readFD = fds[0]
        let importContext = context
        var sessionRef: Session?
        let thread = Thread {
            guard let s = sessionRef else { return }
            Self.parse(
                readFD: readFD, context: importContext, format: format, encoding: encoding, sheet: sheet, session: s,
                host: host, receipts: checker)
        }
        thread.name = "import-\(counter)"
        let session = Session(id: id, writeFD: fds[1], thread: thread)
        sessionRef = session
        sessions[id] = session
        thread.start()
        host.logger.info("import started", ["import.kind": .string(kind.rawValue), "import.file": .string(file)])
        var w = JSONWriter()
        w.beginObject()
        w.field("session", id)
        w.endObject()
        return CommandReply(status: "OK", body: w.bytes)
    }

    private static func parse(
        readFD: Int32, context: IntakeContext, format: RecordFormat, encoding: TextEncoding, sheet: String?,
        session: Session, host: ServiceHost, receipts: ReceiptChecker?
    ) {
        defer {
            // Drain whatever the writer still sends so it never blocks, then release the reader.
            var sink = [UInt8](repeating: 0, count: 1 << 16)
            while read(readFD, &sink, sink.count) > 0 {}
            close(readFD)
            session.finished.signal()
        }
        let reader = IntakeReader(
            fileDescriptor: readFD, context: context, format: format, encoding: encoding, sheet: sheet)
        // Batches are committed on the submitter's thread while this one parses the next; the
        // session's counts grow as each commits, in file order.
        let submitter = OrderedBatchSubmitter<([IntakeOutcome], Set<Int>)>(depth: 2) { batch in
            var partial = ImportSummary()
            try IntakeEvents.submit(batch.0, known: batch.1, host: host, summary: &partial)
            let through = batch.0.last.map(Self.line(of:)) ?? 0
            session.lock.lock()
            session.summary.add(partial)
            session.throughLine = max(session.throughLine, through)
            session.lock.unlock()
        }
        var batch: [IntakeOutcome] = []
        batch.reserveCapacity(batchSize)
        var known = Set<Int>()
        func flush() throws {
            guard !batch.isEmpty else { return }
            try submitter.enqueue((batch, known))
            batch.removeAll(keepingCapacity: true)
            known.removeAll()
        }
        func fail(_ error: Error) {
            session.lock.lock()
            if session.failure == nil { session.failure = "\(error)" }
            session.lock.unlock()
        }
        do {
            while let outcome = try reader.next() {
                if let receipts, outcome.isAccepted, receipts.isDuplicate(outcome.event.subject) {
                    known.insert(batch.count)
                }
                batch.append(outcome)
                if batch.count >= batchSize { try flush() }
            }
            try flush()
            if let error = submitter.drain() { fail(error) }
        } catch let e as IntakeFileError {
            // The records before the damage are kept (and counted); the file error says where it stopped.
            try? flush()
            if let error = submitter.drain() { fail(error) }
            session.lock.lock()
            session.fileError = e.message + (e.line.map { "（第\($0)行）" } ?? "")
            session.lock.unlock()
        } catch {
            // A refused batch (enqueue rethrows it) or a reader failure: wait for what is in flight.
            _ = submitter.drain()
            fail(error)
        }
        let (summary, fileError, _, _) = session.snapshot
        host.logger.info(
            "import finished",
            [
                "import.file": .string(context.source), "records.read": .int(summary.read),
                "records.accepted": .int(summary.accepted), "records.duplicate": .int(summary.duplicate),
                "records.rejected": .int(summary.rejected), "file.error": .bool(fileError != nil),
            ])
    }

    /// The file line an outcome came from (its `source.line`).
    static func line(of outcome: IntakeOutcome) -> Int {
        if let rejection = outcome.rejection { return rejection.line }
        let payload = try? JSONValue.parse(outcome.event.payload)
        return payload?["source"]?["line"]?.intValue ?? 0
    }

    private func reply(_ s: Session, status: String) -> CommandReply {
        let (summary, fileError, failure, throughLine) = s.snapshot
        var w = JSONWriter()
        w.beginObject()
        w.field("throughLine", throughLine)
        w.field("read", summary.read)
        w.field("accepted", summary.accepted)
        w.field("duplicate", summary.duplicate)
        w.field("rejected", summary.rejected)
        w.field("fileError", fileError)
        w.field("failure", failure)
        w.endObject()
        return CommandReply(status: status, body: w.bytes)
    }
}

/// Asks the notifier (`RECEIPT_CHECK` on its control endpoint) where the notification a receipt row
/// names stands, for one import of a returned outbox file. Used only on the import's parsing thread
/// (the ZeroMQ socket is the thread's). Answers are kept for the import, and a notification a row of
/// the import already acknowledged counts as closed for the rows after it.
final class ReceiptChecker: @unchecked Sendable {
    private let client: CommandClient
    private var answers: [String: ReceiptStanding] = [:]
    private var acknowledged = Set<String>()

    init(endpoint: String) {
        client = CommandClient(stream: Service.notify.rawValue, endpoint: endpoint, timeoutMs: 5000)
    }

    func standing(_ id: String) -> ReceiptStanding {
        if let known = answers[id] { return known }
        var w = JSONWriter()
        w.beginObject()
        w.field("id", id)
        w.endObject()
        guard let reply = try? client.call("RECEIPT_CHECK", body: w.bytes), reply.status == "OK",
            let body = try? JSONValue.parse(reply.body)
        else { return .unavailable }
        let answer: ReceiptStanding
        if body["found"]?.boolValue == true, let recipient = body["recipient"]?.stringValue,
            let created = body["created"]?.stringValue
        {
            if body["outbox"]?.boolValue != true {
                answer = .notOutbox(recipient: recipient)
            } else if body["closed"]?.boolValue == true {
                answer = .closed(recipient: recipient, created: created)
            } else {
                answer = .open(recipient: recipient, created: created)
            }
        } else {
            answer = .unknown
        }
        answers[id] = answer
        return answer
    }

    /// For an accepted receipt row: whether its notification was closed already, or acknowledged by an
    /// earlier row of this import — a duplicate, not appended. Otherwise notes it as acknowledged.
    func isDuplicate(_ id: String) -> Bool {
        if case .closed = standing(id) { return true }
        return !acknowledged.insert(id).inserted
    }
}

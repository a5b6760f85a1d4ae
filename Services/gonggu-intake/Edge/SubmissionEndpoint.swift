import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguRuntime
import GongguTransport

/// Who may submit what over the network: each CURVE client key is allowed a set of record kinds and
/// one region prefix (a civil-affairs key cannot submit home visits; a county key cannot submit
/// another county's records).
public struct SubmissionPolicy: Sendable {
    public struct Client: Sendable, Equatable {
        public var name: String
        public var publicKey: String
        public var kinds: Set<String>
        public var regionPrefix: String
    }

    public var clients: [Client]
    /// Clients whose key file is gone (revoked): listed for logs, never admitted.
    public var revoked: [String] = []
    /// Largest submission body accepted (bytes); larger ones get an error reply.
    public var maxBodyBytes: Int
    /// Most records in one submission.
    public var maxRecords: Int

    public init(clients: [Client] = [], maxBodyBytes: Int = 1 << 20, maxRecords: Int = 1000) {
        self.clients = clients
        self.maxBodyBytes = maxBodyBytes
        self.maxRecords = maxRecords
    }

    /// Allowed keys for the ZAP handler: public key → client name.
    public var allowList: [String: String] {
        Dictionary(clients.map { ($0.publicKey, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    public func client(named name: String?) -> Client? { clients.first { $0.name == name } }

    /// Reads `submission.clients` from configuration: a JSON array of
    /// `{"name", "public_key" | "public_key_file", "kinds": […], "region_prefix"}`.
    public static func load(config: Config) throws -> SubmissionPolicy {
        var policy = SubmissionPolicy()
        policy.maxBodyBytes = try config.int("submission.max_body_bytes", default: policy.maxBodyBytes)
        policy.maxRecords = try config.int("submission.max_records", default: policy.maxRecords)
        guard let items = config.value("submission.clients")?.arrayValue else { return policy }
        for (i, item) in items.enumerated() {
            let place = "submission.clients[\(i)]"
            guard let name = item["name"]?.stringValue else { throw ConfigError.invalid(place, "needs a name") }
            guard let publicKey = try ClientEntry.publicKey(item, at: place) else {
                policy.revoked.append(name)
                continue
            }
            let (kinds, prefix) = try ClientEntry.scope(item, at: place, isKind: { RecordKind(name: $0) != nil })
            policy.clients.append(Client(name: name, publicKey: publicKey, kinds: kinds, regionPrefix: prefix))
        }
        return policy
    }
}

/// `SUBMIT {"kind": "...", "records": [{…}, …]}` from an authenticated client, or `SUBMIT {"kind":
/// "...", "format": "xlsx", "sheet": "…"?}` with the workbook's bytes as the next frame (read by the
/// same workbook intake as `gonggu import`, `WorkbookSubmission`): all records are checked first; a kind or region the client is not allowed refuses the whole submission (nothing is
/// appended); otherwise every record gets its outcome (accepted, duplicate or rejected with a Chinese
/// reason).
enum SubmissionHandler {
    static func handle(
        _ request: CommandRequest, host: ServiceHost, policy: SubmissionPolicy, regionPolicy: RegionPolicy
    ) -> CommandReply {
        guard let client = policy.client(named: request.peer) else {
            return .error(.unauthorised, "未授权的客户端密钥 / this key may not submit records")
        }
        guard request.body.count <= policy.maxBodyBytes else {
            return .error(.tooLarge, "提交内容超过 \(policy.maxBodyBytes) 字节，请分批提交 / submission too large")
        }
        let workbook = request.extra.first
        guard let body = try? JSONValue.parse(request.body), let kindName = body["kind"]?.stringValue,
            let records = workbook == nil ? body["records"]?.arrayValue : [],
            workbook == nil || body["format"]?.stringValue == RecordFormat.xlsx.rawValue
        else {
            return .error(
                "malformed",
                "提交格式错误：需要 {\"kind\": …, \"records\": [ … ]}，或 {\"kind\": …, \"format\": \"xlsx\"} 加工作簿 / malformed submission")
        }
        if let workbook, workbook.count > policy.maxBodyBytes {
            return .error(.tooLarge, "工作簿超过 \(policy.maxBodyBytes) 字节，请分批提交 / workbook too large")
        }
        guard let kind = RecordKind(name: kindName) else {
            return .error(.badKind, "未知的记录类型“\(kindName)” / unknown record kind")
        }
        guard client.kinds.contains(kind.rawValue) else {
            return .error(.kindNotAllowed, "该密钥无权提交“\(kind.chinese)”类记录 / this key may not submit \(kind.rawValue)")
        }
        guard records.count <= policy.maxRecords else {
            return .error(.tooMany, "一次最多提交 \(policy.maxRecords) 条记录 / too many records")
        }
        let context = IntakeContext.receivedNow(
            kind: kind, source: "network:\(client.name)", regionPolicy: regionPolicy,
            importID: EventID.derived("submit|\(client.name)|\(SHA256.hash(request.body).hexString)"))
        var outcomes: [IntakeOutcome] = []
        if let workbook {
            switch WorkbookSubmission.outcomes(
                workbook, kind: kind, sheet: body["sheet"]?.stringValue, client: client.name,
                regionPolicy: regionPolicy, maxRecords: policy.maxRecords)
            {
            case .success(let o): outcomes = o
            case .failure(let refusal): return refusal.reply
            }
        } else {
            var parser = RecordParser(context: context)
            for (i, record) in records.enumerated() {
                guard case .object = record else {
                    return .error(.malformed, "第\(i + 1)条记录不是 JSON 对象 / record \(i + 1) is not an object")
                }
                let bytes = Array(record.jsonString.utf8)
                outcomes.append(bytes.withUnsafeBufferPointer { parser.parseJSONRecord($0, line: i + 1) })
            }
        }
        var outside: [Int] = []
        for (i, outcome) in outcomes.enumerated()
        where outcome.isAccepted && !outcome.event.region.hasPrefix(client.regionPrefix) {
            outside.append(i + 1)
        }
        if !outside.isEmpty {
            let list = outside.prefix(20).map(String.init).joined(separator: ", ")
            return .error(
                "region_not_allowed",
                "第 \(list) 条记录的区划不在该密钥的管辖范围（\(client.regionPrefix)）内，整批未接收 / region outside \(client.regionPrefix)")
        }
        var summary = ImportSummary()
        var results: [(String, RecordRejected?)] = []
        do {
            let events = outcomes.map(IntakeEvents.event(for:))
            let fresh = IntakeEvents.newlyAppended(events, recorded: try host.submit(events))
            for (outcome, isNew) in zip(outcomes, fresh) {
                summary.count(outcome)
                if outcome.isAccepted {
                    if isNew {
                        results.append(("accepted", nil))
                    } else {
                        summary.markDuplicate()
                        results.append(("duplicate", nil))
                    }
                } else {
                    results.append(("rejected", outcome.rejection))
                }
            }
        } catch {
            return .error(.unavailable, "服务暂时无法保存记录，请稍后重试 / \(error)")
        }
        var w = JSONWriter()
        w.beginObject()
        w.field("read", summary.read)
        w.field("accepted", summary.accepted)
        w.field("duplicate", summary.duplicate)
        w.field("rejected", summary.rejected)
        w.objects("results", results.enumerated()) { w, result in
            let (i, (outcome, rejection)) = result
            w.field("index", i + 1)
            w.field("outcome", outcome)
            if let r = rejection {
                w.field("field", r.field)
                w.field("code", r.code)
                w.field("reason", r.reason)
            }
        }
        w.endObject()
        return CommandReply(status: "OK", body: w.bytes)
    }
}

import Foundation
import GongguClients
import GongguCore
import GongguRuntime
import GongguServices
import GongguTransport

/// `gonggu recipient --key FILE --server-key FILE --endpoint EP [--count N] [--idle-seconds S]
/// [--no-ack] [--ack-first K] [--json] [--decide DECISION --household ID --in-reply-to ID --date D]`:
/// the reference client of the recipient protocol (docs/PROTOCOL.md). Prints each notification,
/// acknowledges it (unless told not to), and can send a decision. Exits when `--count` notifications
/// arrived or nothing came for `--idle-seconds`. A key the server refuses (revoked, unknown) exits 77
/// (EX_NOPERM); no handshake at all (service down, wrong or rotated server key) exits 69.
enum RecipientCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["no-ack", "json"])
        guard let keyFile = a.option("key") else { throw UsageError("missing --key FILE (from gonggu keys new)") }
        guard let serverKeyFile = a.option("server-key") else { throw UsageError("missing --server-key FILE (the notifier's .pub)") }
        let endpoint = a.option("endpoint", default: "tcp://127.0.0.1:7133")
        let keys = try KeyFiles.readPair(keyFile)
        let serverKey = CurveKeyPair.isValidKey(serverKeyFile) ? serverKeyFile : try KeyFiles.readPublic(serverKeyFile)
        let count = try a.int("count", default: Int.max)
        let ackFirst = try a.int("ack-first", default: Int.max)
        let idle = Double(try a.int("idle-seconds", default: 5))
        // The monitor tells a refused key (revoked, unknown) and a wrong server key from "nothing to receive".
        let client = try RecipientClient(
            keys: keys, serverKey: serverKey, endpoint: endpoint, lingerMs: 2000, monitorsHandshakes: true)
        guard let handshakes = client.handshakes else { throw CommandFailure("no handshake monitor", exit: .failure) }
        if let decision = a.option("decide") {
            var w = JSONWriter()
            w.beginObject()
            w.field("type", "decision")
            w.field("inReplyTo", a.option("in-reply-to"))
            w.field("household", try required(a, "household"))
            w.field("decision", decision)
            w.field("date", try required(a, "date"))
            w.field("measure", a.option("measure"))
            w.field("householdType", a.option("household-type"))
            w.endObject()
            try client.send(w.bytes)
        }
        var received = 0, acked = 0
        var lastActivity = Date()
        while received < count && Date().timeIntervalSince(lastActivity) < idle {
            handshakes.poll()
            if handshakes.refusedStatus != nil && !handshakes.succeeded { break }
            guard let message = try client.receive(timeoutMs: 100) else { continue }
            lastActivity = Date()
            let body = message.body
            guard let v = message.value else { continue }
            switch v["type"]?.stringValue {
            case "notification":
                received += 1
                let id = v["id"]?.stringValue ?? ""
                if a.flag("json") {
                    print(String(decoding: body, as: UTF8.self))
                } else {
                    print("[\(received)] \(v["eventType"]?.stringValue ?? "") \(v["region"]?.stringValue ?? "") \(v["title"]?.stringValue ?? "")")
                    print("    \(v["summary"]?.stringValue ?? "")")
                }
                if !a.flag("no-ack") && acked < ackFirst {
                    try client.ack(id)
                    acked += 1
                }
            case "decisionAccepted":
                print("决定已接收 / decision accepted: \(v["household"]?.stringValue ?? "") \(v["decision"]?.stringValue ?? "")")
            case "error":
                print("错误 / error \(v["code"]?.stringValue ?? ""): \(v["message"]?.stringValue ?? "")")
            default:
                print(String(decoding: body, as: UTF8.self))
            }
        }
        handshakes.poll()
        // Let the last acknowledgements leave before the socket closes (linger is bounded).
        client.close()
        if let status = handshakes.refusedStatus, !handshakes.succeeded {
            throw CommandFailure(
                "服务端拒绝了本接收端的密钥（未登记或已吊销，ZAP \(status)），请联系省级管理员"
                    + " / the server refused this client's key (not admitted: unknown or revoked)",
                exit: .noPermission)
        }
        guard handshakes.succeeded else {
            throw CommandFailure(
                "未能与 \(endpoint) 完成加密握手：服务未运行，或 --server-key 不是服务端当前的公钥（密钥轮换过？）"
                    + " / no CURVE handshake with \(endpoint) in \(Int(idle)) s: the service is down, or --server-key"
                    + " is not the server's current public key (was it rotated?)",
                exit: .unavailable)
        }
        FileHandle.standardError.write(Data("received \(received), acknowledged \(acked)\n".utf8))
        return .success
    }

    private static func required(_ a: Arguments, _ name: String) throws -> String {
        guard let v = a.option(name) else { throw UsageError("missing --\(name)") }
        return v
    }
}

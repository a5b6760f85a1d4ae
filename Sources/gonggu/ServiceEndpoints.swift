import Foundation
import GongguCore
import GongguRuntime
import GongguTransport

/// Where the CLI finds each service's control endpoint: `--config FILE` (a services file with
/// `{"intake": {"control": "tcp://…"}, …}`), else `GONGGU_<SERVICE>_CONTROL`, else the one-host
/// defaults (intake 7102, risk 7112, verify 7122, notify 7132). A services file with any other key
/// (`ConfigKeys.commandLine`), or one that cannot be read, is exit 78 (EX_CONFIG).
struct ServiceEndpoints {
    static let services = ["intake", "verify", "risk", "notify"]
    var control: [String: String]

    init(configPath: String?) throws {
        var control: [String: String] = [:]
        let file: Config?
        do {
            file = try configPath.map { try Config.load(path: $0) }
            try file?.refuseUnknownKeys(known: ConfigKeys.commandLine)
        } catch let e as ConfigError {
            let place = configPath ?? ""
            if case let .unknownKey(key) = e {
                throw CommandFailure(
                    "配置文件 \(place) 中有未知的键“\(key)”（拼写错误？服务文件的格式为 {\"intake\": {\"control\": \"…\"}, …}）"
                        + " / \(e.description)",
                    exit: .config)
            }
            throw CommandFailure("配置文件 \(place) 无效 / \(e.description)", exit: .config)
        }
        let env = ProcessInfo.processInfo.environment
        for s in Self.services {
            let port = ServiceSettings.defaultPorts[s]!.control
            control[s] = env["GONGGU_\(s.uppercased())_CONTROL"] ?? file?.value("\(s).control")?.stringValue
                ?? "tcp://127.0.0.1:\(port)"
        }
        self.control = control
    }

    /// Sends one command to a service; nil when it does not answer within `timeoutMs`.
    func call(_ service: String, _ command: String, body: [UInt8] = Array("{}".utf8), timeoutMs: Int32 = 2000) -> (status: String, body: [UInt8])? {
        guard let endpoint = control[service] else { return nil }
        let client = CommandClient(stream: service, endpoint: endpoint, timeoutMs: timeoutMs)
        defer { client.close() }
        guard let reply = try? client.call(command, body: body) else { return nil }
        return (reply.status, reply.body)
    }
}

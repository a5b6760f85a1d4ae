import Foundation
import GongguCore
import GongguRooms
import GongguRuntime
import GongguServices
import GongguTransport

/// Where the CLI finds each service's control endpoint: `--config FILE` (a services file with
/// `{"intake": {"control": "tcp://…", "server_public_key_file": "…"}, "operator": {"key_file": "…"}}`),
/// else `GONGGU_<SERVICE>_CONTROL`, else the local socket `ipc:///run/gonggu/<service>-control.sock`
/// (reachable by members of the service group only). A `tcp://` endpoint is reached with CURVE: the
/// operator's key pair (`operator.key_file` or `GONGGU_OPERATOR_KEY_FILE`) and the service's public key
/// (`<service>.server_public_key_file` or `GONGGU_<SERVICE>_SERVER_PUBLIC_KEY_FILE`). A services file with
/// any other key (`ConfigKeys.commandLine`), or one that cannot be read, is exit 78 (EX_CONFIG).
struct ServiceEndpoints {
    static let services = Rooms.topology.names
    var control: [String: String]

    init(configPath: String?) throws {
        var control: [String: String] = [:]
        let file: Config?
        do {
            file = try configPath.map { try Config.load(path: $0) }
            try file?.refuseUnknownKeys(known: ConfigKeys.commandLine, streams: Rooms.topology.names)
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
            let endpoint = env["GONGGU_\(s.uppercased())_CONTROL"] ?? file?.value("\(s).control")?.stringValue
                ?? RuntimeDirectory.control(s)
            control[s] = endpoint
            try Self.useOperatorKey(service: s, endpoint: endpoint, file: file)
        }
        self.control = control
    }

    /// Sets the CURVE credentials for calling `service` at a `tcp://` `endpoint` (see above); a key
    /// file that cannot be read is exit 78.
    static func useOperatorKey(service: String, endpoint: String, file: Config? = nil) throws {
        guard endpoint.hasPrefix("tcp://") else { return }
        let env = ProcessInfo.processInfo.environment
        do {
            if let keyFile = env["GONGGU_OPERATOR_KEY_FILE"] ?? file?.value("operator.key_file")?.stringValue {
                ClientCredentials.shared.setKeys(try KeyFiles.readPair(keyFile))
            }
            if let serverFile = env["GONGGU_\(service.uppercased())_SERVER_PUBLIC_KEY_FILE"]
                ?? file?.value("\(service).server_public_key_file")?.stringValue
            {
                ClientCredentials.shared.setServerKey(try KeyFiles.readPublic(serverFile), for: endpoint)
            }
        } catch let e as ConfigError {
            throw CommandFailure("操作员密钥无法读取 / \(e.description)", exit: .config)
        }
    }

    /// Sends one command to a service; nil when it does not answer within `timeoutMs`.
    func call(_ service: String, _ command: String, body: [UInt8] = Array("{}".utf8), timeoutMs: Int32 = 2000) -> (status: String, body: [UInt8])? {
        guard let endpoint = control[service] else { return nil }
        // A local socket that is not there is a service not running here (in a container, the other
        // services' sockets never are): no answer, without waiting for the timeout.
        if endpoint.hasPrefix("ipc://"), !FileManager.default.fileExists(atPath: String(endpoint.dropFirst("ipc://".count))) {
            return nil
        }
        let client = CommandClient(stream: service, endpoint: endpoint, timeoutMs: timeoutMs)
        defer { client.close() }
        guard let reply = try? client.call(command, body: body) else { return nil }
        return (reply.status, reply.body)
    }
}

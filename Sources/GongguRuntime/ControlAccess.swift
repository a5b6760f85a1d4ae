import Foundation
import GongguTransport

/// What an operator key may do on a service's control endpoint (docs/OPERATIONS.md §12).
public enum ControlRole: String, CaseIterable, Sendable {
    /// `gonggu import`: IMPORT_BEGIN/CHUNK/END, limited further by the key's kinds and region prefix.
    case `import`
    /// `gonggu tick`: TICK.
    case clock
    /// `gonggu rules activate`: RULES.
    case rules
    /// Everything, including RELOAD.
    case admin
    /// Another Gonggu service following this one: subscribe, REPLAY, DIGEST, RECEIPT_CHECK.
    case `internal`

    public var chinese: String {
        switch self {
        case .import: return "导入"
        case .clock: return "时钟"
        case .rules: return "规则"
        case .admin: return "管理"
        case .internal: return "内部链接"
        }
    }
}

/// One client key of the control plane: an operator or another service, with its roles and, for
/// `import`, the record kinds (empty: all) and region prefix (empty: the whole province) it may import.
public struct ControlClient: Sendable, Equatable {
    public var name: String
    public var publicKey: String
    public var roles: Set<ControlRole>
    public var kinds: Set<String>
    public var regionPrefix: String

    public func has(_ role: ControlRole) -> Bool { roles.contains(role) || roles.contains(.admin) }
}

/// How a command reached the service.
public enum ControlChannel: String, Sendable {
    /// A Unix-domain socket in the runtime directory: the file system admitted the peer (the service
    /// group); it holds every role and is recorded by its uid.
    case local
    /// TCP with CURVE: the ZAP handler admitted a configured client key; it holds that key's roles.
    case curve
    /// TCP without CURVE, only with `transport.insecure_plain_tcp` (tests): everyone holds every role.
    case insecure
}

/// Who may drive a service, and the keys its internal links use (`control.*`, `upstream.*.server_public_key_file`,
/// `notify.server_public_key_file`, `transport.insecure_plain_tcp`, `endpoints.local_control`). Loaded by
/// `ControlAccess.load` (ControlAccessConfig.swift, which reads the key files); checked by `refusePlainTCP` before
/// anything binds.
public struct ControlAccess: Sendable {
    /// The service's own key pair (`control.key_file`): CURVE server key of its TCP control and publish
    /// endpoints and client key towards its upstreams over TCP.
    public var keys: CurveKeyPair?
    public var clients: [ControlClient] = []
    /// Clients whose key file is gone (`gonggu keys revoke`): named in logs, never admitted.
    public var revoked: [String] = []
    /// Server public key per upstream stream, for following it over TCP.
    public var upstreamServerKeys: [String: String] = [:]
    /// Test-only: TCP endpoints without CURVE are allowed (a warning is logged at every start).
    public var insecurePlainTCP = false
    /// A second, local control endpoint (ipc) beside a TCP `endpoints.control` (Docker health checks).
    public var localControlEndpoint: String?

    public init() {}

    /// Control clients: public key → name.
    public var controlAllowList: [String: String] {
        Dictionary(clients.map { ($0.publicKey, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Subscribers of the publish endpoint: clients with the `internal` or `admin` role.
    public var publishAllowList: [String: String] {
        Dictionary(clients.filter { $0.has(.internal) }.map { ($0.publicKey, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    public func client(named name: String?) -> ControlClient? { clients.first { $0.name == name } }

    /// What a command needs: nil for any admitted peer (read-only questions), else a role.
    public static func requiredRole(for command: String) -> ControlRole? {
        switch ControlCommand(rawValue: command) {
        case .ping, .status, .rulesShow, .continuity, .pending, .overdue: return nil
        case .replay, .digest, .receiptCheck: return .internal
        case .importBegin, .importChunk, .importEnd: return .import
        case .tick: return .clock
        case .rules: return .rules
        default: return .admin
        }
    }

    /// Commands that change something: each accepted one is recorded as a `CommandAccepted` event
    /// before it is carried out (an import once, at IMPORT_BEGIN). Not `APPEND`: the synthetic log owner
    /// of `gonggu dev` (benchmarks, backbone tests) whose consumers must mirror its log event for event;
    /// it needs `admin` all the same.
    public static func isRecorded(_ command: String) -> Bool {
        [ControlCommand.importBegin, .tick, .rules, .reload].contains(ControlCommand(rawValue: command))
    }

    /// Refuses a TCP endpoint the service binds or connects to without CURVE keys (exit 78 through
    /// `ConfigError`), unless `insecurePlainTCP`; returns the endpoints that are plain TCP under that
    /// override, for the start-up warning. `clientEndpoints`: further TCP endpoints the service calls as
    /// a client, with the configuration key holding the server's public key (intake → notify).
    public func refusePlainTCP(settings: ServiceSettings, clientEndpoints: [(key: String, endpoint: String, serverKey: String?)] = [])
        throws -> [String]
    {
        var plain: [String] = []
        func require(_ ok: Bool, _ key: String, _ endpoint: String, _ needs: String) throws {
            guard endpoint.hasPrefix("tcp://"), !ok else { return }
            if insecurePlainTCP {
                plain.append("\(key)=\(endpoint)")
                return
            }
            throw ConfigError.invalid(
                key,
                "TCP 端点 \(endpoint) 未配置 CURVE 加密认证，拒绝启动（需要 \(needs)；本机通信请用 ipc://）"
                    + " / TCP endpoint \(endpoint) without CURVE is refused (set \(needs), or use ipc:// on one host)")
        }
        try require(keys != nil, "endpoints.publish", settings.publishEndpoint, "control.key_file")
        try require(keys != nil, "endpoints.control", settings.controlEndpoint, "control.key_file")
        if let local = localControlEndpoint, !local.hasPrefix("ipc://") {
            throw ConfigError.invalid(
                "endpoints.local_control", "本地控制端点必须是 ipc:// / the local control endpoint must be ipc://, not \(local)")
        }
        for up in settings.upstreams {
            let hasKeys = keys != nil && upstreamServerKeys[up.stream] != nil
            let needs = "control.key_file, upstream.\(up.stream).server_public_key_file"
            if let publish = up.publish { try require(hasKeys, "upstream.\(up.stream).publish", publish, needs) }
            if up.logPath == nil, let replay = up.replay {
                try require(hasKeys, "upstream.\(up.stream).replay", replay, needs)
            }
        }
        for c in clientEndpoints {
            try require(keys != nil && c.serverKey != nil, c.key, c.endpoint, "control.key_file, \(c.key)")
        }
        return plain
    }
}

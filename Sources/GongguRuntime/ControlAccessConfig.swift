import Foundation
import GongguCore
import GongguIntake
import GongguRuntime
import GongguTransport

extension ControlAccess {
    /// Reads the control plane's keys from configuration (docs/OPERATIONS.md §12):
    /// - `control.key_file`: the service's own key pair (`gonggu keys new|ensure NAME`);
    /// - `control.clients`: `[{"name", "public_key" | "public_key_file", "roles": [import|clock|rules|admin|internal],
    ///   "kinds": […], "region_prefix"}]`, the same entries and key files as `submission.clients` — a
    ///   `public_key_file` that is gone means revoked (`gonggu keys revoke`);
    /// - `upstream.NAME.server_public_key_file`: an upstream's public key, to follow it over TCP;
    /// - `transport.insecure_plain_tcp` (tests only) and `endpoints.local_control`.
    public static func load(config: Config) throws -> ControlAccess {
        var access = ControlAccess()
        let keyFile = config.string("control.key_file", default: "")
        if !keyFile.isEmpty { access.keys = try KeyFiles.readPair(keyFile) }
        access.insecurePlainTCP = try config.bool("transport.insecure_plain_tcp", default: false)
        let local = config.string("endpoints.local_control", default: "")
        access.localControlEndpoint = local.isEmpty ? nil : local
        for stream in ConfigKeys.streams.sorted() {
            let file = config.string("upstream.\(stream).server_public_key_file", default: "")
            if !file.isEmpty { access.upstreamServerKeys[stream] = try KeyFiles.readPublic(file) }
        }
        for (i, item) in (config.value("control.clients")?.arrayValue ?? []).enumerated() {
            let place = "control.clients[\(i)]"
            guard let name = item["name"]?.stringValue, !name.isEmpty, !name.contains(":") else {
                throw ConfigError.invalid(place, "needs a name without ':' (local peers are named uid:N)")
            }
            var key = item["public_key"]?.stringValue
            if key == nil, let file = item["public_key_file"]?.stringValue {
                guard FileManager.default.fileExists(atPath: file) else {
                    access.revoked.append(name)
                    continue
                }
                key = try KeyFiles.readPublic(file)
            }
            guard let publicKey = key, CurveKeyPair.isValidKey(publicKey) else {
                throw ConfigError.invalid(place, "needs a valid Z85 public_key or public_key_file")
            }
            var roles = Set<ControlRole>()
            for r in (item["roles"]?.arrayValue ?? []).compactMap(\.stringValue) {
                guard let role = ControlRole(rawValue: r) else {
                    let all = ControlRole.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigError.invalid("\(place).roles", "unknown role \(r) (roles: \(all))")
                }
                roles.insert(role)
            }
            guard !roles.isEmpty else { throw ConfigError.invalid("\(place).roles", "needs at least one role") }
            let kinds = Set((item["kinds"]?.arrayValue ?? []).compactMap(\.stringValue))
            for k in kinds where RecordKind(name: k) == nil {
                throw ConfigError.invalid("\(place).kinds", "unknown kind \(k)")
            }
            let prefix = item["region_prefix"]?.stringValue ?? ""
            guard prefix.count <= 12, prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ConfigError.invalid("\(place).region_prefix", prefix)
            }
            access.clients.append(
                ControlClient(name: name, publicKey: publicKey, roles: roles, kinds: kinds, regionPrefix: prefix))
        }
        return access
    }

    /// Loads the access of `service`, refuses plain TCP (also intake's calls to the notifier,
    /// `notify.control` with `notify.server_public_key_file`), and sets the client credentials of
    /// those calls.
    static func prepare(service: String, config: Config, settings: ServiceSettings) throws -> ControlAccess {
        let access = try load(config: config)
        var clientEndpoints: [(key: String, endpoint: String, serverKey: String?)] = []
        if service == "intake" {
            let endpoint = config.string("notify.control", default: IntakeBehaviour.defaultNotifyControl)
            let file = config.string("notify.server_public_key_file", default: "")
            let serverKey = file.isEmpty ? nil : try KeyFiles.readPublic(file)
            clientEndpoints.append((key: "notify.control", endpoint: endpoint, serverKey: serverKey))
            if let serverKey { ClientCredentials.shared.setServerKey(serverKey, for: endpoint) }
        }
        _ = try access.refusePlainTCP(settings: settings, clientEndpoints: clientEndpoints)
        if let keys = access.keys { ClientCredentials.shared.setKeys(keys) }
        return access
    }
}

extension IntakeBehaviour {
    /// The notifier's control endpoint intake asks about returned outbox rows (`notify.control`).
    static let defaultNotifyControl = RuntimeDirectory.control("notify")
}

extension RegionPolicy {
    /// The policy limited to `prefix` (an operator key's region): only codes under it are accepted.
    func narrowed(to prefix: String) -> RegionPolicy {
        RegionPolicy(provincePrefixes: [prefix], pseudoPrefixes: pseudoPrefixes.filter { $0.hasPrefix(prefix) })
    }
}

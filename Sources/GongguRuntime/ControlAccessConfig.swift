import Foundation
import GongguCore
import GongguTransport

extension ControlAccess {
    /// Reads the control plane's keys from configuration (docs/OPERATIONS.md §12):
    /// - `control.key_file`: the service's own key pair (`gonggu keys new|ensure NAME`);
    /// - `control.clients`: `[{"name", "public_key" | "public_key_file", "roles": [import|clock|rules|admin|internal],
    ///   "kinds": […], "region_prefix"}]`, the same entries and key files as `submission.clients` — a
    ///   `public_key_file` that is gone means revoked (`gonggu keys revoke`);
    /// - `upstream.NAME.server_public_key_file`: an upstream's public key, to follow it over TCP;
    /// - `transport.insecure_plain_tcp` (tests only) and `endpoints.local_control`.
    /// `topology`: the services (the NAMEs looked for) and the record kinds a client may be limited to.
    public static func load(config: Config, topology: ServiceTopology) throws -> ControlAccess {
        var access = ControlAccess()
        let keyFile = config.string("control.key_file", default: "")
        if !keyFile.isEmpty { access.keys = try KeyFiles.readPair(keyFile) }
        access.insecurePlainTCP = try config.bool("transport.insecure_plain_tcp", default: false)
        let local = config.string("endpoints.local_control", default: "")
        access.localControlEndpoint = local.isEmpty ? nil : local
        for stream in topology.names.sorted() {
            let file = config.string("upstream.\(stream).server_public_key_file", default: "")
            if !file.isEmpty { access.upstreamServerKeys[stream] = try KeyFiles.readPublic(file) }
        }
        for (i, item) in (config.value("control.clients")?.arrayValue ?? []).enumerated() {
            let place = "control.clients[\(i)]"
            guard let name = item["name"]?.stringValue, !name.isEmpty, !name.contains(":") else {
                throw ConfigError.invalid(place, "needs a name without ':' (local peers are named uid:N)")
            }
            guard let publicKey = try ClientEntry.publicKey(item, at: place) else {
                access.revoked.append(name)
                continue
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
            let knownKinds = topology.clientKinds
            let (kinds, prefix) = try ClientEntry.scope(item, at: place, isKind: knownKinds.contains)
            access.clients.append(
                ControlClient(name: name, publicKey: publicKey, roles: roles, kinds: kinds, regionPrefix: prefix))
        }
        return access
    }

    /// Loads the access of a service, refuses plain TCP (also on the control endpoints of other services
    /// it calls, `calls`: intake's calls to the notifier, `notify.control` with
    /// `notify.server_public_key_file`), and sets the client credentials of those calls.
    static func prepare(config: Config, settings: ServiceSettings, calls: [ServiceCall]) throws -> ControlAccess {
        let access = try load(config: config, topology: settings.topology)
        var clientEndpoints: [(key: String, endpoint: String, serverKey: String?)] = []
        for call in calls {
            let endpoint = config.string(call.endpointKey, default: call.defaultEndpoint)
            let file = config.string(call.serverKeyFileKey, default: "")
            let serverKey = file.isEmpty ? nil : try KeyFiles.readPublic(file)
            clientEndpoints.append((key: call.endpointKey, endpoint: endpoint, serverKey: serverKey))
            if let serverKey { ClientCredentials.shared.setServerKey(serverKey, for: endpoint) }
        }
        _ = try access.refusePlainTCP(settings: settings, clientEndpoints: clientEndpoints)
        if let keys = access.keys { ClientCredentials.shared.setKeys(keys) }
        return access
    }
}

/// The control endpoint of another service that a service calls (given by its room): the
/// configuration key of the endpoint (`notify.control`), its default, and the key of the server's
/// public key file (`notify.server_public_key_file`).
public struct ServiceCall: Sendable {
    public var endpointKey: String
    public var defaultEndpoint: String
    public var serverKeyFileKey: String

    public init(endpointKey: String, defaultEndpoint: String, serverKeyFileKey: String) {
        self.endpointKey = endpointKey
        self.defaultEndpoint = defaultEndpoint
        self.serverKeyFileKey = serverKeyFileKey
    }
}

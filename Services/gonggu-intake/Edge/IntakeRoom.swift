import GongguEvents
import GongguIntake
import GongguRuntime

/// Intake's place in the system (its room's data; `GongguRooms` lists every room).
public enum IntakeRoom {
    /// Follows nobody; publishes on 7101, control on 7102 over TCP. An operator key may be limited to
    /// some of its record kinds (`control.clients[].kinds`, by English or Chinese name).
    public static let profile = ServiceProfile(
        name: Service.intake.rawValue, publishPort: 7101, controlPort: 7102,
        clientKinds: Set(RecordKind.allCases.flatMap { [$0.rawValue, $0.chinese] }))

    /// The service as its main builds it.
    public static func behaviour(config: Config) throws -> ServiceBehaviour { try IntakeBehaviour(config: config) }

    /// The notifier's control endpoint intake asks about returned outbox rows (`RECEIPT_CHECK`), held
    /// to the same rules as intake's own endpoints (no plain TCP).
    public static let notifyCall = ServiceCall(
        endpointKey: "notify.control", defaultEndpoint: RuntimeDirectory.control(Service.notify.rawValue),
        serverKeyFileKey: "notify.server_public_key_file")
}

extension IntakeBehaviour {
    /// The notifier's control endpoint intake asks about returned outbox rows (`notify.control`).
    static let defaultNotifyControl = IntakeRoom.notifyCall.defaultEndpoint
}

extension RegionPolicy {
    /// The policy limited to `prefix` (an operator key's region): only codes under it are accepted.
    func narrowed(to prefix: String) -> RegionPolicy {
        RegionPolicy(provincePrefixes: [prefix], pseudoPrefixes: pseudoPrefixes.filter { $0.hasPrefix(prefix) })
    }
}

import GongguEvents
import GongguIntake
import GongguRuntime

/// Intake's place in the system (its room's data; `GongguRooms` lists every room).
public enum IntakeRoom {
    /// Follows nobody; publishes on 7101, control on 7102 over TCP. An operator key may be limited to
    /// some of its record kinds (`control.clients[].kinds`, by English or Chinese name).
    ///
    /// Its PUB socket queues at most 10,000 events per subscriber (`transport.send_hwm`; the others
    /// 100,000): an import appends far faster than its followers fold, and a follower replaying its
    /// backlog from the log file does not read its subscription, so each follower's queue stayed full
    /// in intake's memory — 3 × 100,000 events of ≈ 600 bytes at province scale. A follower that falls
    /// that far behind reads the log anyway (the gap is filled by replay), so the deeper queue bought
    /// nothing (docs/RELIABILITY.md, "Memory of intake").
    public static let profile = ServiceProfile(
        name: Service.intake.rawValue, publishPort: 7101, controlPort: 7102,
        clientKinds: Set(RecordKind.allCases.flatMap { [$0.rawValue, $0.chinese] }), sendHighWaterMark: 10_000)

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

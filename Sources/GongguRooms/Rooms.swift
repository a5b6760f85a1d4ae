import GongguIntakeService
import GongguNotifyService
import GongguRiskService
import GongguRuntime
import GongguVerifyService

/// The rooms of the system (`Services/gonggu-<svc>/`), each giving its service's profile: together they
/// are the topology the runtime, the mains, the CLI, the bench and the tests read instead of names
/// written into each of them.
public enum Rooms {
    /// Every service, upstreams first: intake, verify, risk, notify.
    public static let topology = ServiceTopology([
        IntakeRoom.profile, VerifyRoom.profile, RiskRoom.profile, NotifyRoom.profile,
    ])
}

extension ServiceSettings {
    /// The settings of one of the rooms' services (`Rooms.topology`).
    public init(service: String, config: Config, version: String = GongguVersion.current) throws {
        try self.init(service: service, topology: Rooms.topology, config: config, version: version)
    }
}

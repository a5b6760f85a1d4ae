import GongguIntakeService
import GongguNotifyService
import GongguRiskService
import GongguRuntime
import GongguVerifyService

/// The rooms of the system (`Services/gonggu-<svc>/`), each giving its service's profile: together they
/// are the topology the runtime, the mains, the CLI, the bench and the tests read instead of names
/// written into each of them.
public enum Rooms {
    /// One room: its service's profile and how its main builds the service.
    public struct Room: Sendable {
        public let profile: ServiceProfile
        public let behaviour: @Sendable (Config) throws -> ServiceBehaviour
    }

    /// Every room, upstreams first: intake, verify, risk, notify.
    public static let all: [Room] = [
        Room(profile: IntakeRoom.profile, behaviour: IntakeRoom.behaviour),
        Room(profile: VerifyRoom.profile, behaviour: VerifyRoom.behaviour),
        Room(profile: RiskRoom.profile, behaviour: RiskRoom.behaviour),
        Room(profile: NotifyRoom.profile, behaviour: NotifyRoom.behaviour),
    ]

    /// The services and who follows whom.
    public static let topology = ServiceTopology(all.map(\.profile))

    /// A fresh behaviour of `service` built from `config`, as its main builds it; nil for no room's service.
    public static func behaviour(_ service: String, config: Config) throws -> ServiceBehaviour? {
        try all.first { $0.profile.name == service }?.behaviour(config)
    }
}

extension ServiceSettings {
    /// The settings of one of the rooms' services (`Rooms.topology`).
    public init(service: String, config: Config, version: String = GongguVersion.current) throws {
        try self.init(service: service, topology: Rooms.topology, config: config, version: version)
    }
}

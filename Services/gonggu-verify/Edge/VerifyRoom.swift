import GongguEvents
import GongguRuntime

/// The benefit verifier's place in the system (its room's data; `GongguRooms` lists every room).
public enum VerifyRoom {
    /// Follows intake (facts); publishes on 7121, control on 7122 over TCP.
    public static let profile = ServiceProfile(
        name: Service.verify.rawValue, publishPort: 7121, controlPort: 7122,
        upstreams: [Service.intake.rawValue], takesTicks: true)

    /// The service as its main builds it.
    public static func behaviour(config: Config) throws -> ServiceBehaviour { try VerifyService.behaviour(config: config) }
}

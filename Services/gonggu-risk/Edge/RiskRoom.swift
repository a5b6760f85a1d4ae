import GongguEvents
import GongguRuntime

/// The risk monitor's place in the system (its room's data; `GongguRooms` lists every room).
public enum RiskRoom {
    /// Follows intake (facts) and the verifier (findings); publishes on 7111, control on 7112 over TCP.
    ///
    /// Its subscriptions queue at most 10,000 events each (`transport.receive_hwm`; the default
    /// 100,000), as the verifier's (`VerifyRoom.profile`).
    public static let profile = ServiceProfile(
        name: Service.risk.rawValue, publishPort: 7111, controlPort: 7112,
        upstreams: [Service.intake, .verify].map(\.rawValue), takesTicks: true, receiveHighWaterMark: 10_000)

    /// The service as its main builds it.
    public static func behaviour(config: Config) throws -> ServiceBehaviour { try RiskService.behaviour(config: config) }
}

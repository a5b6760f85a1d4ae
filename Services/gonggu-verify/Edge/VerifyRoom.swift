import GongguEvents
import GongguRuntime

/// The benefit verifier's place in the system (its room's data; `GongguRooms` lists every room).
public enum VerifyRoom {
    /// Follows intake (facts); publishes on 7121, control on 7122 over TCP.
    ///
    /// Its subscription queues at most 10,000 events (`transport.receive_hwm`; the default 100,000):
    /// through an import intake appends faster than the verifier folds, so the queue stayed full —
    /// ≈ 65 MiB of events in this process at province scale — and a follower that far behind fills
    /// the gap by replay from the log anyway (docs/RELIABILITY.md, "Memory of intake").
    public static let profile = ServiceProfile(
        name: Service.verify.rawValue, publishPort: 7121, controlPort: 7122,
        upstreams: [Service.intake.rawValue], takesTicks: true, receiveHighWaterMark: 10_000)

    /// The service as its main builds it.
    public static func behaviour(config: Config) throws -> ServiceBehaviour { try VerifyService.behaviour(config: config) }
}

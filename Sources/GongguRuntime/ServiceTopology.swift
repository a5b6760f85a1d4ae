import GongguStore

/// What a service's room tells the generic runtime about the service: its name, its well-known
/// ports, the logs it follows and how its own log is best written. The runtime knows no service by
/// name; each room (`Services/gonggu-<svc>/Edge/<Svc>Room.swift`) provides one of these, and the list of
/// rooms (`GongguRooms`) makes them a `ServiceTopology`.
public struct ServiceProfile: Sendable, Equatable {
    /// Stream and service name (`gonggu-<name>`, `<name>.log.sqlite`, `<name>-control.sock`).
    public var name: String
    /// Well-known TCP ports on one host (publish/control), used when a deployment asks for TCP.
    public var publishPort: Int
    public var controlPort: Int
    /// The streams the service follows by default (`upstreams`), in the order it lists them.
    public var upstreams: [String]
    /// Default of `log.index_block_shift` for the own log.
    public var indexBlockShift: Int
    /// Default of `log.checkpoint`.
    public var checkpoint: WALCheckpointing
    /// Default of `log.pipelined_commits`.
    public var pipelinedCommits: Bool
    /// The names (English and Chinese) of the record kinds a control client's key may be limited to on
    /// this service (`control.clients[].kinds`; intake's record kinds). Every service checks the shared
    /// key entries against the union over the topology.
    public var clientKinds: Set<String>
    /// Whether the service takes clock ticks (`TICK`, `gonggu tick`): it decides on elapsed time.
    public var takesTicks: Bool
    /// Default of `transport.send_hwm`: messages the own PUB socket queues per subscriber before it
    /// drops (the subscriber then fills the gap by replay). Each queued message is one event held in
    /// the publisher's memory.
    public var sendHighWaterMark: Int
    /// Default of `transport.receive_hwm`: messages each upstream subscription queues before the
    /// publisher's side drops (the gap is then filled by replay). Each queued message is one event held
    /// in this service's memory (≈ 700 bytes at province scale).
    public var receiveHighWaterMark: Int

    public init(
        name: String, publishPort: Int, controlPort: Int, upstreams: [String] = [],
        indexBlockShift: Int = EventLog.defaultBlockShift, checkpoint: WALCheckpointing = .inCommit,
        pipelinedCommits: Bool = false, clientKinds: Set<String> = [], takesTicks: Bool = false,
        sendHighWaterMark: Int = 100_000, receiveHighWaterMark: Int = 100_000
    ) {
        self.name = name
        self.publishPort = publishPort
        self.controlPort = controlPort
        self.upstreams = upstreams
        self.indexBlockShift = indexBlockShift
        self.checkpoint = checkpoint
        self.pipelinedCommits = pipelinedCommits
        self.clientKinds = clientKinds
        self.takesTicks = takesTicks
        self.sendHighWaterMark = sendHighWaterMark
        self.receiveHighWaterMark = receiveHighWaterMark
    }
}

/// The services of one deployment and who follows whom, as data: given to `ServiceSettings`, the
/// anchor check and the configuration-key check instead of names written into the runtime.
public struct ServiceTopology: Sendable, Equatable {
    /// Every service, upstreams before the services that follow them.
    public let services: [ServiceProfile]

    public init(_ services: [ServiceProfile]) {
        self.services = services
    }

    /// The service names in topology order.
    public var names: [String] { services.map(\.name) }

    /// The profile of `name`, if it is one of the services.
    public subscript(name: String) -> ServiceProfile? { services.first { $0.name == name } }

    /// The streams `name` follows by default; none for a name outside the topology.
    public func upstreams(of name: String) -> [String] { self[name]?.upstreams ?? [] }

    /// Every record kind name a control client may be limited to (`ServiceProfile.clientKinds`).
    public var clientKinds: Set<String> { services.reduce(into: []) { $0.formUnion($1.clientKinds) } }

    /// The services that take clock ticks, in topology order.
    public var tickedServices: [String] { services.filter(\.takesTicks).map(\.name) }

    /// The services that follow `name` by default, in topology order.
    public func followers(of name: String) -> [String] {
        services.filter { $0.upstreams.contains(name) }.map(\.name)
    }
}

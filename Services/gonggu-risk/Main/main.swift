import GongguRiskService
import GongguRooms
import GongguRuntime

// gonggu-risk: the risk monitor (防返贫监测), a fold over intake facts and verifier findings.
ServiceMain.run(service: RiskRoom.profile.name, topology: Rooms.topology) { config, _, _ in
    try RiskRoom.behaviour(config: config)
}

import GongguRooms
import GongguRuntime
import GongguVerifyService

// gonggu-verify: the benefit verifier (应享尽享, 四个不摘), a fold over intake facts.
ServiceMain.run(service: VerifyRoom.profile.name, topology: Rooms.topology) { config, _, _ in
    try VerifyRoom.behaviour(config: config)
}

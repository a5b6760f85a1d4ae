import GongguIntakeService
import GongguRooms
import GongguRuntime

// gonggu-intake: validates and normalises every incoming record into fact events.
ServiceMain.run(service: IntakeRoom.profile.name, topology: Rooms.topology, calls: [IntakeRoom.notifyCall]) {
    config, _, _ in try IntakeRoom.behaviour(config: config)
}

import GongguNotifyService
import GongguRooms
import GongguRuntime

// gonggu-notify: delivers risk feedback and findings to bureaus and 残联 offices, tracks
// acknowledgements, escalates, and forwards bureau decisions to intake.
ServiceMain.run(service: NotifyRoom.profile.name, topology: Rooms.topology) { config, _, _ in
    try NotifyRoom.behaviour(config: config)
}

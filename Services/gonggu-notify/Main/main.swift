import GongguServices

// gonggu-notify: delivers risk feedback and findings to bureaus and 残联 offices, tracks
// acknowledgements, escalates, and forwards bureau decisions to intake.
ServiceMain.run(service: "notify") { config, _, _ in NotifyBehaviour(config: config) }

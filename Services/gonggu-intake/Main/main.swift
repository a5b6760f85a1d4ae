import GongguServices

// gonggu-intake: validates and normalises every incoming record into fact events.
ServiceMain.run(service: "intake") { config, _, _ in try IntakeBehaviour(config: config) }

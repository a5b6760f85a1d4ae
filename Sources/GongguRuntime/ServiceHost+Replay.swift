import Foundation

extension ServiceHost {
    /// The state digest `behaviour` (fresh) has once rebuilt by replay from the log `settings` name:
    /// a host starts on it and stops before its first turn (its sockets are bound and closed). For
    /// checking that a log reproduces the state a live service ended with.
    public static func digestAfterReplay(
        settings: ServiceSettings, behaviour: ServiceBehaviour, logger: Logger
    ) throws -> String {
        let host = ServiceHost(settings: settings, behaviour: behaviour, logger: logger)
        host.stopFlag.set()
        try host.start()
        let digest = behaviour.stateDigest()
        // Stopped before its first turn: `run` only shuts the sockets down.
        try host.run()
        return digest
    }
}

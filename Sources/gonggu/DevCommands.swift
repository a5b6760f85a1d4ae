import Foundation
import GongguCore
import GongguHarness
import GongguRuntime
import GongguServices
import GongguTransport

/// `gonggu dev …`: tools for backbone tests and benchmarks (synthetic log owners and consumers).
///
/// - `gonggu dev emit --data DIR [--publish EP] [--control EP] [--sndhwm N]` runs a log owner named `emit` that
///   appends synthetic events on `APPEND` requests.
/// - `gonggu dev mirror --data DIR --upstream-publish EP --upstream-replay EP [--rcvhwm N] [--delay-ms N]`
///   runs a consumer named `mirror` that copies the `emit` stream into its own log.
/// - `gonggu dev append --control EP --count N [--payload-bytes B] [--salt S] [--start K]` asks an
///   emitter to append and prints the acknowledged seq range.
enum DevCommands {
    static func run(_ args: [String]) throws -> ExitCode {
        guard let sub = args.first else { throw UsageError("usage: gonggu dev emit|mirror|append …") }
        let a = try Arguments(Array(args.dropFirst()))
        switch sub {
        case "emit":
            let settings = try settingsFor("emit", a, upstreams: [])
            return try serve(settings, EmitBehaviour(), sendHighWaterMark: Int32(try a.int("sndhwm", default: 100_000)))
        case "mirror":
            let up = UpstreamSettings(
                stream: "emit", logPath: a.option("upstream-log"),
                publish: try required(a, "upstream-publish"), replay: try required(a, "upstream-replay"))
            let settings = try settingsFor("mirror", a, upstreams: [up])
            let behaviour = MirrorBehaviour(delayMs: try a.int("delay-ms", default: 0))
            return try serve(settings, behaviour, receiveHighWaterMark: Int32(try a.int("rcvhwm", default: 100_000)))
        case "append":
            let client = CommandClient(stream: "emit", endpoint: try required(a, "control"))
            var w = JSONWriter()
            w.beginObject()
            w.field("count", try a.int("count", default: 1))
            w.field("payloadBytes", try a.int("payload-bytes", default: 300))
            w.field("salt", a.option("salt", default: "cli"))
            w.field("start", try a.int("start", default: 0))
            w.endObject()
            let reply = try client.call("APPEND", body: w.bytes)
            print(String(decoding: reply.body, as: UTF8.self))
            return reply.status == "OK" ? .success : .failure
        default:
            throw UsageError("unknown dev command \(sub)")
        }
    }

    private static func required(_ a: Arguments, _ name: String) throws -> String {
        guard let v = a.option(name) else { throw UsageError("missing --\(name)") }
        return v
    }

    /// The two development services: a log owner and its mirror (no room has them).
    private static let devTopology = ServiceTopology([
        ServiceProfile(name: "emit", publishPort: 0, controlPort: 0),
        ServiceProfile(name: "mirror", publishPort: 0, controlPort: 0, upstreams: ["emit"]),
    ])

    private static func settingsFor(_ name: String, _ a: Arguments, upstreams: [UpstreamSettings]) throws -> ServiceSettings {
        let data = try required(a, "data")
        var env: [String: String] = [:]
        env["GONGGU_DATA_DIRECTORY"] = data
        env["GONGGU_ENDPOINTS_PUBLISH"] = a.option("publish", default: "ipc://\(data)/\(name)-publish.sock")
        env["GONGGU_ENDPOINTS_CONTROL"] = a.option("control", default: "ipc://\(data)/\(name)-control.sock")
        env["GONGGU_HEARTBEAT_MILLISECONDS"] = a.option("heartbeat-ms", default: "200")
        env["GONGGU_LOG_SYNCHRONOUS"] = a.option("synchronous", default: "full")
        var settings = try ServiceSettings(service: name, topology: devTopology, config: Config(environment: env))
        settings.upstreams = upstreams
        return settings
    }

    private static func serve(
        _ settings: ServiceSettings, _ behaviour: ServiceBehaviour, receiveHighWaterMark: Int32 = 100_000,
        sendHighWaterMark: Int32 = 100_000
    ) throws -> ExitCode {
        umask(0o077)
        let host = ServiceHost(settings: settings, behaviour: behaviour, logger: Logger(label: "gonggu-dev-\(settings.name)"))
        host.receiveHighWaterMark = receiveHighWaterMark
        host.sendHighWaterMark = sendHighWaterMark
        try host.start()
        try host.run()
        return .success
    }
}

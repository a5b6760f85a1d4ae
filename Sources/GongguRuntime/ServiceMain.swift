import Foundation
import GongguCore
import GongguStore

/// The shared `main` of every service executable (`topology`: the rooms' data, `GongguRooms`; `calls`:
/// the other services' control endpoints it calls, checked like its own): reads `--config FILE` (default: the
/// `GONGGU_CONFIG` environment variable, else built-in defaults), builds the behaviour, rebuilds state
/// by replay, serves until SIGTERM/SIGINT and exits 0; configuration errors (also a key no service
/// reads, `ConfigKeys.service`) exit 78 (EX_CONFIG), runtime failures 1.
public enum ServiceMain {
    public static func run(
        service: String, topology: ServiceTopology, calls: [ServiceCall] = [],
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        makeBehaviour: (Config, ServiceSettings, Logger) throws -> ServiceBehaviour
    ) -> Never {
        // Logs hold personal data: files this process creates are private to its user.
        umask(0o077)
        setvbuf(stdout, nil, _IOLBF, 0)
        // `--help`/`-h` anywhere: the usage, exit 0, before any file is opened.
        if CommandArguments.asksForHelp(arguments) { help(service) }
        let parsed: CommandArguments
        do {
            parsed = try CommandArguments(arguments, switches: ["version"])
            try parsed.onlyOptions(["config", "version"])
        } catch {
            usage(service, "\(error)")
        }
        guard parsed.positionals.isEmpty else { usage(service, "unexpected argument '\(parsed.positionals[0])'") }
        if parsed.flag("version") {
            print("gonggu-\(service) \(GongguVersion.current)")
            exit(ServiceExitCode.success.rawValue)
        }
        let configPath = parsed.option("config") ?? ProcessInfo.processInfo.environment["GONGGU_CONFIG"]
        var logger = Logger(label: "gonggu-\(service)")
        do {
            let config = try configPath.map { try Config.load(path: $0) } ?? Config()
            try config.refuseUnknownKeys(known: ConfigKeys.service, streams: topology.names)
            let settings = try ServiceSettings(service: service, topology: topology, config: config)
            logger.minimumLevel = settings.logLevel
            let behaviour = try makeBehaviour(config, settings, logger)
            let host = ServiceHost(settings: settings, behaviour: behaviour, logger: logger)
            host.controlAccess = try ControlAccess.prepare(config: config, settings: settings, calls: calls)
            host.reloadControlAccess = { try ControlAccess.load(config: config, topology: topology) }
            try host.start()
            try host.run()
            exit(ServiceExitCode.success.rawValue)
        } catch let e as ConfigError {
            logger.error("configuration error", ["error": .string(e.description)])
            exit(ServiceExitCode.config.rawValue)
        } catch let e as LogDamage {
            // A restart cannot repair a file: systemd's RestartPreventExitStatus lists this code.
            var fields: [String: LogValue] = ["error": .string(e.description), "log.path": .string(e.path)]
            if let seq = e.firstBadSeq { fields["seq"] = .int(Int(seq)) }
            logger.error("log damaged; refusing to start", fields)
            exit(ServiceExitCode.logDamaged.rawValue)
        } catch {
            logger.error("service failed", ["error": .string("\(error)")])
            exit(ServiceExitCode.failure.rawValue)
        }
    }

    private static func help(_ service: String) -> Never {
        print("gonggu-\(service)：巩固服务进程（读取配置，重放日志重建状态，运行到 SIGTERM/SIGINT）")
        print("usage: gonggu-\(service) [--config FILE] | --version | --help")
        print("Every configuration key may be overridden by GONGGU_<KEY> (see docs/OPERATIONS.md).")
        print("exit: 0 stopped, 1 failure, 64 usage, 65 log damaged, 78 configuration error")
        exit(ServiceExitCode.success.rawValue)
    }

    private static func usage(_ service: String, _ problem: String) -> Never {
        FileHandle.standardError.write(Data("gonggu-\(service): \(problem)\nusage: gonggu-\(service) [--config FILE]\n".utf8))
        exit(ServiceExitCode.usage.rawValue)
    }
}

// swift-tools-version:5.9
// Gonggu (巩固): consolidation of poverty-alleviation results for people with disabilities.
// No Swift package dependencies: Foundation, Dispatch, XCTest, and the C libraries libsqlite3 and
// libzmq through system-library targets.
import PackageDescription

// One room per service: `Services/gonggu-<svc>/` holds its pure fold (`Fold/`), its edge (`Edge/`:
// behaviour, wire protocol, default settings and place in the topology), its `Main/main.swift`, unit
// tests (`Tests/`), `config.json` and `systemd/` (docs/ARCHITECTURE.md, "Rooms: where a service lives").

// GongguSHANI alone is compiled for the x86 SHA extensions (and SSE4.1, which every CPU with them has);
// on other architectures it compiles to nothing and the chain uses the Swift SHA-256.
#if arch(x86_64)
let shaniFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-msha", "-Xcc", "-msse4.1"])]
#else
let shaniFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "Gonggu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gonggu", targets: ["gonggu"]),
        .executable(name: "gonggu-intake", targets: ["gonggu-intake"]),
        .executable(name: "gonggu-risk", targets: ["gonggu-risk"]),
        .executable(name: "gonggu-verify", targets: ["gonggu-verify"]),
        .executable(name: "gonggu-notify", targets: ["gonggu-notify"]),
        .executable(name: "gonggu-bench", targets: ["gonggu-bench"]),
    ],
    targets: [
        // C libraries, each its own tiny system module.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CZMQ", path: "Sources/CZMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),

        // Pure domain core: events, codecs, hashing, identifiers, facts. No C imports.
        .target(name: "GongguCore", linkerSettings: [.linkedLibrary("m")]),
        // The event contract: every payload one type per file, `EventType`, the one field-table codec.
        .target(name: "GongguEvents", dependencies: ["GongguCore"]),
        // Pure domain modules: parsing and rules, folds over events.
        .target(name: "GongguIntake", dependencies: ["GongguCore", "GongguEvents"], path: "Services/gonggu-intake/Fold"),
        .target(name: "GongguRisk", dependencies: ["GongguCore", "GongguEvents"], path: "Services/gonggu-risk/Fold"),
        .target(name: "GongguVerify", dependencies: ["GongguCore", "GongguEvents"], path: "Services/gonggu-verify/Fold"),
        .target(name: "GongguNotify", dependencies: ["GongguCore", "GongguEvents"], path: "Services/gonggu-notify/Fold"),
        // The yearly post-assessment report: a pure fold over the four logs, rendered as HTML/SVG and CSV.
        .target(name: "GongguReport", dependencies: ["GongguCore", "GongguEvents", "GongguRisk", "GongguVerify", "GongguNotify"]),
        .target(name: "GongguSimulation", dependencies: ["GongguCore", "GongguEvents", "GongguIntake", "GongguRisk", "GongguVerify"]),

        // The SHA-256 compression function on the x86 SHA extensions, and nothing else: the only module
        // compiled for SHA + SSE4.1 (GongguStore calls it only when CPUID says the CPU has them).
        .target(name: "GongguSHANI", swiftSettings: shaniFlags),

        // I/O layers.
        .target(name: "GongguStore", dependencies: ["GongguCore", "GongguEvents", "CSQLite", "GongguSHANI"]),
        .target(name: "GongguTransport", dependencies: ["GongguCore", "CZMQ"]),
        // The service host every service shares (ServiceMain, FoldBehaviour …); knows no service by name.
        .target(name: "GongguRuntime", dependencies: ["GongguCore", "GongguEvents", "GongguStore", "GongguTransport"]),

        // Each service's edge: behaviour, wire protocol, default settings and upstreams (its room's data).
        .target(
            name: "GongguIntakeService", dependencies: [
                "GongguCore", "GongguEvents", "GongguStore", "GongguTransport", "GongguRuntime", "GongguIntake",
            ],
            path: "Services/gonggu-intake/Edge"),
        .target(
            name: "GongguRiskService", dependencies: ["GongguCore", "GongguEvents", "GongguTransport", "GongguRuntime", "GongguRisk"],
            path: "Services/gonggu-risk/Edge"),
        .target(
            name: "GongguVerifyService", dependencies: ["GongguCore", "GongguEvents", "GongguTransport", "GongguRuntime", "GongguVerify"],
            path: "Services/gonggu-verify/Edge"),
        .target(
            name: "GongguNotifyService", dependencies: ["GongguCore", "GongguEvents", "GongguTransport", "GongguRuntime", "GongguNotify"],
            path: "Services/gonggu-notify/Edge"),
        // The list of rooms: the system's topology (which services, who follows whom).
        .target(
            name: "GongguRooms",
            dependencies: [
                "GongguRuntime", "GongguIntakeService", "GongguRiskService", "GongguVerifyService", "GongguNotifyService",
            ]),
        // What tests, the bench and the CLI share above the rooms: launcher, clients, dev behaviours, rule sets.
        .target(
            name: "GongguServices",
            dependencies: [
                "GongguRuntime", "GongguRooms", "GongguIntake", "GongguNotify", "GongguRiskService", "GongguVerifyService",
                "GongguCore",
            ]),

        // Reference clients of the services' outside protocols: intake's file import, the recipient side of
        // the notifier (docs/PROTOCOL.md). Used by the CLI, the harness and the bench.
        .target(name: "GongguClients", dependencies: ["GongguCore", "GongguEvents", "GongguIntake", "GongguNotify", "GongguTransport"]),
        // What tests, the bench and `gonggu demo`/`gonggu dev` share: the pipeline launcher, dev behaviours,
        // one deadline-based `waitFor`.
        .target(
            name: "GongguHarness",
            dependencies: [
                "GongguCore", "GongguTransport", "GongguRuntime", "GongguServices", "GongguClients", "GongguRooms",
                "GongguNotify", "GongguNotifyService", "GongguEvents",
            ]),

        // Investigators' tools: replay, why, as-of (through the services' own folds).
        .target(
            name: "GongguInvestigation",
            dependencies: [
                "GongguCore", "GongguStore", "GongguTransport", "GongguRuntime", "GongguRisk", "GongguVerify",
                "GongguNotify", "GongguEvents",
            ]),

        // Executables: thin mains.
        .executableTarget(
            name: "gonggu-intake", dependencies: ["GongguRooms", "GongguIntakeService", "GongguRuntime"],
            path: "Services/gonggu-intake/Main"),
        .executableTarget(
            name: "gonggu-risk", dependencies: ["GongguRooms", "GongguRiskService", "GongguRuntime"],
            path: "Services/gonggu-risk/Main"),
        .executableTarget(
            name: "gonggu-verify", dependencies: ["GongguRooms", "GongguVerifyService", "GongguRuntime"],
            path: "Services/gonggu-verify/Main"),
        .executableTarget(
            name: "gonggu-notify", dependencies: ["GongguRooms", "GongguNotifyService", "GongguRuntime"],
            path: "Services/gonggu-notify/Main"),
        .executableTarget(
            name: "gonggu",
            dependencies: [
                "GongguServices", "GongguSimulation", "GongguReport", "GongguInvestigation", "GongguRooms",
                "GongguClients", "GongguHarness",
                "GongguCore", "GongguIntake", "GongguNotify", "GongguRuntime", "GongguStore", "GongguTransport", "GongguVerify",
                "GongguEvents",
            ]),
        .executableTarget(
            name: "gonggu-bench",
            dependencies: [
                "GongguServices", "GongguSimulation", "CSQLite", "CZMQ", "GongguInvestigation", "GongguIntakeService",
                "GongguRiskService", "GongguVerifyService", "GongguNotifyService", "GongguClients", "GongguHarness",
                "GongguCore", "GongguIntake", "GongguNotify", "GongguRisk", "GongguRuntime", "GongguStore", "GongguTransport",
                "GongguVerify", "GongguEvents",
            ]),

        // Fuzzing: the targets and the seeded mutation engine; `gonggu-fuzz` also builds for libFuzzer.
        .target(
            name: "GongguFuzz",
            dependencies: [
                "GongguServices", "GongguIntakeService", "GongguRooms", "GongguCore", "GongguIntake", "GongguNotify",
                "GongguRisk", "GongguRuntime", "GongguTransport", "GongguVerify", "GongguEvents",
            ]),
        .executableTarget(name: "gonggu-fuzz", dependencies: ["GongguFuzz", "GongguRuntime"]),

        // Tests mirror modules.
        .testTarget(name: "GongguCoreTests", dependencies: ["GongguCore"]),
        .testTarget(name: "GongguEventsTests", dependencies: ["GongguEvents", "GongguCore"]),
        .testTarget(
            name: "GongguIntakeTests", dependencies: ["GongguIntake", "GongguCore", "GongguEvents"], path: "Services/gonggu-intake/Tests",
            resources: [.copy("Fixtures")]),
        .testTarget(name: "GongguRiskTests", dependencies: ["GongguRisk", "GongguCore", "GongguEvents"], path: "Services/gonggu-risk/Tests"),
        .testTarget(name: "GongguVerifyTests", dependencies: ["GongguVerify", "GongguCore", "GongguEvents"], path: "Services/gonggu-verify/Tests"),
        .testTarget(name: "GongguNotifyTests", dependencies: ["GongguNotify", "GongguCore", "GongguEvents"], path: "Services/gonggu-notify/Tests"),
        .testTarget(
            name: "GongguReportTests", dependencies: ["GongguReport", "GongguCore", "GongguEvents", "GongguNotify", "GongguRisk", "GongguVerify"]),
        .testTarget(name: "GongguSimulationTests", dependencies: ["GongguSimulation", "GongguCore", "GongguEvents", "GongguIntake"]),
        .testTarget(name: "GongguStoreTests", dependencies: ["GongguStore", "CSQLite", "GongguCore"]),
        .testTarget(name: "GongguTransportTests", dependencies: ["GongguTransport", "GongguHarness", "GongguCore"]),
        .testTarget(
            name: "GongguInvestigationTests",
            dependencies: [
                "GongguInvestigation", "GongguServices", "GongguSimulation", "GongguStore", "GongguRisk", "GongguVerify",
                "GongguNotify", "GongguHarness",
                "GongguCore", "GongguRuntime", "GongguEvents",
            ]),
        .testTarget(
            name: "GongguSystemTests", dependencies: [
                "GongguServices", "GongguStore", "GongguTransport", "GongguSimulation", "GongguReport", "GongguIntake",
                "GongguRooms", "GongguIntakeService", "GongguRiskService", "GongguVerifyService", "GongguNotifyService",
                "GongguClients", "GongguHarness",
                "GongguCore", "GongguNotify", "GongguRisk", "GongguRuntime", "GongguVerify", "GongguEvents",
            ]),
        .testTarget(name: "GongguHarnessTests", dependencies: ["GongguHarness"]),
        .testTarget(
            name: "GongguFuzzTests", dependencies: ["GongguFuzz", "GongguCore", "GongguIntake"], path: "Tests/Fuzz",
            exclude: ["corpus"]),
        // The module graph and the docs' references, read as text: builds without any other target.
        .testTarget(name: "GongguArchitectureTests"),
    ]
)


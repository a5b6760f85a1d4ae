// swift-tools-version:5.9
// Gonggu (巩固): consolidation of poverty-alleviation results for people with disabilities.
// No Swift package dependencies: Foundation, Dispatch, XCTest, and the C libraries libsqlite3 and
// libzmq through system-library targets.
import PackageDescription

/// Files that live beside each service's `main.swift` but are not Swift sources.
let serviceExtras = ["config.json", "systemd"]

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
        // Pure domain modules: parsing and rules, folds over events.
        .target(name: "GongguIntake", dependencies: ["GongguCore"]),
        .target(name: "GongguRisk", dependencies: ["GongguCore"]),
        .target(name: "GongguVerify", dependencies: ["GongguCore"]),
        .target(name: "GongguNotify", dependencies: ["GongguCore"]),
        // The yearly post-assessment report: a pure fold over the four logs, rendered as HTML/SVG and CSV.
        .target(name: "GongguReport", dependencies: ["GongguCore", "GongguRisk", "GongguVerify", "GongguNotify"]),
        .target(name: "GongguSimulation", dependencies: ["GongguCore", "GongguIntake", "GongguRisk", "GongguVerify"]),

        // I/O layers.
        .target(name: "GongguStore", dependencies: ["GongguCore", "CSQLite"]),
        .target(name: "GongguTransport", dependencies: ["GongguCore", "CZMQ"]),
        .target(name: "GongguRuntime", dependencies: ["GongguCore", "GongguStore", "GongguTransport"]),
        .target(
            name: "GongguServices",
            dependencies: [
                "GongguRuntime", "GongguIntake", "GongguRisk", "GongguVerify", "GongguNotify",
            ]),

        // Investigators' tools: replay, why, as-of (through the services' own folds).
        .target(
            name: "GongguInvestigation",
            dependencies: [
                "GongguCore", "GongguStore", "GongguTransport", "GongguRuntime", "GongguRisk", "GongguVerify",
                "GongguNotify",
            ]),

        // Executables: thin mains.
        .executableTarget(
            name: "gonggu-intake", dependencies: ["GongguServices"], path: "Services/gonggu-intake",
            exclude: serviceExtras),
        .executableTarget(
            name: "gonggu-risk", dependencies: ["GongguServices"], path: "Services/gonggu-risk",
            exclude: serviceExtras),
        .executableTarget(
            name: "gonggu-verify", dependencies: ["GongguServices"], path: "Services/gonggu-verify",
            exclude: serviceExtras),
        .executableTarget(
            name: "gonggu-notify", dependencies: ["GongguServices"], path: "Services/gonggu-notify",
            exclude: serviceExtras),
        .executableTarget(
            name: "gonggu", dependencies: ["GongguServices", "GongguSimulation", "GongguReport", "GongguInvestigation"]),
        .executableTarget(
            name: "gonggu-bench",
            dependencies: ["GongguServices", "GongguSimulation", "CSQLite", "CZMQ", "GongguInvestigation"]),

        // Fuzzing: the targets and the seeded mutation engine; `gonggu-fuzz` also builds for libFuzzer.
        .target(name: "GongguFuzz", dependencies: ["GongguServices"]),
        .executableTarget(name: "gonggu-fuzz", dependencies: ["GongguFuzz", "GongguRuntime"]),

        // Tests mirror modules.
        .testTarget(name: "GongguCoreTests", dependencies: ["GongguCore"]),
        .testTarget(name: "GongguIntakeTests", dependencies: ["GongguIntake"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GongguRiskTests", dependencies: ["GongguRisk"]),
        .testTarget(name: "GongguVerifyTests", dependencies: ["GongguVerify"]),
        .testTarget(name: "GongguNotifyTests", dependencies: ["GongguNotify"]),
        .testTarget(name: "GongguReportTests", dependencies: ["GongguReport"]),
        .testTarget(name: "GongguSimulationTests", dependencies: ["GongguSimulation"]),
        .testTarget(name: "GongguStoreTests", dependencies: ["GongguStore", "CSQLite"]),
        .testTarget(name: "GongguTransportTests", dependencies: ["GongguTransport"]),
        .testTarget(
            name: "GongguInvestigationTests",
            dependencies: [
                "GongguInvestigation", "GongguServices", "GongguSimulation", "GongguStore", "GongguRisk", "GongguVerify",
                "GongguNotify",
            ]),
        .testTarget(
            name: "GongguSystemTests", dependencies: [
                "GongguServices", "GongguStore", "GongguTransport", "GongguSimulation", "GongguReport", "GongguIntake",
            ]),
        .testTarget(name: "GongguFuzzTests", dependencies: ["GongguFuzz"], path: "Tests/Fuzz", exclude: ["corpus"]),
    ]
)

// The event contract (issue 20): `GongguEvents` holds every payload, `EventType` and the one field-table codec;
// it sits above Core, and every module that reads or writes payloads depends on it. Kept as one hunk here.
package.targets.append(contentsOf: [
    .target(name: "GongguEvents", dependencies: ["GongguCore"]),
    .testTarget(name: "GongguEventsTests", dependencies: ["GongguEvents"]),
])
let eventsUsers: Set = [
    "GongguIntake", "GongguRisk", "GongguVerify", "GongguNotify", "GongguReport", "GongguSimulation", "GongguRuntime",
    "GongguServices", "GongguInvestigation", "GongguFuzz", "gonggu", "gonggu-bench", "gonggu-fuzz",
    "GongguIntakeTests", "GongguRiskTests", "GongguVerifyTests", "GongguNotifyTests", "GongguReportTests",
    "GongguSimulationTests", "GongguInvestigationTests", "GongguSystemTests", "GongguFuzzTests",
]
for target in package.targets where eventsUsers.contains(target.name) {
    target.dependencies.append("GongguEvents")
}

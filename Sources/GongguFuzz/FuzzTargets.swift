import Dispatch

/// Every fuzz target, by name.
public enum FuzzTargets {
    /// All targets: CSV in each encoding, JSON Lines, network frames, the submission endpoint, rule
    /// documents and configuration files.
    public static let all: [FuzzTarget] =
        IntakeTargets.all + [DeflateTarget.target] + WireTargets.all + [SubmissionTarget.target] + DocumentTargets.all

    /// Targets that check the harness itself (not parsers, not in `all`): one traps on inputs that start
    /// with `TRAP`, one never returns on inputs that start with `HANG`. Tests run them to see that a
    /// crash and a hang are caught and their input saved.
    public static let selfTests: [FuzzTarget] = [
        FuzzTarget(name: "self-test-trap", summary: "traps on TRAP…", dictionary: []) { input in
            FuzzCheck.require(!input.starts(with: Array("TRAP".utf8)), "self-test trap")
            return true
        },
        FuzzTarget(name: "self-test-hang", summary: "hangs on HANG…", dictionary: []) { input in
            if input.starts(with: Array("HANG".utf8)) { while true { _ = readHangClock() } }
            return true
        },
    ]

    /// The target called `name` (parsers and self-tests).
    public static func named(_ name: String) -> FuzzTarget? { (all + selfTests).first { $0.name == name } }
}

/// Something the optimiser cannot remove from the self-test's endless loop.
@inline(never)
func readHangClock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

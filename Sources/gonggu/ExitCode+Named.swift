import GongguRuntime

/// Exit statuses outside sysexits.h that commands document, named like `ExitCode`'s others.
extension ExitCode {
    /// `import`: the file was read to its end but intake refused some records (`--allow-rejects`: 0).
    static let recordsRejected = ExitCode(rawValue: 2)

    /// `status --check`: the Nagios plugin statuses (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    init(_ state: HealthCheck.State) { self.init(rawValue: state.rawValue) }
}


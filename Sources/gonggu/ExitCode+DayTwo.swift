/// Exit statuses of the day-two commands (`keys`, `tick`, `recipient`; docs/OPERATIONS.md), named after sysexits.h like
/// `ExitCode`'s.
extension ExitCode {
    /// EX_CANTCREAT: an output file could not be created (e.g. a key of that name exists already).
    static let cantCreate = ExitCode(rawValue: 73)
    /// EX_TEMPFAIL: partly done; running the command again completes it.
    static let tempFail = ExitCode(rawValue: 75)
    /// EX_NOPERM: refused for lack of permission (e.g. a revoked or unknown client key).
    static let noPermission = ExitCode(rawValue: 77)
}

/// The exit statuses of the service executables (sysexits.h where one fits). systemd's
/// `RestartPreventExitStatus=` lists those a restart cannot cure (docs/OPERATIONS.md).
public enum ServiceExitCode: Int32, Sendable {
    /// Stopped on SIGTERM/SIGINT after finishing the batch in hand.
    case success = 0
    /// A runtime failure a restart may cure (e.g. a refused commit: the restart rebuilds from the log).
    case failure = 1
    /// EX_USAGE: bad command line.
    case usage = 64
    /// EX_DATAERR: the own log, or an upstream log whose consumed range the state needs, is damaged
    /// (broken hash chain, damaged SQLite structure, unreadable file). Restore it from a backup.
    case logDamaged = 65
    /// EX_CONFIG: bad configuration.
    case config = 78
}

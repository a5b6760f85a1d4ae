/// Why an investigation could not be answered. Descriptions never carry resident ID numbers.
public enum InvestigationError: Error, Equatable, CustomStringConvertible {
    /// A path given is neither an event log nor a folder holding some.
    case noLogs(String)
    /// No log of the set holds the event asked about.
    case eventNotFound(String)
    /// Rebuilding a service's state needs the log of an upstream stream that was not given.
    case upstreamMissing(service: String, upstream: String)
    /// An upstream log lacks events the service recorded as consumed.
    case upstreamShort(stream: String, seq: Int64)
    /// The subject is unknown to every log of the set.
    case subjectUnknown
    /// The operation needs local log files (replay endpoints answer ranges only).
    case needsLocalLogs(String)

    public var description: String {
        switch self {
        case .noLogs(let path): return "no event log at \(path)"
        case .eventNotFound(let id):
            // A damaged id index also hides events that are there: `gonggu log verify` finds that.
            return "event \(id) is in none of the logs given (事件不在所给日志中；若怀疑日志损坏，请运行 gonggu log verify / "
                + "if a log may be damaged, run gonggu log verify)"
        case .upstreamMissing(let s, let u): return "rebuilding \(s) needs the \(u) log, which was not given"
        case .upstreamShort(let s, let seq): return "the \(s) log lacks seq \(seq), which was consumed downstream"
        case .subjectUnknown: return "the subject is unknown to the logs given"
        case .needsLocalLogs(let what): return "\(what) needs local log files, not a replay endpoint"
        }
    }
}

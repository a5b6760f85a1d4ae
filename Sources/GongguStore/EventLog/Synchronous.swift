/// How hard the log writer pushes each commit to stable storage (`PRAGMA synchronous`, in WAL mode).
///
/// Gonggu tells nobody about an event (publish, reply, downstream fold) before `append` returns,
/// that is after COMMIT; this setting decides what "committed" survives.
public enum Synchronous: String, Sendable, CaseIterable {
    /// The default. "In WAL mode when synchronous is FULL, the WAL file is synchronized after each
    /// transaction commit" — an acknowledged event survives a process crash **and** a power loss or
    /// OS crash. Group commit pays one fsync per batch, not per event.
    case full = "FULL"
    /// "A transaction committed in WAL mode with synchronous=NORMAL might roll back following a power
    /// loss or system crash." Survives a process crash (the data is in the OS page cache), but
    /// acknowledged events can be lost on power loss: acceptable only for rebuildable caches.
    case normal = "NORMAL"
    /// "SQLite continues without syncing as soon as it has handed data off to the operating system."
    /// Survives a process crash; on power loss or OS crash events can be lost and "the database might
    /// become corrupted". For benchmarks and throw-away test logs only.
    case off = "OFF"
}

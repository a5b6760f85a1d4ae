import GongguCore
import GongguStore

/// Reads a log from the tests (read-only, as another process would).
enum GongguStoreTestAccess {
    static func events(path: String) throws -> [Event] {
        let log = try EventLog(path: path, stream: nil, readOnly: true)
        var out: [Event] = []
        try log.forEach { out.append($0) }
        return out
    }
}

extension GongguStoreTestAccess {
    /// Whether the log's hash chain is intact.
    static func verify(path: String) throws -> Bool {
        try EventLog(path: path, stream: nil, readOnly: true).verify().isIntact
    }
}

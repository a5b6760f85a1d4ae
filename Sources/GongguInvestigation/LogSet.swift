import Foundation
import GongguCore
import GongguEvents
import GongguStore

/// The logs of one investigation: files, folders of files (every `*.sqlite` event log in them), or
/// replay endpoints, in the order given. Events are looked up by id across all of them.
public final class LogSet: @unchecked Sendable {
    public let sources: [LogSource]

    public init(sources: [LogSource]) {
        var numbered = sources
        for i in numbered.indices { numbered[i].position = i }
        self.sources = numbered
    }

    /// Opens every argument: a log file, a folder (its `*.sqlite` files that are event logs, by name),
    /// or an `ipc://` / `tcp://` control endpoint of a running service.
    public convenience init(paths: [String]) throws {
        var sources: [LogSource] = []
        for path in paths {
            if path.hasPrefix("ipc://") || path.hasPrefix("tcp://") {
                sources.append(try LogSource(endpoint: path))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InvestigationError.noLogs(path)
            }
            if !isDirectory.boolValue {
                sources.append(try LogSource(path: path))
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".sqlite") }
                .sorted()
            let found = names.compactMap { try? LogSource(path: "\(path)/\($0)") }
            guard !found.isEmpty else { throw InvestigationError.noLogs(path) }
            sources += found
        }
        guard !sources.isEmpty else { throw InvestigationError.noLogs("(none given)") }
        self.init(sources: Self.pipelineOrder(sources))
    }

    /// Upstream logs first (intake, verify, risk, notify), others after, so ties read as the flow does.
    static func pipelineOrder(_ sources: [LogSource]) -> [LogSource] {
        // `Service`'s cases are in pipeline order.
        let rank = Dictionary(uniqueKeysWithValues: Service.allCases.enumerated().map { ($1.rawValue, $0) })
        return sources.enumerated().sorted {
            (rank[$0.element.stream] ?? 4, $0.offset) < (rank[$1.element.stream] ?? 4, $1.offset)
        }.map(\.element)
    }

    /// The first log of `stream`, if given.
    public func source(stream: String) -> LogSource? { sources.first { $0.stream == stream } }

    /// The event with `id` and the log holding it, searching every local log (unique id index).
    public func locate(_ id: EventID) throws -> (source: LogSource, event: Event)? {
        for s in sources where s.isLocal {
            if let e = try s.event(id: id) { return (s, e) }
        }
        return nil
    }
}

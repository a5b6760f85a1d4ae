import GongguEvents
import GongguRuntime

/// The notifier's place in the system (its room's data; `GongguRooms` lists every room).
public enum NotifyRoom {
    /// Follows the risk monitor (decisions), the verifier (findings) and intake (outbox receipts);
    /// publishes on 7131, control on 7132 over TCP. Its log is written differently from the others:
    /// - index blocks of 4,096 events (`log.index_block_shift` 12): it is on the path of every
    ///   notification (commit before send), and with small blocks a commit rewrites a few hot index pages
    ///   instead of random ones among hundreds (p99 commit-to-receipt 17–21 ms → 7–10 ms in
    ///   `gonggu-bench notify`, docs/BENCHMARKS.md); it holds about one event per notification, so lookups
    ///   stay a few hundred seeks even after years. The other logs keep 131,072 (millions of facts;
    ///   `gonggu why` looks events up by id across them);
    /// - its WAL is checkpointed in the background (`log.checkpoint`), for the same reason;
    /// - consumed batches are committed on a second thread (`log.pipelined_commits`): its loop thread is
    ///   the bottleneck of delivery, and about a third of its time went to the transaction and fsync.
    public static let profile = ServiceProfile(
        name: Service.notify.rawValue, publishPort: 7131, controlPort: 7132,
        upstreams: [Service.risk, .verify, .intake].map(\.rawValue),
        indexBlockShift: 12, checkpoint: .background, pipelinedCommits: true, takesTicks: true)

    /// The service as its main builds it.
    public static func behaviour(config: Config) throws -> ServiceBehaviour { NotifyBehaviour(config: config) }
}

import Foundation
import GongguCore
import GongguNotify
import GongguRuntime
import GongguTransport

/// The notifier's snapshot: the fold and what the replay of the own inputs rebuilds beside it.
extension NotifyBehaviour {
    /// Snapshot (`Snapshots`): `{"fold": <NotifyFold's state>, "decisionInputs": [ids], "directories":
    /// [sha256, …]}` — the fold and what the replay of the own inputs rebuilds beside it (`note`). The
    /// delivery queues are built from the fold when recipients connect, and deliveries go on from the
    /// fold's pending notifications, so nothing else of the edges needs keeping.
    public func snapshot() -> (() -> (state: [UInt8], digest: String))? {
        // Deliveries and acknowledgements applied to the fold and not yet handed to a commit would put
        // the snapshot ahead of the log at its seq: none this time (the host tries again next turn).
        guard !hasUnlogged else { return nil }
        let copy = fold, inputs = decisionInputs, directories = activatedDirectories
        return {
            var w = JSONWriter(capacity: 1 << 20)
            w.beginObject()
            w.key("fold")
            copy.writeSnapshot(to: &w)
            w.field("decisionInputs", inputs.sorted().map(\.description))
            w.field("directories", directories.sorted())
            w.endObject()
            return (w.bytes, copy.stateDigest())
        }
    }

    public func restore(snapshot: [UInt8], digest: String) throws {
        var restored: NotifyFold?
        var inputs = Set<EventID>()
        var directories = Set<String>()
        try JSONReader.read(snapshot) { r in
            try r.readObject { r, k in
                switch k.string {
                case "fold": restored = try NotifyFold(snapshot: &r)
                case "decisionInputs": try r.readArray { inputs.insert(try $0.readEventID()) }
                case "directories": directories = Set(try r.readStringArray())
                default: try r.skipValue()
                }
            }
        }
        guard let restored else { throw Snapshots.Rejection.stateRefused("no fold state") }
        guard restored.stateDigest() == digest else { throw Snapshots.Rejection.digestDiffers }
        fold = restored
        decisionInputs = inputs
        activatedDirectories = directories
    }
}

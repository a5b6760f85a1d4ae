import GongguCore

/// What a snapshot of a service that follows upstreams holds besides its behaviour's state: the host's
/// own state that a replay of the own log rebuilds — the merge's positions (`UpstreamMerge`), the
/// anchors (seq and chain hash per upstream, from the `InputConsumed` markers) and the basis positions
/// derived events name. The upstream cursors are the merge's applied seqs.
///
/// The state line is `{"follower": {"merge": …, "anchors": {stream: [seq, "hex"]}, "basis": {stream: n}},
/// "state": <the behaviour's state>}`; the header's digest is the behaviour's.
struct FollowerSnapshot {
    var merge: UpstreamMerge
    var anchors: [String: (seq: Int64, hash: [UInt8])]
    var basisPositions: [String: Int64]

    /// The state line with the behaviour's `state` wrapped, after `prefix` (a follower's `prefix`).
    static func wrap(_ state: [UInt8], prefix: [UInt8]) -> [UInt8] {
        var line = prefix
        line.reserveCapacity(line.count + state.count + 1)
        line += state
        line += Self.suffix
        return line
    }

    /// What comes after the behaviour's state in the line.
    static let suffix: [UInt8] = [UInt8(ascii: "}")]

    /// The line up to where the behaviour's state begins (a streamed snapshot writes this, the state,
    /// then `suffix`).
    var prefix: [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.beginObject()
        w.key("follower")
        w.beginObject()
        w.key("merge")
        merge.writeSnapshot(to: &w)
        w.key("anchors")
        w.beginObject()
        for (stream, anchor) in anchors.sorted(by: { $0.key < $1.key }) {
            w.key(stream)
            w.beginArray()
            w.int(Int(anchor.seq))
            w.string(anchor.hash.hexString)
            w.endArray()
        }
        w.endObject()
        w.key("basis")
        w.beginObject()
        for (stream, n) in basisPositions.sorted(by: { $0.key < $1.key }) {
            w.key(stream)
            w.int(Int(n))
        }
        w.endObject()
        w.endObject()
        w.key("state")
        return w.bytes
    }

    /// The follower's positions (restored into `merge`, a fresh merge of the configured upstreams) and
    /// the behaviour's state bytes; throws `Snapshots.Rejection` when malformed or of other upstreams.
    static func decode(_ line: [UInt8], merge fresh: UpstreamMerge) throws -> (FollowerSnapshot, [UInt8]) {
        let (follower, state) = try Snapshots.splitFollower(line)
        var merge = fresh
        do {
            guard let m = follower["merge"] else { throw UpstreamMergeSnapshotError.malformed }
            try merge.restore(snapshot: m)
        } catch {
            throw Snapshots.Rejection.stateRefused("\(error)")
        }
        var anchors: [String: (seq: Int64, hash: [UInt8])] = [:]
        for (stream, value) in follower["anchors"]?.objectValue ?? [] {
            guard let pair = value.arrayValue, pair.count == 2, let seq = pair[0].intValue,
                let hex = pair[1].stringValue, let hash = [UInt8](hexString: hex), hash.count == 32
            else { throw Snapshots.Rejection.corrupt("follower anchors") }
            guard merge.streams.contains(stream) else { throw Snapshots.Rejection.stateRefused("anchor of an upstream not configured: \(stream)") }
            anchors[stream] = (Int64(seq), hash)
        }
        var basis: [String: Int64] = [:]
        for (stream, value) in follower["basis"]?.objectValue ?? [] {
            guard let n = value.intValue else { throw Snapshots.Rejection.corrupt("follower basis") }
            basis[stream] = Int64(n)
        }
        return (FollowerSnapshot(merge: merge, anchors: anchors, basisPositions: basis), state)
    }
}

extension Snapshots {
    /// A follower's state line (`FollowerSnapshot`) split: its own positions, and the behaviour's state.
    public static func splitFollower(_ line: [UInt8]) throws -> (positions: JSONValue, state: [UInt8]) {
        /// Where the state value begins: the parse of the line stops there (the writer puts the state
        /// last, and the state is hundreds of MB at province scale: not walked twice).
        struct StateBegins: Error { let offset: Int }
        var follower: JSONValue?
        var from: Int?
        do {
            try JSONReader.read(line) { r in
                try r.readObject { r, k in
                    switch k.string {
                    case "follower": follower = try r.readValue()
                    case "state": throw StateBegins(offset: r.offset)
                    default: try r.skipValue()
                    }
                }
            }
        } catch let s as StateBegins {
            from = s.offset
        } catch {
            throw Rejection.corrupt("follower state: \(error)")
        }
        guard let follower, let from else {
            throw Rejection.stateRefused("not a follower's snapshot (no positions of its upstreams)")
        }
        // The state runs to the line's closing brace; whatever else lies between is left in it, and
        // the state's own parse (which must end at its end) refuses it.
        var lower = from
        while lower < line.count, line[lower] == 0x20 || line[lower] == 0x3A || line[lower] == 0x0A || line[lower] == 0x09
            || line[lower] == 0x0D
        { lower += 1 }
        var upper = line.count
        while upper > lower, line[upper - 1] == 0x20 || line[upper - 1] == 0x0A || line[upper - 1] == 0x09
            || line[upper - 1] == 0x0D
        { upper -= 1 }
        guard upper > lower, line[upper - 1] == UInt8(ascii: "}") else { throw Rejection.corrupt("follower state: not one object") }
        upper -= 1
        while upper > lower, line[upper - 1] == 0x20 || line[upper - 1] == 0x0A || line[upper - 1] == 0x09
            || line[upper - 1] == 0x0D
        { upper -= 1 }
        return (follower, Array(line[lower..<upper]))
    }
}

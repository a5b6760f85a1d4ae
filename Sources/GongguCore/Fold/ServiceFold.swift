/// A service's state as a deterministic fold over events (docs/ARCHITECTURE.md).
///
/// The runtime feeds every input event, in log order, to `apply`; the fold updates its state and
/// returns the events to append to the service's own log. It never reads the wall clock, never does
/// I/O, and derives output ids from the input (`EventID.derived(from:_:index:)`) with
/// `occurredAt` taken from the input, so the same inputs always give the same outputs. Elapsed-time
/// decisions are taken on `ClockTicked` events, which are inputs like any other.
public protocol ServiceFold {
    /// Applies one input event and returns the new events it causes (possibly none).
    mutating func apply(_ event: Event) -> [Event]
    /// A stable digest of the whole state (hex SHA-256 over a canonical dump): equal states, equal digests.
    func stateDigest() -> String
}

/// A clock tick: the business date a service has reached, appended by the service itself to its
/// own log so replay takes elapsed-time decisions at the same points. Subject: the service name.
public struct ClockTicked: EventPayload, Equatable {
    public static let eventType = "ClockTicked"
    /// Business date `YYYY-MM-DD` the tick stands for.
    public var date: String

    public init(date: String) { self.date = date }

    public init(json r: inout JSONReader) throws {
        var d: String?
        try r.readObject { r, k in
            if k == "date" { d = try r.readString() } else { try r.skipValue() }
        }
        guard let d else { throw EventDecodingError.missingField(type: Self.eventType, field: "date") }
        date = d
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("date", date)
        w.endObject()
    }
}

/// A rule set version taking effect: the whole rule document, so replay reproduces decisions with
/// the rules in force at the time. Subject: the rule set name (`risk`, `verify`, `notify`).
public struct RulesActivated: EventPayload, Equatable {
    public static let eventType = "RulesActivated"
    /// Rule set name.
    public var ruleSet: String
    /// Version label from the document.
    public var version: String
    /// Business date from which the rules apply (events dated before keep the older version).
    public var effectiveFrom: String
    /// SHA-256 (hex) of `document`.
    public var sha256: String
    /// The rule document (JSON text) as loaded.
    public var document: String

    public init(ruleSet: String, version: String, effectiveFrom: String, document: String) {
        self.ruleSet = ruleSet
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.document = document
        sha256 = SHA256.hash(document).hexString
    }

    public init(json r: inout JSONReader) throws {
        var f = (set: "", version: "", from: "", sha: "", doc: "")
        try r.readObject { r, k in
            switch k {
            case "ruleSet": f.set = try r.readString()
            case "version": f.version = try r.readString()
            case "effectiveFrom": f.from = try r.readString()
            case "sha256": f.sha = try r.readString()
            case "document": f.doc = try r.readString()
            default: try r.skipValue()
            }
        }
        (ruleSet, version, effectiveFrom, sha256, document) = (f.set, f.version, f.from, f.sha, f.doc)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("ruleSet", ruleSet)
        w.field("version", version)
        w.field("effectiveFrom", effectiveFrom)
        w.field("sha256", sha256)
        w.field("document", document)
        w.endObject()
    }
}

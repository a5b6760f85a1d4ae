import GongguCore

extension EventLog {
    /// Up to `limit` events with seq greater than `seq`, in log order.
    public func read(after seq: Int64, limit: Int) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectAfter)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        try s.bind(Int64(max(0, limit)), at: 2)
        return try collect(s)
    }

    /// Up to `limit` events with seq greater than `seq` whose type starts with `typePrefix` and whose
    /// region starts with `regionPrefix` (nil: any), in log order. For subscribers that take a subset
    /// of a stream and reconcile it by replay (DESIGN §3).
    public func read(after seq: Int64, limit: Int, typePrefix: String?, regionPrefix: String?) throws -> [Event] {
        try read(after: seq, limit: limit, exactType: nil, typePrefix: typePrefix, regionPrefix: regionPrefix)
    }

    /// Like `read(after:limit:typePrefix:regionPrefix:)` with a ZeroMQ-style topic prefix over
    /// `<type>/<region>`: `"Risk"` takes every type starting with `Risk`; `"RiskFeedback/"` takes
    /// exactly that type; `"RiskFeedback/2201"` that type in regions starting with `2201`.
    public func read(after seq: Int64, limit: Int, topicPrefix: String) throws -> [Event] {
        guard let slash = topicPrefix.firstIndex(of: "/") else {
            return try read(after: seq, limit: limit, typePrefix: topicPrefix.isEmpty ? nil : topicPrefix,
                            regionPrefix: nil)
        }
        let region = String(topicPrefix[topicPrefix.index(after: slash)...])
        return try read(
            after: seq, limit: limit, exactType: String(topicPrefix[..<slash]), typePrefix: nil,
            regionPrefix: region.isEmpty ? nil : region)
    }

    private func read(
        after seq: Int64, limit: Int, exactType: String?, typePrefix: String?, regionPrefix: String?
    ) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectFiltered)
        defer { s.reset() }
        try s.bind(seq, at: 1)
        try s.bind(exactType, at: 2)
        try s.bind(typePrefix, at: 3)
        try s.bind(regionPrefix, at: 4)
        try s.bind(Int64(max(0, limit)), at: 5)
        return try collect(s)
    }

    /// Calls `body` with every event after `seq`, in log order, streaming through one statement:
    /// the fast path for replaying a log into a fold. The body must not append to this log.
    public func forEach(after seq: Int64 = 0, _ body: (Event) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        // A statement of its own, so the body may use the log's other (cached) reads.
        let s = try db.prepare(EventLogSchema.selectAll)
        try s.bind(seq, at: 1)
        var decoder = EventRowDecoder()
        while try s.step() { try body(try decoder.decode(s)) }
    }

    /// The event with id `id`, if recorded (unique index on id).
    public func event(id: EventID) throws -> Event? {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectByID)
        defer { s.reset() }
        var raw = [UInt8](repeating: 0, count: 16)
        raw.withUnsafeMutableBytes { storeID(id, at: $0.baseAddress!) }
        try s.bind(raw, at: 1)
        var decoder = EventRowDecoder()
        guard try s.step() else { return nil }
        return try decoder.decode(s)
    }

    /// Every event about `subject` (a household or person key), in log order, through the
    /// `(subject, seq)` index: investigators' queries never scan the log.
    public func events(subject: String) throws -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.selectBySubject)
        defer { s.reset() }
        try s.bind(subject, at: 1)
        return try collect(s)
    }

    private func collect(_ s: Statement) throws -> [Event] {
        var out: [Event] = []
        var decoder = EventRowDecoder()
        while try s.step() { out.append(try decoder.decode(s)) }
        return out
    }
}

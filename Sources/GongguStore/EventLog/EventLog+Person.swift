import GongguCore

extension EventLog {
    /// Whether the log has the `events_person` index (logs written before it existed get it when
    /// their writer next opens them).
    public var hasPersonIndex: Bool {
        get throws {
            lock.lock()
            defer { lock.unlock() }
            return (try db.scalarInt(EventLogSchema.hasPersonIndex) ?? 0) > 0
        }
    }

    /// The subjects (household ids) of the membership facts (`DisabilityRecorded`, `MemberRecorded`)
    /// naming `personID`, each once, in order of their first fact. Uses the `events_person` index;
    /// without it (an older log not yet reopened by its writer) SQLite answers the same query by
    /// scanning the log, which is correct but slow: check `hasPersonIndex` to warn.
    public func households(ofPerson personID: String) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let s = try statement(EventLogSchema.personQuery)
        defer { s.reset() }
        try s.bind(personID, at: 1)
        var out: [String] = []
        while try s.step() {
            if let subject = s.string(at: 0), !out.contains(subject) { out.append(subject) }
        }
        return out
    }
}

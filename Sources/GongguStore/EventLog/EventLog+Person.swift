import GongguCore

extension EventLog {
    /// Whether the log has the person index (`events_person_key_block` on the `person` column, or
    /// `events_person_key` in the plain layout; in a log not yet migrated to the column, the JSON
    /// index `events_person_block` / `events_person`); logs get it when their writer next opens them.
    public var hasPersonIndex: Bool {
        get throws {
            lock.lock()
            defer { lock.unlock() }
            // The sidecar index answers person look-ups (the log scanned beyond what it covers).
            if indexLayout == .sidecar { return true }
            let s = try statement(EventLogSchema.hasIndex)
            defer { s.reset() }
            try s.bind(indexLayout.personIndexName(personSource), at: 1)
            _ = try s.step()
            return s.int64(at: 0) > 0
        }
    }

    /// The subjects (household ids) of the membership facts (`DisabilityRecorded`, `MemberRecorded`)
    /// naming `personID`, each once, in order of their first fact. Uses the person index, one seek
    /// per block; without it (an older log not yet reopened by its writer) SQLite answers the same
    /// query by scanning the log, which is correct but slow: check `hasPersonIndex` to warn.
    public func households(ofPerson personID: String) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if indexLayout == .sidecar { return try sidecarHouseholds(ofPerson: personID) }
        var out: [String] = []
        try eachBlock(indexLayout.selectPerson(personSource), bind: { try $0.bind(personID, at: 2) }) { s in
            if let subject = s.string(at: 0), !out.contains(subject) { out.append(subject) }
            return true
        }
        return out
    }
}

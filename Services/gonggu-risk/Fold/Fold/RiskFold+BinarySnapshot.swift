import GongguCore
import GongguEvents

/// The risk monitor's state in binary (`BinarySnapshotFold`, snapshot format 3): the same fields as the
/// JSON form (`RiskFold+Snapshot`), in the same order — the rule documents, the clock day, each
/// household in slot order, the wake-up queue in heap order — without text to parse on a start.
extension RiskFold: BinarySnapshotFold {
    public func writeBinarySnapshot(to w: inout SnapshotBinaryWriter) {
        let documents = book.versions.map(\.document.text)
        w.count(documents.count)
        for d in documents { w.string(d) }
        w.int32(clockDay)
        w.count(states.count)
        for slot in states.indices {
            w.string(ids[slot].text)
            states[slot].writeBinary(to: &w)
            w.flushIfFull()
        }
        w.count(wakeups.heap.count)
        for entry in wakeups.heap {
            w.int32(entry.day)
            w.string(entry.household)
        }
    }

    public init(binarySnapshot r: inout SnapshotBinaryReader) throws {
        var documents: [String] = []
        for _ in 0..<(try r.count()) { documents.append(try r.string()) }
        // As the JSON form: the first version must be this build's default.
        guard let first = documents.first, first == RiskRules.defaultDocument else {
            throw SnapshotStateError("rules: not from this build's default document")
        }
        try self.init(rules: first)
        for text in documents.dropFirst() { try book.activate(try RuleDocument(text: text)) }
        reindex()
        clockDay = try r.int32()
        let n = try r.count(minimumBytes: 40)
        var ids: [ShortID] = []
        var states = HouseholdPages.make()
        var slots: [ShortID: Int32] = [:]
        ids.reserveCapacity(n)
        states.reserveCapacity(n)
        slots.reserveCapacity(n)
        for slot in 0..<n {
            let id = try r.string()
            let key = ShortID(id)
            guard !id.isEmpty, slots.updateValue(Int32(slot), forKey: key) == nil else {
                throw SnapshotStateError("household twice or without id: \(id)")
            }
            ids.append(key)
            states.append(try HouseholdState(binary: &r))
        }
        var heap: [(day: Int32, household: String)] = []
        let w = try r.count(minimumBytes: 2)
        heap.reserveCapacity(w)
        for _ in 0..<w { heap.append((try r.int32(), try r.string())) }
        self.slots = slots
        self.states = states
        self.ids = ids
        wakeups = WakeupQueue(heap: heap)
    }
}

extension HouseholdState {
    func writeBinary(to w: inout SnapshotBinaryWriter) {
        w.string(region)
        w.count(members.count)
        for m in members {
            w.string(m.personID)
            w.string(m.name)
            w.string(m.labour.rawValue)
            w.byte(m.category)
            w.byte(m.grade)
            w.bool(m.present)
        }
        w.int(Int(baselineSurveyYear))
        w.int32(lastDay)
        w.int32(monitoredSince)
        w.int(Int(incomeYear))
        w.int(incomePerCapita)
        w.int(incomeLine)
        w.int32(incomeDay)
        w.int(Int(priorIncomeYear))
        w.int(priorPerCapita)
        w.int32(incomeAboveSince)
        w.byte(activeProgrammes)
        w.int32(lastAssistanceDay)
        w.int32(visitDay)
        w.int32(lastLargeExpenseDay)
        w.int(Int(recommendedMask))
        w.int(Int(assessedMask))
        w.int(Int(assessedLevel.rawValue))
        w.bool(withoutAssistanceRaised)
        w.int32(scheduled)
        for e in [monitoringEvidence, incomeEvent, priorIncomeEvent, lastAssistanceEvent, visitEvent, lastLargeExpenseEvent] {
            w.eventID(e)
        }
        w.string(baseStatus?.rawValue ?? "")
        w.string(monitoredType?.rawValue ?? "")
        w.count(visitHardship.count)
        for v in visitHardship { w.string(v) }
        w.count(openFindings.count)
        for f in openFindings {
            w.string(f.id)
            w.string(f.measure)
            w.eventID(f.event)
        }
        w.count(expenseSums.count)
        for s in expenseSums {
            w.string(s.kind.rawValue)
            w.int32(s.period)
            w.int(s.sumFen)
            w.count(s.evidence.count)
            for e in s.evidence { w.eventID(e) }
        }
        w.count(signals.count)
        for s in signals {
            w.byte(s.signal.rawValue)
            w.int32(s.day)
            w.int(s.amount)
            w.int(s.threshold)
            w.count(s.evidence.count)
            for e in s.evidence { w.eventID(e) }
            w.string(s.detail)
        }
        w.count(openRecommendations.count)
        for o in openRecommendations {
            w.eventID(o.id)
            w.byte(o.kind.rawValue)
            w.int32(o.day)
            w.string(o.suggested?.rawValue ?? "")
            w.int(Int(o.overduePeriods))
        }
        w.count(includedDays.count)
        for d in includedDays { w.int32(d) }
        w.count(eliminatedDays.count)
        for d in eliminatedDays { w.int32(d) }
        w.count(recent.count)
        for d in recent {
            w.string(d.type)
            w.string(d.id)
            w.string(d.date)
        }
    }

    init(binary r: inout SnapshotBinaryReader) throws {
        func status(_ text: String) throws -> PovertyStatus? {
            if text.isEmpty { return nil }
            guard let s = PovertyStatus(rawValue: text) else { throw SnapshotStateError("status \(text)") }
            return s
        }
        self.init(region: try r.internedString())
        let memberCount = try r.count(minimumBytes: 6)
        members.reserveCapacity(memberCount)
        for _ in 0..<memberCount {
            let id = try r.string(), name = try r.string(), labourText = try r.string()
            guard let labour = LabourCapacity(rawValue: labourText) else { throw SnapshotStateError("labour \(labourText)") }
            var m = Member(personID: id, name: name, labour: labour)
            m.category = try r.byte()
            m.grade = try r.byte()
            m.present = try r.bool()
            members.append(m)
        }
        baselineSurveyYear = try r.small()
        lastDay = try r.int32()
        monitoredSince = try r.int32()
        incomeYear = try r.small()
        incomePerCapita = try r.int()
        incomeLine = try r.int()
        incomeDay = try r.int32()
        priorIncomeYear = try r.small()
        priorPerCapita = try r.int()
        incomeAboveSince = try r.int32()
        activeProgrammes = try r.byte()
        lastAssistanceDay = try r.int32()
        visitDay = try r.int32()
        lastLargeExpenseDay = try r.int32()
        recommendedMask = try r.small()
        assessedMask = try r.small()
        guard let level = RiskLevel(rawValue: try r.small()) else { throw SnapshotStateError("level") }
        assessedLevel = level
        withoutAssistanceRaised = try r.bool()
        scheduled = try r.int32()
        monitoringEvidence = try r.eventID()
        incomeEvent = try r.eventID()
        priorIncomeEvent = try r.eventID()
        lastAssistanceEvent = try r.eventID()
        visitEvent = try r.eventID()
        lastLargeExpenseEvent = try r.eventID()
        baseStatus = try status(try r.string())
        monitoredType = try status(try r.string())
        for _ in 0..<(try r.count()) { visitHardship.append(try r.internedString()) }
        for _ in 0..<(try r.count(minimumBytes: 18)) {
            openFindings.append((try r.string(), try r.internedString(), try r.eventID()))
        }
        for _ in 0..<(try r.count(minimumBytes: 4)) {
            let text = try r.string()
            guard let kind = ExpenseKind(rawValue: text) else { throw SnapshotStateError("expense \(text)") }
            var s = ExpenseSum(kind: kind, period: try r.int32(), sumFen: try r.int(), evidence: [])
            let n = try r.count(minimumBytes: 16)
            s.evidence.reserveCapacity(n)
            for _ in 0..<n { s.evidence.append(try r.eventID()) }
            expenseSums.append(s)
        }
        for _ in 0..<(try r.count(minimumBytes: 6)) {
            let raw = try r.byte()
            guard let signal = RiskSignal(rawValue: raw) else { throw SnapshotStateError("signal \(raw)") }
            var s = ActiveSignal(signal: signal, day: try r.int32(), amount: try r.int(), threshold: try r.int(), evidence: [])
            let n = try r.count(minimumBytes: 16)
            s.evidence.reserveCapacity(n)
            for _ in 0..<n { s.evidence.append(try r.eventID()) }
            s.detail = try r.string()
            signals.append(s)
        }
        for _ in 0..<(try r.count(minimumBytes: 20)) {
            let id = try r.eventID()
            guard let kind = Recommendation.Kind(rawValue: try r.byte()) else { throw SnapshotStateError("recommendation") }
            var o = Recommendation(id: id, kind: kind, day: try r.int32(), suggested: nil)
            o.suggested = try status(try r.string())
            o.overduePeriods = try r.small()
            openRecommendations.append(o)
        }
        for _ in 0..<(try r.count()) { includedDays.append(try r.int32()) }
        for _ in 0..<(try r.count()) { eliminatedDays.append(try r.int32()) }
        for _ in 0..<(try r.count(minimumBytes: 3)) {
            recent.append(DecisionRef(type: try r.internedString(), id: try r.string(), date: try r.string()))
        }
    }
}

import GongguCore
import GongguEvents

/// The risk monitor's state in a snapshot (`SnapshotFold`): `{"rules": [<documents, in the book's
/// order>], "clockDay": n, "households": [<one object per household, in slot order>], "wakeups":
/// [[day, household], …] (in heap order)}`. Everything the fold keeps is written, the scheduling hint
/// `scheduled` and the wake-up queue included, so a fold read back decides later events exactly as the
/// fold written (not only digests equal).
extension RiskFold: SnapshotFold {
    public func writeSnapshot(to w: inout JSONWriter) {
        w.beginObject()
        w.field("rules", book.versions.map(\.document.text))
        w.field("clockDay", Int(clockDay))
        w.key("households")
        w.beginArray()
        for slot in states.indices { states[slot].writeSnapshot(ids[slot].text, to: &w) }
        w.endArray()
        w.rows("wakeups", wakeups.heap) { w, entry in
            w.int(Int(entry.day))
            w.string(entry.household)
        }
        w.endObject()
    }

    public init(snapshot r: inout JSONReader) throws {
        var documents: [String] = []
        var clock = Int(noDay)
        var ids: [String] = []
        var states = HouseholdPages.make()
        var heap: [(day: Int32, household: String)] = []
        try r.readObject { r, k in
            switch k {
            case "rules": documents = try r.readStringArray()
            case "clockDay": clock = try r.readInt()
            case "households":
                try r.readArray { r in
                    let (id, state) = try HouseholdState.readSnapshot(&r)
                    ids.append(id)
                    states.append(state)
                }
            case "wakeups":
                try r.readArray { r in
                    var day = 0
                    var household = ""
                    try r.readRow(count: 2) { r, n in
                        if n == 0 { day = try r.readInt() } else { household = try r.readString() }
                    }
                    heap.append((try Int32.fromSnapshot(day), household))
                }
            default: try r.skipValue()
            }
        }
        // The first version is this build's default (as `RiskFold()` starts): a snapshot written by a
        // build with other defaults is refused, for a full replay would not give its state.
        guard let first = documents.first, first == RiskRules.defaultDocument else {
            throw SnapshotStateError("rules: not from this build's default document")
        }
        try self.init(rules: first)
        for text in documents.dropFirst() { try book.activate(try RuleDocument(text: text)) }
        reindex()
        clockDay = try Int32.fromSnapshot(clock)
        var slots: [ShortID: Int32] = [:]
        slots.reserveCapacity(ids.count)
        for (slot, id) in ids.enumerated() {
            guard slots.updateValue(Int32(slot), forKey: ShortID(id)) == nil else { throw SnapshotStateError("household twice: \(id)") }
        }
        self.slots = slots
        self.states = states
        self.ids = ids.map(ShortID.init)
        wakeups = WakeupQueue(heap: heap)
    }

}

extension Member {
    /// The six fields in a fixed order (a snapshot's member row; the digest's dump).
    func writeFields(to w: inout JSONWriter) {
        w.string(personID)
        w.string(name)
        w.string(labour.rawValue)
        w.int(Int(category))
        w.int(Int(grade))
        w.bool(present)
    }
}

extension HouseholdState {
    /// One household as an object with short keys (every field; empty lists left out).
    func writeSnapshot(_ id: String, to w: inout JSONWriter) {
        w.beginObject()
        w.field("h", id)
        w.field("r", region)
        if !members.isEmpty { w.rows("m", members) { w, m in m.writeFields(to: &w) } }
        w.key("n")
        w.beginArray()
        for v in [
            Int(baselineSurveyYear), Int(lastDay), Int(monitoredSince), Int(incomeYear), incomePerCapita, incomeLine,
            Int(incomeDay), Int(priorIncomeYear), priorPerCapita, Int(incomeAboveSince), Int(activeProgrammes),
            Int(lastAssistanceDay), Int(visitDay), Int(lastLargeExpenseDay), Int(recommendedMask), Int(assessedMask),
            Int(assessedLevel.rawValue), withoutAssistanceRaised ? 1 : 0, Int(scheduled),
        ] { w.int(v) }
        w.endArray()
        w.key("e")
        w.eventIDs([
            monitoringEvidence, incomeEvent, priorIncomeEvent, lastAssistanceEvent, visitEvent, lastLargeExpenseEvent,
        ])
        if let s = baseStatus { w.field("bs", s.rawValue) }
        if let s = monitoredType { w.field("mt", s.rawValue) }
        if !visitHardship.isEmpty { w.field("vh", visitHardship) }
        if !openFindings.isEmpty {
            w.rows("of", openFindings) { w, f in
                w.string(f.id)
                w.string(f.measure)
                w.eventID(f.event)
            }
        }
        if !expenseSums.isEmpty {
            w.rows("x", expenseSums) { w, s in
                w.string(s.kind.rawValue)
                w.int(Int(s.period))
                w.int(s.sumFen)
                w.eventIDs(s.evidence)
            }
        }
        if !signals.isEmpty {
            w.rows("s", signals) { w, s in
                w.int(Int(s.signal.rawValue))
                w.int(Int(s.day))
                w.int(s.amount)
                w.int(s.threshold)
                w.eventIDs(s.evidence)
                w.string(s.detail)
            }
        }
        if !openRecommendations.isEmpty {
            w.rows("o", openRecommendations) { w, o in
                w.eventID(o.id)
                w.int(Int(o.kind.rawValue))
                w.int(Int(o.day))
                w.string(o.suggested?.rawValue ?? "")
                w.int(Int(o.overduePeriods))
            }
        }
        for (key, days) in [("in", includedDays), ("el", eliminatedDays)] where !days.isEmpty {
            w.key(key)
            w.array(days) { $0.int(Int($1)) }
        }
        if !recent.isEmpty {
            w.rows("d", recent) { w, d in
                w.string(d.type)
                w.string(d.id)
                w.string(d.date)
            }
        }
        w.endObject()
    }

    static func readSnapshot(_ r: inout JSONReader) throws -> (String, HouseholdState) {
        var id = ""
        var hh = HouseholdState(region: "")
        var numbers: [Int] = []
        var events: [EventID] = []
        func status(_ text: String) throws -> PovertyStatus {
            guard let s = PovertyStatus(rawValue: text) else { throw SnapshotStateError("status \(text)") }
            return s
        }
        try r.readObject { r, k in
            switch k {
            case "h": id = try r.readString()
            case "r": hh.region = try r.readString()
            case "m":
                try r.readArray { r in
                    var m = Member(personID: "", name: "", labour: .none)
                    try r.readRow(count: 6) { r, n in
                        switch n {
                        case 0: m.personID = try r.readString()
                        case 1: m.name = try r.readString()
                        case 2:
                            let text = try r.readString()
                            guard let l = LabourCapacity(rawValue: text) else { throw SnapshotStateError("labour \(text)") }
                            m.labour = l
                        case 3: m.category = try r.readSmall()
                        case 4: m.grade = try r.readSmall()
                        default: m.present = try r.readBool()
                        }
                    }
                    hh.members.append(m)
                }
            case "n": numbers = try r.readInts()
            case "e": events = try r.readEventIDs()
            case "bs": hh.baseStatus = try status(try r.readString())
            case "mt": hh.monitoredType = try status(try r.readString())
            case "vh": hh.visitHardship = try r.readStringArray()
            case "of":
                try r.readArray { r in
                    var f = (id: "", measure: "", event: EventID.zero)
                    try r.readRow(count: 3) { r, n in
                        switch n {
                        case 0: f.id = try r.readString()
                        case 1: f.measure = try r.readString()
                        default: f.event = try r.readEventID()
                        }
                    }
                    hh.openFindings.append(f)
                }
            case "x":
                try r.readArray { r in
                    var s = ExpenseSum(kind: .inpatient, period: 0, sumFen: 0, evidence: [])
                    try r.readRow(count: 4) { r, n in
                        switch n {
                        case 0:
                            let text = try r.readString()
                            guard let kind = ExpenseKind(rawValue: text) else { throw SnapshotStateError("expense \(text)") }
                            s.kind = kind
                        case 1: s.period = try r.readInt32()
                        case 2: s.sumFen = try r.readInt()
                        default: s.evidence = try r.readEventIDs()
                        }
                    }
                    hh.expenseSums.append(s)
                }
            case "s":
                try r.readArray { r in
                    var s = ActiveSignal(signal: .incomeBelowLine, day: 0, amount: 0, threshold: 0, evidence: [])
                    try r.readRow(count: 6) { r, n in
                        switch n {
                        case 0:
                            let raw: UInt8 = try r.readSmall()
                            guard let signal = RiskSignal(rawValue: raw) else { throw SnapshotStateError("signal \(raw)") }
                            s.signal = signal
                        case 1: s.day = try r.readInt32()
                        case 2: s.amount = try r.readInt()
                        case 3: s.threshold = try r.readInt()
                        case 4: s.evidence = try r.readEventIDs()
                        default: s.detail = try r.readString()
                        }
                    }
                    hh.signals.append(s)
                }
            case "o":
                try r.readArray { r in
                    var o = Recommendation(id: .zero, kind: .monitoring, day: 0, suggested: nil)
                    try r.readRow(count: 5) { r, n in
                        switch n {
                        case 0: o.id = try r.readEventID()
                        case 1:
                            let raw: UInt8 = try r.readSmall()
                            guard let kind = Recommendation.Kind(rawValue: raw) else { throw SnapshotStateError("recommendation") }
                            o.kind = kind
                        case 2: o.day = try r.readInt32()
                        case 3:
                            let text = try r.readString()
                            o.suggested = text.isEmpty ? nil : try status(text)
                        default: o.overduePeriods = try r.readSmall()
                        }
                    }
                    hh.openRecommendations.append(o)
                }
            case "in": hh.includedDays = try r.readInts().map(Int32.fromSnapshot)
            case "el": hh.eliminatedDays = try r.readInts().map(Int32.fromSnapshot)
            case "d":
                try r.readRows(count: 3) { r, n in
                    if n == 0 { hh.recent.append(DecisionRef(type: try r.readString(), id: "", date: "")) }
                    else if n == 1 { hh.recent[hh.recent.count - 1].id = try r.readString() }
                    else { hh.recent[hh.recent.count - 1].date = try r.readString() }
                }
            default: try r.skipValue()
            }
        }
        guard !id.isEmpty, numbers.count == 19, events.count == 6 else { throw SnapshotStateError("household \(id)") }
        hh.baselineSurveyYear = try .fromSnapshot(numbers[0])
        hh.lastDay = try Int32.fromSnapshot(numbers[1])
        hh.monitoredSince = try Int32.fromSnapshot(numbers[2])
        hh.incomeYear = try .fromSnapshot(numbers[3])
        hh.incomePerCapita = numbers[4]
        hh.incomeLine = numbers[5]
        hh.incomeDay = try Int32.fromSnapshot(numbers[6])
        hh.priorIncomeYear = try .fromSnapshot(numbers[7])
        hh.priorPerCapita = numbers[8]
        hh.incomeAboveSince = try Int32.fromSnapshot(numbers[9])
        hh.activeProgrammes = try .fromSnapshot(numbers[10])
        hh.lastAssistanceDay = try Int32.fromSnapshot(numbers[11])
        hh.visitDay = try Int32.fromSnapshot(numbers[12])
        hh.lastLargeExpenseDay = try Int32.fromSnapshot(numbers[13])
        hh.recommendedMask = try .fromSnapshot(numbers[14])
        hh.assessedMask = try .fromSnapshot(numbers[15])
        guard let level = RiskLevel(rawValue: try .fromSnapshot(numbers[16])) else { throw SnapshotStateError("level") }
        hh.assessedLevel = level
        hh.withoutAssistanceRaised = numbers[17] != 0
        hh.scheduled = try Int32.fromSnapshot(numbers[18])
        (hh.monitoringEvidence, hh.incomeEvent, hh.priorIncomeEvent) = (events[0], events[1], events[2])
        (hh.lastAssistanceEvent, hh.visitEvent, hh.lastLargeExpenseEvent) = (events[3], events[4], events[5])
        return (id, hh)
    }
}

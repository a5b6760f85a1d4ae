import GongguCore
import GongguEvents

/// The verifier's state in a snapshot (`SnapshotFold`): `{"rules": [<documents, in activation order>],
/// "months": [tickReference, dataReference, dataMonth], "households": [...], "persons": [...],
/// "extras": {...}, "open": [...], "raised": [...]}`, persons and households in index order (their
/// indices are what the rest refers to). Every field the fold keeps is written.
extension VerifyFold: SnapshotFold {
    public func writeSnapshot(to w: inout JSONWriter) {
        func u64(_ w: inout JSONWriter, _ v: UInt64) {
            w.int(Int(v >> 32))
            w.int(Int(v & 0xFFFF_FFFF))
        }
        func track(_ w: inout JSONWriter, _ t: MonthTrack) {
            w.row { w in
                u64(&w, t.mask)
                w.eventID(t.lastEvidence)
                w.int(Int(t.base))
                w.int(Int(t.last))
            }
        }
        w.beginObject()
        w.field("rules", ruleDocuments)
        w.key("months")
        w.array([tickReference, dataReference, dataMonth]) { $0.int(Int($1)) }
        w.rows("households", households) { w, h in
            w.string(h.id)
            w.string(h.region)
            w.string(h.status?.rawValue ?? "")
            w.bool(h.leftPoverty)
            w.int(Int(h.liftedMonth))
            w.eventID(h.statusEvidence)
            w.array(h.members) { $0.int(Int($1)) }
            w.array(h.spans) { w, s in
                w.row { w in
                    w.string(s.programme.rawValue)
                    w.int(Int(s.person))
                    w.int(Int(s.start))
                    w.int(Int(s.stop))
                    w.string(s.reason?.rawValue ?? "")
                    w.int(Int(s.monthlyFen))
                    w.eventID(s.evidence)
                }
            }
            w.array(h.incomes) { w, i in
                w.row { w in
                    w.int(Int(i.year))
                    w.int(Int(i.month))
                    w.int(i.perCapitaFen)
                    w.eventID(i.evidence)
                }
            }
        }
        w.rows("persons", persons) { w, p in
            w.string(p.id)
            w.int(Int(p.household))
            w.string(p.name)
            w.int(Int(p.birthDay))
            w.int(Int(p.category))
            w.int(Int(p.grade))
            w.int(Int(p.flags))
            w.int(Int(p.lifeKind))
            w.int(Int(p.lifeMonth))
            w.eventID(p.surveyEvidence)
            w.int(Int(p.knownSince))
            track(&w, p.living)
            track(&w, p.nursing)
            u64(&w, p.pensionPaidYears)
            u64(&w, p.pensionEnrolledYears)
            w.eventID(p.pensionEvidence)
            for v in [p.since.0, p.since.1, p.since.2, p.since.3, p.since.4, p.since.5, p.since.6] { w.int(Int(v)) }
            w.int(Int(p.open))
        }
        w.key("extras")
        w.beginObject()
        w.rows("rehab", extras.rehab.sorted(by: { $0.key < $1.key })) { w, rehab in
            w.int(Int(rehab.key))
            track(&w, rehab.value)
        }
        for (key, map) in [("life", extras.lifeEvidence), ("accessibility", extras.accessibilityEvidence)] {
            w.rows(key, map.sorted(by: { $0.key < $1.key })) { w, evidence in
                w.int(Int(evidence.key))
                w.eventID(evidence.value)
            }
        }
        w.endObject()
        w.rows("open", open.sorted(by: { $0.value.findingID < $1.value.findingID })) { w, entry in
            let (k, f) = entry
            w.int(Int(k.subject))
            w.bool(k.household)
            w.bool(k.discontinuation)
            w.int(Int(k.measure))
            w.int(Int(k.period))
            w.string(f.findingID)
            w.int(Int(f.household))
            w.int(Int(f.person))
            w.string(f.measure.rawValue)
            w.bool(f.discontinuation)
            w.int(Int(f.from))
            w.string(f.ruleVersion)
        }
        w.field("raised", raised.sorted())
        w.endObject()
    }

    public init(snapshot r: inout JSONReader) throws {
        self.init()
        var documents: [String] = []
        try r.readObject { r, k in
            switch k {
            case "rules": documents = try r.readStringArray()
            case "months":
                let m = try r.readInts().map(Int32.fromSnapshot)
                guard m.count == 3 else { throw SnapshotStateError("months") }
                (tickReference, dataReference, dataMonth) = (m[0], m[1], m[2])
            case "households":
                try r.readArray { r in households.append(try Self.readHousehold(&r)) }
            case "persons":
                try r.readArray { r in persons.append(try Self.readPerson(&r)) }
            case "extras":
                try r.readObject { r, k in
                    switch k {
                    case "rehab":
                        var person: Int32 = 0
                        try r.readRows(count: 2) { r, n in
                            if n == 0 { person = try r.readInt32() } else { extras.rehab[person] = try Self.readTrack(&r) }
                        }
                    case "life", "accessibility":
                        let life = k == "life"
                        var person: Int32 = 0
                        try r.readRows(count: 2) { r, n in
                            if n == 0 {
                                person = try r.readInt32()
                            } else if life {
                                extras.lifeEvidence[person] = try r.readEventID()
                            } else {
                                extras.accessibilityEvidence[person] = try r.readEventID()
                            }
                        }
                    default: try r.skipValue()
                    }
                }
            case "open":
                var key = OpenKey(subject: 0, household: false, discontinuation: false, measure: 0)
                var f = OpenFinding(findingID: "", household: 0, person: 0, measure: .dibao, discontinuation: false, from: 0, ruleVersion: "")
                try r.readRows(count: 12) { r, n in
                    switch n {
                    case 0: key.subject = try r.readInt32()
                    case 1: key.household = try r.readBool()
                    case 2: key.discontinuation = try r.readBool()
                    case 3: key.measure = try r.readSmall()
                    case 4: key.period = try r.readInt32()
                    case 5: f.findingID = try r.readString()
                    case 6: f.household = try r.readInt32()
                    case 7: f.person = try r.readInt32()
                    case 8:
                        let text = try r.readString()
                        guard let measure = Measure(rawValue: text) else { throw SnapshotStateError("measure \(text)") }
                        f.measure = measure
                    case 9: f.discontinuation = try r.readBool()
                    case 10: f.from = try r.readInt32()
                    default:
                        f.ruleVersion = try r.readString()
                        guard open.updateValue(f, forKey: key) == nil else { throw SnapshotStateError("open finding twice") }
                    }
                }
            case "raised": raised = Set(try r.readStringArray())
            default: try r.skipValue()
            }
        }
        // The rule versions, as activating the documents again builds them.
        guard documents.first == VerifyRules.defaultDocument else { throw SnapshotStateError("rules: not from the default") }
        for text in documents.dropFirst() {
            try table.add(try RuleDocument(text: text))
            activatedRules.append(SHA256.hash(text).hexString)
            ruleDocuments.append(text)
        }
        personIndex.reserveCapacity(persons.count)
        householdIndex.reserveCapacity(households.count)
        for (i, p) in persons.enumerated() {
            guard personIndex.updateValue(Int32(i), forKey: p.key) == nil, Int(p.household) < households.count, p.household >= 0 else {
                throw SnapshotStateError("person \(i)")
            }
        }
        for (i, h) in households.enumerated() {
            guard householdIndex.updateValue(Int32(i), forKey: h.key) == nil else { throw SnapshotStateError("household \(i)") }
            guard h.members.allSatisfy({ $0 >= 0 && Int($0) < persons.count }) else { throw SnapshotStateError("household \(i) members") }
        }
    }

    // MARK: Reading

    static func readTrack(_ r: inout JSONReader) throws -> MonthTrack {
        var t = MonthTrack()
        var high: UInt64 = 0
        try r.readRow(count: 5) { r, n in
            switch n {
            case 0: high = UInt64(try r.readSmall(UInt32.self)) << 32
            case 1: t.mask = high | UInt64(try r.readSmall(UInt32.self))
            case 2: t.lastEvidence = try r.readEventID()
            case 3: t.base = try r.readInt32()
            default: t.last = try r.readInt32()
            }
        }
        return t
    }

    static func readHousehold(_ r: inout JSONReader) throws -> HouseholdState {
        var h = HouseholdState(id: "")
        try r.readRow(count: 9) { r, n in
            switch n {
            case 0: h.id = try r.readString()
            case 1: h.region = try r.readString()
            case 2:
                let status = try r.readString()
                if !status.isEmpty {
                    guard let s = PovertyStatus(rawValue: status) else { throw SnapshotStateError("status \(status)") }
                    h.status = s
                }
            case 3: h.leftPoverty = try r.readBool()
            case 4: h.liftedMonth = try r.readInt32()
            case 5: h.statusEvidence = try r.readEventID()
            case 6:
                let members = try r.readInts().map(Int32.fromSnapshot)
                guard members.allSatisfy({ $0 >= 0 }) else { throw SnapshotStateError("household members") }
                h.members = MemberList(members)
            case 7:
                try r.readRows(count: 7) { r, k in
                    if k == 0 { h.spans.append(ProgrammeSpan(programme: .dibao, person: 0, start: 0, stop: 0, monthlyFen: 0, evidence: .zero)) }
                    let last = h.spans.count - 1
                    switch k {
                    case 0:
                        let text = try r.readString()
                        guard let programme = AssistanceProgramme(rawValue: text) else { throw SnapshotStateError("programme \(text)") }
                        h.spans[last].programme = programme
                    case 1: h.spans[last].person = try r.readInt32()
                    case 2: h.spans[last].start = try r.readInt32()
                    case 3: h.spans[last].stop = try r.readInt32()
                    case 4:
                        let text = try r.readString()
                        if !text.isEmpty {
                            guard let reason = StopReason(rawValue: text) else { throw SnapshotStateError("stop reason \(text)") }
                            h.spans[last].reason = reason
                        }
                    case 5: h.spans[last].monthlyFen = try r.readInt32()
                    default: h.spans[last].evidence = try r.readEventID()
                    }
                }
            default:
                try r.readRows(count: 4) { r, k in
                    if k == 0 { h.incomes.append(IncomeRecord(year: 0, month: 0, perCapitaFen: 0, evidence: .zero)) }
                    let last = h.incomes.count - 1
                    switch k {
                    case 0: h.incomes[last].year = try r.readInt32()
                    case 1: h.incomes[last].month = try r.readInt32()
                    case 2: h.incomes[last].perCapitaFen = try r.readInt()
                    default: h.incomes[last].evidence = try r.readEventID()
                    }
                }
            }
        }
        return h
    }

    static func readPerson(_ r: inout JSONReader) throws -> PersonState {
        var p = PersonState(id: "", household: 0)
        var high: UInt64 = 0
        var since: [Int32] = []
        try r.readRow(count: 26) { r, n in
            switch n {
            case 0: p.id = try r.readString()
            case 1: p.household = try r.readInt32()
            case 2: p.name = try r.readString()
            case 3: p.birthDay = try r.readInt32()
            case 4: p.category = try r.readSmall()
            case 5: p.grade = try r.readSmall()
            case 6: p.flags = try r.readSmall()
            case 7: p.lifeKind = try r.readSmall()
            case 8: p.lifeMonth = try r.readInt32()
            case 9: p.surveyEvidence = try r.readEventID()
            case 10: p.knownSince = try r.readInt32()
            case 11: p.living = try readTrack(&r)
            case 12: p.nursing = try readTrack(&r)
            case 13, 15: high = UInt64(try r.readSmall(UInt32.self)) << 32
            case 14: p.pensionPaidYears = high | UInt64(try r.readSmall(UInt32.self))
            case 16: p.pensionEnrolledYears = high | UInt64(try r.readSmall(UInt32.self))
            case 17: p.pensionEvidence = try r.readEventID()
            case 18...24: since.append(try r.readInt32())
            default: p.open = try r.readSmall()
            }
        }
        p.since = (since[0], since[1], since[2], since[3], since[4], since[5], since[6])
        return p
    }
}

import GongguCore
import GongguEvents

/// The verifier's state in binary (`BinarySnapshotFold`, snapshot format 3): the same fields as the
/// JSON form (`VerifyFold+Snapshot`), in the same order — rule documents, months, households and
/// persons in index order, extras, open findings, raised ids — without text to parse on a start.
extension VerifyFold: BinarySnapshotFold {
    public func writeBinarySnapshot(to w: inout SnapshotBinaryWriter) {
        func track(_ t: MonthTrack) {
            w.uint(t.mask)
            w.eventID(t.lastEvidence)
            w.int32(t.base)
            w.int32(t.last)
        }
        w.count(ruleDocuments.count)
        for d in ruleDocuments { w.string(d) }
        for m in [tickReference, dataReference, dataMonth] { w.int32(m) }
        w.count(households.count)
        for h in households {
            w.string(h.id)
            w.string(h.region)
            w.string(h.status?.rawValue ?? "")
            w.bool(h.leftPoverty)
            w.int32(h.liftedMonth)
            w.eventID(h.statusEvidence)
            w.count(h.members.count)
            for m in h.members { w.int32(m) }
            w.count(h.spans.count)
            for s in h.spans {
                w.string(s.programme.rawValue)
                w.int32(s.person)
                w.int32(s.start)
                w.int32(s.stop)
                w.string(s.reason?.rawValue ?? "")
                w.int32(s.monthlyFen)
                w.eventID(s.evidence)
            }
            w.count(h.incomes.count)
            for i in h.incomes {
                w.int32(i.year)
                w.int32(i.month)
                w.int(i.perCapitaFen)
                w.eventID(i.evidence)
            }
            w.flushIfFull()
        }
        w.count(persons.count)
        for p in persons {
            w.string(p.id)
            w.int32(p.household)
            w.string(p.name)
            w.int32(p.birthDay)
            w.byte(p.category)
            w.byte(p.grade)
            w.uint(UInt64(p.flags))
            w.byte(p.lifeKind)
            w.int32(p.lifeMonth)
            w.eventID(p.surveyEvidence)
            w.int32(p.knownSince)
            track(p.living)
            track(p.nursing)
            w.uint(p.pensionPaidYears)
            w.uint(p.pensionEnrolledYears)
            w.eventID(p.pensionEvidence)
            for v in [p.since.0, p.since.1, p.since.2, p.since.3, p.since.4, p.since.5, p.since.6] { w.int32(v) }
            w.uint(UInt64(p.open))
            w.flushIfFull()
        }
        let rehab = extras.rehab.sorted(by: { $0.key < $1.key })
        w.count(rehab.count)
        for (person, t) in rehab {
            w.int32(person)
            track(t)
        }
        for map in [extras.lifeEvidence, extras.accessibilityEvidence] {
            let sorted = map.sorted(by: { $0.key < $1.key })
            w.count(sorted.count)
            for (person, e) in sorted {
                w.int32(person)
                w.eventID(e)
            }
        }
        w.flushIfFull()
        let openSorted = open.sorted(by: { $0.value.findingID < $1.value.findingID })
        w.count(openSorted.count)
        for (k, f) in openSorted {
            w.int32(k.subject)
            w.bool(k.household)
            w.bool(k.discontinuation)
            w.byte(k.measure)
            w.int32(k.period)
            w.string(f.findingID)
            w.int32(f.household)
            w.int32(f.person)
            w.string(f.measure.rawValue)
            w.bool(f.discontinuation)
            w.int32(f.from)
            w.string(f.ruleVersion)
            w.flushIfFull()
        }
        let raisedSorted = raised.sorted()
        w.count(raisedSorted.count)
        for id in raisedSorted {
            w.string(id)
            w.flushIfFull()
        }
    }

    public init(binarySnapshot r: inout SnapshotBinaryReader) throws {
        self.init()
        func track() throws -> MonthTrack {
            var t = MonthTrack()
            t.mask = try r.uint()
            t.lastEvidence = try r.eventID()
            t.base = try r.int32()
            t.last = try r.int32()
            return t
        }
        var documents: [String] = []
        for _ in 0..<(try r.count()) { documents.append(try r.string()) }
        (tickReference, dataReference, dataMonth) = (try r.int32(), try r.int32(), try r.int32())
        let householdCount = try r.count(minimumBytes: 24)
        households.reserveCapacity(householdCount)
        householdIndex.reserveCapacity(householdCount)
        for i in 0..<householdCount {
            var h = HouseholdState(id: try r.string())
            h.region = try r.internedString()
            let status = try r.string()
            if !status.isEmpty {
                guard let s = PovertyStatus(rawValue: status) else { throw SnapshotStateError("status \(status)") }
                h.status = s
            }
            h.leftPoverty = try r.bool()
            h.liftedMonth = try r.int32()
            h.statusEvidence = try r.eventID()
            let members = try r.count()
            h.members.reserveCapacity(members)
            for _ in 0..<members {
                let m = try r.int32()
                guard m >= 0 else { throw SnapshotStateError("household \(i) members") }
                h.members.append(m)
            }
            let spans = try r.count(minimumBytes: 22)
            h.spans.reserveCapacity(spans)
            for _ in 0..<spans {
                let text = try r.string()
                guard let programme = AssistanceProgramme(rawValue: text) else { throw SnapshotStateError("programme \(text)") }
                var s = ProgrammeSpan(
                    programme: programme, person: try r.int32(), start: try r.int32(), stop: try r.int32(), monthlyFen: 0,
                    evidence: .zero)
                let reason = try r.string()
                if !reason.isEmpty {
                    guard let why = StopReason(rawValue: reason) else { throw SnapshotStateError("stop reason \(reason)") }
                    s.reason = why
                }
                s.monthlyFen = try r.int32()
                s.evidence = try r.eventID()
                h.spans.append(s)
            }
            let incomes = try r.count(minimumBytes: 19)
            h.incomes.reserveCapacity(incomes)
            for _ in 0..<incomes {
                h.incomes.append(IncomeRecord(year: try r.int32(), month: try r.int32(), perCapitaFen: try r.int(), evidence: try r.eventID()))
            }
            guard householdIndex.updateValue(Int32(i), forKey: h.key) == nil else { throw SnapshotStateError("household \(i)") }
            households.append(h)
        }
        let personCount = try r.count(minimumBytes: 80)
        persons.reserveCapacity(personCount)
        personIndex.reserveCapacity(personCount)
        for i in 0..<personCount {
            var p = PersonState(id: try r.string(), household: try r.int32())
            p.name = try r.string()
            p.birthDay = try r.int32()
            p.category = try r.byte()
            p.grade = try r.byte()
            guard let flags = UInt16(exactly: try r.uint()) else { throw SnapshotStateError("person flags") }
            p.flags = flags
            p.lifeKind = try r.byte()
            p.lifeMonth = try r.int32()
            p.surveyEvidence = try r.eventID()
            p.knownSince = try r.int32()
            p.living = try track()
            p.nursing = try track()
            p.pensionPaidYears = try r.uint()
            p.pensionEnrolledYears = try r.uint()
            p.pensionEvidence = try r.eventID()
            p.since = (try r.int32(), try r.int32(), try r.int32(), try r.int32(), try r.int32(), try r.int32(), try r.int32())
            guard let open = UInt16(exactly: try r.uint()) else { throw SnapshotStateError("person open") }
            p.open = open
            guard p.household >= 0, Int(p.household) < householdCount, personIndex.updateValue(Int32(i), forKey: p.key) == nil else {
                throw SnapshotStateError("person \(i)")
            }
            persons.append(p)
        }
        for (i, h) in households.enumerated() {
            guard h.members.allSatisfy({ $0 >= 0 && Int($0) < personCount }) else { throw SnapshotStateError("household \(i) members") }
        }
        for _ in 0..<(try r.count(minimumBytes: 20)) {
            let person = try r.int32()
            extras.rehab[person] = try track()
        }
        for _ in 0..<(try r.count(minimumBytes: 17)) {
            let person = try r.int32()
            extras.lifeEvidence[person] = try r.eventID()
        }
        for _ in 0..<(try r.count(minimumBytes: 17)) {
            let person = try r.int32()
            extras.accessibilityEvidence[person] = try r.eventID()
        }
        let openCount = try r.count(minimumBytes: 12)
        open.reserveCapacity(openCount)
        for _ in 0..<openCount {
            var key = OpenKey(subject: try r.int32(), household: try r.bool(), discontinuation: try r.bool(), measure: try r.byte())
            key.period = try r.int32()
            let findingID = try r.string()
            let household = try r.int32(), person = try r.int32()
            let text = try r.string()
            guard let measure = Measure(rawValue: text) else { throw SnapshotStateError("measure \(text)") }
            let f = OpenFinding(
                findingID: findingID, household: household, person: person, measure: measure, discontinuation: try r.bool(),
                from: try r.int32(), ruleVersion: try r.internedString())
            guard open.updateValue(f, forKey: key) == nil else { throw SnapshotStateError("open finding twice") }
        }
        let raisedCount = try r.count()
        raised.reserveCapacity(raisedCount)
        for _ in 0..<raisedCount { raised.insert(try r.string()) }
        // The rule versions, as activating the documents again builds them (as the JSON form).
        guard documents.first == VerifyRules.defaultDocument else { throw SnapshotStateError("rules: not from the default") }
        for text in documents.dropFirst() {
            try table.add(try RuleDocument(text: text))
            activatedRules.append(SHA256.hash(text).hexString)
            ruleDocuments.append(text)
        }
    }
}

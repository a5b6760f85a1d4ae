import GongguCore

/// The state digest: SHA-256 over a canonical dump (rule versions, clock, households sorted by id,
/// every field in a fixed order). Equal states give equal digests; replay tests compare them. The
/// state's collections are kept in canonical order (signals by kind, findings in the verifier's order,
/// facts' lists in intake's order), so the digest does not depend on how intake and the verifier
/// were merged; the one scheduling hint that does is left out.
extension RiskFold {
    public func stateDigest() -> String {
        var hash = SHA256()
        var w = JSONWriter(capacity: 1024)
        w.beginArray()
        for v in book.versions {
            w.string(v.document.version)
            w.string(v.document.effectiveFrom)
            w.string(SHA256.hash(v.document.text).hexString)
        }
        w.int(Int(clockDay))
        w.endArray()
        hash.update(w.bytes)
        let texts = ids.map(\.text)
        for slot in states.indices.sorted(by: { texts[$0] < texts[$1] }) {
            var w = JSONWriter(capacity: 512)
            states[slot].dump(texts[slot], to: &w)
            hash.update(w.bytes)
        }
        return hash.finalize().hexString
    }
}

extension HouseholdState {
    func dump(_ id: String, to w: inout JSONWriter) {
        func day(_ d: Int32) { w.int(Int(d)) }
        func eid(_ e: EventID) { w.string("\(e)") }
        w.beginArray()
        w.string(id)
        w.string(region)
        w.beginArray()
        for m in members { m.writeFields(to: &w) }
        w.endArray()
        w.int(Int(baselineSurveyYear))
        day(lastDay)
        w.string(baseStatus?.rawValue ?? "")
        w.string(monitoredType?.rawValue ?? "")
        day(monitoredSince)
        eid(monitoringEvidence)
        for v in [Int(incomeYear), incomePerCapita, incomeLine, Int(incomeDay), Int(priorIncomeYear), priorPerCapita] {
            w.int(v)
        }
        eid(incomeEvent)
        eid(priorIncomeEvent)
        day(incomeAboveSince)
        w.int(Int(activeProgrammes))
        day(lastAssistanceDay)
        eid(lastAssistanceEvent)
        day(visitDay)
        for h in visitHardship { w.string(h) }
        eid(visitEvent)
        for f in openFindings {
            w.string(f.id)
            w.string(f.measure)
            eid(f.event)
        }
        for s in expenseSums {
            w.string(s.kind.rawValue)
            w.int(Int(s.period))
            w.int(s.sumFen)
            for e in s.evidence { eid(e) }
        }
        day(lastLargeExpenseDay)
        eid(lastLargeExpenseEvent)
        w.beginArray()
        for s in signals {
            w.string(s.signal.key)
            day(s.day)
            w.int(s.amount)
            w.int(s.threshold)
            for e in s.evidence { eid(e) }
            w.string(s.detail)
        }
        w.endArray()
        w.int(Int(recommendedMask))
        w.int(Int(assessedMask))
        w.int(Int(assessedLevel.rawValue))
        for r in openRecommendations {
            eid(r.id)
            w.string(r.kindKey)
            day(r.day)
            w.string(r.suggested?.rawValue ?? "")
            w.int(Int(r.overduePeriods))
        }
        w.bool(withoutAssistanceRaised)
        for d in includedDays { day(d) }
        w.string("|")
        for d in eliminatedDays { day(d) }
        for r in recent {
            w.string(r.type)
            w.string(r.id)
            w.string(r.date)
        }
        // `scheduled` is left out: it is the earliest wake-up queued, a hint that depends on the days the
        // household was evaluated at (so on the upstreams' merge); an early wake-up re-evaluates the
        // household and changes nothing (docs/RELIABILITY.md, "Crash test").
        w.endArray()
    }
}

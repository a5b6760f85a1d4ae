import GongguCore
import GongguEvents

/// The state digest: SHA-256 over a canonical binary dump (arrays in index order, sets sorted), so
/// two folds over the same events agree whatever the process's hash seed.
extension VerifyFold {
    public func stateDigest() -> String {
        var d = DigestWriter()
        d.int(Int64(activatedRules.count))
        for r in activatedRules { d.string(r) }
        d.int(Int64(tickReference))
        d.int(Int64(dataReference))
        d.int(Int64(dataMonth))
        d.int(Int64(households.count))
        for h in households {
            d.string(h.id)
            d.string(h.region)
            d.string(h.status?.rawValue ?? "")
            d.int(h.leftPoverty ? 1 : 0)
            d.int(Int64(h.liftedMonth))
            d.id(h.statusEvidence)
            d.int(Int64(h.members.count))
            for m in h.members { d.int(Int64(m)) }
            d.int(Int64(h.spans.count))
            for s in h.spans {
                d.string(s.programme.rawValue)
                d.int(Int64(s.person))
                d.int(Int64(s.start))
                d.int(Int64(s.stop))
                d.string(s.reason?.rawValue ?? "")
                d.int(Int64(s.monthlyFen))
                d.id(s.evidence)
            }
            d.int(Int64(h.incomes.count))
            for r in h.incomes {
                d.int(Int64(r.year) << 32 | Int64(r.month))
                d.int(Int64(r.perCapitaFen))
                d.id(r.evidence)
            }
        }
        d.int(Int64(persons.count))
        for p in persons {
            d.string(p.id)
            d.int(Int64(p.household))
            d.string(p.name)
            d.int(Int64(p.birthDay))
            d.int(Int64(p.category) << 8 | Int64(p.grade))
            d.int(Int64(p.flags))
            d.int(Int64(p.lifeKind))
            d.int(Int64(p.lifeMonth))
            d.id(p.surveyEvidence)
            d.int(Int64(p.knownSince))
            for t in [p.living, p.nursing] {
                d.int(Int64(t.base))
                d.int(Int64(bitPattern: t.mask))
                d.int(Int64(t.last))
                d.id(t.lastEvidence)
            }
            d.int(Int64(bitPattern: p.pensionPaidYears))
            d.int(Int64(bitPattern: p.pensionEnrolledYears))
            d.id(p.pensionEvidence)
            for m in Measure.allCases { d.int(Int64(p.sinceMonth(m))) }
            d.int(Int64(p.open))
        }
        for k in extras.rehab.keys.sorted() {
            let t = extras.rehab[k]!
            d.int(Int64(k))
            d.int(Int64(t.base))
            d.int(Int64(bitPattern: t.mask))
            d.int(Int64(t.last))
            d.id(t.lastEvidence)
        }
        for map in [extras.lifeEvidence, extras.accessibilityEvidence] {
            d.int(Int64(map.count))
            for k in map.keys.sorted() {
                d.int(Int64(k))
                d.id(map[k]!)
            }
        }
        let openIDs = open.values.map(\.findingID).sorted()
        d.int(Int64(openIDs.count))
        for id in openIDs { d.string(id) }
        let all = raised.sorted()
        d.int(Int64(all.count))
        for id in all { d.string(id) }
        return d.finish()
    }
}

/// Length-prefixed binary fields into SHA-256, buffered.
struct DigestWriter {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func int(_ v: Int64) {
        withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    mutating func string(_ s: String) {
        int(Int64(s.utf8.count))
        buffer.append(contentsOf: s.utf8)
        flushIfFull()
    }

    mutating func id(_ e: EventID) {
        int(Int64(bitPattern: e.high))
        int(Int64(bitPattern: e.low))
    }

    private mutating func flushIfFull() {
        if buffer.count >= 1 << 16 {
            hasher.update(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func finish() -> String {
        hasher.update(buffer)
        return hasher.finalize().hexString
    }
}

import GongguCore

/// Replay's hottest payload keeps a hand-written reader: on `gonggu-bench backbone` (replay + decode,
/// every event a `DisabilityRecorded`) the field table read it markedly slower than this (the
/// figures are in the commit that added this file). It follows the table's policy exactly — the same
/// required, defaulted and skipped keys, the same errors — and `HandTunedCodecTests` holds the two
/// paths to each other. Writing uses the table. Measured again once `JSONReader.readObject` became
/// inlinable (`gonggu-bench backbone --events 100000`, same run, load ≈ 4): this reader 0.99–1.01 × the
/// pre-events binary, the table alone 0.78–0.85 ×.
extension DisabilityRecorded {
    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var personID: String?, householdID: String?, name = "", birth: String?, gender = "", card: String?
        var category: DisabilityCategory?, grade: Int?, labour = LabourCapacity.none, year: Int?
        var source = SourceRef.unknown
        var flags: UInt16 = 0
        func value<E: EventEnum>(_ r: inout JSONReader, _ field: String) throws -> E {
            do { return try E.read(&r) } catch is InvalidEventValue {
                throw EventDecodingError.invalidValue(type: t, field: field)
            }
        }
        try r.readObject { r, k in
            switch k {
            case "personID": personID = try r.readString()
            case "householdID": householdID = try r.readString()
            case "name": name = try r.readString()
            case "birthDate": birth = try r.readString()
            case "gender": gender = try r.readString()
            case "cardNumber": card = try r.readString()
            case "category": category = try value(&r, "category")
            case "grade": grade = try r.readInt()
            case "labour": labour = try value(&r, "labour")
            case "surveyYear": year = try r.readInt()
            case "idConverted": Self.set(&flags, 1 << 0, try r.readBool())
            case "student": Self.set(&flags, 1 << 1, try r.readBool())
            case "needsLongTermCare": Self.set(&flags, 1 << 2, try r.readBool())
            case "orphan": Self.set(&flags, 1 << 3, try r.readBool())
            case "workInjuryNursing": Self.set(&flags, 1 << 4, try r.readBool())
            case "oldAgeAllowance": Self.set(&flags, 1 << 5, try r.readBool())
            case "pensionEnrolled": Self.set(&flags, 1 << 6, try r.readBool())
            case "rehabilitationNeeded": Self.set(&flags, 1 << 7, try r.readBool())
            case "accessibilityNeeded": Self.set(&flags, 1 << 8, try r.readBool())
            case "accessibilityDone": Self.set(&flags, 1 << 9, try r.readBool())
            case "autism": Self.set(&flags, 1 << 10, try r.readBool())
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        func required<T>(_ v: T?, _ field: String) throws -> T {
            guard let v else { throw EventDecodingError.missingField(type: t, field: field) }
            return v
        }
        // Checked in declaration order, as the table reports the first missing field.
        let p = try required(personID, "personID"), h = try required(householdID, "householdID")
        let b = try required(birth, "birthDate"), c = try required(card, "cardNumber")
        let cat = try required(category, "category"), g = try required(grade, "grade")
        let y = try required(year, "surveyYear")
        self.init(
            personID: p, householdID: h, name: name, birthDate: b, gender: gender, cardNumber: c, category: cat, grade: g,
            labour: labour, surveyYear: y, source: source)
        (idConverted, student, needsLongTermCare, orphan) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0, flags & 8 != 0)
        (workInjuryNursing, oldAgeAllowance, pensionEnrolled) = (flags & 16 != 0, flags & 32 != 0, flags & 64 != 0)
        (rehabilitationNeeded, accessibilityNeeded) = (flags & 128 != 0, flags & 256 != 0)
        (accessibilityDone, autism) = (flags & 512 != 0, flags & 1024 != 0)
    }

    /// Sets or clears `bit`. A plain function, not a local one capturing `flags`: a captured variable
    /// mutated from a local function is boxed and checked for exclusive access at run time on every
    /// write (`swift_beginAccess` was 17 % of replay + decode in `perf`).
    @inline(__always)
    private static func set(_ flags: inout UInt16, _ bit: UInt16, _ on: Bool) {
        if on { flags |= bit } else { flags &= ~bit }
    }
}

import GongguCore
import GongguEvents

/// One builder per record kind: reads and validates the fields, cross-checks them, and makes the
/// fact payload with its subject (household id), region, business date and correction key.
enum FactBuilders {
    static func build(_ kind: RecordKind, _ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        switch kind {
        case .survey: return try survey(&r)
        case .member: return try member(&r)
        case .household: return try household(&r)
        case .income: return try income(&r)
        case .assistance: return try assistance(&r)
        case .pension: return try pension(&r)
        case .subsidy: return try subsidy(&r)
        case .expense: return try expense(&r)
        case .project: return try project(&r)
        case .visit: return try visit(&r)
        case .life: return try life(&r)
        case .decision: return try decision(&r)
        case .document: return try document(&r)
        case .receipt: return try receipt(&r)
        }
    }

    static func survey(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = SurveyField
        let id = try r.personID(F.personID)!
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let name = try r.text(F.name, maxCharacters: 50)
        let card = try DisabilityCard.parse(
            try r.required(F.cardNumber), field: r.header(F.cardNumber.rawValue), person: id, scratch: &r.scratch)
        r.note(F.cardNumber.rawValue, card.number)
        // Category and grade columns only check the card: they are not content of their own.
        let mark = r.content.count
        if let category = try r.choice(F.category, Enums.category), category != card.category {
            throw Rejection(
                "card.category_mismatch", field: r.header(F.category.rawValue),
                "残疾类别（\(category.chinese)）与残疾证号第19位表示的类别（\(card.category.chinese)）不一致。请核对残疾证。")
        }
        if let grade = try r.choice(F.grade, Enums.grade), grade != card.grade {
            throw Rejection(
                "card.grade_mismatch", field: r.header(F.grade.rawValue),
                "残疾等级（\(grade)级）与残疾证号第20位表示的等级（\(card.grade)级）不一致。请核对残疾证（等级调整后证号末位会变）。")
        }
        r.content.removeSubrange(mark...)
        let labour = try r.choice(F.labour, Enums.labour)!
        let year = try r.year(F.surveyYear)!
        let date = try r.date(F.surveyDate)
        var p = DisabilityRecorded(
            personID: id.value, householdID: household, name: name, birthDate: id.birthDate, gender: id.gender,
            cardNumber: card.number, category: card.category, grade: card.grade, labour: labour, surveyYear: year,
            source: .blank)
        p.idConverted = id.converted
        p.student = try r.flag(F.student)
        p.needsLongTermCare = try r.flag(F.needsLongTermCare)
        p.orphan = try r.flag(F.orphan)
        p.workInjuryNursing = try r.flag(F.workInjuryNursing)
        p.oldAgeAllowance = try r.flag(F.oldAgeAllowance)
        p.pensionEnrolled = try r.flag(F.pensionEnrolled)
        p.rehabilitationNeeded = try r.flag(F.rehabilitationNeeded)
        p.accessibilityNeeded = try r.flag(F.accessibilityNeeded)
        p.accessibilityDone = try r.flag(F.accessibilityDone)
        p.autism = try r.flag(F.autism)
        // Without a survey date the survey stands at the start of its year.
        let days = date?.days ?? CivilDate.days(year: year, month: 1, day: 1)
        return BuiltFact(p, subject: household, region: region, days: days, key: "survey|\(id.value)|\(year)")
    }

    static func member(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = MemberField
        let household = try r.key(F.householdID)
        let id = try r.personID(F.personID)!
        let region = try r.region(F.region)!
        let since = try r.date(F.since)!
        let p = MemberRecorded(
            householdID: household, personID: id.value, name: try r.text(F.name, maxCharacters: 50),
            birthDate: id.birthDate, labour: try r.choice(F.labour, Enums.labour)!, student: try r.flag(F.student),
            since: since.text, left: try r.flag(F.left), source: .blank)
        return BuiltFact(
            p, subject: household, region: region, days: since.days,
            key: "member|\(household)|\(id.value)|\(since.text)")
    }

    static func household(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = HouseholdField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let status = try r.choice(F.status, Enums.poverty)!
        let date = try r.date(F.effectiveDate)!
        let lifted = try r.year(F.liftedYear)
        let p = HouseholdStatusRecorded(
            householdID: household, status: status, effectiveDate: date.text, liftedYear: lifted, source: .blank)
        let key = "household|\(household)|\(date.text)"
        return BuiltFact(p, subject: household, region: region, days: date.days, key: key)
    }

    static func income(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = IncomeField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let year = try r.year(F.year)!
        let date = try r.date(F.assessedDate)!
        let p = IncomeAssessed(
            householdID: household, year: year, netIncomeFen: try r.fen(F.netIncome)!, members: try r.count(F.members)!,
            assessedDate: date.text, source: .blank)
        return BuiltFact(p, subject: household, region: region, days: date.days, key: "income|\(household)|\(year)")
    }

    static func assistance(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = AssistanceField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let person = try r.personID(F.personID)
        let programme = try r.choice(F.programme, Enums.programme)!
        let start = try r.month(F.startMonth)!
        let stop = try r.month(F.stopMonth)
        let reason = try r.choice(F.stopReason, Enums.stopReason)
        if let stop, stop.days < start.days {
            throw Rejection(
                "month.order", field: r.header(F.stopMonth.rawValue), "停止年月早于起始年月。请核对两个年月。")
        }
        if reason != nil, stop == nil {
            throw Rejection(
                "month.stop_missing", field: r.header(F.stopMonth.rawValue),
                "填写了停止原因，但没有填写停止年月。请补填最后一次发放的年月。")
        }
        let p = AssistanceRecorded(
            householdID: household, personID: person?.value, programme: programme, startMonth: start.text,
            stopMonth: stop?.text, stopReason: reason, monthlyFen: try r.fen(F.monthlyAmount) ?? 0, source: .blank)
        // A record that reports a stop happened at the stop; otherwise at the start.
        let days = stop?.days ?? start.days
        let key = "assistance|\(household)|\(person?.value ?? "")|\(programme.rawValue)|\(start.text)"
        return BuiltFact(p, subject: household, region: region, days: days, key: key)
    }

    static func pension(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = PensionField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let id = try r.personID(F.personID)!
        let year = try r.year(F.year)!
        let p = PensionRecorded(
            householdID: household, personID: id.value, year: year, enrolled: try r.flag(F.enrolled),
            governmentPaidFen: try r.fen(F.governmentPaid) ?? 0, source: .blank)
        let days = CivilDate.days(year: year, month: 1, day: 1)
        return BuiltFact(p, subject: household, region: region, days: days, key: "pension|\(id.value)|\(year)")
    }

    static func subsidy(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = SubsidyField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let id = try r.personID(F.personID)!
        let kind = try r.choice(F.subsidy, Enums.subsidy)!
        let month = try r.month(F.month)!
        let p = SubsidyPaid(
            householdID: household, personID: id.value, subsidy: kind, month: month.text,
            amountFen: try r.fen(F.amount)!, source: .blank)
        let key = "subsidy|\(id.value)|\(kind.rawValue)|\(month.text)"
        return BuiltFact(p, subject: household, region: region, days: month.days, key: key)
    }

    static func expense(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = ExpenseField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let person = try r.personID(F.personID)
        let kind = try r.choice(F.kind, Enums.expense)!
        let amount = try r.fen(F.amount)!
        let date = try r.date(F.date)!
        let p = ExpenseReported(
            householdID: household, personID: person?.value, kind: kind, amountFen: amount, date: date.text,
            department: try r.text(F.department, maxCharacters: 50), source: .blank)
        let key = "expense|\(household)|\(person?.value ?? "")|\(kind.rawValue)|\(date.text)"
        return BuiltFact(p, subject: household, region: region, days: date.days, key: key)
    }

    static func project(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = ProjectField
        let projectID = try r.key(F.projectID)
        let kind = try r.choice(F.kind, Enums.project)!
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let person = try r.personID(F.personID)
        let date = try r.date(F.date)!
        let p = ProjectRecorded(
            projectID: projectID, kind: kind, householdID: household, personID: person?.value, date: date.text,
            amountFen: try r.fen(F.amount) ?? 0, source: .blank)
        let key = "project|\(projectID)|\(household)|\(person?.value ?? "")"
        return BuiltFact(p, subject: household, region: region, days: date.days, key: key)
    }

    static func visit(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = VisitField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let date = try r.date(F.date)!
        let visitor = try r.text(F.visitor, maxCharacters: 50)
        let p = HomeVisitReported(
            householdID: household, date: date.text, visitor: visitor, hardship: try r.list(F.hardship, Enums.hardship),
            selfApplication: try r.flag(F.selfApplication), notes: try r.text(F.notes, maxCharacters: 2000),
            source: .blank)
        return BuiltFact(
            p, subject: household, region: region, days: date.days, key: "visit|\(household)|\(date.text)|\(visitor)")
    }

    static func life(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = LifeField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let id = try r.personID(F.personID)!
        let kind = try r.choice(F.kind, Enums.life)!
        let date = try r.date(F.date)!
        let p = LifeEventRecorded(
            householdID: household, personID: id.value, kind: kind, date: date.text, source: .blank)
        let key = "life|\(id.value)|\(kind.rawValue)"
        return BuiltFact(p, subject: household, region: region, days: date.days, key: key)
    }

    static func decision(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = DecisionField
        let household = try r.key(F.householdID)
        let region = try r.region(F.region)!
        let decision = try r.choice(F.decision, Enums.decision)!
        let date = try r.date(F.date)!
        let p = BureauDecisionRecorded(
            householdID: household, decision: decision, date: date.text,
            bureau: try r.text(F.bureau, maxCharacters: 100),
            householdType: try r.choice(F.householdType, Enums.poverty), measure: try r.optionalText(F.measure),
            inReplyTo: try r.optionalText(F.inReplyTo, maxCharacters: 64), source: .blank)
        let key = "decision|\(household)|\(decision.rawValue)|\(date.text)"
        return BuiltFact(p, subject: household, region: region, days: date.days, key: key)
    }

    static func document(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = DocumentField
        let id = try r.key(F.documentID)
        let category = try r.choice(F.category, Enums.documentCategory)!
        let date = try r.date(F.date)!
        let hashSlot = F.sha256.rawValue
        var hash = ByteText.string(try r.required(F.sha256)).lowercased()
        hash.removeAll { $0 == " " }
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ ByteText.isDigit($0) || ($0 >= 97 && $0 <= 102) }) else {
            throw Rejection(
                "hash.invalid", field: r.header(hashSlot), "文件哈希应为64位十六进制 SHA-256 值。请用 gonggu 工具重新计算文件哈希后填写。")
        }
        r.note(hashSlot, hash)
        let p = DocumentArchived(
            documentID: id, category: category, title: try r.text(F.title, maxCharacters: 500), date: date.text,
            stage: try r.choice(F.stage, Enums.documentStage), sha256: hash, source: .blank)
        let region = try r.region(F.region, prefixAllowed: true) ?? r.policy.defaultRegion
        return BuiltFact(p, subject: id, region: region, days: date.days, key: "document|\(id)")
    }

    /// A row of a returned outbox file: the notification it acknowledges, 处理日期 and 处理结果. Checked
    /// against the notifier's state (`FieldReader.receipts`) when the service provides it: the
    /// notification must exist, go to an outbox recipient, and not be dated before it was created.
    static func receipt(_ r: inout FieldReader) throws(Rejection) -> BuiltFact {
        typealias F = ReceiptField
        let idHeader = r.header(F.notificationID.rawValue), dateHeader = r.header(F.date.rawValue)
        guard r.value(F.notificationID.rawValue) != nil else {
            throw Rejection(
                "value.missing", field: idHeader, "必填项为空。请保留通知文件中原有的通知编号，不要删除或修改。")
        }
        if r.value(F.result.rawValue) == nil, r.value(F.date.rawValue) == nil {
            throw Rejection(
                "receipt.unfilled", field: dateHeader,
                "处理结果和处理日期都没有填写，该通知仍未确认。请填写处理日期（和处理结果）后重新导入。")
        }
        var id = try r.key(F.notificationID).lowercased()
        id.removeAll { $0 == "-" }
        guard id.utf8.count == 32, id.utf8.allSatisfy({ ByteText.isDigit($0) || ($0 >= 97 && $0 <= 102) }) else {
            throw Rejection(
                "receipt.id_format", field: idHeader,
                "通知编号应为32位十六进制字符（0–9、a–f）。请从系统发出的通知文件中原样复制，不要修改该列。")
        }
        let date = try r.date(F.date)!
        let result = try r.optionalText(F.result, maxCharacters: 500)
        let region = try r.region(F.region) ?? r.policy.defaultRegion
        if date.days > r.receivedDay {
            throw Rejection(
                "receipt.date_future", field: dateHeader, "处理日期（\(date.text)）晚于导入当天。请填写实际处理的日期。")
        }
        if let lookup = r.receipts {
            switch lookup(id) {
            case .unknown:
                throw Rejection(
                    "receipt.unknown", field: idHeader,
                    "系统中没有这个通知编号。请核对是否从本系统发出的通知文件中原样复制，不要修改该列。")
            case .unavailable:
                throw Rejection(
                    "receipt.unavailable", field: idHeader, "暂时无法向通知服务（gonggu-notify）核对该通知。请稍后重新导入本文件。")
            case let .notOutbox(recipient):
                throw Rejection(
                    "receipt.not_outbox", field: idHeader,
                    "该通知发给“\(recipient)”，该单位不通过通知文件接收通知，不能用回执确认。请由该单位在其客户端中确认。")
            case let .open(_, created), let .closed(_, created):
                if date.text < created {
                    throw Rejection(
                        "receipt.date_before_created", field: dateHeader,
                        "处理日期（\(date.text)）早于通知生成日期（\(created)）。请核对处理日期。")
                }
            }
        }
        let p = ReceiptRecorded(notificationID: id, date: date.text, result: result, source: .blank)
        return BuiltFact(p, subject: id, region: region, days: date.days, key: "receipt|\(id)")
    }
}

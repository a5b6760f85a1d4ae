import GongguCore
import GongguEvents
import GongguIntake

/// Seeded bad rows: records of phantom persons (not otherwise in the province) with one damaged field
/// each, and the rejection code intake must give them.
struct BadRows {
    var population: Population
    let rows: RowWriter
    let files: FileSet
    var nextIndex: Int

    init(population: Population, writer: RowWriter, files: FileSet, firstIndex: Int) {
        self.population = population
        rows = RowWriter(files: files)
        self.files = files
        nextIndex = firstIndex
    }

    /// A phantom household with one disabled member.
    private mutating func phantom() -> SimHousehold {
        var h = population.household(nextIndex)
        nextIndex += 1
        var r = SplitMix64(seed: population.seed, stream: 3, index: UInt64(nextIndex))
        h.members = [
            population.newDisabledPerson(
                &r, county: h.county, birthDay: dayOf(1968, 4, 21), male: true, labour: .weak, category: 4, grade: 3)
        ]
        return h
    }

    private func note(_ truth: inout GroundTruth, _ kind: RecordKind, _ line: Int, _ code: String, _ note: String) {
        let i = files.index(kind)
        files.rejectedRows[i] += 1
        truth.rejected.append(.init(file: Simulator.files[i].name, line: line, code: code, note: note))
    }

    /// Bad rows in the survey, income, assistance and visit files (written after the households).
    mutating func writeFileRows(_ truth: inout GroundTruth) {
        let day = dayOf(2024, 3, 18)
        // Excel showed the ID in scientific notation: digits lost.
        var h = phantom()
        var line = rows.surveyRow(h, h.members[0], year: 2024, surveyDay: day, idText: "2.20102E+17")
        note(&truth, .survey, line, "id.excel_scientific", "身份证号被 Excel 显示为科学计数法")
        // An ID ending in X lost its X in Excel.
        h = phantom()
        var r = SplitMix64(seed: population.seed, stream: 4, index: UInt64(nextIndex))
        while !h.members[0].id.hasSuffix("X") {
            h.members[0] = population.newDisabledPerson(
                &r, county: h.county, birthDay: dayOf(1971, 2, 3), male: false, labour: .none, category: 6, grade: 4)
        }
        line = rows.surveyRow(h, h.members[0], year: 2024, surveyDay: day, idText: String(h.members[0].id.dropLast()))
        note(&truth, .survey, line, "id.excel_lost_x", "身份证号末位 X 丢失")
        // Card number of another person.
        h = phantom()
        let other = phantom().members[0]
        line = rows.surveyRow(h, h.members[0], year: 2024, surveyDay: day, cardText: other.id + "43")
        note(&truth, .survey, line, "card.id_mismatch", "残疾证号与身份证号不一致")
        // Region code cut to 10 digits.
        h = phantom()
        line = rows.surveyRow(h, h.members[0], year: 2024, surveyDay: day, regionText: String(h.region.prefix(10)))
        note(&truth, .survey, line, "region.length", "区划代码只有10位")
        // A date that does not exist.
        h = phantom()
        line = rows.surveyRow(h, h.members[0], year: 2024, surveyDay: day, dateText: "2024-02-30")
        note(&truth, .survey, line, "date.invalid", "调查日期不存在")

        // Income with a negative amount.
        h = phantom()
        let income = files.sink(.income)
        income.field(h.id, first: true)
        income.field(h.region)
        income.int(2025)
        income.field("-3000.00")
        income.int(1)
        income.date(dayOf(2025, 12, 20))
        note(&truth, .income, income.endRecord(), "amount.negative", "家庭纯收入为负数")

        // Assistance with month 13.
        h = phantom()
        let a = files.sink(.assistance)
        a.field(h.id, first: true)
        a.field(h.region)
        a.field("")
        a.field(AssistanceProgramme.dibao.chinese)
        a.field("2024-13")
        a.field("")
        a.field("")
        a.yuan(45000)
        note(&truth, .assistance, a.endRecord(), "month.invalid", "起始年月的月份为13")

        // A visit on 31 November.
        h = phantom()
        let v = files.sink(.visit)
        var w = JSONWriter()
        w.beginObject()
        w.key("户编号"); w.string(h.id)
        w.key("区划代码"); w.string(h.region)
        w.key("走访日期"); w.string("2025-11-31")
        w.key("走访人"); w.string("网格员")
        w.key("困难情况"); w.string("")
        w.key("是否自主申报"); w.string("否")
        w.key("备注"); w.string("日期填写错误")
        w.endObject()
        v.buffer.append(contentsOf: w.bytes)
        note(&truth, .visit, v.endRecord(crlf: false), "date.invalid", "走访日期不存在")
    }

    /// A pay-roll row with the amount written in Chinese numerals.
    mutating func subsidyRow(_ truth: inout GroundTruth) {
        let h = phantom()
        let p = Payee(personID: h.members[0].id, householdID: h.id, region: h.region, kind: .living, fen: 10000,
                      from: 0, to: 0)
        let s = files.sink(.subsidy)
        rows.payRow(s, p, monthOf(2024, 6), 0, amountText: "壹佰元")
        note(&truth, .subsidy, s.nextLine - 1, "amount.invalid", "发放金额写成了大写汉字")
    }
}

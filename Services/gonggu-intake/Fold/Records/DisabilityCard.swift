import GongguCore
import GongguEvents

/// A second-generation disability card number (docs/INTAKE.md §4): the holder's 18-character resident ID,
/// the category digit (1–7) and the grade digit (1–4).
struct DisabilityCard {
    let number: String
    let category: DisabilityCategory
    let grade: Int

    static func parse(
        _ raw: Bytes, field: String, person: ResidentID, scratch v: inout [UInt8]
    ) throws(Rejection) -> DisabilityCard {
        ByteText.cleanCode(raw, into: &v)
        if ByteText.isScientific(v) {
            throw Rejection(
                "card.excel_scientific", field: field,
                "残疾证号被 Excel 显示成了科学计数法，后几位数字已经丢失，无法恢复。" + ExcelAdvice.textColumn)
        }
        guard v.count == 20 else {
            throw Rejection(
                "card.length", field: field,
                "残疾证号应为20位（18位身份证号+1位残疾类别+1位残疾等级），实际为\(v.count)位。请对照残疾证核对。")
        }
        let idPart = v[0..<18]
        guard idPart.elementsEqual(person.value.utf8) else {
            throw Rejection(
                "card.id_mismatch", field: field, "残疾证号的前18位与本行身份证号不一致。请核对是否串行或填错。")
        }
        guard let category = DisabilityCategory(rawValue: Int(v[18] &- 48)), ByteText.isDigit(v[18]) else {
            throw Rejection(
                "card.category", field: field, "残疾证号第19位应为残疾类别代码1–7（视力、听力、言语、肢体、智力、精神、多重）。请核对残疾证。")
        }
        guard ByteText.isDigit(v[19]), (1...4).contains(Int(v[19] &- 48)) else {
            throw Rejection("card.grade", field: field, "残疾证号第20位应为残疾等级1–4。请核对残疾证。")
        }
        return DisabilityCard(number: String(decoding: v, as: UTF8.self), category: category, grade: Int(v[19] &- 48))
    }
}

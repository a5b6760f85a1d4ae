/// A validated resident ID number (GB 11643, docs/INTAKE.md §4), normalised to 18 uppercase ASCII
/// characters.
public struct ResidentID: Sendable, Equatable {
    /// The normalised 18-character number.
    public let value: String
    /// Whether it was converted from the old 15-digit form.
    public let converted: Bool
    /// Birth date inside the number, `YYYY-MM-DD`.
    public let birthDate: String
    /// "M" or "F", from the parity of the sequence number.
    public let gender: String

    static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// The check character for the first 17 digits (ASCII digits).
    public static func checkCharacter<C: Collection>(_ digits17: C) -> UInt8 where C.Element == UInt8 {
        var sum = 0
        for (w, d) in zip(weights, digits17) { sum += w * Int(d &- 48) }
        return checkCharacters[sum % 11]
    }

    /// Validates and normalises an ID as typed by a person or exported by a spreadsheet.
    /// The `Rejection` has an empty field; the caller names it.
    public static func parse(_ text: String) -> Result<ResidentID, Rejection> {
        var t = text
        return t.withUTF8 { u in
            var scratch: [UInt8] = []
            do throws(Rejection) {
                return .success(try parse(u, scratch: &scratch))
            } catch {
                return .failure(error)
            }
        }
    }

    static func parse(_ raw: Bytes, scratch v: inout [UInt8]) throws(Rejection) -> ResidentID {
        ByteText.cleanCode(raw, into: &v)
        if ByteText.isScientific(v) {
            throw Rejection(
                "id.excel_scientific",
                "身份证号被 Excel 显示成了科学计数法（如 2.20102E+17），后几位数字已经丢失，无法恢复。" + ExcelAdvice.textColumn)
        }
        let n = v.count
        var digits17 = n >= 17 && v[0..<17].allSatisfy(ByteText.isDigit)
        if n == 15, ByteText.allDigits(v) {
            // Old form: 6-digit address, YYMMDD, 3-digit sequence. Insert "19", compute the check.
            var full = Array(v[0..<6]) + [49, 57] + Array(v[6..<15])
            try checkBirth(full)
            full.append(checkCharacter(full))
            return make(full, converted: true)
        }
        if n == 17, digits17 {
            if checkCharacter(v) == UInt8(ascii: "X") {
                throw Rejection(
                    "id.excel_lost_x",
                    "身份证号只有17位，末位的“X”很可能在 Excel 中丢失了（X 结尾的号码被当成数字处理）。" + ExcelAdvice.textColumn)
            }
            throw Rejection("id.length", "身份证号只有17位，少了一位。请对照身份证补全18位号码。")
        }
        guard n == 18 || n == 15 else {
            throw Rejection("id.length", "身份证号应为18位（或旧式15位），实际为\(n)位。请对照身份证核对后重新填写。")
        }
        if n == 15 { digits17 = false }
        let last = v[n - 1]
        guard digits17, ByteText.isDigit(last) || last == UInt8(ascii: "X") else {
            throw Rejection("id.characters", "身份证号只能由数字和末位的 X 组成，其中含有其他字符。请删除多余字符后重新填写。")
        }
        try checkBirth(v)
        if checkCharacter(v[0..<17]) != last {
            if v[15] == 48, v[16] == 48, v[17] == 48 {
                throw Rejection(
                    "id.checksum",
                    "身份证号校验位不正确。号码以“000”结尾，很可能是 Excel 只保留了15位有效数字、把后几位变成了0。"
                        + ExcelAdvice.textColumn)
            }
            throw Rejection("id.checksum", "身份证号校验位不正确（按 GB 11643 计算，第18位与前17位不符）。请对照身份证逐位核对后重新填写。")
        }
        return make(v, converted: false)
    }

    private static func checkBirth(_ v: [UInt8]) throws(Rejection) {
        func num(_ r: Range<Int>) -> Int { v[r].reduce(0) { $0 * 10 + Int($1 &- 48) } }
        let y = num(6..<10), m = num(10..<12), d = num(12..<14)
        guard y >= 1880, y <= 2100, CivilDate.isValid(year: y, month: m, day: d) else {
            throw Rejection("id.birthdate", "身份证号中的出生日期（第7–14位）不是真实存在的日期。请对照身份证核对。")
        }
    }

    private static func make(_ v: [UInt8], converted: Bool) -> ResidentID {
        let birth = String(unsafeUninitializedCapacity: 10) { out in
            for i in 0..<4 { out[i] = v[6 + i] }
            out[4] = 45; out[5] = v[10]; out[6] = v[11]
            out[7] = 45; out[8] = v[12]; out[9] = v[13]
            return 10
        }
        let male = (v[16] &- 48) % 2 == 1
        return ResidentID(
            value: String(decoding: v, as: UTF8.self), converted: converted, birthDate: birth, gender: male ? "M" : "F")
    }
}

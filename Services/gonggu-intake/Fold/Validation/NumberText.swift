/// Amounts, years and counts.
enum NumberText {
    /// Upper bound of one amount: 100 million yuan. Anything above is a typing or unit error.
    static let maxFen = 10_000_000_000

    /// An amount in yuan with up to two decimals → integer fen. Accepts `¥`/`￥`, a `元` suffix and
    /// correct thousands separators (`1,234.50`). Extra decimals that are all zero lose nothing
    /// and are accepted (`12.500`).
    static func fen(_ raw: Bytes) throws(Rejection) -> Int {
        var v = ByteText.trim(raw)
        if v.count >= 2, v[0] == 0xC2, v[1] == 0xA5 { v = Bytes(rebasing: v[2...]) }
        if v.count >= 3, v[0] == 0xEF, v[1] == 0xBF, v[2] == 0xA5 { v = Bytes(rebasing: v[3...]) }
        let n0 = v.count
        if n0 >= 3, v[n0 - 3] == 0xE5, v[n0 - 2] == 0x85, v[n0 - 1] == 0x83 { v = Bytes(rebasing: v[..<(n0 - 3)]) }
        v = ByteText.trim(v)
        let n = v.count
        var i = 0
        let junk = Rejection("amount.invalid", "金额无法识别。请只填写以元为单位的数字，最多两位小数，如 1234.50。")
        guard n > 0 else { throw junk }
        if v[0] == UInt8(ascii: "-") || (n >= 3 && v[0] == 0xE2 && v[1] == 0x88 && v[2] == 0x92) {
            throw Rejection("amount.negative", "金额不能为负数。如需冲减或更正，请填写更正后的正确金额重新报送。")
        }
        if v[0] == UInt8(ascii: "+") { i = 1 }
        var yuan = 0, intDigits = 0, groupDigits = 0, sawComma = false
        while i < n {
            let b = v[i]
            if ByteText.isDigit(b) {
                yuan = yuan * 10 + Int(b &- 48)
                intDigits += 1
                groupDigits += 1
                if yuan > maxFen { throw tooLarge() }
            } else if b == UInt8(ascii: ",") {
                guard intDigits > 0, !sawComma ? groupDigits <= 3 : groupDigits == 3 else { throw junk }
                sawComma = true
                groupDigits = 0
            } else {
                break
            }
            i += 1
        }
        guard intDigits > 0, !sawComma || groupDigits == 3 else { throw junk }
        var fen = yuan * 100
        if i < n {
            guard v[i] == UInt8(ascii: ".") else { throw junk }
            i += 1
            var k = 0
            while i < n, ByteText.isDigit(v[i]) {
                let d = Int(v[i] &- 48)
                if k == 0 { fen += d * 10 } else if k == 1 { fen += d } else if d != 0 {
                    throw Rejection(
                        "amount.decimals", "金额最多保留两位小数（到分）。请按实际发放金额四舍五入到分后重新填写。")
                }
                k += 1
                i += 1
            }
            guard i == n else { throw junk }
        }
        guard fen <= maxFen else { throw tooLarge() }
        return fen
    }

    private static func tooLarge() -> Rejection {
        Rejection("amount.too_large", "金额超过1亿元，明显不合理。请检查单位是否为“元”、是否多输了数字。")
    }

    /// A four-digit year, optionally followed by `年`.
    static func year(_ raw: Bytes) throws(Rejection) -> Int {
        var v = ByteText.trim(raw)
        let n = v.count
        if n >= 3, v[n - 3] == 0xE5, v[n - 2] == 0xB9, v[n - 1] == 0xB4 { v = Bytes(rebasing: v[..<(n - 3)]) }
        guard v.count == 4, v.allSatisfy(ByteText.isDigit) else {
            throw Rejection("year.invalid", "年度应为四位数字，如 2024。")
        }
        let y = v.reduce(0) { $0 * 10 + Int($1 &- 48) }
        guard y >= 1949, y <= 2100 else { throw Rejection("year.invalid", "年度\(y)超出合理范围。请填写如 2024 的年度。") }
        return y
    }

    /// A small positive count (household members), optionally followed by `人`.
    static func count(_ raw: Bytes) throws(Rejection) -> Int {
        var v = ByteText.trim(raw)
        let n = v.count
        if n >= 3, v[n - 3] == 0xE4, v[n - 2] == 0xBA, v[n - 1] == 0xBA { v = Bytes(rebasing: v[..<(n - 3)]) }
        guard (1...2).contains(v.count), v.allSatisfy(ByteText.isDigit) else {
            throw Rejection("count.invalid", "人数应为1–99之间的整数。")
        }
        let c = v.reduce(0) { $0 * 10 + Int($1 &- 48) }
        guard c >= 1 else { throw Rejection("count.invalid", "人数应为1–99之间的整数。") }
        return c
    }
}

import GongguCore

/// A reader for the flat JSON objects of JSON Lines files and network submissions: string,
/// number, boolean and null values, and arrays of those (joined with `、`). Numbers are kept as
/// written, so an 18-digit ID sent as a number keeps its digits (and `2.2E+17` is seen for what
/// it is). Nested objects are refused.
enum FlatJSON {
    static let invalid = Rejection(
        "json.invalid", "这一行不是有效的 JSON 对象。每条记录应为一行 {\"字段名\": 值, …}，字符串用英文双引号。请检查引号和逗号。")

    static func parse(
        _ p: UnsafeBufferPointer<UInt8>, keys: inout [String], values: inout [UInt8], ends: inout [Int]
    ) throws(Rejection) {
        var i = 0
        let n = p.count
        func ws() { while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 } }
        /// Whether the closing bracket comes next (then read); after an opening bracket, an empty container.
        func closes(_ bracket: UInt8) -> Bool {
            ws()
            guard i < n, p[i] == bracket else { return false }
            i += 1
            return true
        }
        /// After a member or element: whether a comma and another follow, or the closing bracket.
        func continues(_ bracket: UInt8) throws(Rejection) -> Bool {
            if closes(bracket) { return false }
            guard i < n, p[i] == UInt8(ascii: ",") else { throw invalid }
            i += 1
            return true
        }
        ws()
        guard i < n, p[i] == UInt8(ascii: "{") else { throw invalid }
        i += 1
        if !closes(UInt8(ascii: "}")) {
            repeat {
                ws()
                guard i < n, p[i] == UInt8(ascii: "\"") else { throw invalid }
                var key: [UInt8] = []
                try string(p, &i, into: &key)
                keys.append(String(decoding: key, as: UTF8.self))
                ws()
                guard i < n, p[i] == UInt8(ascii: ":") else { throw invalid }
                i += 1
                ws()
                guard i < n else { throw invalid }
                if p[i] == UInt8(ascii: "[") {
                    i += 1
                    if !closes(UInt8(ascii: "]")) {
                        var first = true
                        repeat {
                            ws()
                            if !first { values.append(contentsOf: [0xE3, 0x80, 0x81]) }  // 、
                            first = false
                            try scalar(p, &i, into: &values)
                        } while try continues(UInt8(ascii: "]"))
                    }
                } else {
                    try scalar(p, &i, into: &values)
                }
                ends.append(values.count)
            } while try continues(UInt8(ascii: "}"))
        }
        ws()
        guard i == n else { throw invalid }
    }

    /// One string, number, boolean or null, appended as text (null appends nothing).
    private static func scalar(
        _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, into out: inout [UInt8]
    ) throws(Rejection) {
        let n = p.count
        // The input may end where a value should start (`[` or `,` last): the caller does not check.
        guard i < n else { throw invalid }
        let c = p[i]
        if c == UInt8(ascii: "\"") { return try string(p, &i, into: &out) }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            throw Rejection("json.nested", "记录中含有嵌套的对象或数组。每个字段的值只能是字符串或数字。")
        }
        for word in ["true", "false", "null"] {
            let w = Array(word.utf8)
            if n - i >= w.count, p[i..<i + w.count].elementsEqual(w) {
                i += w.count
                if word != "null" { out.append(contentsOf: w) }
                return
            }
        }
        let start = i
        while i < n {
            let b = p[i]
            guard ByteText.isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            else { break }
            i += 1
        }
        guard i > start else { throw invalid }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
    }

    /// A JSON string starting at the opening quote; escapes decoded.
    private static func string(
        _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, into out: inout [UInt8]
    ) throws(Rejection) {
        let n = p.count
        i += 1
        while i < n {
            var j = i
            while j < n, p[j] != UInt8(ascii: "\""), p[j] != UInt8(ascii: "\\"), p[j] >= 0x20 { j += 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
            i = j
            guard i < n else { throw invalid }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            guard c == UInt8(ascii: "\\"), i + 1 < n else { throw invalid }
            i += 1
            do { try JSONEscape.decode(p, &i, into: &out) } catch { throw invalid }
        }
        throw invalid
    }
}

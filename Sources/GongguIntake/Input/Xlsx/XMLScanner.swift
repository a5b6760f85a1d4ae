/// A small, non-validating XML scanner for the SpreadsheetML parts intake reads: elements with
/// attributes, character data, the five predefined entities and numeric character references,
/// CDATA sections; comments, processing instructions and the DOCTYPE are skipped. Names are given
/// without their namespace prefix (`x:c` → `c`, `r:id` → `id`), since writers choose prefixes freely.
///
/// It works in one pass over the bytes and calls the delegate as it goes (like SAX), so a sheet is
/// never held as a tree. GongguIntake imports no Foundation, hence no `XMLParser`.
struct XMLScanner {
    /// Malformed markup.
    struct Failure: Error, Equatable {
        let offset: Int
    }

    /// What a part reader hears.
    protocol Delegate {
        mutating func start(_ name: String, _ attributes: [String: String])
        mutating func end(_ name: String)
        mutating func text(_ bytes: ArraySlice<UInt8>)
    }

    static func scan<D: Delegate>(_ b: [UInt8], _ d: inout D) throws(Failure) {
        let n = b.count
        var i = 0
        var text: [UInt8] = []
        while i < n {
            if b[i] != UInt8(ascii: "<") {
                let s = i
                while i < n, b[i] != UInt8(ascii: "<") { i += 1 }
                text.removeAll(keepingCapacity: true)
                try unescape(b[s..<i], into: &text, at: s)
                d.text(text[...])
                continue
            }
            guard i + 1 < n else { throw Failure(offset: i) }
            if b[i + 1] == UInt8(ascii: "?") {
                i = try skip(b, from: i, past: Array("?>".utf8))
            } else if b[i + 1] == UInt8(ascii: "!") {
                if starts(b, i, "<!--") {
                    i = try skip(b, from: i + 4, past: Array("-->".utf8))
                } else if starts(b, i, "<![CDATA[") {
                    let end = try skip(b, from: i + 9, past: Array("]]>".utf8))
                    d.text(b[(i + 9)..<(end - 3)])
                    i = end
                } else {
                    i = try skip(b, from: i, past: [UInt8(ascii: ">")])
                }
            } else if b[i + 1] == UInt8(ascii: "/") {
                let end = try skip(b, from: i + 2, past: [UInt8(ascii: ">")])
                d.end(localName(b[(i + 2)..<(end - 1)]))
                i = end
            } else {
                i = try element(b, from: i + 1, &d)
            }
        }
    }

    /// Reads a start tag after `<`; returns the offset after `>`.
    private static func element<D: Delegate>(_ b: [UInt8], from start: Int, _ d: inout D) throws(Failure) -> Int {
        let n = b.count
        var i = start
        while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: ">"), b[i] != UInt8(ascii: "/") { i += 1 }
        let name = localName(b[start..<i])
        var attributes: [String: String] = [:]
        var value: [UInt8] = []
        while true {
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n else { throw Failure(offset: start) }
            if b[i] == UInt8(ascii: ">") {
                d.start(name, attributes)
                return i + 1
            }
            if b[i] == UInt8(ascii: "/") {
                guard i + 1 < n, b[i + 1] == UInt8(ascii: ">") else { throw Failure(offset: i) }
                d.start(name, attributes)
                d.end(name)
                return i + 2
            }
            let a = i
            while i < n, b[i] != UInt8(ascii: "="), !isSpace(b[i]) { i += 1 }
            let key = localName(b[a..<i])
            while i < n, isSpace(b[i]) { i += 1 }
            guard i + 1 < n, b[i] == UInt8(ascii: "=") else { throw Failure(offset: i) }
            i += 1
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { throw Failure(offset: i) }
            let quote = b[i]
            i += 1
            let v = i
            while i < n, b[i] != quote { i += 1 }
            guard i < n else { throw Failure(offset: v) }
            value.removeAll(keepingCapacity: true)
            try unescape(b[v..<i], into: &value, at: v)
            attributes[key] = String(decoding: value, as: UTF8.self)
            i += 1
        }
    }

    private static func unescape(_ s: ArraySlice<UInt8>, into out: inout [UInt8], at offset: Int) throws(Failure) {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == UInt8(ascii: "&") else {
                out.append(c)
                i += 1
                continue
            }
            guard let semi = s[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 10 else {
                throw Failure(offset: i)
            }
            let entity = String(decoding: s[(i + 1)..<semi], as: UTF8.self)
            switch entity {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    code = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    code = UInt32(entity.dropFirst())
                }
                guard let code, let scalar = Unicode.Scalar(code) else { throw Failure(offset: i) }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semi + 1
        }
    }

    private static func skip(_ b: [UInt8], from start: Int, past marker: [UInt8]) throws(Failure) -> Int {
        var i = start
        let n = b.count, m = marker.count
        while i + m <= n {
            if b[i] == marker[0], Array(b[i..<(i + m)]) == marker { return i + m }
            i += 1
        }
        throw Failure(offset: start)
    }

    private static func starts(_ b: [UInt8], _ i: Int, _ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
    }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    private static func localName(_ s: ArraySlice<UInt8>) -> String {
        var t = s
        while let last = t.last, isSpace(last) { t = t.dropLast() }
        if let colon = t.lastIndex(of: UInt8(ascii: ":")) { t = t[(colon + 1)...] }
        return String(decoding: t, as: UTF8.self)
    }
}

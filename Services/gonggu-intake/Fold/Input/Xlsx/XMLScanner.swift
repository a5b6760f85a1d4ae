/// A small, non-validating XML scanner for the SpreadsheetML parts intake reads: elements with
/// attributes, character data, the five predefined entities and numeric character references,
/// CDATA sections; comments, processing instructions and the DOCTYPE are skipped. Names are given
/// without their namespace prefix (`x:c` → `c`, `r:id` → `id`), since writers choose prefixes freely.
///
/// It streams: `feed` takes the part in pieces of any size (a chunk of inflated output) and calls
/// the delegate for every construct complete so far (like SAX); an unfinished tag or text run is
/// kept for the next piece. It works on bytes: names and attributes are handed over as views of the
/// input (`XMLName`, `XMLAttributes`), nothing is allocated per element, so a sheet is neither held
/// as a tree nor turned into strings it does not need. GongguIntake imports no Foundation, hence no
/// `XMLParser`.
struct XMLScanner {
    /// Malformed markup (or a single construct longer than `maxPending`).
    struct Failure: Error, Equatable {
        let offset: Int
    }

    /// What a part reader hears. Names, attributes and text are valid only during the call.
    protocol Delegate {
        mutating func start(_ name: XMLName, _ attributes: XMLAttributes)
        mutating func end(_ name: XMLName)
        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
    }

    /// The longest single construct (tag, text run, comment) kept across pieces.
    static let maxPending = 16 << 20

    /// Bytes of an unfinished construct, carried to the next piece.
    private var pending: [UInt8] = []
    /// Offset in the part of `pending`'s first byte (for `Failure.offset`).
    private var base = 0
    private var scratch: [UInt8] = []

    init() {}

    /// Scans a whole part.
    static func scan<D: Delegate>(_ b: [UInt8], _ d: inout D) throws(Failure) {
        var s = XMLScanner()
        try b.withUnsafeBufferPointer { (p) throws(Failure) in try s.feed(p, final: true, &d) }
    }

    /// Scans the next piece of a part; `final` on the last one (an unfinished construct then fails).
    mutating func feed<D: Delegate>(_ piece: UnsafeBufferPointer<UInt8>, final: Bool, _ d: inout D) throws(Failure) {
        var start = 0
        if !pending.isEmpty {
            // Finish the carried construct with as few of the piece's bytes as it takes (growing
            // steps), so the piece itself is scanned in place rather than copied.
            var carried = pending.count
            var appended = 0
            while true {
                let k = min(piece.count - appended, max(512, pending.count))
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: piece[appended..<(appended + k)]))
                appended += k
                let isLast = appended == piece.count
                var all = pending
                pending = []
                let used = try all.withUnsafeBufferPointer { (p) throws(Failure) in
                    try scanBuffer(p, final: final && isLast, &d)
                }
                base += used
                if used >= carried {
                    start = used - carried
                    break
                }
                carried -= used
                all.removeFirst(used)
                pending = all
                if isLast {
                    start = piece.count
                    break
                }
            }
        }
        if start < piece.count || (final && pending.isEmpty) {
            let rest = UnsafeBufferPointer(rebasing: piece[start...])
            let used = try scanBuffer(rest, final: final, &d)
            if used < rest.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: rest[used...])) }
            base += used
        }
        if pending.count > Self.maxPending { throw Failure(offset: base) }
        if final, !pending.isEmpty { throw Failure(offset: base) }
    }

    /// Scans `b`; returns how many bytes were consumed (the rest is an unfinished construct).
    private mutating func scanBuffer<D: Delegate>(
        _ b: UnsafeBufferPointer<UInt8>, final: Bool, _ d: inout D
    ) throws(Failure) -> Int {
        let n = b.count
        var i = 0
        while i < n {
            if b[i] != UInt8(ascii: "<") {
                let s = i
                while i < n, b[i] != UInt8(ascii: "<") { i += 1 }
                if i == n, !final { return s }
                try emitText(UnsafeBufferPointer(rebasing: b[s..<i]), at: base + s, &d)
                continue
            }
            guard i + 1 < n else { return final ? try fail(i) : i }
            let c = b[i + 1]
            if c == UInt8(ascii: "?") {
                guard let end = Self.find(b, from: i + 2, "?>") else { return final ? try fail(i) : i }
                i = end
            } else if c == UInt8(ascii: "!") {
                if i + 4 > n || (i + 9 > n && b[i + 2] == UInt8(ascii: "[")) {
                    if !final { return i }
                }
                if Self.starts(b, i, "<!--") {
                    guard let end = Self.find(b, from: i + 4, "-->") else { return final ? try fail(i) : i }
                    i = end
                } else if Self.starts(b, i, "<![CDATA[") {
                    guard let end = Self.find(b, from: i + 9, "]]>") else { return final ? try fail(i) : i }
                    d.text(UnsafeBufferPointer(rebasing: b[(i + 9)..<(end - 3)]))
                    i = end
                } else {
                    guard let end = Self.find(b, from: i, ">") else { return final ? try fail(i) : i }
                    i = end
                }
            } else if c == UInt8(ascii: "/") {
                guard let end = Self.find(b, from: i + 2, ">") else { return final ? try fail(i) : i }
                d.end(XMLName(Self.localName(b, i + 2, end - 1)))
                i = end
            } else {
                guard let end = try element(b, from: i + 1, &d) else { return final ? try fail(i) : i }
                i = end
            }
        }
        return n
    }

    private func fail(_ i: Int) throws(Failure) -> Int { throw Failure(offset: base + i) }

    private mutating func emitText<D: Delegate>(_ s: UnsafeBufferPointer<UInt8>, at offset: Int, _ d: inout D) throws(Failure) {
        if !s.contains(UInt8(ascii: "&")) {
            d.text(s)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        try Self.unescape(s, into: &scratch, at: offset)
        scratch.withUnsafeBufferPointer { d.text($0) }
    }

    /// Reads a start tag after `<`; returns the offset after `>`, or nil when the tag is unfinished.
    private func element<D: Delegate>(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, _ d: inout D
    ) throws(Failure) -> Int? {
        let n = b.count
        var i = start
        while i < n, !Self.isSpace(b[i]), b[i] != UInt8(ascii: ">"), b[i] != UInt8(ascii: "/") { i += 1 }
        let nameEnd = i
        let attributesStart = i
        while true {
            while i < n, Self.isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            if b[i] == UInt8(ascii: ">") {
                let name = XMLName(Self.localName(b, start, nameEnd))
                d.start(name, XMLAttributes(UnsafeBufferPointer(rebasing: b[attributesStart..<i])))
                return i + 1
            }
            if b[i] == UInt8(ascii: "/") {
                guard i + 1 < n else { return nil }
                guard b[i + 1] == UInt8(ascii: ">") else { throw Failure(offset: base + i) }
                let name = XMLName(Self.localName(b, start, nameEnd))
                d.start(name, XMLAttributes(UnsafeBufferPointer(rebasing: b[attributesStart..<i])))
                d.end(name)
                return i + 2
            }
            while i < n, b[i] != UInt8(ascii: "="), !Self.isSpace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
            while i < n, Self.isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            guard b[i] == UInt8(ascii: "=") else { throw Failure(offset: base + i) }
            i += 1
            while i < n, Self.isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            guard b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { throw Failure(offset: base + i) }
            let quote = b[i]
            i += 1
            let v = i
            while i < n, b[i] != quote { i += 1 }
            guard i < n else { return nil }
            // Entities in the value must be well formed even if nobody asks for it.
            if UnsafeBufferPointer(rebasing: b[v..<i]).contains(UInt8(ascii: "&")) {
                var ignored: [UInt8] = []
                try Self.unescape(UnsafeBufferPointer(rebasing: b[v..<i]), into: &ignored, at: base + v)
            }
            i += 1
        }
    }

    static func unescape(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], at offset: Int) throws(Failure) {
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            guard c == UInt8(ascii: "&") else {
                out.append(c)
                i += 1
                continue
            }
            var semi = i + 1
            while semi < n, semi - i <= 10, s[semi] != UInt8(ascii: ";") { semi += 1 }
            guard semi < n, s[semi] == UInt8(ascii: ";") else { throw Failure(offset: offset + i) }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: s[(i + 1)..<semi]), as: UTF8.self)
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
                guard let code, let scalar = Unicode.Scalar(code) else { throw Failure(offset: offset + i) }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semi + 1
        }
    }

    /// The offset just past the first `marker` at or after `start`, if the buffer holds one.
    private static func find(_ b: UnsafeBufferPointer<UInt8>, from start: Int, _ marker: StaticString) -> Int? {
        let m = marker.utf8CodeUnitCount
        let p = marker.utf8Start
        var i = start
        let n = b.count
        while i + m <= n {
            if b[i] == p[0] {
                var k = 1
                while k < m, b[i + k] == p[k] { k += 1 }
                if k == m { return i + m }
            }
            i += 1
        }
        return nil
    }

    private static func starts(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard i + m <= b.count else { return false }
        for k in 0..<m where b[i + k] != s.utf8Start[k] { return false }
        return true
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    /// `b[from..<to]` without trailing blanks and without a namespace prefix.
    private static func localName(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
        var e = to
        while e > from, isSpace(b[e - 1]) { e -= 1 }
        var s = from
        var k = e
        while k > from {
            k -= 1
            if b[k] == UInt8(ascii: ":") {
                s = k + 1
                break
            }
        }
        return UnsafeBufferPointer(rebasing: b[s..<e])
    }
}

/// An element's local name, a view of the scanner's input.
struct XMLName {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func == (name: XMLName, s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard name.bytes.count == m else { return false }
        for k in 0..<m where name.bytes[k] != s.utf8Start[k] { return false }
        return true
    }

    static func ~= (pattern: StaticString, name: XMLName) -> Bool { name == pattern }
}

/// A start tag's attributes, a view of the scanner's input; looked up by local name.
struct XMLAttributes {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The raw (still escaped) value of the attribute whose local name is `key`.
    func raw(_ key: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>?
        scan { name, value in
            if name == key { found = value }
            return found == nil
        }
        return found
    }

    /// Calls `body` with each attribute's local name and raw (still escaped) value, in order.
    @inline(__always) func forEach(_ body: (XMLName, UnsafeBufferPointer<UInt8>) -> Void) {
        scan { name, value in
            body(name, value)
            return true
        }
    }

    /// Calls `body` with each attribute's local name and raw value, in order, while it returns true.
    @inline(__always) private func scan(_ body: (XMLName, UnsafeBufferPointer<UInt8>) -> Bool) {
        let b = bytes
        let n = b.count
        var i = 0
        while i < n {
            while i < n, XMLScanner.isSpace(b[i]) { i += 1 }
            let a = i
            var s = a
            while i < n, b[i] != UInt8(ascii: "="), !XMLScanner.isSpace(b[i]) {
                if b[i] == UInt8(ascii: ":") { s = i + 1 }
                i += 1
            }
            let name = XMLName(UnsafeBufferPointer(rebasing: b[s..<i]))
            while i < n, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "'") { i += 1 }
            guard i < n else { return }
            let quote = b[i]
            i += 1
            let v = i
            while i < n, b[i] != quote { i += 1 }
            guard body(name, UnsafeBufferPointer(rebasing: b[v..<i])) else { return }
            i += 1
        }
    }

    /// The value of the attribute `key`, entities replaced.
    subscript(_ key: StaticString) -> String? {
        guard let raw = raw(key) else { return nil }
        if !raw.contains(UInt8(ascii: "&")) { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        guard (try? XMLScanner.unescape(raw, into: &out, at: 0)) != nil else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of `key` as a non-negative decimal integer.
    func int(_ key: StaticString) -> Int? {
        guard let raw = raw(key), !raw.isEmpty, raw.count <= 18 else { return nil }
        var v = 0
        for c in raw {
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
}

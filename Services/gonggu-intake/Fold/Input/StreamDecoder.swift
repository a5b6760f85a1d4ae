#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings intake reads.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// Detect: a UTF-8 BOM means UTF-8; otherwise the first non-ASCII bytes decide — valid UTF-8
    /// means UTF-8, anything else GB18030 (what Excel and WPS write for “CSV” on Chinese Windows).
    case auto
    /// UTF-8, with or without BOM.
    case utf8
    /// GB18030 (a superset of GBK and GB2312), decoded with the C library's `iconv`.
    case gb18030

    /// The name staff see in messages.
    var display: String {
        switch self {
        case .auto: return "自动识别"
        case .utf8: return "UTF-8"
        case .gb18030: return "GB18030"
        }
    }
}

/// Streaming decoder from the file's encoding to UTF-8. Chunks may split a multibyte sequence
/// anywhere: the incomplete tail is carried into the next chunk.
struct StreamDecoder {
    /// The encoding in use; `.auto` until the first non-ASCII bytes decide it.
    private(set) var encoding: TextEncoding
    private let forced: Bool
    private var atStart = true
    private var carry: [UInt8] = []
    private var converter: GB18030Converter?
    private var output: [UInt8] = []

    init(_ encoding: TextEncoding) {
        self.encoding = encoding
        forced = encoding != .auto
    }

    /// Why decoding stopped.
    enum Failure: Error, Equatable {
        /// Bytes that are not valid in the encoding.
        case invalid(TextEncoding)
        /// The file ends inside a multibyte sequence.
        case truncated(TextEncoding)
        /// The GB18030 converter is not available in this C library.
        case unavailable
    }

    /// Decodes one chunk, passing UTF-8 to `emit` (possibly several times). On failure everything
    /// valid before the bad bytes has been emitted.
    mutating func decode(
        _ chunk: UnsafeBufferPointer<UInt8>, final: Bool, emit: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> Failure? {
        if carry.isEmpty {
            return decodeJoined(chunk, final: final, emit: emit)
        }
        var joined = carry
        carry.removeAll()
        joined.append(contentsOf: chunk)
        return joined.withUnsafeBufferPointer { decodeJoined($0, final: final, emit: emit) }
    }

    private mutating func decodeJoined(
        _ input: UnsafeBufferPointer<UInt8>, final: Bool, emit: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> Failure? {
        var p = input
        if atStart {
            if p.count < 3, !final, encoding != .gb18030 {
                carry.append(contentsOf: p)
                return nil
            }
            atStart = false
            if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF {
                if encoding == .gb18030 { return .invalid(.gb18030) }
                encoding = .utf8
                p = UnsafeBufferPointer(rebasing: p[3...])
            }
        }
        if encoding == .auto {
            var i = 0
            while i < p.count, p[i] < 0x80 { i += 1 }
            if i == p.count {
                emit(p)
                return nil
            }
            emit(UnsafeBufferPointer(rebasing: p[0..<i]))
            p = UnsafeBufferPointer(rebasing: p[i...])
            let (valid, status) = UTF8Scan.scan(p)
            if status == .truncated, valid == 0, !final {
                carry.append(contentsOf: p)
                return nil
            }
            // GB18030 text may begin with a few byte pairs that happen to be valid UTF-8; a long
            // valid run before the first bad byte means a damaged UTF-8 file instead.
            let multibyte = p[0..<valid].reduce(0) { $0 + ($1 >= 0x80 ? 1 : 0) }
            encoding = status == .invalid && multibyte < 24 ? .gb18030 : .utf8
        }
        switch encoding {
        case .utf8, .auto:
            let (valid, status) = UTF8Scan.scan(p)
            emit(UnsafeBufferPointer(rebasing: p[0..<valid]))
            switch status {
            case .complete: return nil
            case .invalid: return .invalid(.utf8)
            case .truncated:
                if final { return .truncated(.utf8) }
                carry.append(contentsOf: p[valid...])
                return nil
            }
        case .gb18030:
            if converter == nil {
                guard let c = GB18030Converter() else { return .unavailable }
                converter = c
            }
            let (consumed, ok) = converter!.convert(p, into: &output)
            output.withUnsafeBufferPointer { emit($0) }
            output.removeAll(keepingCapacity: true)
            if !ok { return .invalid(.gb18030) }
            if consumed < p.count {
                if final { return .truncated(.gb18030) }
                carry.append(contentsOf: p[consumed...])
            }
            return nil
        }
    }
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF) with an ASCII fast path.
enum UTF8Scan {
    enum Status { case complete, truncated, invalid }

    /// The length of the valid prefix and why it stops.
    static func scan(_ p: UnsafeBufferPointer<UInt8>) -> (Int, Status) {
        guard let base = p.baseAddress else { return (0, .complete) }
        let n = p.count
        var i = 0
        while i < n {
            while i + 8 <= n,
                UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i += 8
            }
            guard i < n else { break }
            let b = base[i]
            if b < 0x80 {
                i += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return (i, .invalid)
            }
            for k in 1...need {
                if i + k >= n { return (i, .truncated) }
                let c = base[i + k]
                if k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF) { return (i, .invalid) }
            }
            i += need + 1
        }
        return (n, .complete)
    }
}

/// GB18030 → UTF-8 through `iconv(3)`.
final class GB18030Converter {
    private let handle: iconv_t

    init?() {
        let h = iconv_open("UTF-8", "GB18030")
        guard let h, Int(bitPattern: UnsafeRawPointer(h)) != -1 else { return nil }
        handle = h
    }

    deinit { iconv_close(handle) }

    /// Converts as much of `input` as possible, appending UTF-8 to `out`. Returns the bytes
    /// consumed and false on an invalid sequence; an incomplete sequence at the end is left
    /// unconsumed (the caller carries it into the next chunk).
    func convert(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> (Int, Bool) {
        guard let base = input.baseAddress, input.count > 0 else { return (0, true) }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(
            to: CChar.self)
        var inLeft = input.count
        // Two GB18030 bytes become at most three UTF-8 bytes, four become four.
        let capacity = input.count * 3 / 2 + 16
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        var produced = 0
        var ok = true
        out.withUnsafeMutableBufferPointer { o in
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress! + start)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = capacity
            let r = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
            produced = capacity - outLeft
            if r == -1, errno == EILSEQ { ok = false }
        }
        out.removeLast(capacity - produced)
        return (input.count - inLeft, ok)
    }
}

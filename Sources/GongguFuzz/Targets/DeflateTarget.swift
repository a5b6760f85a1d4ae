import GongguIntake

/// DEFLATE alone (the layer under workbook intake): raw RFC 1951 data through `InflateStream`, fed in pieces and
/// drained in chunks of sizes byte 0 picks, checked against `Inflate.inflate` of the whole input (the two must agree on
/// the output or on the failure), with an output limit so every input ends quickly.
///
/// Input layout: byte 0 = piece sizes (low 4 bits: input pieces of 1 … 2^15 bytes; high 4 bits:
/// output chunks of 1 KiB … 32 KiB); the rest is the compressed stream.
enum DeflateTarget {
    static let limit = 1 << 22

    static let target = FuzzTarget(
        name: "deflate", summary: "raw DEFLATE through InflateStream in pieces, against whole-buffer Inflate",
        dictionary: [
            [0x00, 0x00, 0x00, 0xFF, 0xFF], [0x01, 0x00, 0x00, 0xFF, 0xFF], [0x03, 0x00], [0x02, 0x00], [0x63, 0x00],
            [0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0, 0xF7, 0x4F, 0x6D],
            [0x4B, 0x4C, 0x4A, 0x06, 0x00], [0xFF, 0xFF, 0xFF, 0xFF],
        ]
    ) { input in
        guard let first = input.first else { return false }
        let body = Array(input.dropFirst())
        let piece = 1 << Int(first & 0x0F)
        let chunkSize = 1 << (10 + Int(first >> 4) % 6)
        var at = 0
        let stream = InflateStream(limit: limit, chunkSize: chunkSize) { () -> ArraySlice<UInt8> in
            let k = min(piece, body.count - at)
            defer { at += k }
            return body[at..<(at + k)]
        }
        var out: [UInt8] = []
        var failure: Inflate.Failure?
        do throws(Inflate.Failure) {
            while let chunk = try stream.next() {
                FuzzCheck.require(chunk.count <= chunkSize + 257, "chunk of \(chunk.count) for \(chunkSize)")
                out.append(contentsOf: chunk)
            }
        } catch {
            failure = error
        }
        FuzzCheck.require(failure != nil || stream.produced == out.count, "produced counts what was handed out")
        FuzzCheck.require(stream.consumed <= body.count, "consumed more than the input")
        FuzzCheck.require(out.count <= limit + chunkSize + 257, "output past the limit")
        let whole: Result<[UInt8], Inflate.Failure>
        do throws(Inflate.Failure) {
            whole = .success(try Inflate.inflate(body, limit: limit))
        } catch {
            whole = .failure(error)
        }
        // Where the limit stops it depends on the chunk size; past that, both must just have stopped.
        if failure == .tooLarge { return false }
        if case .failure(.tooLarge) = whole { return false }
        switch (whole, failure) {
        case (.success(let w), nil):
            FuzzCheck.require(w == out, "pieces and whole give the same output")
            return true
        case (.failure(let e), let f?):
            FuzzCheck.require(e == f, "pieces and whole fail alike: \(e) vs \(f)")
            return false
        case (.success, let f?):
            FuzzCheck.require(false, "whole succeeded, pieces failed with \(f)")
            return false
        case (.failure(let e), nil):
            FuzzCheck.require(false, "pieces succeeded, whole failed with \(e)")
            return false
        }
    }
}

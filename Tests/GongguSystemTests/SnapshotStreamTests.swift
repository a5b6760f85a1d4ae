import Foundation
import GongguCore
import GongguRuntime
import XCTest

/// Snapshot format 3: a file written as its state is encoded (`Snapshots.writeStreaming`, the checksum
/// computed over the pieces as they pass), and the binary state form the verifier and risk monitor
/// write (`SnapshotBinaryWriter`/`SnapshotBinaryReader`).
final class SnapshotStreamTests: XCTestCase {
    func testTheStreamedChecksumIsTheOneShot() {
        var rng = SystemRandomNumberGenerator()
        for length in Array(0...80) + [1_000, 65_537] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let whole = bytes.withUnsafeBytes { SnapshotChecksum.xxh64($0) }
            // In pieces of random sizes (empty ones included).
            var sum = SnapshotChecksum.Stream()
            var at = 0
            while at < length {
                let n = min(length - at, Int.random(in: 0...40, using: &rng))
                Array(bytes[at..<(at + n)]).withUnsafeBytes { sum.update($0) }
                at += n
            }
            XCTAssertEqual(sum.finish(), whole, "length \(length)")
        }
        // XXH64 of the empty input, from the specification's test vectors.
        XCTAssertEqual(SnapshotChecksum.Stream().finish(), 0xEF46_DB37_51D8_E999)
    }

    func testAStreamedFileIsTheFileEncodeGivesAndReadsBack() throws {
        let dir = NSTemporaryDirectory() + "gonggu-snapshot-stream-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logPath = dir + "/x.log.sqlite"
        let state = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let header = Snapshots.Header(service: "risk", logID: "L1", seq: 42, headHash: "ab", digest: "cd")
        try Snapshots.writeStreaming(header, logPath: logPath, keep: 3) { put in
            var at = 0
            while at < state.count {
                let n = min(state.count - at, 4_099)
                try Array(state[at..<(at + n)]).withUnsafeBytes { try put($0) }
                at += n
            }
        }
        let path = Snapshots.path(logPath: logPath, seq: 42)
        XCTAssertEqual(Array(FileManager.default.contents(atPath: path)!), Snapshots.encode(header, state: state))
        let (readHeader, readState) = try Snapshots.read(path: path)
        XCTAssertEqual(readHeader, header)
        XCTAssertEqual(readState, state)
        // An empty state too.
        XCTAssertEqual(try Snapshots.decode(Snapshots.encode(header, state: [])).state, [])
    }

    func testAFileOfFormat2IsAnotherFormat() {
        // Format 2's layout: the state's length in the header.
        let state = Array("{\"fold\":{}}".utf8)
        var body = Array(
            #"{"format":2,"service":"risk","logId":"L1","seq":1,"headHash":"ab","digest":"cd","stateBytes":\#(state.count)}"#.utf8)
        body.append(0x0A)
        body += state
        body.append(0x0A)
        body += Array("xxh64 \(SnapshotChecksum.hex(body[...]))\n".utf8)
        XCTAssertThrowsError(try Snapshots.decode(body)) { error in
            XCTAssertEqual(error as? Snapshots.Rejection, .otherFormat(2))
        }
    }

    func testTheBinaryFormReadsBackWhatWasWrittenAndRefusesItCut() throws {
        var pieces: [[UInt8]] = []
        var w = SnapshotBinaryWriter(chunk: 16) { pieces.append(Array($0)) }
        let ints = [0, 1, -1, 63, -64, 64, 300, -300, Int(Int32.max), Int(Int32.min), Int.max, Int.min]
        for i in ints {
            w.int(i)
            w.flushIfFull()
        }
        w.uint(UInt64.max)
        w.string("")
        w.string("长春市南关区 a region long enough not to be inline")
        w.string("长春市南关区 a region long enough not to be inline")
        w.eventID(EventID(high: 0x0123_4567_89AB_CDEF, low: 42))
        w.bool(true)
        w.flush()
        XCTAssertNil(w.sinkError)
        XCTAssertGreaterThan(pieces.count, 2, "handed on in pieces")
        let bytes = pieces.flatMap { $0 }
        XCTAssertEqual(w.flushed, bytes.count)
        /// Everything read back, as text (a read that fails throws).
        func readAll(_ bytes: [UInt8]) throws -> [String] {
            try bytes.withUnsafeBytes { raw in
                var r = SnapshotBinaryReader(raw)
                var out: [String] = []
                for _ in ints { out.append("\(try r.int())") }
                out.append("\(try r.uint())")
                out.append(try r.string())
                out.append(try r.internedString())
                out.append(try r.internedString())
                out.append("\(try r.eventID())")
                out.append("\(try r.bool())")
                out.append("\(r.isAtEnd)")
                return out
            }
        }
        let region = "长春市南关区 a region long enough not to be inline"
        XCTAssertEqual(
            try readAll(bytes),
            ints.map { "\($0)" } + ["\(UInt64.max)", "", region, region, "\(EventID(high: 0x0123_4567_89AB_CDEF, low: 42))", "true", "true"])
        for cut in [1, 5, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try readAll(Array(bytes.prefix(cut))), "cut at \(cut)")
        }
        // A count larger than what is left is refused before anything is reserved.
        var big = SnapshotBinaryWriter()
        big.count(1 << 40)
        XCTAssertThrowsError(try big.bytes.withUnsafeBytes { raw in
            var r = SnapshotBinaryReader(raw)
            _ = try r.count()
        })
    }
}

import Foundation
import GongguCore
import XCTest

@testable import GongguStore

/// The writer's compact id fingerprints (`FingerprintSet`, docs/LOG_INDEX.md "Duplicate ids without an
/// id index"): the same answers as a `Set<UInt64>` of the 48 bits kept, loaded in bulk or inserted one
/// by one, in far less memory.
final class FingerprintSetTests: XCTestCase {
    /// The 48 bits the set keeps of a fingerprint.
    private func kept(_ f: UInt64) -> UInt64 { f >> 16 }

    /// A deterministic stream of 64-bit values (splitmix64).
    private func values(_ n: Int, seed: UInt64) -> [UInt64] {
        var x = seed
        return (0..<n).map { _ in
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testInsertAndBulkLoadAnswerAsASetDoes() {
        let held = values(200_000, seed: 1)
        // Some values twice, and values that agree with a held one in the kept bits only.
        let twins = held.prefix(50).map { $0 ^ 0xFFFF }
        var one = FingerprintSet()
        var reference = Set<UInt64>()
        for f in held + held.prefix(1_000) + twins {
            XCTAssertEqual(one.insert(f), reference.insert(kept(f)).inserted)
        }
        var bulk = FingerprintSet(expected: held.count)
        for f in held.reversed() + held.prefix(1_000) + twins { bulk.appendUnsorted(f) }
        bulk.finishBulk()
        XCTAssertEqual(one.count, reference.count)
        XCTAssertEqual(bulk.count, reference.count)
        for f in held.prefix(5_000) + twins {
            XCTAssertTrue(one.contains(f))
            XCTAssertTrue(bulk.contains(f))
        }
        for f in values(20_000, seed: 2) {
            XCTAssertEqual(one.contains(f), reference.contains(kept(f)))
            XCTAssertEqual(bulk.contains(f), reference.contains(kept(f)))
        }
        // A loaded set goes on taking inserts.
        let later = values(1_000, seed: 3)
        for f in later { XCTAssertEqual(bulk.insert(f), reference.insert(kept(f)).inserted) }
        for f in later { XCTAssertTrue(bulk.contains(f)) }
        XCTAssertEqual(bulk.count, reference.count)
    }

    /// Ids that are not random (a counter in the low word) spread over the partitions too.
    func testSequentialIDsAreKeptApart() {
        var set = FingerprintSet()
        for i in 0..<100_000 {
            XCTAssertTrue(set.insert(IDFingerprints.of(EventID(high: 0, low: UInt64(i)))), "id \(i)")
        }
        XCTAssertEqual(set.count, 100_000)
    }

    /// Under 5 bytes an element at a million (malloc rounds its ≈ 15-value arrays up; ≈ 4.3 at 11
    /// million), whichever way it was filled: a `Set<UInt64>` of the same
    /// fingerprints holds 8 bytes a bucket at a load factor of at most 0.75.
    func testTheElementsTakeAboutFourBytesEach() {
        let n = 1_000_000
        let held = values(n, seed: 4)
        var bulk = FingerprintSet(expected: n)
        for f in held { bulk.appendUnsorted(f) }
        bulk.finishBulk()
        XCTAssertLessThan(Double(bulk.elementBytes) / Double(n), 5.0, "bulk: \(bulk.elementBytes) bytes")
        var grown = FingerprintSet()
        for f in held { grown.insert(f) }
        XCTAssertLessThan(Double(grown.elementBytes) / Double(n), 4.9, "inserted: \(grown.elementBytes) bytes")
        let set = Set(held)
        XCTAssertGreaterThanOrEqual(set.capacity * 8, 2 * grown.elementBytes)
    }
}

/// A writer's log with ids whose fingerprints agree in the 48 bits the set keeps but not in all 64:
/// a false suspicion, confirmed absent and appended; the id itself is refused when it comes again.
final class FingerprintBitsTests: StoreTestCase {
    func testAnIDAgreeingInTheKeptBitsOnlyIsAppended() throws {
        let log = try makeLog()
        let first = try log.append(sampleEvents(5), recordedAt: 1)
        let a = first[3].id
        let low = a.low &+ 1
        // f(twin) = f(a) with its lowest bit flipped: below the 48 bits kept.
        let twin = EventID(high: IDFingerprints.of(a) ^ 1 ^ (low &* 0x9E37_79B9_7F4A_7C15), low: low)
        XCTAssertEqual(IDFingerprints.of(twin), IDFingerprints.of(a) ^ 1)
        var event = sampleEvents(1, from: 100)[0]
        event.id = twin
        XCTAssertEqual(try log.append([event], recordedAt: 2).map(\.seq), [6])
        XCTAssertThrowsError(try log.append([event], recordedAt: 3)) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)")
        }
        XCTAssertThrowsError(try log.append([first[3]], recordedAt: 3)) { error in
            XCTAssertTrue(SQLiteResultCode.constraintUnique ~= error, "\(error)")
        }
        XCTAssertEqual(try log.lastSeq, 6)
        XCTAssertTrue(try log.verify().isIntact)
    }
}

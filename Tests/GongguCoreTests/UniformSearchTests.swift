import GongguCore
import XCTest

/// `UniformSearch.lowerBound` gives a binary search's answer for every sorted buffer, whatever the
/// prediction it starts from.
final class UniformSearchTests: XCTestCase {
    private func reference(_ a: [UInt32], _ v: UInt32) -> Int { a.firstIndex { $0 >= v } ?? a.count }

    private func search(_ a: [UInt32], _ v: UInt32, fraction: UInt32? = nil) -> Int {
        a.withUnsafeBufferPointer { UniformSearch.lowerBound(in: $0, fraction: fraction ?? v) { $0 < v } }
    }

    func testEvenlySpreadKeysPresentAndAbsent() {
        var g = SplitMix64(seed: 11)
        for n in [0, 1, 2, 3, 7, 64, 170, 1_000] {
            let a = (0..<n).map { _ in UInt32(truncatingIfNeeded: g.next()) }.sorted()
            for v in a + (0..<200).map({ _ in UInt32(truncatingIfNeeded: g.next()) }) + [0, 1, .max, .max - 1] {
                XCTAssertEqual(search(a, v), reference(a, v), "n \(n), key \(v)")
            }
        }
    }

    /// Keys bunched at one end, repeats, and a prediction that is wrong on purpose (every fraction for
    /// every key): only the steps change.
    func testSkewedRepeatedAndMispredicted() {
        let bunched: [UInt32] = (0..<300).map { UInt32($0 / 3) }  // 0,0,0,1,1,1,…: all below 2^7
        let allEqual = [UInt32](repeating: 42, count: 50)
        for a in [bunched, allEqual, [5], [UInt32.max, .max]] {
            for v: UInt32 in [0, 1, 41, 42, 43, 50, 99, 100, .max] {
                for fraction: UInt32 in [0, 1 << 31, .max, v] {
                    XCTAssertEqual(search(a, v, fraction: fraction), reference(a, v), "key \(v), fraction \(fraction)")
                }
            }
        }
    }
}

import XCTest

import GongguCore

/// `PagedArray` holds what the array it replaces held, in the same order, through appends and changes in
/// place across page boundaries.
final class PagedArrayTests: XCTestCase {
    func testItHoldsWhatAnArrayHoldsAcrossPages() {
        let n = 3 * PagedArray<Int>().pageSize + 17
        var paged = PagedArray<[Int]>()
        var array: [[Int]] = []
        for i in 0..<n {
            paged.append([i])
            array.append([i])
            // Changes in place, some on earlier pages.
            let j = (i &* 7919) % (i + 1)
            paged[j].append(i)
            array[j].append(i)
            if i % 1000 == 0 { paged[i] = [-i] ; array[i] = [-i] }
        }
        XCTAssertEqual(paged.count, n)
        XCTAssertEqual(Array(paged), array)
        XCTAssertEqual(paged.indices, 0..<n)
        XCTAssertEqual(PagedArray(array), paged)
        XCTAssertEqual(Array(paged.enumerated().map(\.offset)), Array(0..<n))
        XCTAssertTrue(PagedArray<Int>().isEmpty)
    }

    func testSmallerPagesHoldTheSameAndAChangeToACopyLeavesTheOriginal() {
        let n = 5 * 1024 + 3
        var paged = PagedArray<Int>(0..<n, pageShift: 10)
        XCTAssertEqual(paged.pageSize, 1024)
        XCTAssertEqual(Array(paged), Array(0..<n))
        let copy = paged
        paged[1024] = -1
        XCTAssertEqual(copy[1024], 1024)
        XCTAssertEqual(paged[1024], -1)
        XCTAssertEqual(PagedArray(0..<n), copy, "equal whatever the page size")
    }
}

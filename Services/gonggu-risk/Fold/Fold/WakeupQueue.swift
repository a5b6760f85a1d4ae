/// A min-heap of (business day, household id): when elapsed time may change a household's decisions
/// (a signal window ends, six months of monitoring pass, a recommendation becomes overdue). A clock
/// tick pops the due entries, so a tick costs O(due households · log n) instead of a scan of all
/// households. Stale entries are harmless: re-evaluating a household is idempotent.
struct WakeupQueue {
    private(set) var heap: [(day: Int32, household: String)] = []

    var count: Int { heap.count }

    init() {}

    /// A queue holding `heap` as it is (a snapshot's, in heap order).
    init(heap: [(day: Int32, household: String)]) { self.heap = heap }

    private static func less(_ a: (day: Int32, household: String), _ b: (day: Int32, household: String)) -> Bool {
        a.day != b.day ? a.day < b.day : a.household < b.household
    }

    mutating func push(day: Int32, household: String) {
        heap.append((day, household))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the households due on or before `day`, in (day, household) order, each once.
    mutating func popDue(through day: Int32) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        while let top = heap.first, top.day <= day {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
            if seen.insert(top.household).inserted { out.append(top.household) }
        }
        return out
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < heap.count, Self.less(heap[l], heap[m]) { m = l }
            if r < heap.count, Self.less(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}

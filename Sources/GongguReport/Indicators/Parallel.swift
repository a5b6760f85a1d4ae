import Dispatch

/// Runs `body(i)` for every `i` in `0..<count` on the available cores (the calls must be independent:
/// they may only read shared state) and returns the results in index order.
public func inParallel<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    var slots = [T?](repeating: nil, count: count)
    slots.withUnsafeMutableBufferPointer { buffer in
        let out = buffer
        // Each iteration writes its own slot only.
        DispatchQueue.concurrentPerform(iterations: count) { i in out[i] = body(i) }
    }
    return slots.map { $0! }
}

import GongguCore

extension EventLog {
    /// Runs the index lookup `sql` (an `IndexLayout` query whose ?1 is the index block; `bind` binds
    /// the rest) once per block of the log, oldest block first or newest first, and hands each row to
    /// `row`, which returns false to stop. Caller holds `lock`.
    ///
    /// - Parameter lastSeq: the log's last seq, if the caller already knows it (inside a read
    ///   transaction); otherwise it is read.
    func eachBlock(
        _ sql: String, newestFirst: Bool = false, lastSeq known: Int64? = nil,
        bind: (Statement) throws -> Void, row: (Statement) throws -> Bool
    ) throws {
        let blocks = indexLayout.blocks(lastSeq: try known ?? lastSeq)
        let s = try statement(sql)
        defer { s.reset() }
        // Bindings outlive `reset`: only the block changes from one pass to the next.
        try bind(s)
        let order = newestFirst
            ? stride(from: blocks.upperBound, through: blocks.lowerBound, by: -1)
            : stride(from: blocks.lowerBound, through: blocks.upperBound, by: 1)
        for block in order {
            s.reset()
            try s.bind(block, at: 1)
            while try s.step() { guard try row(s) else { return } }
        }
    }
}

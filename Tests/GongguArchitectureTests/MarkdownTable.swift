import Foundation

/// A pipe table of a Markdown document, found by its header row.
struct MarkdownTable {
    let header: [String]
    /// Cells of each body row, in order; `lines[i]` is the 1-based line of `rows[i]`.
    let rows: [[String]]
    let lines: [Int]

    /// The first table whose header cells are exactly `header` (case and spacing ignored), or nil.
    init?(in text: String, header: [String]) {
        let wanted = header.map { $0.lowercased() }
        let allLines = text.components(separatedBy: "\n")
        var index = 0
        while index < allLines.count {
            let cells = Self.cells(allLines[index])
            if cells.map({ $0.lowercased() }) == wanted, index + 1 < allLines.count,
                Self.cells(allLines[index + 1]).allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } })
            {
                var rows: [[String]] = []
                var lines: [Int] = []
                var row = index + 2
                while row < allLines.count, allLines[row].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(Self.cells(allLines[row]))
                    lines.append(row + 1)
                    row += 1
                }
                self.header = header
                self.rows = rows
                self.lines = lines
                return
            }
            index += 1
        }
        return nil
    }

    static func cells(_ line: String) -> [String] {
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|") else { return [] }
        trimmed.removeFirst()
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The `code spans` of a cell, in order.
    static func codeSpans(_ cell: String) -> [String] {
        let parts = cell.components(separatedBy: "`")
        return stride(from: 1, to: parts.count, by: 2).map { parts[$0] }
    }
}

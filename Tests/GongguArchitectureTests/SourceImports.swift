import Foundation

/// The `import` declarations of Swift files, read as text.
///
/// A line is an import when, outside a block comment and outside a multi-line string literal, it is
/// `[attributes] [access level] import [kind] Module[.Sub…]` (with an optional `;` or `// comment`
/// after it): `@testable import GongguRisk`, `public import Foundation`, `import struct Glibc.stat`.
/// Imports under `#if canImport(…)` count like the others — a module may import what its platform
/// branch names. Python or shell text inside a `"""` string (some tests write scripts) is skipped.
enum SourceImports {
    struct Import: Hashable {
        let module: String
        /// Relative to the package root, with the line number, for messages.
        let location: String
    }

    private static let pattern = try! NSRegularExpression(pattern: """
        ^\\s*(?:@[A-Za-z_]+(?:\\([^)]*\\))?\\s+)*\
        (?:(?:public|package|internal|fileprivate|private)\\s+)?\
        import\\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\\s+)?\
        ([A-Za-z_][A-Za-z0-9_]*)(?:\\.[A-Za-z_][A-Za-z0-9_.]*)?\\s*;?\\s*(?://.*)?$
        """)

    static func imports(inFile url: URL, relativePath: String) throws -> [Import] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var found: [Import] = []
        var inBlockComment = false
        var inMultilineString = false
        for (index, rawLine) in text.components(separatedBy: "\n").enumerated() {
            let line = rawLine
            if inMultilineString {
                if line.components(separatedBy: "\"\"\"").count % 2 == 0 { inMultilineString = false }
                continue
            }
            if inBlockComment {
                if line.contains("*/") { inBlockComment = false }
                continue
            }
            let ns = line as NSString
            if let match = pattern.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) {
                let module = ns.substring(with: match.range(at: 1))
                found.append(Import(module: module, location: "\(relativePath):\(index + 1)"))
                continue
            }
            let code = line.components(separatedBy: "//").first ?? line
            if code.components(separatedBy: "\"\"\"").count % 2 == 0 { inMultilineString = true }
            if let open = code.range(of: "/*", options: .backwards), !code[open.upperBound...].contains("*/") {
                inBlockComment = true
            }
        }
        return found
    }

    /// Every import of every Swift file of `target` (its `exclude:` left out, its `sources:` only).
    static func imports(of target: PackageManifest.Target, root: URL) throws -> [Import] {
        let excluded = target.exclude.map { "\(target.path)/\($0)" }
        let included = target.sources.map { $0.map { "\(target.path)/\($0)" } }
        var found: [Import] = []
        for relative in try swiftFiles(under: target.path, root: root) {
            if excluded.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
            if let included, !included.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
            found += try imports(inFile: root.appendingPathComponent(relative), relativePath: relative)
        }
        return found
    }

    /// Swift files under a folder, as paths relative to `root`, sorted.
    static func swiftFiles(under path: String, root: URL) throws -> [String] {
        let folder = root.appendingPathComponent(path)
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix(".swift") { files.append("\(path)/\(item)") }
        }
        return files.sorted()
    }
}
